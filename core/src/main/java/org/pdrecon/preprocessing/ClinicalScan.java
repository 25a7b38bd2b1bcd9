package org.pdrecon.preprocessing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.dicom.ProjectionImport;

/**
 * A folder of clinical projection files → line integrals + geometry, ready to reconstruct, in this
 * order: {@link ProjectionImport} (sorted, unwrapped, toolkit convention) → {@link CumulativeFrames}
 * → optional bad-pixel repair ({@link DetectorCorrections}, thresholds 6 spreads and 20 %) →
 * {@link LineIntegrals} (skipped when the files say their values already are line integrals:
 * PixelIntensityRelationship LOG with sign −1) → optional crop and binning (geometry follows).
 * Every step's decision is recorded in {@link Result#report()}.
 */
public final class ClinicalScan {
    private ClinicalScan() {}

    /**
     * @param cumulative how to treat cumulative frames
     * @param i0 where I0 comes from; {@code null}: the files' own line integrals, or for detector signal I0 from
     *     the detector's edge columns when they are air ({@link LineIntegrals.DetectorEdges})
     * @param repairBadPixels detect and repair dead/hot pixels before the log
     * @param crop {@code {rowFrom, rowTo, colFrom, colTo}} or {@code null}
     * @param bin binning factor (1: none)
     * @param volume reconstruction grid, or {@code null} for {@link #defaultGrid}
     */
    /** Width of the edge bands that give I0 when none is given (see {@link LineIntegrals.DetectorEdges}). */
    public static final int AUTO_EDGE_COLUMNS = 2;

    /**
     * @param series the SeriesInstanceUID to import; {@code null}: the folder must hold one series
     * @param startAngleDeg with {@code increasing}, the acquisition's first gantry angle and direction, overriding the
     *     files' order (InstanceNumber, times); {@code null} for the files' order
     * @param force reconstruct even when the {@link QualityGate} fails (its failures stay in the report)
     */
    public record Options(CumulativeFrames.Mode cumulative, LineIntegrals.I0 i0, boolean repairBadPixels, int[] crop, int bin,
                          VolumeGrid volume, String series, Double startAngleDeg, Boolean increasing, boolean force) {
        /** The defaults for the acquisition: one series, the files' order, the quality gate on. */
        public Options(CumulativeFrames.Mode cumulative, LineIntegrals.I0 i0, boolean repairBadPixels, int[] crop, int bin, VolumeGrid volume) {
            this(cumulative, i0, repairBadPixels, crop, bin, volume, null, null, null, false);
        }

        public Options {
            if (cumulative == null) cumulative = CumulativeFrames.Mode.AUTO;
            if ((startAngleDeg == null) != (increasing == null)) {
                throw new IllegalArgumentException("a start angle and a direction go together: give both or neither");
            }
            if (startAngleDeg != null && !Double.isFinite(startAngleDeg)) throw new IllegalArgumentException("start angle must be finite, got " + startAngleDeg);
            if (bin < 1) throw new IllegalArgumentException("bin must be ≥ 1, got " + bin);
            if (crop != null && crop.length != 4) throw new IllegalArgumentException("crop needs rowFrom, rowTo, colFrom, colTo");
        }
    }

    /** Line integrals {@code [view][row][col]}, their geometry and one line per decision taken. */
    public record Result(ProjectionStack lineIntegrals, ConeBeamGeometry geometry, List<String> report, int[] suspectViews) {}

