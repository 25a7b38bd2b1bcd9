package org.pdrecon.io.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Reads a folder of single-frame projection files (RT Image, or X-ray objects with positioner
 * attributes) into a {@link ProjectionStack} and a circular {@link ConeBeamGeometry} in the toolkit's
 * convention, views sorted by angle.
 *
 * <p>RT Image: θ = GantryAngle, SOD = RadiationMachineSAD, SDD = RTImageSID, spacing =
 * ImagePlanePixelSpacing, detector offset from RTImagePosition plus the x, y of
 * XRayImageReceptorTranslation (see {@link RtImageGeometry}); rows are flipped so that row index
 * increases along +z. X-ray (XA, XRF, DX…): θ = PositionerPrimaryAngle + 180° (angle 0 is the AP view
 * with the source posterior; LAO positive), SOD = DistanceSourceToPatient, SDD =
 * DistanceSourceToDetector, spacing = ImagerPixelSpacing, no offset; the image is assumed in standard
 * radiographic display (patient's right on the left of an AP image, head at the top), so rows and
 * columns are flipped.
 *
 * <p>Values are the files' rescaled pixel values (detector signal, not yet line integrals). Files
 * that are not DICOM, or DICOM without projection geometry, are skipped and listed in
 * {@link Result#notes()}; geometry that differs between files (SOD, SDD, spacing, size, offset) or
 * that a circular orbit cannot express (tilted positioner, rotated receptor or couch) is an error.
 * Duplicate angles and gaps larger than 1.5 median steps are reported in the notes. An arc crossing
 * 0°/360° is unwrapped so that angles increase continuously from the view after the largest gap.
 *
 * <p><b>One series per scan.</b> Files are grouped by SeriesInstanceUID; a folder holding several
 * series is refused with a list of them (UID, description, file count) unless one is chosen.
 *
 * <p><b>Repeated frames.</b> A file whose pixels and gantry angle equal an earlier file's (earlier in
 * acquisition order when known, else in file-name order) is dropped and noted: it is the same frame stored
 * twice. Equal pixels at another angle are kept but listed in {@link Result#suspects()}: a frame stored in
 * place of another, or an object with nothing to tell the angles apart.
 *
 * <p><b>Acquisition order.</b> {@link Result#acquisitionOrder()} lists the views (indices into the
 * angle-sorted result) in the order they were acquired: by InstanceNumber when every file has a distinct
 * one, else by acquisition time (AcquisitionDateTime, AcquisitionTime, ContentTime) when every file has a
 * distinct one from the same tag (times from different tags, or with and without a date, are not
 * compared); {@code null} when neither tells.
 */
public final class ProjectionImport {
    /** Relative tolerance for geometry that must agree between files. */
    private static final double TOLERANCE = 1e-4;

    private ProjectionImport() {}

    /**
     * @param projections {@code [view][row][col]} rescaled pixel values, views in {@code files} order
     * @param geometry circular orbit, angles as in {@code anglesDeg}
     * @param anglesDeg view angles in the toolkit convention, increasing
     * @param files the file of each view
     * @param notes skipped files, duplicates and gaps, one line each
     * @param pixelIntensityRelationship the first file's PixelIntensityRelationship and sign (e.g.
     *        "LIN, sign +1": values grow with beam intensity; "LOG, sign -1": already log-converted), or
     *        "not stated"
     */
    public record Result(ProjectionStack projections, ConeBeamGeometry geometry, double[] anglesDeg, List<Path> files,
                         List<String> notes, String pixelIntensityRelationship, int[] acquisitionOrder, String acquisitionOrderSource,
                         String seriesUid, List<String> suspects) {}

    private record View(Path file, double angleDeg, double sod, double sdd, double rowSpacing, double colSpacing,
                        int rows, int cols, double offU, double offV, float[] pixels, String relationship,
                        String series, String seriesDescription, Integer instanceNumber, AcquisitionClock.Stamp acquired) {}

    /** Imports every regular file directly in {@code dir} onto the given reconstruction grid; the folder must hold one series. */
    public static Result importDirectory(Path dir, VolumeGrid volume) throws IOException {
        return importDirectory(dir, volume, null);
    }

    /**
     * Imports the files of one series in {@code dir}.
     *
     * @param series the SeriesInstanceUID to import, or {@code null}: the folder must hold exactly one series
     */
    public static Result importDirectory(Path dir, VolumeGrid volume, String series) throws IOException {
        if (!Files.isDirectory(dir)) throw new DicomException(dir + " is not a directory");
        List<Path> candidates;
        try (Stream<Path> s = Files.list(dir)) {
            candidates = s.filter(Files::isRegularFile).sorted().toList();
        }
        List<String> notes = new ArrayList<>();
        List<View> views = new ArrayList<>();
        for (Path f : candidates) {
            DicomFile file;
            try {
                file = DicomReader.read(f);
            } catch (DicomException e) {
                if (e.getMessage().contains("not a DICOM Part 10 file")) {
                    notes.add("skipped " + f.getFileName() + ": not a DICOM file");
                    continue;
                }
                throw e;
            }
            View v = view(file, f, notes);
            if (v != null) views.add(v);
        }
        if (views.isEmpty()) {
            throw new DicomException(dir + " holds no RT Image or X-ray projection files (" + candidates.size() + " files looked at)");
        }
        views = oneSeries(dir, views, series, notes);
        checkConsistent(views);
        List<String> suspects = new ArrayList<>();
        views = dropRepeatedFrames(views, notes, suspects);
        views = orderByAngle(views);
        double[] angles = unwrap(views);
        reportDuplicatesAndGaps(views, angles, notes);
        String[] orderSource = new String[1];
        int[] acquisition = acquisitionOrder(views, orderSource);

        View first = views.get(0);
        int rows = first.rows, cols = first.cols, n = views.size();
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(n, rows), cols)];
        for (int i = 0; i < n; i++) System.arraycopy(views.get(i).pixels, 0, data, i * rows * cols, rows * cols);
        ConeBeamGeometry geometry = ConeBeamGeometry.circular().setVolume(volume).setSodMm(first.sod).setSddMm(first.sdd)
                .setDetector(rows, cols, first.rowSpacing, first.colSpacing).optDetectorOffsetMm(first.offU, first.offV)
                .setAnglesDeg(angles).build();
        return new Result(new ProjectionStack(n, rows, cols, data), geometry, angles,
                views.stream().map(View::file).toList(), notes, first.relationship, acquisition, orderSource[0], first.series, suspects);
    }

    /** The views of the chosen series; several series without a choice is an error listing them. */
    private static List<View> oneSeries(Path dir, List<View> views, String series, List<String> notes) throws DicomException {
        java.util.Map<String, List<View>> bySeries = new java.util.LinkedHashMap<>();
        for (View v : views) bySeries.computeIfAbsent(v.series, k -> new ArrayList<>()).add(v);
        if (series != null) {
            List<View> chosen = bySeries.get(series);
            if (chosen == null) throw new DicomException(dir + " holds no series " + series + "; it holds:\n" + listSeries(bySeries));
            if (bySeries.size() > 1) notes.add("series " + series + " chosen; " + (views.size() - chosen.size()) + " files of other series ignored");
            return chosen;
        }
        if (bySeries.size() > 1) {
            throw new DicomException(dir + " holds " + bySeries.size() + " series; a scan is one series: choose one with --series UID\n"
                    + listSeries(bySeries));
        }
        return views;
    }

    private static String listSeries(java.util.Map<String, List<View>> bySeries) {
        StringBuilder b = new StringBuilder();
        for (var e : bySeries.entrySet()) {
            String description = e.getValue().get(0).seriesDescription;
            b.append(String.format("  %s  %s  %d files%n", e.getKey(), description == null || description.isEmpty() ? "(no description)"
                    : "\"" + description + "\"", e.getValue().size()));
        }
        return b.toString().stripTrailing();
    }

    /** Drops files whose pixels repeat an earlier file's, earlier by acquisition when known. */
    private static List<View> dropRepeatedFrames(List<View> views, List<String> notes, List<String> suspects) {
        List<View> ordered = new ArrayList<>(views);
        String[] source = new String[1];
        int[] order = acquisitionOrder(ordered, source);
        if (order != null) {
            List<View> byAcquisition = new ArrayList<>();
            for (int i : order) byAcquisition.add(ordered.get(i));
            ordered = byAcquisition;
        }
        java.util.Map<Integer, List<View>> byHash = new java.util.HashMap<>();
        List<View> kept = new ArrayList<>();
        for (View v : ordered) {
            List<View> same = byHash.computeIfAbsent(Arrays.hashCode(v.pixels), k -> new ArrayList<>());
            View original = same.stream().filter(o -> Arrays.equals(o.pixels, v.pixels) && sameAngle(o, v)).findFirst().orElse(null);
            View elsewhere = original != null ? null : same.stream().filter(o -> Arrays.equals(o.pixels, v.pixels)).findFirst().orElse(null);
            if (elsewhere != null && !constant(v.pixels)) { // constant frames (beam off) are left to the empty-view rule
                suspects.add(String.format("%s (gantry %.3f°) has exactly the pixels of %s (gantry %.3f°): a frame stored in place of another?",
                        v.file.getFileName(), v.angleDeg, elsewhere.file.getFileName(), elsewhere.angleDeg));
            }
            if (original != null) {
                notes.add(String.format("dropped %s (gantry %.3f°): its pixels repeat %s (gantry %.3f°), the same frame stored twice",
                        v.file.getFileName(), v.angleDeg, original.file.getFileName(), original.angleDeg));
                continue;
            }
            same.add(v);
            kept.add(v);
        }
        return kept;
    }

    private static boolean sameAngle(View a, View b) {
        return Math.abs(RtImageGeometry.wrapDeg(a.angleDeg - b.angleDeg + 180) - 180) <= 1e-3;
    }

    private static boolean constant(float[] pixels) {
        for (float p : pixels) if (p != pixels[0]) return false;
        return true;
    }

    /**
     * Indices of {@code views} in acquisition order: by InstanceNumber if every view has a distinct one,
     * else by acquisition time if every view has a distinct one, else {@code null}. {@code source[0]} names the tag.
     */
    private static int[] acquisitionOrder(List<View> views, String[] source) {
        int n = views.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (views.stream().allMatch(v -> v.instanceNumber != null)
                && views.stream().map(View::instanceNumber).distinct().count() == n) {
            Arrays.sort(idx, Comparator.comparingInt(i -> views.get(i).instanceNumber));
            source[0] = "InstanceNumber";
        } else if (views.stream().allMatch(v -> v.acquired != null)
                && views.stream().map(v -> v.acquired.source()).distinct().count() == 1
                && views.stream().mapToDouble(v -> v.acquired.seconds()).distinct().count() == n) {
            Arrays.sort(idx, Comparator.comparingDouble(i -> views.get(i).acquired.seconds()));
            source[0] = views.get(0).acquired.source();
        } else {
            source[0] = null;
            return null;
        }
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    private static View view(DicomFile file, Path f, List<String> notes) throws DicomException {
        DicomObject ds = file.dataset();
        String sopClass = ds.getString(DicomDictionary.tag("SOPClassUID"));
        boolean rtImage = Uids.RT_IMAGE_STORAGE.equals(sopClass);
        boolean xray = !rtImage && ds.contains(DicomDictionary.tag("PositionerPrimaryAngle"))
                && ds.contains(DicomDictionary.tag("DistanceSourceToDetector"));
        if (!rtImage && !xray) {
            notes.add("skipped " + f.getFileName() + ": SOP class " + sopClass + " is neither RT Image nor an X-ray image with positioner angles");
            return null;
        }
        try {
            PixelData px = PixelData.decode(file);
            if (px.frames() != 1) {
                throw new DicomException("has " + px.frames() + " frames; projection import reads one frame per file");
            }
            int rows = px.rows(), cols = px.cols();
            if (rtImage) {
                String plane = ds.getString(DicomDictionary.tag("RTImagePlane"));
                if (plane != null && !plane.isEmpty() && !plane.equals("NORMAL")) {
                    throw new DicomException("RTImagePlane is " + plane + "; only NORMAL (perpendicular to the beam axis) is supported");
                }
                requireZero(ds, "XRayImageReceptorAngle");
                requireZero(ds, "PatientSupportAngle");
                double angle = require(ds, "GantryAngle", 1)[0];
                double sad = require(ds, "RadiationMachineSAD", 1)[0], sid = require(ds, "RTImageSID", 1)[0];
                double[] spacing = require(ds, "ImagePlanePixelSpacing", 2);
                double[] position = require(ds, "RTImagePosition", 2);
                double[] off = RtImageGeometry.detectorOffset(rows, cols, spacing[0], spacing[1], position);
                double[] translation = ds.getDoubles(DicomDictionary.tag("XRayImageReceptorTranslation"));
                if (translation.length >= 2) {
                    off[0] += translation[0];
                    off[1] += translation[1];
                }
                return new View(f, angle, sad, sid, spacing[0], spacing[1], rows, cols, off[0], off[1], flip(px.values(), rows, cols, true, false),
                        relationship(ds), series(ds), ds.getString(DicomDictionary.tag("SeriesDescription")), instanceNumber(ds),
                        AcquisitionClock.of(ds).orElse(null));
            }
            requireZero(ds, "PositionerSecondaryAngle");
            double angle = require(ds, "PositionerPrimaryAngle", 1)[0] + 180.0;
            double sdd = require(ds, "DistanceSourceToDetector", 1)[0], sod = require(ds, "DistanceSourceToPatient", 1)[0];
            double[] spacing = require(ds, "ImagerPixelSpacing", 2);
            return new View(f, angle, sod, sdd, spacing[0], spacing[1], rows, cols, 0, 0, flip(px.values(), rows, cols, true, true),
                    relationship(ds), series(ds), ds.getString(DicomDictionary.tag("SeriesDescription")), instanceNumber(ds),
                    AcquisitionClock.of(ds).orElse(null));
        } catch (DicomException e) {
            String m = e.getMessage();
            throw new DicomException(m.startsWith(f.toString()) ? m : f + ": " + m, e);
        }
    }

    private static String series(DicomObject ds) throws DicomException {
        String uid = ds.getString(DicomDictionary.tag("SeriesInstanceUID"));
        return uid == null || uid.isEmpty() ? "(no SeriesInstanceUID)" : uid;
    }

    private static Integer instanceNumber(DicomObject ds) throws DicomException {
        String s = ds.getString(DicomDictionary.tag("InstanceNumber"));
        if (s == null || s.isBlank()) return null;
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null; // an unreadable InstanceNumber gives no order; the time tags may
        }
    }

    private static String relationship(DicomObject ds) throws DicomException {
        String r = ds.getString(DicomDictionary.tag("PixelIntensityRelationship"));
        if (r == null || r.isEmpty()) return "not stated";
        int sign = ds.getInt(DicomDictionary.tag("PixelIntensityRelationshipSign"), 1);
        return r + ", sign " + (sign < 0 ? "-1" : "+1");
    }

    private static double[] require(DicomObject ds, String keyword, int n) throws DicomException {
        return ds.requireDoubles(DicomDictionary.tag(keyword), n);
    }

    private static void requireZero(DicomObject ds, String keyword) throws DicomException {
        double v = ds.getDouble(DicomDictionary.tag(keyword), 0);
        if (Math.abs(RtImageGeometry.wrapDeg(v + 180) - 180) > 1e-6) {
            throw new DicomException(keyword + " is " + v + "°; a circular orbit about the couch axis needs 0");
        }
    }

    private static float[] flip(float[] px, int rows, int cols, boolean flipRows, boolean flipCols) {
        float[] out = new float[px.length];
        for (int r = 0; r < rows; r++) {
            int sr = flipRows ? rows - 1 - r : r;
            for (int c = 0; c < cols; c++) out[r * cols + c] = px[sr * cols + (flipCols ? cols - 1 - c : c)];
        }
        return out;
    }

    private static void checkConsistent(List<View> views) throws DicomException {
        View a = views.get(0);
        for (View b : views) {
            String field = a.rows != b.rows || a.cols != b.cols ? "detector size " + b.rows + "×" + b.cols + " vs " + a.rows + "×" + a.cols
                    : differ(a.sod, b.sod) ? "SOD " + b.sod + " vs " + a.sod + " mm"
                    : differ(a.sdd, b.sdd) ? "SDD " + b.sdd + " vs " + a.sdd + " mm"
                    : differ(a.rowSpacing, b.rowSpacing) || differ(a.colSpacing, b.colSpacing)
                            ? "pixel spacing " + b.rowSpacing + "\\" + b.colSpacing + " vs " + a.rowSpacing + "\\" + a.colSpacing + " mm"
                    : Math.abs(a.offU - b.offU) > 1e-3 || Math.abs(a.offV - b.offV) > 1e-3
                            ? "detector offset (" + b.offU + ", " + b.offV + ") vs (" + a.offU + ", " + a.offV + ") mm"
                    : null;
            if (field != null) {
                throw new DicomException(b.file + " differs from " + a.file + " in " + field
                        + ": one circular orbit cannot describe both; import them separately");
            }
        }
    }

    private static boolean differ(double a, double b) {
        return Math.abs(a - b) > TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    /** Sorted by wrapped angle, rotated to start after the largest gap (so an arc through 0° stays whole). */
    private static List<View> orderByAngle(List<View> views) {
        List<View> sorted = new ArrayList<>(views);
        sorted.sort(Comparator.comparingDouble(v -> RtImageGeometry.wrapDeg(v.angleDeg)));
        int n = sorted.size(), start = 0;
        double largest = -1;
        for (int i = 0; i < n; i++) {
            double a = RtImageGeometry.wrapDeg(sorted.get(i).angleDeg);
            double prev = RtImageGeometry.wrapDeg(sorted.get((i + n - 1) % n).angleDeg);
            double gap = i == 0 ? a + 360 - prev : a - prev;
            if (gap > largest + 1e-9) {
                largest = gap;
                start = i;
            }
        }
        List<View> out = new ArrayList<>(sorted.subList(start, n));
        out.addAll(sorted.subList(0, start));
        return out;
    }

    private static double[] unwrap(List<View> views) {
        double[] a = new double[views.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = RtImageGeometry.wrapDeg(views.get(i).angleDeg);
            if (i > 0) while (a[i] < a[i - 1]) a[i] += 360;
        }
        return a;
    }

    private static void reportDuplicatesAndGaps(List<View> views, double[] angles, List<String> notes) {
        int n = angles.length;
        if (n < 2) return;
        double[] steps = new double[n - 1];
        for (int i = 1; i < n; i++) steps[i - 1] = angles[i] - angles[i - 1];
        for (int i = 1; i < n; i++) {
            if (steps[i - 1] < 1e-3) {
                notes.add(String.format("duplicate angle %.3f° in %s and %s (both kept)", angles[i],
                        views.get(i - 1).file.getFileName(), views.get(i).file.getFileName()));
            }
        }
        double[] sortedSteps = Arrays.stream(steps).filter(s -> s >= 1e-3).sorted().toArray();
        if (sortedSteps.length == 0) return;
        double median = sortedSteps[sortedSteps.length / 2];
        for (int i = 1; i < n; i++) {
            if (steps[i - 1] > 1.5 * median) {
                notes.add(String.format("gap of %.3f° between %.3f° and %.3f° (median step %.3f°): about %d view(s) missing",
                        steps[i - 1], angles[i - 1], angles[i], median, Math.round(steps[i - 1] / median) - 1));
            }
        }
    }
}
