package org.pdrecon.metrics;

/**
 * Least-squares fit of a reference by a scaled (and optionally offset) test image over a mask:
 * minimise {@code Σ (ref − (scale·test + offset))²}. Used to compare quantities in different units
 * (an EPID reconstruction in 1/mm against a planning dose in Gy, μ against HU).
 *
 * <p>Scale only: {@code scale = Σ test·ref / Σ test²}. Scale and offset: the ordinary regression line,
 * {@code scale = cov(test, ref) / var(test)}, {@code offset = mean(ref) − scale·mean(test)}. Sums in double,
 * (co)variances in a second pass about the means.
 *
 * @param scale the fitted factor
 * @param offset the fitted offset in the reference's units (0 for a scale-only fit)
 * @param voxels how many voxels entered the fit
 */
public record LinearFit(double scale, double offset, int voxels) {
    /** No fit: scale 1, offset 0. */
    public static LinearFit identity() {
        return new LinearFit(1, 0, 0);
    }

    /**
     * @param reference values {@code ref}; test values {@code test} at the same indices. Not modified.
     * @param mask which indices to use; voxels where either value is not finite are skipped
     * @param withOffset fit an offset too
     * @throws IllegalArgumentException when the fit is undetermined (no voxels, or a zero / constant test image)
     */
    public static LinearFit fit(float[] reference, float[] test, Mask mask, boolean withOffset) {
        if (reference.length != test.length) {
            throw new IllegalArgumentException("fit: " + reference.length + " reference values but " + test.length + " test values");
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int i = 0; i < reference.length; i++) {
            if (mask != null && !mask.contains(i)) continue;
            double x = test[i], y = reference[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }
        if (n == 0) throw new IllegalArgumentException("fit: no voxels with finite values in the mask");
        if (!withOffset) {
            if (sxx == 0) throw new IllegalArgumentException("fit: the test image is zero on every fitted voxel; no scale fits");
            return new LinearFit(sxy / sxx, 0, n);
        }
        double mx = sx / n, my = sy / n;
        double var = 0, cov = 0; // second pass about the means: no cancellation for large offsets
        for (int i = 0; i < reference.length; i++) {
            if (mask != null && !mask.contains(i)) continue;
            double x = test[i], y = reference[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            var += (x - mx) * (x - mx);
            cov += (x - mx) * (y - my);
        }
        if (!(var > 1e-12 * Math.max(sxx, Double.MIN_NORMAL))) {
            throw new IllegalArgumentException("fit: the test image is constant on the fitted voxels; scale and offset are undetermined");
        }
        double scale = cov / var;
        return new LinearFit(scale, my - scale * mx, n);
    }

    /** {@code scale·v + offset} for each value (a new array). */
    public float[] apply(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) (scale * values[i] + offset);
        return out;
    }
}
