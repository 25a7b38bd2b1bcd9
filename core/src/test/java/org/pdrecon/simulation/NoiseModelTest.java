package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;

class NoiseModelTest {

    @Test
    void poissonSamplesHaveMeanAndVarianceLambda() {
        int n = 200_000;
        for (double lambda : new double[] {0.3, 4, 9.99, 10, 37.5, 3679, 1e6}) {
            SplittableRandom rng = new SplittableRandom(17);
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) {
                double k = PoissonSampler.sample(rng, lambda);
                s += k;
                s2 += k * k;
            }
            double mean = s / n, var = s2 / n - mean * mean;
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n), "mean, λ = " + lambda);
            assertEquals(lambda, var, 5 * Math.sqrt((lambda + 2 * lambda * lambda) / n), "variance, λ = " + lambda);
        }
    }

    @Test
    void poissonSamplesFollowTheExactDistribution() {
        // Pearson χ² against the Poisson pmf, for the inversion branch and both PTRS regimes.
        int n = 200_000;
        for (double lambda : new double[] {4, 20, 150}) {
            SplittableRandom rng = new SplittableRandom(5);
            int kMax = (int) (lambda + 12 * Math.sqrt(lambda) + 20);
            long[] counts = new long[kMax + 1];
            for (int i = 0; i < n; i++) counts[(int) Math.min(PoissonSampler.sample(rng, lambda), kMax)]++;
            double chi2 = 0, pending = 0, pendingObs = 0;
            int bins = 0;
            double logFact = 0;
            for (int k = 0; k <= kMax; k++) {
                if (k > 0) logFact += Math.log(k);
                double expected = n * Math.exp(k * Math.log(lambda) - lambda - logFact);
                pending += expected;
                pendingObs += counts[k];
                if (pending >= 20 || k == kMax) {
                    chi2 += (pendingObs - pending) * (pendingObs - pending) / pending;
                    bins++;
                    pending = 0;
                    pendingObs = 0;
                }
            }
            int df = bins - 1;
            assertTrue(chi2 < df + 5 * Math.sqrt(2.0 * df), "λ = " + lambda + ": χ² = " + chi2 + " with " + df + " dof");
        }
    }

    @Test
    void logFactorialMatchesSumOfLogs() {
        double s = 0;
        for (int k = 1; k <= 5000; k++) {
            s += Math.log(k);
            assertEquals(s, PoissonSampler.logFactorial(k), 1e-12 * Math.max(1, s));
        }
    }

    @Test
    void noisyCountsHaveMeanAndVarianceOfTheTransmittedPhotons() {
        double p = 1.0, i0 = 1e4;
        ProjectionStack clean = constant(4, 100, 100, (float) p);
        ProjectionStack noisy = NoiseModel.poisson(i0).apply(clean, 123, 2);
        double[] m = countMoments(noisy, i0);
        double lambda = i0 * Math.exp(-p), n = noisy.data().length;
        assertEquals(lambda, m[0], 5 * Math.sqrt(lambda / n));
        assertEquals(lambda, m[1], 5 * Math.sqrt((lambda + 2 * lambda * lambda) / n));
        for (float f : clean.data()) assertEquals((float) p, f); // input untouched

        double sigma = 20;
        ProjectionStack withElectronic = NoiseModel.poisson(i0).withElectronicNoise(sigma).apply(clean, 123, 2);
        double[] e = countMoments(withElectronic, i0);
        double var = lambda + sigma * sigma;
        assertEquals(lambda, e[0], 5 * Math.sqrt(var / n));
        assertEquals(var, e[1], 6 * Math.sqrt(2 * var * var / n));
    }

    @Test
    void zeroAndNegativeCountsAreClampedToTheFloor() {
        ProjectionStack dark = constant(2, 4, 5, 40f); // λ = 100·e^−40 ≈ 4e−16 photons
        ProjectionStack out = NoiseModel.poisson(100).apply(dark, 1, 1);
        for (float f : out.data()) assertEquals((float) Math.log(100 / 0.5), f);
        ProjectionStack floored = NoiseModel.poisson(100).withElectronicNoise(3).withFloorCounts(1).apply(dark, 1, 1);
        for (float f : floored.data()) assertTrue(f <= (float) Math.log(100.0) && f >= (float) Math.log(100 / 15.0), "value " + f);
        assertTrue(max(floored) == (float) Math.log(100.0), "negative counts must reach the floor");
    }

    @Test
    void deterministicForASeedAndIndependentOfThreadCount() {
        ProjectionStack clean = constant(7, 8, 9, 2f);
        NoiseModel model = NoiseModel.poisson(500).withElectronicNoise(2);
        ProjectionStack a = model.apply(clean, 99, 1);
        ProjectionStack b = model.apply(clean, 99, 3);
        ProjectionStack c = model.apply(clean, 100, 3);
        assertArrayEquals(a.data(), b.data());
        assertFalse(Arrays.equals(a.data(), c.data()));
        assertFalse(Arrays.equals(a.data(), clean.data()));
    }

    @Test
    void invalidSettingsAndDataAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NoiseModel.poisson(0)).getMessage().contains("i0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NoiseModel.poisson(10).withElectronicNoise(-1))
                .getMessage().contains("electronic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NoiseModel.poisson(10).withFloorCounts(20))
                .getMessage().contains("floor"));
        ProjectionStack bad = constant(1, 2, 2, 1f);
        bad.set(0, 1, 0, Float.NaN);
        var ex = assertThrows(IllegalArgumentException.class, () -> NoiseModel.poisson(10).apply(bad, 0, 1));
        assertTrue(ex.getMessage().contains("row 1, col 0"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoissonSampler.sample(new SplittableRandom(1), -1));
    }

    private static ProjectionStack constant(int views, int rows, int cols, float value) {
        ProjectionStack s = ProjectionStack.zeros(views, rows, cols);
        Arrays.fill(s.data(), value);
        return s;
    }

    /** Mean and variance of the counts I0·exp(−p') behind noisy line integrals. */
    private static double[] countMoments(ProjectionStack noisy, double i0) {
        double s = 0, s2 = 0;
        for (float f : noisy.data()) {
            double c = i0 * Math.exp(-f);
            s += c;
            s2 += c * c;
        }
        int n = noisy.data().length;
        return new double[] {s / n, s2 / n - (s / n) * (s / n)};
    }

    private static float max(ProjectionStack s) {
        float m = Float.NEGATIVE_INFINITY;
        for (float f : s.data()) m = Math.max(m, f);
        return m;
    }
}
