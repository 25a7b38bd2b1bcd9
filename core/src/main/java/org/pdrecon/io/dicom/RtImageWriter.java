package org.pdrecon.io.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Writes a projection stack on a circular orbit as RT Image Storage objects, one file per view
 * ({@code RI_0001.dcm …}), 16-bit unsigned with one RescaleSlope/Intercept for the whole stack.
 *
 * <p>Geometry (the inverse of {@link RtImageGeometry}): GantryAngle = the view angle θ in degrees
 * (IEC 61217, wrapped to [0, 360)), RadiationMachineSAD = SOD, RTImageSID = SDD, ImagePlanePixelSpacing
 * = row\column spacing, RTImagePlane NORMAL. The image is stored as seen in the IEC image receptor
 * frame: first row at the top (+Y_r, i.e. the toolkit's highest detector row, so rows are flipped),
 * RTImagePosition = receptor coordinates of the first pixel's centre, including the detector offset.
 */
public final class RtImageWriter {
    /** What the projection values are, which decides PixelIntensityRelationship and its sign. */
    public enum Values {
        /** −log(I/I0): written as LOG with sign −1 (larger values, less beam intensity). */
        LINE_INTEGRALS("LOG", -1),
        /** detector signal proportional to beam intensity: LIN with sign +1. */
        INTENSITIES("LIN", 1);

        final String relationship;
        final int sign;

        Values(String relationship, int sign) {
            this.relationship = relationship;
            this.sign = sign;
        }
    }

    private RtImageWriter() {}

    /**
     * @param projections {@code [view][row][col]} values, written as given (through one rescale)
     * @param values whether those values are line integrals or intensities
     * @param geometry a circular orbit with as many views as {@code projections}
     * @return the files written, in view order
     */
    public static List<Path> write(ProjectionStack projections, Values values, ConeBeamGeometry geometry, Path dir, SeriesInfo info)
            throws IOException {
        CircularOrbit orbit = geometry.orbit().orElseThrow(() -> new IllegalArgumentException(
                "RT Image export needs a circular-orbit geometry (gantry angle, SAD, SID); this one is given by per-view vectors"));
        int rows = projections.rows(), cols = projections.cols();
        if (projections.views() != geometry.views() || rows != geometry.detectorRows() || cols != geometry.detectorCols()) {
            throw new IllegalArgumentException("projections " + projections.views() + "×" + rows + "×" + cols
                    + " do not match the geometry's " + geometry.views() + " views of " + geometry.detectorRows() + "×" + geometry.detectorCols());
        }
        double colSpacing = norm(geometry.u(0)), rowSpacing = norm(geometry.v(0));
        double[] position = RtImageGeometry.firstPixelPosition(rows, cols, rowSpacing, colSpacing, orbit.offsetUMm(), orbit.offsetVMm());
        Quantizer q = Quantizer.fit(projections.data(), 0, 0xFFFF, false);
        String seriesUid = Uids.fresh();
        LocalDateTime now = SeriesInfo.nowUtc();
        float[] data = projections.data();
        List<Path> files = new ArrayList<>();
        for (int view = 0; view < projections.views(); view++) {
            DicomObject ds = new DicomObject();
            info.fillCommon(ds, "RTIMAGE", seriesUid, now);
            ds.putString(DicomDictionary.tag("SOPClassUID"), Uids.RT_IMAGE_STORAGE);
            ds.putString(DicomDictionary.tag("SOPInstanceUID"), Uids.fresh());
            ds.putString(DicomDictionary.tag("OperatorsName"));
            ds.putIntegerStrings(DicomDictionary.tag("InstanceNumber"), view + 1);
            ds.putString(DicomDictionary.tag("ContentDate"), now.format(DateTimeFormatter.BASIC_ISO_DATE));
            ds.putString(DicomDictionary.tag("ContentTime"), now.format(DateTimeFormatter.ofPattern("HHmmss")));
            ds.putString(DicomDictionary.tag("PatientOrientation"));
            ds.putString(DicomDictionary.tag("ImageType"), "DERIVED", "SECONDARY", "SIMULATOR");
            ds.putString(DicomDictionary.tag("ConversionType"), "WSD");
            ds.putString(DicomDictionary.tag("RTImageLabel"), "view " + (view + 1));
            ds.putString(DicomDictionary.tag("RTImagePlane"), "NORMAL");
            ds.putString(DicomDictionary.tag("ReportedValuesOrigin"), "PLAN");
            ds.putDecimals(DicomDictionary.tag("XRayImageReceptorTranslation"), 0, 0, orbit.sodMm() - orbit.sddMm());
            ds.putDecimals(DicomDictionary.tag("ImagePlanePixelSpacing"), rowSpacing, colSpacing);
            ds.putDecimals(DicomDictionary.tag("RTImagePosition"), position[0], position[1]);
            ds.putDecimals(DicomDictionary.tag("XRayImageReceptorAngle"), 0);
            ds.putString(DicomDictionary.tag("RadiationMachineName")); // type 2: a simulation has no machine
            ds.putString(DicomDictionary.tag("PrimaryDosimeterUnit")); // type 2: no meterset
            ds.putDecimals(DicomDictionary.tag("RadiationMachineSAD"), orbit.sodMm());
            ds.putDecimals(DicomDictionary.tag("RTImageSID"), orbit.sddMm());
            ds.putDecimals(DicomDictionary.tag("GantryAngle"), RtImageGeometry.wrapDeg(orbit.anglesDeg()[view]));
            ds.putDecimals(DicomDictionary.tag("BeamLimitingDeviceAngle"), 0);
            ds.putDecimals(DicomDictionary.tag("PatientSupportAngle"), 0);
            ds.putInts(DicomDictionary.tag("SamplesPerPixel"), Vr.US, 1);
            ds.putString(DicomDictionary.tag("PhotometricInterpretation"), "MONOCHROME2");
            ds.putInts(DicomDictionary.tag("Rows"), Vr.US, rows);
            ds.putInts(DicomDictionary.tag("Columns"), Vr.US, cols);
            ds.putInts(DicomDictionary.tag("BitsAllocated"), Vr.US, 16);
            ds.putInts(DicomDictionary.tag("BitsStored"), Vr.US, 16);
            ds.putInts(DicomDictionary.tag("HighBit"), Vr.US, 15);
            ds.putInts(DicomDictionary.tag("PixelRepresentation"), Vr.US, 0);
            ds.putString(DicomDictionary.tag("PixelIntensityRelationship"), values.relationship);
            ds.putInts(DicomDictionary.tag("PixelIntensityRelationshipSign"), Vr.SS, values.sign);
            ds.putDecimals(DicomDictionary.tag("RescaleIntercept"), q.intercept());
            ds.putDecimals(DicomDictionary.tag("RescaleSlope"), q.slope());
            ds.putString(DicomDictionary.tag("RescaleType"), "US");
            byte[] px = new byte[2 * rows * cols];
            for (int r = 0; r < rows; r++) {
                int stored = rows - 1 - r; // first stored row is the top of the receptor (+Y_r)
                for (int c = 0; c < cols; c++) {
                    long s = q.store(data[projections.index(view, r, c)]);
                    int i = stored * cols + c;
                    px[2 * i] = (byte) s;
                    px[2 * i + 1] = (byte) (s >> 8);
                }
            }
            ds.putBytes(0x7FE00010, Vr.OW, px);
            Path file = dir.resolve(String.format("RI_%04d.dcm", view + 1));
            DicomWriter.write(ds, file);
            files.add(file);
        }
        return files;
    }

    private static double norm(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }
}
