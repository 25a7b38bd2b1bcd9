package org.pdrecon.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FDK;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.iterative.Cgls;
import org.pdrecon.iterative.IterativeSolver;
import org.pdrecon.iterative.Sirt;
import org.pdrecon.iterative.SolverSettings;
import org.pdrecon.iterative.TvPrimalDual;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.Masks;
import org.pdrecon.metrics.MetricValues;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.NoiseModel;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.RandomEllipsoids;
import org.pdrecon.simulation.Rasteriser;
import org.pdrecon.simulation.SheppLogan3D;

/**
 * The measurements behind the FDK and iterative figures of docs/fdk.md and docs/iterative.md, from
 * analytic phantoms: every figure comes from running these, nothing is typed in. Geometry: the
 * projector issue's scan scaled to the grid size {@code n}: SOD 1000 mm, SDD 1500 mm, a 256 mm cube
 * at {@code n³}, a {@code 1.5n × 1.5n} detector of {@code 3·128/n} mm pixels. Metrics: PSNR, SSIM,
 * NRMSE inside the fully seen cylinder on the central 80% of slices, range = max − min of the
 * ground truth there ({@link ImageMetrics}).
 */
public final class BaselineFigures {
    private BaselineFigures() {}

    /** One reconstruction's row: what, metrics, wall seconds. */
    public record Row(String label, MetricValues metrics, double seconds) {
        public String markdown() {
            return String.format(Locale.ROOT, "| %s | %.2f | %.4f | %.4f | %.2f |", label, metrics.psnrDb(), metrics.ssim(),
                    metrics.nrmse(), seconds);
        }
    }

    public static final String HEADER = "| method | PSNR (dB) | SSIM | NRMSE | seconds |\n|---|---|---|---|---|";

    /** The scan of the figures: {@code views} angles evenly over {@code arcDeg} starting at 0. */
    public static ConeBeamGeometry geometry(int n, int views, double arcDeg) {
        double pitch = 3.0 * 128 / n;
        int det = (int) Math.round(1.5 * n);
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(n, 256.0 / n)).setSodMm(1000).setSddMm(1500)
                .setDetector(det, det, pitch, pitch).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, arcDeg)).build();
    }

    public static Mask mask(ConeBeamGeometry g) {
        return Masks.fullySeenCylinder(g).and(Masks.centralSlices(g.volume(), 0.8));
    }

    /**
     * FDK of the 3D Shepp–Logan phantom (half-width 128 mm, μ_water 0.02/mm) from analytic noise-free
     * projections (2×2 rays per pixel): each filter on the full scan, then Ram-Lak on a short scan of
     * {@code shortArcDeg} with the same angular step.
     */
    public static List<Row> sheppLogan(int n, int views, double shortArcDeg, List<FilterWindow> filters, double cutoff) {
        Phantom phantom = SheppLogan3D.withHalfWidth(128, SheppLogan3D.DEFAULT_MU_WATER_PER_MM);
        ConeBeamGeometry full = geometry(n, views, 360);
        Volume truth = Rasteriser.rasterise(phantom, full.volume(), 3);
        ProjectionStack p = AnalyticProjector.project(phantom, full, 2);
        Mask mask = mask(full);
        List<Row> rows = new ArrayList<>();
        for (FilterWindow w : filters) {
            FDK fdk = new FDK(w, cutoff);
            rows.add(timed(String.format(Locale.ROOT, "FDK %s (cut-off %.2f), %d views over 360°", w.cliName(), cutoff, views),
                    truth, mask, () -> fdk.reconstruct(p, full)));
        }
        if (shortArcDeg > 0) {
            int shortViews = (int) Math.round(views * shortArcDeg / 360);
            ConeBeamGeometry sg = geometry(n, shortViews, shortArcDeg);
            ProjectionStack sp = AnalyticProjector.project(phantom, sg, 2);
            rows.add(timed(String.format(Locale.ROOT, "FDK ram-lak + Parker, %d views over %.0f°", shortViews, shortArcDeg),
                    truth, mask, () -> new FDK().reconstruct(sp, sg)));
        }
        return rows;
    }

    /** Settings of the iterative methods in {@link #ellipsoids}. */
    public record IterativeSettings(int sirtIterations, int cglsIterations, int tvIterations, double tvLambda,
                                    java.util.Set<String> methods) {
        boolean runs(String method) { return methods == null || methods.isEmpty() || methods.contains(method); }
    }

    /**
     * FDK (Ram-Lak and Hann), SIRT, CGLS and TV on random-ellipsoid phantoms (FOV radius 110 mm,
     * seeds {@code seed … seed + phantoms − 1}) with Poisson noise of {@code i0} photons per pixel;
     * iterative methods start from 0, SIRT and TV with non-negativity. One row per method per phantom.
     * The norm ‖A‖ that TV needs is computed on first use and cached per geometry: the first TV
     * run's seconds include it.
     */
    public static List<Row> ellipsoids(int n, int views, double i0, long seed, int phantoms, IterativeSettings s) {
        ConeBeamGeometry g = geometry(n, views, 360);
        Mask mask = mask(g);
        RandomEllipsoids gen = RandomEllipsoids.builder().setFovRadiusMm(110).build();
        ConeBeamProjector a = new ConeBeamProjector(g);
        List<Row> rows = new ArrayList<>();
        for (long k = seed; k < seed + phantoms; k++) {
            Phantom phantom = gen.generate(k);
            Volume truth = Rasteriser.rasterise(phantom, g.volume(), 2);
            ProjectionStack p = NoiseModel.poisson(i0).apply(AnalyticProjector.project(phantom, g, 2), 1000 + k);
            String tag = " (phantom " + k + ")";
            if (s.runs("fdk")) {
                rows.add(timed("FDK ram-lak" + tag, truth, mask, () -> new FDK().reconstruct(p, g)));
                rows.add(timed("FDK hann" + tag, truth, mask, () -> new FDK(FilterWindow.HANN, 1).reconstruct(p, g)));
            }
            if (s.runs("sirt")) {
                rows.add(timed("SIRT " + s.sirtIterations() + " it" + tag, truth, mask,
                        () -> iterate(new Sirt(), a, p, g, s.sirtIterations(), true)));
            }
            if (s.runs("cgls")) {
                rows.add(timed("CGLS " + s.cglsIterations() + " it" + tag, truth, mask,
                        () -> iterate(new Cgls(), a, p, g, s.cglsIterations(), false)));
            }
            if (s.runs("tv")) {
                VolumeGrid vg = g.volume();
                TvPrimalDual tv = new TvPrimalDual(s.tvLambda(), new double[] {vg.dzMm(), vg.dyMm(), vg.dxMm()});
                rows.add(timed(String.format(Locale.ROOT, "TV λ=%.3g %d it", s.tvLambda(), s.tvIterations()) + tag, truth, mask,
                        () -> iterate(tv, a, p, g, s.tvIterations(), true)));
            }
        }
        return rows;
    }

    private static Volume iterate(IterativeSolver solver, ConeBeamProjector a, ProjectionStack p, ConeBeamGeometry g,
                                  int iterations, boolean nonNegative) {
        Volume x = Volume.zeros(g.volume());
        solver.solve(a, p.data(), x.data(), SolverSettings.builder().setIterations(iterations).optNonNegative(nonNegative).build());
        return x;
    }

    private static Row timed(String label, Volume truth, Mask mask, Supplier<Volume> run) {
        long t0 = System.nanoTime();
        Volume v = run.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Row(label, ImageMetrics.compare(truth, v, mask), seconds);
    }
}