    public static Result load(Path dir, Options o) throws IOException {
        List<String> report = new ArrayList<>();
        VolumeGrid placeholder = VolumeGrid.cube(1, 1.0);
        ProjectionImport.Result imported = ProjectionImport.importDirectory(dir, placeholder, o.series());
        ProjectionStack s = imported.projections();
        double[] angles = imported.anglesDeg();
        report.add(String.format("imported %d views %d×%d from %s, %.3f° to %.3f°, pixel values %s", s.views(), s.rows(), s.cols(),
                dir, angles[0], angles[angles.length - 1], imported.pixelIntensityRelationship()));
        for (String n : imported.notes()) report.add("import: " + n);

        CumulativeFrames.Order order = o.startAngleDeg() != null ? CumulativeFrames.fromStart(angles, o.startAngleDeg(), o.increasing())
                : imported.acquisitionOrder() != null ? new CumulativeFrames.Order(imported.acquisitionOrder(), imported.acquisitionOrderSource())
                : null;
        CumulativeFrames.Result c = CumulativeFrames.apply(s, angles, o.cumulative(), order);
        report.add("frames: " + c.reason());
        List<String> suspects = new ArrayList<>();
        for (String p : imported.suspects()) {
            report.add("import: suspect " + p);
            suspects.add(p);
        }
        for (String p : c.problems()) {
            report.add("frames: suspect " + p);
            suspects.add(p);
        }
        s = c.frames();
        angles = c.anglesDeg();
        // A view with no signal (beam off, or a frame differenced against its own copy) carries nothing and
        // would be clamped everywhere: never kept. Line-integral files are exempt (zeros there mean air).
        boolean signal = !imported.pixelIntensityRelationship().equals("LOG, sign -1");
        List<Integer> empty = signal ? emptyViews(s) : List.of();
        if (!empty.isEmpty()) {
            for (int v : empty) report.add(String.format("frames: dropped view %d (%.3f°): no signal (mean below %.1g of the median view's)", v,
                    angles[v], EMPTY_VIEW_FRACTION));
            suspects.removeIf(p -> empty.stream().anyMatch(v -> p.startsWith("view " + v + " ")));
            s = withoutViews(s, empty);
            angles = withoutViews(angles, empty);
        }
        CircularOrbit orbit = imported.geometry().orbit().orElseThrow();
        ConeBeamGeometry g = rebuild(imported.geometry(), placeholder, angles, orbit);

        if (o.repairBadPixels()) {
            boolean[] bad = DetectorCorrections.findBadPixels(s, 6, 0.2);
            DetectorCorrections.Repair r = DetectorCorrections.repairBadPixels(s, bad);
            s = r.projections();
            report.add(String.format("bad pixels: %d repaired, %d unrepairable (left as they were)", r.repairedPixels(), r.unrepairablePixels()));
        }
        boolean alreadyLog = imported.pixelIntensityRelationship().equals("LOG, sign -1");
        long clamped = 0;
        if (o.i0() == null && alreadyLog) {
            report.add("line integrals: the files' values are used as they are (PixelIntensityRelationship LOG, sign −1)");
        } else {
            // Detector signal with no I0 source given: take I0 from the detector's edge columns when they are air.
            LineIntegrals.I0 source = o.i0() != null ? o.i0() : LineIntegrals.detectorEdges(AUTO_EDGE_COLUMNS);
            LineIntegrals.Result li = LineIntegrals.fromSignal(s, source, null);
            s = li.lineIntegrals();
            report.add("line integrals: " + li.description());
            clamped = li.clampedPixels();
        }
        List<String> failures = QualityGate.failures(s, clamped, suspects);
        QualityGate.require(failures, o.force());
        for (String f : failures) report.add("quality gate overridden by --force: " + f);
        if (o.crop() != null) {
            int[] k = o.crop();
            DetectorCorrections.Scan cropped = DetectorCorrections.crop(s, g, k[0], k[1], k[2], k[3]);
            s = cropped.projections();
            g = cropped.geometry();
            report.add(String.format("crop: rows [%d, %d) columns [%d, %d) → %d×%d", k[0], k[1], k[2], k[3], s.rows(), s.cols()));
        }
        if (o.bin() > 1) {
            DetectorCorrections.Scan binned = DetectorCorrections.bin(s, g, o.bin());
            s = binned.projections();
            g = binned.geometry();
            report.add(String.format("bin: %d×%d blocks → %d×%d", o.bin(), o.bin(), s.rows(), s.cols()));
        }
        VolumeGrid grid = o.volume() != null ? o.volume() : defaultGrid(g);
        g = g.withVolume(grid);
        report.add("volume: " + grid + (o.volume() != null ? "" : " (default: the cylinder every view sees, voxel = pixel / magnification)"));
        return new Result(s, g, report, c.suspectViews());
    }

    /** A view whose mean signal is below this fraction of the median view's holds no signal. */
    static final double EMPTY_VIEW_FRACTION = 1e-3;

    private static List<Integer> emptyViews(ProjectionStack s) {
        double[] mean = CumulativeFrames.means(s);
        double median = CumulativeFrames.median(mean);
        List<Integer> empty = new ArrayList<>();
        for (int v = 0; v < mean.length; v++) if (median > 0 && mean[v] <= EMPTY_VIEW_FRACTION * median) empty.add(v);
        return empty;
    }

    private static ProjectionStack withoutViews(ProjectionStack s, List<Integer> drop) {
        int plane = s.rows() * s.cols(), n = s.views() - drop.size(), k = 0;
        float[] out = new float[n * plane];
        for (int v = 0; v < s.views(); v++) {
            if (drop.contains(v)) continue;
            System.arraycopy(s.data(), v * plane, out, k++ * plane, plane);
        }
        return new ProjectionStack(n, s.rows(), s.cols(), out);
    }

    private static double[] withoutViews(double[] a, List<Integer> drop) {
        double[] out = new double[a.length - drop.size()];
        for (int v = 0, k = 0; v < a.length; v++) if (!drop.contains(v)) out[k++] = a[v];
        return out;
    }

    /**
     * A grid centred on the isocentre covering the cylinder every view sees: radius
     * {@code SOD·sin(atan(w/SDD))} with w the smaller distance from the detector's centre ray to a side
     * edge, height the detector height over the magnification; voxel = the finer pixel spacing over the
     * magnification; at most 512 voxels per axis.
     */
    public static VolumeGrid defaultGrid(ConeBeamGeometry g) {
        CircularOrbit o = g.orbit().orElseThrow(() -> new IllegalArgumentException("a default grid needs a circular orbit"));
        double du = len(g.u(0)), dv = len(g.v(0)), mag = o.sddMm() / o.sodMm();
        double voxel = Math.min(du, dv) / mag;
        double halfWidth = Math.min(g.detectorCols() * du / 2 - o.offsetUMm(), g.detectorCols() * du / 2 + o.offsetUMm());
        if (halfWidth <= 0) throw new IllegalArgumentException("the detector offset puts the central ray outside the detector");
        double radius = o.sodMm() * Math.sin(Math.atan(halfWidth / o.sddMm()));
        int nxy = Math.min(512, Math.max(1, (int) Math.ceil(2 * radius / voxel)));
        int nz = Math.min(512, Math.max(1, (int) Math.ceil(g.detectorRows() * dv / mag / voxel)));
        return new VolumeGrid(nz, nxy, nxy, voxel, voxel, voxel, new double[3]);
    }

    private static ConeBeamGeometry rebuild(ConeBeamGeometry g, VolumeGrid grid, double[] angles, CircularOrbit o) {
        return ConeBeamGeometry.circular().setVolume(grid).setSodMm(o.sodMm()).setSddMm(o.sddMm())
                .setDetector(g.detectorRows(), g.detectorCols(), len(g.v(0)), len(g.u(0)))
                .optDetectorOffsetMm(o.offsetUMm(), o.offsetVMm()).setAnglesDeg(angles).build();
    }

    private static double len(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }
}
