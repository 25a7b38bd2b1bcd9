package org.pdrecon.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.iterative.Sirt;
import org.pdrecon.iterative.SolverSettings;
import org.pdrecon.metrics.Psnr;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.KernelPool;
import org.pdrecon.operators.LinearOperator;
import org.pdrecon.operators.hough.HoughProjector;
import org.pdrecon.operators.hough.ParallelBeam2D;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.Rasteriser;
import org.pdrecon.simulation.SheppLogan3D;

/**
 * The fast Hough projector pair against the Joseph pair on the same parallel-beam rays (the Joseph
 * projector runs on the cone-beam geometry with the source 10⁴ image widths away): accuracy against
 * exact analytic line integrals of a Shepp–Logan slice, the transposes against each other, median
 * wall times of A and Aᵀ on the same thread pool, and optionally SIRT through each pair.
 */
public final class HoughComparison {
    private HoughComparison() {}

    /** One image size's figures; relative errors are ‖a − b‖/‖b‖. */
    public record Row(int n, int views, int threads,
                      double houghVsAnalytic, double josephVsAnalytic, double houghVsJoseph, double transposeVsJoseph,
                      double houghA, double josephA, double houghAT, double josephAT,
                      int sirtIterations, double houghSirtPsnr, double josephSirtPsnr, double houghSirtSeconds,
                      double josephSirtSeconds) { }

    /**
     * @param n image size (n × n pixels of 1 mm)
     * @param views views over 180°
     * @param repeats timed repeats per operator (median reported), after one warm-up
     * @param sirtIterations SIRT iterations through each pair, 0 to skip
     */
    public static Row run(int n, int views, int repeats, int sirtIterations, KernelPool pool) {
        ParallelBeam2D beam = ParallelBeam2D.halfTurn(n, 1.0, views);
        ConeBeamGeometry limit = beam.coneBeamLimit(1e4 * n);
        Phantom phantom = SheppLogan3D.fittingRadius(0.45 * n);
        float[] truth = Rasteriser.rasterise(phantom, VolumeGrid.slice(n, 1.0), 4).data();
        float[] exact = AnalyticProjector.project(phantom, limit, 1).data();
        HoughProjector hough = new HoughProjector(beam, pool);
        ConeBeamProjector joseph = new ConeBeamProjector(limit, pool);

        float[] houghY = hough.apply(truth), josephY = joseph.apply(truth);
        float[] houghBack = hough.adjoint().apply(exact), josephBack = joseph.adjoint().apply(exact);

        double hA = median(() -> hough.apply(truth, houghY), repeats);
        double jA = median(() -> joseph.apply(truth, josephY), repeats);
        double hAT = median(() -> hough.adjoint().apply(exact, houghBack), repeats);
        double jAT = median(() -> joseph.adjoint().apply(exact, josephBack), repeats);

        double hPsnr = Double.NaN, jPsnr = Double.NaN, hSirt = Double.NaN, jSirt = Double.NaN;
        if (sirtIterations > 0) {
            Volume reference = new Volume(VolumeGrid.slice(n, 1.0), truth);
            double[] h = sirt(hough, exact, sirtIterations, reference);
            double[] j = sirt(joseph, exact, sirtIterations, reference);
            hPsnr = h[0];
            hSirt = h[1];
            jPsnr = j[0];
            jSirt = j[1];
        }
        return new Row(n, views, pool.threads(), relative(houghY, exact), relative(josephY, exact), relative(houghY, josephY),
                relative(houghBack, josephBack), hA, jA, hAT, jAT, sirtIterations, hPsnr, jPsnr, hSirt, jSirt);
    }

    /** Runs {@link #run} for each size with {@code views = n}. */
    public static List<Row> sweep(int[] sizes, int repeats, int sirtIterations, KernelPool pool) {
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) rows.add(run(n, n, repeats, sirtIterations, pool));
        return rows;
    }

    /** A markdown table of the rows. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        s.append("| n | views | rel. error A, Hough / Joseph vs analytic | Hough vs Joseph: A / Aᵀ | A s, Hough / Joseph | Aᵀ s, Hough / Joseph | speed-up A / Aᵀ |");
        boolean sirt = rows.stream().anyMatch(r -> r.sirtIterations() > 0);
        if (sirt) s.append(" SIRT PSNR dB, Hough / Joseph | SIRT s, Hough / Joseph |");
        s.append('\n');
        s.append("|---|---|---|---|---|---|---|").append(sirt ? "---|---|" : "").append('\n');
        for (Row r : rows) {
            s.append(String.format(java.util.Locale.ROOT, "| %d | %d | %.4f / %.4f | %.4f / %.4f | %.4f / %.4f | %.4f / %.4f | %.1f× / %.1f× |",
                    r.n(), r.views(), r.houghVsAnalytic(), r.josephVsAnalytic(), r.houghVsJoseph(), r.transposeVsJoseph(),
                    r.houghA(), r.josephA(), r.houghAT(), r.josephAT(), r.josephA() / r.houghA(), r.josephAT() / r.houghAT()));
            if (sirt) {
                s.append(String.format(java.util.Locale.ROOT, " %.2f / %.2f | %.2f / %.2f |",
                        r.houghSirtPsnr(), r.josephSirtPsnr(), r.houghSirtSeconds(), r.josephSirtSeconds()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** ‖a − b‖ / ‖b‖ in double. */
    public static double relative(float[] a, float[] b) {
        double d = 0, r = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - (double) b[i];
            d += e * e;
            r += (double) b[i] * b[i];
        }
        return Math.sqrt(d / r);
    }

    private static double[] sirt(LinearOperator a, float[] b, int iterations, Volume reference) {
        float[] x = new float[a.domainSize()];
        long t0 = System.nanoTime();
        new Sirt().solve(a, b, x, SolverSettings.builder().setIterations(iterations).optNonNegative(true).build());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new double[] {Psnr.of(reference, new Volume(reference.grid(), x)), seconds};
    }

    private static double median(Runnable job, int repeats) {
        job.run();
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            job.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return repeats % 2 == 1 ? t[repeats / 2] : 0.5 * (t[repeats / 2 - 1] + t[repeats / 2]);
    }
}
