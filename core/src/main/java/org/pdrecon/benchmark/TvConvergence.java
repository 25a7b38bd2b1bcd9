package org.pdrecon.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.iterative.FiniteDifferenceGradient;
import org.pdrecon.iterative.IterativeSolver;
import org.pdrecon.iterative.PreconditionedTv;
import org.pdrecon.iterative.SolverSettings;
import org.pdrecon.iterative.TvPrimalDual;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.Psnr;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.simulation.NoiseModel;
import org.pdrecon.simulation.RandomEllipsoids;
import org.pdrecon.simulation.ScanSimulator;
import org.pdrecon.simulation.SimulatedScan;

/**
 * How fast the preconditioned TV solver reaches the plain Chambolle–Pock result: on the demo's scan
 * (random ellipsoids, noisy cone beam), the objective {@code ½‖Ax − b‖² + λ·TV(x)} after {@code N}
 * iterations of {@link TvPrimalDual} is the target; the preconditioned solver's first iteration at or
 * below it, and the wall time of both to get there, are the result. Times are medians of separate
 * runs without per-iteration bookkeeping.
 */
public final class TvConvergence {
    private TvConvergence() {}

    /** One λ's figures. {@code reachedAt} is -1 when the preconditioned solver did not reach the target. */
    public record Row(double lambda, int iterations, double targetObjective, double plainPsnr, int reachedAt,
                      double preconditionedPsnr, double plainSeconds, double preconditionedSeconds) {
        /** Preconditioned time to the target over the plain solver's time. */
        public double timeRatio() {
            return reachedAt < 0 ? Double.NaN : preconditionedSeconds / plainSeconds;
        }
    }

    /** The demo's scan: {@code size³} voxels over 256 mm, {@code views} over 360°, Poisson noise. */
    public static SimulatedScan demoScan(int size, int views, double i0, long seed) {
        ConeBeamGeometry geometry = BaselineFigures.geometry(size, views, 360);
        return ScanSimulator.builder().setPhantom(RandomEllipsoids.builder().setFovRadiusMm(110).build().generate(seed))
                .setGeometry(geometry).optNoise(NoiseModel.poisson(i0), seed).build().run();
    }

    /**
     * @param iterations the plain solver's iterations, whose objective is the target
     * @param maxIterations the preconditioned solver's limit
     */
    public static Row run(SimulatedScan scan, ConeBeamGeometry geometry, double lambda, int iterations, int maxIterations,
                          double balance, int repeats) {
        ConeBeamProjector a = new ConeBeamProjector(geometry);
        float[] b = scan.projections().data();
        VolumeGrid grid = geometry.volume();
        double[] h = {grid.dzMm(), grid.dyMm(), grid.dxMm()};
        a.norm(); // cached: the plain solver's norm estimate is not part of its iterations
        IterativeSolver plain = new TvPrimalDual(lambda, h), pc = new PreconditionedTv(lambda, h, balance, PreconditionedTv.DEFAULT_DUAL_STEP);
        Mask mask = BaselineFigures.mask(geometry);
        FiniteDifferenceGradient grad = new FiniteDifferenceGradient(grid.shape(), h);

        double[] plainObjective = objectives(plain, a, b, iterations, lambda, grad);
        double target = plainObjective[iterations - 1];
        double[] pcObjective = objectives(pc, a, b, maxIterations, lambda, grad);
        int reached = -1;
        for (int k = 0; k < maxIterations; k++) {
            if (pcObjective[k] <= target) {
                reached = k + 1;
                break;
            }
        }
        double plainSeconds = medianSeconds(plain, a, b, iterations, repeats);
        double pcSeconds = reached < 0 ? Double.NaN : medianSeconds(pc, a, b, reached, repeats);
        double plainPsnr = Psnr.of(scan.groundTruth(), solve(plain, a, b, iterations, grid), mask);
        double pcPsnr = reached < 0 ? Double.NaN : Psnr.of(scan.groundTruth(), solve(pc, a, b, reached, grid), mask);
        return new Row(lambda, iterations, target, plainPsnr, reached, pcPsnr, plainSeconds, pcSeconds);
    }

    /** A markdown table of the rows. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder("| λ | plain CP: iterations, PSNR dB, s | preconditioned: iterations to the same objective, PSNR dB, s | time ratio |\n|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %.3g | %d, %.2f, %.2f | %s | %s |%n", r.lambda(), r.iterations(), r.plainPsnr(),
                    r.plainSeconds(), r.reachedAt() < 0 ? "not reached" : String.format(Locale.ROOT, "%d, %.2f, %.2f",
                            r.reachedAt(), r.preconditionedPsnr(), r.preconditionedSeconds()),
                    r.reachedAt() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.timeRatio())));
        }
        return s.toString();
    }

    /** Runs {@link #run} for each λ on one scan. */
    public static List<Row> sweep(SimulatedScan scan, ConeBeamGeometry geometry, double[] lambdas, int iterations,
                                  int maxIterations, double balance, int repeats) {
        List<Row> rows = new ArrayList<>();
        for (double l : lambdas) rows.add(run(scan, geometry, l, iterations, maxIterations, balance, repeats));
        return rows;
    }

    private static double[] objectives(IterativeSolver solver, ConeBeamProjector a, float[] b, int iterations, double lambda,
                                       FiniteDifferenceGradient grad) {
        double[] out = new double[iterations];
        float[] est = new float[a.domainSize()], x = new float[a.domainSize()];
        solver.solve(a, b, x, SolverSettings.builder().setIterations(iterations).optNonNegative(true).optListener(view -> {
            view.estimate().get(0, est);
            out[view.iteration() - 1] = 0.5 * view.residualNorm() * view.residualNorm() + lambda * grad.totalVariation(est);
        }).build());
        return out;
    }

    private static Volume solve(IterativeSolver solver, ConeBeamProjector a, float[] b, int iterations, VolumeGrid grid) {
        float[] x = new float[a.domainSize()];
        solver.solve(a, b, x, SolverSettings.builder().setIterations(iterations).optNonNegative(true).build());
        return new Volume(grid, x);
    }

    private static double medianSeconds(IterativeSolver solver, ConeBeamProjector a, float[] b, int iterations, int repeats) {
        double[] t = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            solve(solver, a, b, iterations, a.geometry().volume());
            t[r] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(t);
        return repeats % 2 == 1 ? t[repeats / 2] : 0.5 * (t[repeats / 2 - 1] + t[repeats / 2]);
    }
}
