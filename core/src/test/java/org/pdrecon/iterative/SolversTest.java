package org.pdrecon.iterative;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SolversTest {

    private static float[] randomVector(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static double relDiff(float[] x, double[] ref) {
        double d = 0, s = 0;
        for (int i = 0; i < ref.length; i++) {
            d += (x[i] - ref[i]) * (x[i] - ref[i]);
            s += ref[i] * ref[i];
        }
        return Math.sqrt(d / s);
    }

    @Test
    void cglsReachesTheLeastSquaresSolutionWithMonotoneResidual() {
        DenseMatrixOperator a = DenseMatrixOperator.random(30, 20, 7, false);
        float[] b = randomVector(30, 8); // inconsistent data
        double[] ls = a.normalEquationsSolution(b, null);
        List<Double> residuals = new ArrayList<>();
        float[] x = new float[20];
        SolverResult res = new Cgls().solve(a, b, x, SolverSettings.builder().setIterations(40)
                .optListener(v -> residuals.add(v.residualNorm())).build());
        assertTrue(relDiff(x, ls) < 1e-4, "CGLS vs normal equations: " + relDiff(x, ls));
        assertFalse(residuals.isEmpty());
        for (int k = 1; k < residuals.size(); k++) {
            assertTrue(residuals.get(k) <= residuals.get(k - 1) * (1 + 1e-6), "residual grew at " + k + ": " + residuals);
        }
        assertEquals(residuals.get(residuals.size() - 1), res.residualNorm(), 1e-12);
    }

    @Test
    void relativeResidualRuleStopsEarlyOnConsistentData() {
        DenseMatrixOperator a = DenseMatrixOperator.random(30, 20, 3, false);
        float[] b = a.apply(randomVector(20, 4));
        SolverResult res = new Cgls().solve(a, b, new float[20],
                SolverSettings.builder().setIterations(100).optRelativeTolerance(1e-3).build());
        assertEquals(SolverResult.StopReason.RESIDUAL_TOLERANCE, res.stopReason());
        assertTrue(res.iterations() < 100 && res.relativeResidual() <= 1e-3, res.toString());
    }

    /** On consistent data SIRT and CGLS both tend to the exact solution; SIRT's distance to CGLS shrinks. */
    @Test
    void sirtConvergesTowardsCgls() {
        DenseMatrixOperator a = DenseMatrixOperator.random(30, 20, 11, true);
        float[] truth = randomVector(20, 12);
        float[] b = a.apply(truth);
        float[] xc = new float[20];
        new Cgls().solve(a, b, xc, SolverSettings.builder().setIterations(60).build());
        double[] cg = new double[20];
        for (int i = 0; i < 20; i++) cg[i] = xc[i];
        List<Double> dist = new ArrayList<>();
        float[] xs = new float[20];
        java.util.Set<Integer> probes = java.util.Set.of(1, 3, 10, 30, 100, 300, 1000, 3000);
        new Sirt(1.9).solve(a, b, xs, SolverSettings.builder().setIterations(3000).optListener(v -> {
            if (probes.contains(v.iteration())) {
                float[] cur = new float[20];
                v.estimate().get(cur);
                dist.add(relDiff(cur, cg));
            }
        }).build());
        // strictly closer at every probe until float round-off (≈1e-5 relative) is reached
        for (int k = 1; k < dist.size(); k++) {
            assertTrue(dist.get(k) < dist.get(k - 1) || dist.get(k) < 1e-4, "distance " + dist);
        }
        assertTrue(dist.get(0) > 0.1 && relDiff(xs, cg) < 1e-3, "SIRT vs CGLS " + dist);
    }

    /** On inconsistent data SIRT's fixed point is the R-weighted least-squares solution. */
    @Test
    void sirtFixedPointIsTheRowWeightedLeastSquaresSolution() {
        DenseMatrixOperator a = DenseMatrixOperator.random(30, 8, 21, true);
        float[] b = a.apply(randomVector(8, 22));
        float[] noise = randomVector(30, 23);
        for (int i = 0; i < 30; i++) b[i] += 0.3f * noise[i];
        double[] w = new double[30];
        for (int i = 0; i < 30; i++) for (double v : a.m[i]) w[i] += v;
        for (int i = 0; i < 30; i++) w[i] = 1 / w[i];
        double[] wls = a.normalEquationsSolution(b, w);
        float[] x = new float[8];
        new Sirt(1.5).solve(a, b, x, SolverSettings.builder().setIterations(20000).build());
        assertTrue(relDiff(x, wls) < 1e-3, "SIRT vs weighted LS " + relDiff(x, wls));
    }

    @Test
    void nonNegativityIsEnforcedByEverySolver() {
        DenseMatrixOperator a = DenseMatrixOperator.random(30, 20, 5, true);
        float[] b = randomVector(30, 6);
        for (IterativeSolver s : new IterativeSolver[] {new Sirt(), new Cgls(), new TvPrimalDual(0.01, new double[] {1, 1, 1})}) {
            float[] x = randomVector(20, 9);
            s.solve(a, b, x, SolverSettings.builder().setIterations(30).optNonNegative(true).build());
            for (float v : x) assertTrue(v >= 0, s.name() + " left a negative value " + v);
        }
    }

    @Test
    void tvWithVanishingWeightApproachesLeastSquares() {
        DenseMatrixOperator a = DenseMatrixOperator.random(30, 20, 13, false);
        float[] b = randomVector(30, 14);
        double[] ls = a.normalEquationsSolution(b, null);
        float[] x = new float[20];
        new TvPrimalDual(1e-6, new double[] {1, 1, 1}).solve(a, b, x, SolverSettings.builder().setIterations(3000).build());
        assertTrue(relDiff(x, ls) < 1e-2, "TV(λ→0) vs least squares " + relDiff(x, ls));
    }

    /** TV with A = identity denoises a piecewise-constant image: much closer to the truth than the noisy input. */
    @Test
    void tvDenoisesAPiecewiseConstantImage() {
        int n = 24;
        float[] truth = new float[n * n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) truth[j * n + i] = (i >= 6 && i < 18 && j >= 8 && j < 20) ? 1f : 0f;
        float[] noisy = truth.clone();
        float[] g = randomVector(n * n, 31);
        for (int i = 0; i < noisy.length; i++) noisy[i] += 0.2f * g[i];
        DenseMatrixOperator id = DenseMatrixOperator.identity(new int[] {1, n, n});
        float[] x = new float[n * n];
        List<Double> psnr = new ArrayList<>();
        new TvPrimalDual(0.15, new double[] {1, 1, 1}).solve(id, noisy, x, SolverSettings.builder().setIterations(300)
                .optReference(truth).optListener(v -> psnr.add(v.psnr().getAsDouble())).build());
        double[] t = new double[truth.length];
        for (int i = 0; i < t.length; i++) t[i] = truth[i];
        double noisyErr = relDiff(noisy, t), tvErr = relDiff(x, t);
        assertTrue(tvErr < noisyErr / 3, "TV error " + tvErr + " vs noisy " + noisyErr);
        assertTrue(psnr.get(psnr.size() - 1) > psnr.get(0), "PSNR " + psnr.get(0) + " → " + psnr.get(psnr.size() - 1));
    }

    @Test
    void listenerViewIsReadOnly() {
        DenseMatrixOperator a = DenseMatrixOperator.random(10, 5, 1, true);
        float[] b = randomVector(10, 2);
        assertThrows(ReadOnlyBufferException.class, () -> new Sirt().solve(a, b, new float[5],
                SolverSettings.builder().setIterations(2).optListener(v -> v.estimate().put(0, 1f)).build()));
    }

    @Test
    void badArgumentsFailClearly() {
        DenseMatrixOperator a = DenseMatrixOperator.random(10, 5, 1, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Cgls().solve(a, new float[9], new float[5],
                SolverSettings.builder().setIterations(2).build()));
        assertTrue(e.getMessage().contains("data b"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sirt(2.0));
        assertThrows(IllegalArgumentException.class, () -> SolverSettings.builder().build());
    }
}
