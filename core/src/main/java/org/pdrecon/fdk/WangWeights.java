package org.pdrecon.fdk;

/**
 * Wang's weights for an offset ("half-fan") detector on a full 360° scan (Wang 2002): rays with
 * {@code |u| ≤ a}, where {@code a} is the detector's shorter reach from the principal point, are
 * measured twice per turn (at u and, half a turn later, at −u); rays beyond it only once. The weight
 * rises smoothly across the overlap so that {@code w(u) + w(−u) = 1}:
 *
 * <pre>
 *   w(u) = 0                               u < −a        (not measured)
 *   w(u) = sin²(π/4 · (u + a) / a)          −a ≤ u ≤ a
 *   w(u) = 1                               u > a
 * </pre>
 *
 * (mirrored for a detector shifted towards −u). Returned weights are {@code 2w}, so the FDK sum keeps
 * the full-scan factor ½.
 */
public final class WangWeights {
    private WangWeights() {}

    /**
     * @return weights per detector column (already doubled)
     * @throws IllegalArgumentException when the detector does not reach across the principal point
     */
    public static float[] compute(int cols, double colSpacingMm, double offsetUMm) {
        double a = shorterReachMm(cols, colSpacingMm, offsetUMm);
        double side = offsetUMm >= 0 ? 1 : -1;
        float[] w = new float[cols];
        for (int c = 0; c < cols; c++) {
            double u = side * ((c + 0.5 - cols / 2.0) * colSpacingMm + offsetUMm);
            double x;
            if (u < -a) x = 0;
            else if (u > a) x = 1;
            else {
                double s = Math.sin(Math.PI / 4 * (u + a) / a);
                x = s * s;
            }
            w[c] = (float) (2 * x);
        }
        return w;
    }

    /**
     * {@code a}: how far the detector reaches from the principal point on its shorter side, mm.
     *
     * @throws IllegalArgumentException when the detector does not reach across the principal point
     */
    public static double shorterReachMm(int cols, double colSpacingMm, double offsetUMm) {
        double lo = -cols / 2.0 * colSpacingMm + offsetUMm, hi = cols / 2.0 * colSpacingMm + offsetUMm;
        if (lo >= 0 || hi <= 0) {
            throw new IllegalArgumentException(String.format(
                    "detector offset %.4g mm is too large: the detector spans u = %.4g..%.4g mm and does not cover "
                            + "the central ray, so half of the field of view is never measured", offsetUMm, lo, hi));
        }
        return Math.min(-lo, hi);
    }
}
