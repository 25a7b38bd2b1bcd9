package org.pdrecon.io.dicom;

import java.util.HashMap;
import java.util.Map;

/**
 * The small data dictionary the toolkit needs: tag → keyword and VR (PS3.6). The VR matters for
 * implicit-VR files, where it is not written; tags not listed read as {@link Vr#UN} (raw bytes), except
 * group lengths {@code (gggg,0000)}, which are always {@link Vr#UL}. Tags whose VR depends on context
 * ("US or SS") are listed as {@link Vr#US}.
 */
public final class DicomDictionary {
    private static final Map<Integer, Entry> BY_TAG = new HashMap<>();
    private static final Map<String, Integer> BY_KEYWORD = new HashMap<>();

    private record Entry(String keyword, Vr vr) {}

    private DicomDictionary() {}

    /** The keyword of a tag, or {@code null} when it is not in this dictionary. */
    public static String keyword(int tag) {
        Entry e = BY_TAG.get(tag);
        if (e != null) return e.keyword;
        return Tags.element(tag) == 0 ? "GroupLength" : null;
    }

    /** The VR implied for a tag in implicit-VR data ({@link Vr#UN} when unknown). */
    public static Vr vr(int tag) {
        Entry e = BY_TAG.get(tag);
        if (e != null) return e.vr;
        return Tags.element(tag) == 0 ? Vr.UL : Vr.UN;
    }

    /** Whether the tag is listed in this dictionary. */
    public static boolean contains(int tag) {
        return BY_TAG.containsKey(tag);
    }

    /** The tag of a keyword, e.g. {@code "GantryAngle"} → {@code 0x300A011E}. */
    public static int tag(String keyword) {
        Integer t = BY_KEYWORD.get(keyword);
        if (t == null) throw new IllegalArgumentException("unknown DICOM keyword '" + keyword + "'");
        return t;
    }

    private static void add(int tag, String keyword, Vr vr) {
        BY_TAG.put(tag, new Entry(keyword, vr));
        BY_KEYWORD.put(keyword, tag);
    }

