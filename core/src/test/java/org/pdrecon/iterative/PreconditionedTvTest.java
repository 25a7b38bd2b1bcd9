package org.pdrecon.iterative;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.LinearOperator;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.NoiseModel;
import org.pdrecon.simulation.Phantom;

/** The diagonally preconditioned TV solver against plain Chambolle–Pock on the same problem. */
class PreconditionedTvTest {
    private static final double[] H = {2, 2, 2};

    /** A 2D fan-beam slice with 60 noisy views of piecewise-constant discs (as FanBeamReconstructionTest). */
    private static ConeBeamProjector projector() {
        VolumeGrid grid = VolumeGrid.slice(64, 2.0);
        return new ConeBeamProjector(ConeBeamGeometry.circular().setVolume(grid).setSodMm(500).setSddMm(750)
                .setDetector(1, 128, 2.0, 1.5).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(60, 0, 360)).build());
    }

    private static float[] data(ConeBeamProjector a) {
        Phantom phantom = Phantom.of(
                new Ellipsoid(new double[] {0, 0, 0}, new double[] {50, 40, 1000}, 0.3, 0.02),
                new Ellipsoid(new double[] {-15, 10, 0}, new double[] {10, 14, 1000}, 0, 0.02),
                new Ellipsoid(new double[] {20, -5, 0}, new double[] {8, 8, 1000}, 0, -0.01),
                new Ellipsoid(new double[] {5, -25, 0}, new double[] {12, 5, 1000}, 1.0, 0.01));
        ProjectionStack p = NoiseModel.poisson(1e4).apply(AnalyticProjector.project(phantom, a.geometry(), 2), 7);
        return p.data();
    }

    /** Objective after each iteration, ½‖Ax − b‖² + λ·TV(x). */
    private static double[] objectives(IterativeSolver s, LinearOperator a, float[] b, double lambda, int iterations) {
        FiniteDifferenceGradient grad = new FiniteDifferenceGradient(a.domainShape(), H);
        double[] out = new double[iterations];
        float[] x = new float[a.domainSize()], est = new float[a.domainSize()];
        s.solve(a, b, x, SolverSettings.builder().setIterations(iterations).optNonNegative(true).optListener(v -> {
            v.estimate().get(0, est);
            out[v.iteration() - 1] = 0.5 * v.residualNorm() * v.residualNorm() + lambda * grad.totalVariation(est);
        }).build());
        return out;
    }

    private static int firstAtOrBelow(double[] objective, double target) {
        for (int k = 0; k < objective.length; k++) if (objective[k] <= target) return k + 1;
        return -1;
    }

    @Test
    void reachesPlainChambollePocksObjectiveInAtMostHalfTheIterations() {
        ConeBeamProjector a = projector();
        float[] b = data(a);
        for (double lambda : new double[] {0.1, 1}) {
            double target = objectives(new TvPrimalDual(lambda, H), a, b, lambda, 200)[199];
            int reached = firstAtOrBelow(objectives(new PreconditionedTv(lambda, H), a, b, lambda, 200), target);
            System.out.printf("λ %.2g: plain CP's objective after 200 iterations reached by tv-pc after %d%n", lambda, reached);
            assertTrue(reached > 0 && reached <= 100, "λ " + lambda + ": reached after " + reached + " iterations");
        }
    }

    @Test
    void convergesToTheSameMinimumAsPlainChambollePock() {
        ConeBeamProjector a = projector();
        float[] b = data(a);
        double lambda = 1;
        double[] plain = objectives(new TvPrimalDual(lambda, H), a, b, lambda, 1500);
        double[] pc = objectives(new PreconditionedTv(lambda, H), a, b, lambda, 1500);
        double best = Math.min(plain[1499], pc[1499]);
        assertEquals(plain[1499], pc[1499], 2e-3 * best, "objectives after 1500 iterations");
    }

    @Test
    void vanishingWeightApproachesLeastSquares() {
        DenseMatrixOperator a = DenseMatrixOperator.random(30, 20, 13, true);
        Random r = new Random(14);
        float[] b = new float[30];
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        double[] ls = a.normalEquationsSolution(b, null);
        float[] x = new float[20];
        new PreconditionedTv(1e-6, new double[] {1, 1, 1}).solve(a, b, x, SolverSettings.builder().setIterations(5000).build());
        double d = 0, s = 0;
        for (int i = 0; i < ls.length; i++) {
            d += (x[i] - ls[i]) * (x[i] - ls[i]);
            s += ls[i] * ls[i];
        }
        assertTrue(Math.sqrt(d / s) < 1e-2, "tv-pc(λ→0) vs least squares " + Math.sqrt(d / s));
    }

    @Test
    void badArgumentsFailClearly() {
        assertThrows(IllegalArgumentException.class, () -> new PreconditionedTv(-1, H));
        assertThrows(IllegalArgumentException.class, () -> new PreconditionedTv(1, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new PreconditionedTv(1, H, 0, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new PreconditionedTv(1, H, 0.3, Double.NaN));
        SolverSettings once = SolverSettings.builder().setIterations(1).build();
        DenseMatrixOperator zero = new DenseMatrixOperator(new double[4][4], new int[] {1, 1, 4});
        assertThrows(IllegalArgumentException.class, () -> new PreconditionedTv(1, H).solve(zero, new float[4], new float[4], once));
        DenseMatrixOperator signed = DenseMatrixOperator.random(6, 4, 3, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PreconditionedTv(1, H).solve(signed, new float[6], new float[4], once));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
    }
}
