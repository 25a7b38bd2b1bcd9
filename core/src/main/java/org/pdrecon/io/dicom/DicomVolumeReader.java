package org.pdrecon.io.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Reads a DICOM volume into a {@link Volume} on an axis-aligned {@link VolumeGrid}: a folder holding one
 * series of single-slice images (CT, MR, …; the inverse of {@link CtSeriesWriter}), or one multi-frame
 * file whose frames are planes at GridFrameOffsetVector (RT Dose). The DICOM patient frame is taken as
 * the toolkit's world frame unchanged (see {@link CtSeriesWriter}).
 *
 * <p>Values are the rescaled pixel values (HU for CT); RT Dose values are multiplied by
 * DoseGridScaling (Gy when DoseUnits is GY). Rejected with a {@link DicomException}: orientations other
 * than {@code 1\0\0\0\1\0} (the grid is axis-aligned), slices that differ in size, spacing or x/y
 * position, duplicate or unevenly spaced slices (relative tolerance 1e-3), several series in one folder
 * (the message lists them; pass a SeriesInstanceUID), multi-frame files without GridFrameOffsetVector.
 */
public final class DicomVolumeReader {
    private static final double TOL = 1e-3;

    private DicomVolumeReader() {}

    /**
     * @param volume values {@code [z][y][x]} in the files' rescaled units
     * @param modality the Modality attribute
     * @param units "HU" for CT, DoseUnits for RT Dose, RescaleType or "" otherwise
     * @param files the files read, in slice order (one entry for a multi-frame file)
     */
    public record Result(Volume volume, String modality, String units, List<Path> files) {}

    private record Slice(Path file, DicomObject ds, double z, PixelData pixels) {}

    /** Reads a folder holding exactly one series, or a single (multi-frame or single-slice) file. */
    public static Result read(Path fileOrDir) throws IOException {
        return read(fileOrDir, null);
    }