    static {
        // File meta information (group 0002)
        add(0x00020000, "FileMetaInformationGroupLength", Vr.UL);
        add(0x00020001, "FileMetaInformationVersion", Vr.OB);
        add(0x00020002, "MediaStorageSOPClassUID", Vr.UI);
        add(0x00020003, "MediaStorageSOPInstanceUID", Vr.UI);
        add(0x00020010, "TransferSyntaxUID", Vr.UI);
        add(0x00020012, "ImplementationClassUID", Vr.UI);
        add(0x00020013, "ImplementationVersionName", Vr.SH);
        add(0x00020016, "SourceApplicationEntityTitle", Vr.AE);
        // SOP common, study, series, equipment
        add(0x00080005, "SpecificCharacterSet", Vr.CS);
        add(0x00080008, "ImageType", Vr.CS);
        add(0x00080012, "InstanceCreationDate", Vr.DA);
        add(0x00080013, "InstanceCreationTime", Vr.TM);
        add(0x00080016, "SOPClassUID", Vr.UI);
        add(0x00080018, "SOPInstanceUID", Vr.UI);
        add(0x00080020, "StudyDate", Vr.DA);
        add(0x00080021, "SeriesDate", Vr.DA);
        add(0x00080022, "AcquisitionDate", Vr.DA);
        add(0x00080023, "ContentDate", Vr.DA);
        add(0x0008002A, "AcquisitionDateTime", Vr.DT);
        add(0x00080030, "StudyTime", Vr.TM);
        add(0x00080031, "SeriesTime", Vr.TM);
        add(0x00080032, "AcquisitionTime", Vr.TM);
        add(0x00080033, "ContentTime", Vr.TM);
        add(0x00080050, "AccessionNumber", Vr.SH);
        add(0x00080060, "Modality", Vr.CS);
        add(0x00080064, "ConversionType", Vr.CS);
        add(0x00080070, "Manufacturer", Vr.LO);
        add(0x00080090, "ReferringPhysicianName", Vr.PN);
        add(0x00080100, "CodeValue", Vr.SH);
        add(0x00080102, "CodingSchemeDesignator", Vr.SH);
        add(0x00080104, "CodeMeaning", Vr.LO);
        add(0x00081010, "StationName", Vr.SH);
        add(0x00081030, "StudyDescription", Vr.LO);
        add(0x0008103E, "SeriesDescription", Vr.LO);
        add(0x00081070, "OperatorsName", Vr.PN);
        add(0x00081090, "ManufacturerModelName", Vr.LO);
        add(0x00081140, "ReferencedImageSequence", Vr.SQ);
        add(0x00081150, "ReferencedSOPClassUID", Vr.UI);
        add(0x00081155, "ReferencedSOPInstanceUID", Vr.UI);
        add(0x00082111, "DerivationDescription", Vr.ST);
        add(0x00082112, "SourceImageSequence", Vr.SQ);
        // Patient
        add(0x00100010, "PatientName", Vr.PN);
        add(0x00100020, "PatientID", Vr.LO);
        add(0x00100030, "PatientBirthDate", Vr.DA);
        add(0x00100040, "PatientSex", Vr.CS);
        // Acquisition (CT, X-ray projection)
        add(0x00180015, "BodyPartExamined", Vr.CS);
        add(0x00180050, "SliceThickness", Vr.DS);
        add(0x00180060, "KVP", Vr.DS);
        add(0x00180088, "SpacingBetweenSlices", Vr.DS);
        add(0x00181000, "DeviceSerialNumber", Vr.LO);
        add(0x00181020, "SoftwareVersions", Vr.LO);
        add(0x00181030, "ProtocolName", Vr.LO);
        add(0x00181063, "FrameTime", Vr.DS);
        add(0x00181100, "ReconstructionDiameter", Vr.DS);
        add(0x00181110, "DistanceSourceToDetector", Vr.DS);
        add(0x00181111, "DistanceSourceToPatient", Vr.DS);
        add(0x00181114, "EstimatedRadiographicMagnificationFactor", Vr.DS);
        add(0x00181120, "GantryDetectorTilt", Vr.DS);
        add(0x00181130, "TableHeight", Vr.DS);
        add(0x00181140, "RotationDirection", Vr.CS);
        add(0x00181150, "ExposureTime", Vr.IS);
        add(0x00181151, "XRayTubeCurrent", Vr.IS);
        add(0x00181152, "Exposure", Vr.IS);
        add(0x00181164, "ImagerPixelSpacing", Vr.DS);
        add(0x00181210, "ConvolutionKernel", Vr.SH);
        add(0x00181500, "PositionerMotion", Vr.CS);
        add(0x00181510, "PositionerPrimaryAngle", Vr.DS);
        add(0x00181511, "PositionerSecondaryAngle", Vr.DS);
        add(0x00181520, "PositionerPrimaryAngleIncrement", Vr.DS);
        add(0x00181521, "PositionerSecondaryAngleIncrement", Vr.DS);
        add(0x00185100, "PatientPosition", Vr.CS);
        // Relationship and image plane
        add(0x0020000D, "StudyInstanceUID", Vr.UI);
        add(0x0020000E, "SeriesInstanceUID", Vr.UI);
        add(0x00200010, "StudyID", Vr.SH);
        add(0x00200011, "SeriesNumber", Vr.IS);
        add(0x00200012, "AcquisitionNumber", Vr.IS);
        add(0x00200013, "InstanceNumber", Vr.IS);
        add(0x00200020, "PatientOrientation", Vr.CS);
        add(0x00200032, "ImagePositionPatient", Vr.DS);
        add(0x00200037, "ImageOrientationPatient", Vr.DS);
        add(0x00200052, "FrameOfReferenceUID", Vr.UI);
        add(0x00200060, "Laterality", Vr.CS);
        add(0x00201040, "PositionReferenceIndicator", Vr.LO);
        add(0x00201041, "SliceLocation", Vr.DS);
        // Image pixel
        add(0x00280002, "SamplesPerPixel", Vr.US);
        add(0x00280004, "PhotometricInterpretation", Vr.CS);
        add(0x00280006, "PlanarConfiguration", Vr.US);
        add(0x00280008, "NumberOfFrames", Vr.IS);
        add(0x00280009, "FrameIncrementPointer", Vr.AT);
        add(0x00280010, "Rows", Vr.US);
        add(0x00280011, "Columns", Vr.US);
        add(0x00280030, "PixelSpacing", Vr.DS);
        add(0x00280034, "PixelAspectRatio", Vr.IS);
        add(0x00280100, "BitsAllocated", Vr.US);
        add(0x00280101, "BitsStored", Vr.US);
        add(0x00280102, "HighBit", Vr.US);
        add(0x00280103, "PixelRepresentation", Vr.US);
        add(0x00280120, "PixelPaddingValue", Vr.US);
        add(0x00281040, "PixelIntensityRelationship", Vr.CS);
        add(0x00281041, "PixelIntensityRelationshipSign", Vr.SS);
        add(0x00281050, "WindowCenter", Vr.DS);
        add(0x00281051, "WindowWidth", Vr.DS);
        add(0x00281052, "RescaleIntercept", Vr.DS);
        add(0x00281053, "RescaleSlope", Vr.DS);
        add(0x00281054, "RescaleType", Vr.LO);
        // RT Image
        add(0x30020002, "RTImageLabel", Vr.SH);
        add(0x30020003, "RTImageName", Vr.LO);
        add(0x30020004, "RTImageDescription", Vr.ST);
        add(0x3002000A, "ReportedValuesOrigin", Vr.CS);
        add(0x3002000C, "RTImagePlane", Vr.CS);
        add(0x3002000D, "XRayImageReceptorTranslation", Vr.DS);
        add(0x3002000E, "XRayImageReceptorAngle", Vr.DS);
        add(0x30020010, "RTImageOrientation", Vr.DS);
        add(0x30020011, "ImagePlanePixelSpacing", Vr.DS);
        add(0x30020012, "RTImagePosition", Vr.DS);
        add(0x30020020, "RadiationMachineName", Vr.SH);
        add(0x30020022, "RadiationMachineSAD", Vr.DS);
        add(0x30020024, "RadiationMachineSSD", Vr.DS);
        add(0x30020026, "RTImageSID", Vr.DS);
        add(0x30020028, "SourceToReferenceObjectDistance", Vr.DS);
        add(0x30020029, "FractionNumber", Vr.IS);
        add(0x30020030, "ExposureSequence", Vr.SQ);
        add(0x30020032, "MetersetExposure", Vr.DS);
        add(0x30020034, "DiaphragmPosition", Vr.DS);
        // RT Dose
        add(0x30040002, "DoseUnits", Vr.CS);
        add(0x30040004, "DoseType", Vr.CS);
        add(0x3004000A, "DoseSummationType", Vr.CS);
        add(0x3004000C, "GridFrameOffsetVector", Vr.DS);
        add(0x3004000E, "DoseGridScaling", Vr.DS);
        add(0x300A00B3, "PrimaryDosimeterUnit", Vr.CS);
        add(0x300A00B6, "BeamLimitingDeviceSequence", Vr.SQ);
        add(0x300A00B8, "RTBeamLimitingDeviceType", Vr.CS);
        add(0x300A00BC, "NumberOfLeafJawPairs", Vr.IS);
        add(0x300A00F0, "NumberOfBlocks", Vr.IS);
        add(0x300A011C, "LeafJawPositions", Vr.DS);
        add(0x300A011E, "GantryAngle", Vr.DS);
        add(0x300A0120, "BeamLimitingDeviceAngle", Vr.DS);
        add(0x300A0122, "PatientSupportAngle", Vr.DS);
        add(0x300A0128, "TableTopVerticalPosition", Vr.DS);
        add(0x300A0129, "TableTopLongitudinalPosition", Vr.DS);
        add(0x300A012A, "TableTopLateralPosition", Vr.DS);
        add(0x300C0002, "ReferencedRTPlanSequence", Vr.SQ);
        add(0x300C0006, "ReferencedBeamNumber", Vr.IS);
        add(0x300C0022, "ReferencedFractionGroupNumber", Vr.IS);
        // Pixel data
        add(0x7FE00008, "FloatPixelData", Vr.OF);
        add(0x7FE00009, "DoubleFloatPixelData", Vr.OD);
        add(0x7FE00010, "PixelData", Vr.OW);
        // Items and delimiters
        add(Tags.ITEM, "Item", Vr.UN);
        add(Tags.ITEM_DELIMITATION, "ItemDelimitationItem", Vr.UN);
        add(Tags.SEQUENCE_DELIMITATION, "SequenceDelimitationItem", Vr.UN);
    }
}
