package org.pdrecon.io.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Writes a {@link Volume} as a CT Image Storage series (one file per z slice, 16-bit signed, explicit
 * VR little endian), the form every viewer and planning system imports.
 *
 * <p>Coordinates: the toolkit's world frame is written as the DICOM patient frame (LPS) unchanged, i.e.
 * world x → patient x (towards the patient's left), y → posterior, z → superior for a head-first supine
 * patient. Slice {@code k} gets ImagePositionPatient = centre of voxel {@code (k, 0, 0)}, ImageOrientation
 * {@code 1\0\0\0\1\0} (rows along +x, columns along +y), PixelSpacing = {@code dy\dx}, SliceThickness
 * = {@code dz}. Values: with μ_water given, μ (1/mm) becomes HU = 1000·(μ − μ_water)/μ_water, stored
 * with slope 1 when the rounded HU fit in int16; otherwise the values are written as they are, through
 * a slope/intercept spanning their range, with RescaleType "US" (unspecified). One slope/intercept per
 * series, so window settings agree across slices.
 */
public final class CtSeriesWriter {
    private CtSeriesWriter() {}

    /**
     * Writes {@code volume} into {@code dir} as {@code CT_0001.dcm …} (slice 1 at the lowest z).
     *
     * @param muWaterPerMm μ of water in 1/mm to convert to HU, or {@code NaN} to write values unconverted
     * @return the files written, in slice order
     */
    public static List<Path> write(Volume volume, Path dir, SeriesInfo info, double muWaterPerMm) throws IOException {
        boolean hu = !Double.isNaN(muWaterPerMm);
        if (hu && !(muWaterPerMm > 0 && Double.isFinite(muWaterPerMm))) {
            throw new IllegalArgumentException("mu_water must be a positive number of 1/mm, got " + muWaterPerMm);
        }
        VolumeGrid g = volume.grid();
        float[] values = volume.data();
        if (hu) {
            values = new float[values.length];
            float[] mu = volume.data();
            for (int i = 0; i < mu.length; i++) values[i] = (float) (1000.0 * (mu[i] - muWaterPerMm) / muWaterPerMm);
        }
        Quantizer q = Quantizer.fit(values, Short.MIN_VALUE, Short.MAX_VALUE, hu);
        String seriesUid = Uids.fresh();
        LocalDateTime now = SeriesInfo.nowUtc();
        int nx = g.nx(), ny = g.ny();
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < g.nz(); k++) {
            DicomObject ds = new DicomObject();
            info.fillCommon(ds, "CT", seriesUid, now);
            ds.putString(DicomDictionary.tag("SOPClassUID"), Uids.CT_IMAGE_STORAGE);
            ds.putString(DicomDictionary.tag("SOPInstanceUID"), Uids.fresh());
            ds.putString(DicomDictionary.tag("ImageType"), "DERIVED", "SECONDARY", "AXIAL");
            ds.putString(DicomDictionary.tag("DerivationDescription"), "cone-beam CT reconstruction by pdrecon");
            ds.putString(DicomDictionary.tag("PatientPosition"), "HFS");
            ds.putString(DicomDictionary.tag("Laterality")); // type 2C in General Series; empty: not a paired organ
            ds.putIntegerStrings(DicomDictionary.tag("InstanceNumber"), k + 1);
            ds.putString(DicomDictionary.tag("ContentDate"), now.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
            ds.putString(DicomDictionary.tag("ContentTime"), now.format(java.time.format.DateTimeFormatter.ofPattern("HHmmss")));
            ds.putIntegerStrings(DicomDictionary.tag("AcquisitionNumber"), 1);
            ds.putString(DicomDictionary.tag("KVP"));
            ds.putDecimals(DicomDictionary.tag("ImagePositionPatient"), g.x(0), g.y(0), g.z(k));
            ds.putDecimals(DicomDictionary.tag("ImageOrientationPatient"), 1, 0, 0, 0, 1, 0);
            ds.putDecimals(DicomDictionary.tag("PixelSpacing"), g.dyMm(), g.dxMm());
            ds.putDecimals(DicomDictionary.tag("SliceThickness"), g.dzMm());
            ds.putDecimals(DicomDictionary.tag("SpacingBetweenSlices"), g.dzMm());
            ds.putDecimals(DicomDictionary.tag("SliceLocation"), g.z(k));
            ds.putInts(DicomDictionary.tag("SamplesPerPixel"), Vr.US, 1);
            ds.putString(DicomDictionary.tag("PhotometricInterpretation"), "MONOCHROME2");
            ds.putInts(DicomDictionary.tag("Rows"), Vr.US, ny);
            ds.putInts(DicomDictionary.tag("Columns"), Vr.US, nx);
            ds.putInts(DicomDictionary.tag("BitsAllocated"), Vr.US, 16);
            ds.putInts(DicomDictionary.tag("BitsStored"), Vr.US, 16);
            ds.putInts(DicomDictionary.tag("HighBit"), Vr.US, 15);
            ds.putInts(DicomDictionary.tag("PixelRepresentation"), Vr.US, 1);
            ds.putDecimals(DicomDictionary.tag("RescaleIntercept"), q.intercept());
            ds.putDecimals(DicomDictionary.tag("RescaleSlope"), q.slope());
            ds.putString(DicomDictionary.tag("RescaleType"), hu ? "HU" : "US");
            byte[] px = new byte[2 * nx * ny];
            int base = k * nx * ny;
            for (int i = 0; i < nx * ny; i++) {
                long s = q.store(values[base + i]);
                px[2 * i] = (byte) s;
                px[2 * i + 1] = (byte) (s >> 8);
            }
            ds.putBytes(0x7FE00010, Vr.OW, px);
            Path file = dir.resolve(String.format("CT_%04d.dcm", k + 1));
            DicomWriter.write(ds, file);
            files.add(file);
        }
        return files;
    }
}
