package org.pdrecon.simulation;

import java.util.random.RandomGenerator;

/**
 * Exact Poisson random variates for any mean. Means below 10 use inversion by sequential search
 * (cumulative probabilities from 0 upwards); means of 10 and above use PTRS, Hörmann's transformed
 * rejection with squeeze (W. Hörmann, "The transformed rejection method for generating Poisson
 * random variables", Insurance: Mathematics and Economics 12, 1993), whose acceptance test uses the
 * exact Poisson probability, so both branches sample the Poisson law itself, not an approximation.
 */
public final class PoissonSampler {
    private static final int LOG_FACTORIAL_TABLE = 256;
    private static final double[] LOG_FACTORIAL = new double[LOG_FACTORIAL_TABLE];
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    static {
        for (int k = 1; k < LOG_FACTORIAL_TABLE; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
    }

    private PoissonSampler() {}

    /**
     * One Poisson variate with the given mean.
     *
     * @param mean λ ≥ 0, finite
     */
    public static long sample(RandomGenerator rng, double mean) {
        if (!(mean >= 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("Poisson mean must be finite and non-negative, got " + mean);
        }
        if (mean == 0) return 0;
        return mean < 10 ? inversion(rng, mean) : ptrs(rng, mean);
    }

    private static long inversion(RandomGenerator rng, double mean) {
        double p0 = Math.exp(-mean);
        while (true) {
            double u = rng.nextDouble();
            double p = p0, cdf = p0;
            long k = 0;
            // For λ < 10 the tail beyond 200 is below 1e-150; reaching it means u fell in the CDF's
            // rounding gap just below 1, so draw again.
            while (u > cdf && k < 200) {
                k++;
                p *= mean / k;
                cdf += p;
            }
            if (u <= cdf) return k;
        }
    }

    private static long ptrs(RandomGenerator rng, double mean) {
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * Math.sqrt(mean);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            double k = Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return (long) k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            double lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
            if (lhs <= -mean + k * logMean - logFactorial((long) k)) return (long) k;
        }
    }

    /** {@code ln k!}: a table below 256, Stirling's series (error below 1e-17) above. */
    static double logFactorial(long k) {
        if (k < LOG_FACTORIAL_TABLE) return LOG_FACTORIAL[(int) k];
        double x = k, x2 = x * x;
        return x * Math.log(x) - x + 0.5 * Math.log(x) + HALF_LOG_TWO_PI
                + 1.0 / (12 * x) - 1.0 / (360 * x * x2) + 1.0 / (1260 * x * x2 * x2);
    }
}