    /** As {@link #read(Path)}, choosing one series of a folder by its SeriesInstanceUID. */
    public static Result read(Path fileOrDir, String seriesInstanceUid) throws IOException {
        if (!Files.isDirectory(fileOrDir)) return readSingle(fileOrDir);
        List<Path> paths;
        try (Stream<Path> s = Files.list(fileOrDir)) {
            paths = s.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, List<Slice>> bySeries = new LinkedHashMap<>();
        for (Path p : paths) {
            DicomFile f;
            try {
                f = DicomReader.read(p);
            } catch (DicomException e) {
                if (e.getMessage().contains("not a DICOM Part 10 file")) continue;
                throw e;
            }
            DicomObject ds = f.dataset();
            if (!ds.contains(0x7FE00010) || !ds.contains(DicomDictionary.tag("ImagePositionPatient"))) continue;
            String series = ds.getString(DicomDictionary.tag("SeriesInstanceUID"));
            if (seriesInstanceUid != null && !seriesInstanceUid.equals(series)) continue;
            double z = ds.requireDoubles(DicomDictionary.tag("ImagePositionPatient"), 3)[2];
            bySeries.computeIfAbsent(series == null ? "" : series, k -> new ArrayList<>()).add(new Slice(p, ds, z, PixelData.decode(f)));
        }
        if (bySeries.isEmpty()) {
            throw new DicomException(fileOrDir + " holds no DICOM images with ImagePositionPatient"
                    + (seriesInstanceUid == null ? "" : " in series " + seriesInstanceUid));
        }
        if (bySeries.size() > 1) {
            StringBuilder sb = new StringBuilder(fileOrDir + " holds " + bySeries.size() + " series; choose one by SeriesInstanceUID:");
            bySeries.forEach((uid, list) -> sb.append("\n  ").append(uid).append(" (").append(list.size()).append(" images, ")
                    .append(list.get(0).file.getFileName()).append(" …)"));
            throw new DicomException(sb.toString());
        }
        List<Slice> slices = new ArrayList<>(bySeries.values().iterator().next());
        if (slices.size() == 1 && slices.get(0).pixels.frames() > 1) return readSingle(slices.get(0).file);
        slices.sort(Comparator.comparingDouble(Slice::z));
        return stack(slices);
    }

    private static Result readSingle(Path file) throws IOException {
        DicomFile f = DicomReader.read(file);
        DicomObject ds = f.dataset();
        PixelData px = PixelData.decode(f);
        if (px.frames() == 1) return stack(List.of(new Slice(file, ds, ds.requireDoubles(DicomDictionary.tag("ImagePositionPatient"), 3)[2], px)));
        double[] offsets = ds.getDoubles(DicomDictionary.tag("GridFrameOffsetVector"));
        if (offsets.length == 0) {
            throw new DicomException(file + ": multi-frame image without GridFrameOffsetVector (3004,000C); only RT Dose-style multi-frame volumes are supported");
        }
        if (offsets.length != px.frames()) {
            throw new DicomException(file + ": GridFrameOffsetVector has " + offsets.length + " values for " + px.frames() + " frames");
        }
        double[] ipp = ds.requireDoubles(DicomDictionary.tag("ImagePositionPatient"), 3);
        checkOrientation(file, ds);
        // Relative offsets start at 0 (PS3.3 C.8.8.3.2); absolute ones start at ImagePositionPatient z.
        double base = offsets[0] == 0 ? ipp[2] : 0;
        double scaling = ds.getDouble(DicomDictionary.tag("DoseGridScaling"), 1.0);
        int plane = px.rows() * px.cols();
        float[] values = px.values().clone();
        for (int i = 0; i < values.length; i++) values[i] = (float) (values[i] * scaling);
        double dz = zSpacing(file, offsets, base);
        boolean descending = offsets.length > 1 && offsets[1] < offsets[0];
        if (descending) {
            float[] flipped = new float[values.length];
            for (int k = 0; k < px.frames(); k++) System.arraycopy(values, k * plane, flipped, (px.frames() - 1 - k) * plane, plane);
            values = flipped;
        }
        double zFirst = base + (descending ? offsets[offsets.length - 1] : offsets[0]);
        VolumeGrid grid = grid(file, ds, px.frames(), px.rows(), px.cols(), dz, ipp[0], ipp[1], zFirst);
        String modality = nz(ds.getString(DicomDictionary.tag("Modality")));
        String units = ds.contains(DicomDictionary.tag("DoseUnits")) ? nz(ds.getString(DicomDictionary.tag("DoseUnits"))) : unitsOf(ds, modality);
        return new Result(new Volume(grid, values), modality, units, List.of(file));
    }

    private static Result stack(List<Slice> slices) throws DicomException {
        Slice first = slices.get(0);
        DicomObject ds0 = first.ds;
        double[] ipp0 = ds0.requireDoubles(DicomDictionary.tag("ImagePositionPatient"), 3);
        double[] spacing0 = ds0.requireDoubles(DicomDictionary.tag("PixelSpacing"), 2);
        int rows = first.pixels.rows(), cols = first.pixels.cols(), n = slices.size();
        double[] z = new double[n];
        for (int k = 0; k < n; k++) {
            Slice s = slices.get(k);
            checkOrientation(s.file, s.ds);
            if (s.pixels.frames() != 1) throw new DicomException(s.file + ": a multi-frame file inside a series of slices");
            if (s.pixels.rows() != rows || s.pixels.cols() != cols) {
                throw new DicomException(s.file + " is " + s.pixels.rows() + "×" + s.pixels.cols() + ", " + first.file + " is " + rows + "×" + cols);
            }
            double[] sp = s.ds.requireDoubles(DicomDictionary.tag("PixelSpacing"), 2);
            double[] ipp = s.ds.requireDoubles(DicomDictionary.tag("ImagePositionPatient"), 3);
            if (Math.abs(sp[0] - spacing0[0]) > TOL * spacing0[0] || Math.abs(sp[1] - spacing0[1]) > TOL * spacing0[1]) {
                throw new DicomException(s.file + " has PixelSpacing " + sp[0] + "\\" + sp[1] + ", " + first.file + " has " + spacing0[0] + "\\" + spacing0[1]);
            }
            if (Math.abs(ipp[0] - ipp0[0]) > TOL * spacing0[1] * 10 || Math.abs(ipp[1] - ipp0[1]) > TOL * spacing0[0] * 10) {
                throw new DicomException(s.file + " is shifted in x/y from " + first.file + " (ImagePositionPatient " + ipp[0] + ", " + ipp[1]
                        + " vs " + ipp0[0] + ", " + ipp0[1] + "); a tilted or moving series is not supported");
            }
            z[k] = s.z;
        }
        double dz = n == 1 ? ds0.getDouble(DicomDictionary.tag("SliceThickness"), Math.min(spacing0[0], spacing0[1])) : zSpacing(first.file, z, 0);
        if (!(dz > 0)) throw new DicomException(first.file + ": SliceThickness " + dz + " must be positive for a single-slice volume");
        float[] values = new float[Math.multiplyExact(Math.multiplyExact(n, rows), cols)];
        for (int k = 0; k < n; k++) System.arraycopy(slices.get(k).pixels.values(), 0, values, k * rows * cols, rows * cols);
        VolumeGrid grid = grid(first.file, ds0, n, rows, cols, dz, ipp0[0], ipp0[1], z[0]);
        String modality = nz(ds0.getString(DicomDictionary.tag("Modality")));
        return new Result(new Volume(grid, values), modality, unitsOf(ds0, modality), slices.stream().map(Slice::file).toList());
    }

    /** Uniform spacing of increasing or decreasing positions {@code base + z[i]}; duplicates and uneven steps are errors. */
    private static double zSpacing(Path file, double[] z, double base) throws DicomException {
        if (z.length < 2) return 1;
        double step = Math.abs(z[1] - z[0]);
        for (int i = 1; i < z.length; i++) {
            double d = Math.abs(z[i] - z[i - 1]);
            if (d < 1e-6) throw new DicomException(file + ": two slices at z = " + (base + z[i]) + " mm");
            if (Math.abs(d - step) > TOL * step) {
                throw new DicomException(file + ": slices are unevenly spaced (" + step + " mm, then " + d + " mm at z = " + (base + z[i])
                        + "); a regular grid needs uniform spacing");
            }
        }
        return step;
    }

    private static void checkOrientation(Path file, DicomObject ds) throws DicomException {
        double[] o = ds.getDoubles(DicomDictionary.tag("ImageOrientationPatient"));
        if (o.length == 0) return; // absent: assume axial (older secondary captures)
        double[] axial = {1, 0, 0, 0, 1, 0};
        if (o.length != 6) throw new DicomException(file + ": ImageOrientationPatient has " + o.length + " values, expected 6");
        for (int i = 0; i < 6; i++) {
            if (Math.abs(o[i] - axial[i]) > 1e-4) {
                throw new DicomException(file + ": ImageOrientationPatient " + java.util.Arrays.toString(o)
                        + " is not 1\\0\\0\\0\\1\\0; only axial, unflipped images map onto the toolkit's axis-aligned grid");
            }
        }
    }

    /** The grid whose first voxel centre is at (x0, y0, z0); PixelSpacing is row spacing (y) \ column spacing (x). */
    private static VolumeGrid grid(Path file, DicomObject ds, int nz, int ny, int nx, double dz, double x0, double y0, double z0)
            throws DicomException {
        double[] sp = ds.requireDoubles(DicomDictionary.tag("PixelSpacing"), 2);
        if (!(sp[0] > 0 && sp[1] > 0)) throw new DicomException(file + ": PixelSpacing must be positive");
        double dy = sp[0], dx = sp[1];
        double[] centre = {x0 + (nx - 1) * dx / 2, y0 + (ny - 1) * dy / 2, z0 + (nz - 1) * dz / 2};
        return new VolumeGrid(nz, ny, nx, dz, dy, dx, centre);
    }

    private static String unitsOf(DicomObject ds, String modality) throws DicomException {
        String type = ds.getString(DicomDictionary.tag("RescaleType"));
        if (type != null && !type.isEmpty()) return type;
        return "CT".equals(modality) ? "HU" : "";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
