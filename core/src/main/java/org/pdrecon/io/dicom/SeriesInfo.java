package org.pdrecon.io.dicom;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Patient, study and series identity for the objects the writers produce. Empty patient fields are
 * written as empty type 2 attributes (legal: "unknown").
 *
 * @param patientName DICOM person name ({@code Family^Given}), may be empty
 * @param patientId may be empty
 * @param studyInstanceUid the study to add the series to
 * @param frameOfReferenceUid the patient coordinate system shared with related series
 * @param seriesDescription free text (≤ 64 characters)
 * @param seriesNumber series number within the study
 */
public record SeriesInfo(String patientName, String patientId, String studyInstanceUid, String frameOfReferenceUid,
                         String seriesDescription, int seriesNumber) {

    public SeriesInfo {
        if (patientName == null) patientName = "";
        if (patientId == null) patientId = "";
        if (studyInstanceUid == null || studyInstanceUid.isEmpty()) throw new IllegalArgumentException("studyInstanceUid is missing");
        if (frameOfReferenceUid == null || frameOfReferenceUid.isEmpty()) throw new IllegalArgumentException("frameOfReferenceUid is missing");
        if (seriesDescription == null) seriesDescription = "";
        if (seriesDescription.length() > 64) throw new IllegalArgumentException("seriesDescription is longer than 64 characters");
    }

    /** An anonymous patient in a fresh study and frame of reference. */
    public static SeriesInfo anonymous(String seriesDescription) {
        return new SeriesInfo("", "", Uids.fresh(), Uids.fresh(), seriesDescription, 1);
    }

    /** Writes the Patient, General Study, General Equipment and series identity attributes. */
    void fillCommon(DicomObject ds, String modality, String seriesUid, LocalDateTime now) {
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        ds.putString(DicomDictionary.tag("SpecificCharacterSet"), "ISO_IR 192");
        ds.putString(DicomDictionary.tag("InstanceCreationDate"), date);
        ds.putString(DicomDictionary.tag("InstanceCreationTime"), time);
        ds.putString(DicomDictionary.tag("PatientName"), patientName);
        ds.putString(DicomDictionary.tag("PatientID"), patientId);
        ds.putString(DicomDictionary.tag("PatientBirthDate"));
        ds.putString(DicomDictionary.tag("PatientSex"));
        ds.putString(DicomDictionary.tag("StudyInstanceUID"), studyInstanceUid);
        ds.putString(DicomDictionary.tag("StudyDate"), date);
        ds.putString(DicomDictionary.tag("StudyTime"), time);
        ds.putString(DicomDictionary.tag("ReferringPhysicianName"));
        ds.putString(DicomDictionary.tag("StudyID"));
        ds.putString(DicomDictionary.tag("AccessionNumber"));
        ds.putString(DicomDictionary.tag("Modality"), modality);
        ds.putString(DicomDictionary.tag("SeriesInstanceUID"), seriesUid);
        ds.putIntegerStrings(DicomDictionary.tag("SeriesNumber"), seriesNumber);
        ds.putString(DicomDictionary.tag("SeriesDate"), date);
        ds.putString(DicomDictionary.tag("SeriesTime"), time);
        if (!seriesDescription.isEmpty()) ds.putString(DicomDictionary.tag("SeriesDescription"), seriesDescription);
        ds.putString(DicomDictionary.tag("FrameOfReferenceUID"), frameOfReferenceUid);
        ds.putString(DicomDictionary.tag("PositionReferenceIndicator"));
        ds.putString(DicomDictionary.tag("Manufacturer"), "pdrecon");
        ds.putString(DicomDictionary.tag("SoftwareVersions"), "pdrecon 0.1");
    }

    static LocalDateTime nowUtc() {
        return LocalDateTime.now(ZoneOffset.UTC).withNano(0);
    }
}
