package org.pdrecon.fdk;

/**
 * Parker's short-scan weights (Parker 1982, generalised to any arc ≥ 180° + fan angle as in Wesarg et
 * al. 2002): on an arc {@code π + 2δ'} every ray of the mid-plane is measured once or twice; the
 * weights {@code w(β, γ)} fall smoothly to 0 at both ends of the arc so that a ray and its conjugate
 * {@code (β + π + 2γ, −γ)} always sum to 1:
 *
 * <pre>
 *   w = sin²(π/4 · β / (δ' − γ))                 0 ≤ β ≤ 2δ' − 2γ
 *   w = 1                                        2δ' − 2γ ≤ β ≤ π − 2γ
 *   w = sin²(π/4 · (π + 2δ' − β) / (δ' + γ))      π − 2γ ≤ β ≤ π + 2δ'
 * </pre>
 *
 * where β is the angle travelled since the start of the arc and γ the ray's fan angle. In this
 * project's convention (counter-clockwise rotation, u along R(θ)(1,0,0)) a column at u has
 * {@code γ = −atan(u / SDD)}; a clockwise scan flips the sign. Returned weights are {@code 2w}, so the
 * FDK sum keeps the full-scan factor ½ for every scan type.
 *
 * <p>Data are complete for the rays with {@code |γ| ≤ δ' = (arc − 180°)/2}, i.e. inside the cylinder of
 * radius {@link #completeRadiusMm SOD·sin δ'}. When the arc is shorter than 180° + the detector's full
 * fan angle, columns with {@code |γ| > δ'} are weighted as if {@code |γ| = δ'} (bounded, and exact for
 * every voxel inside that cylinder); {@link FdkWeighting} warns about it. Arcs under 180° are refused.
 */
public final class ParkerWeights {
    private ParkerWeights() {}

    /**
     * @param anglesDeg view angles, strictly monotonic (increasing or decreasing)
     * @param sddMm source-to-detector distance
     * @param cols detector columns, {@code colSpacingMm} their pitch, {@code offsetUMm} the detector offset along u
     * @return weights {@code [view][col]} (each already doubled)
     * @throws IllegalArgumentException when the arc is shorter than 180° or the angles are not monotonic
     */
    public static float[] compute(double[] anglesDeg, double sddMm, int cols, double colSpacingMm, double offsetUMm) {
        int n = anglesDeg.length;
        if (n < 2) throw new IllegalArgumentException("a short scan needs at least 2 views, got " + n);
        double dir = Math.signum(anglesDeg[n - 1] - anglesDeg[0]);
        for (int i = 1; i < n; i++) {
            if (Math.signum(anglesDeg[i] - anglesDeg[i - 1]) != dir || dir == 0) {
                throw new IllegalArgumentException("Parker weights need strictly monotonic angles (views in acquisition order); angles_deg["
                        + i + "] = " + anglesDeg[i] + " after " + anglesDeg[i - 1]);
            }
        }
        double spacing = Math.abs(anglesDeg[n - 1] - anglesDeg[0]) / (n - 1);
        double arc = Math.toRadians(AngularWeights.arcDeg(anglesDeg));
        if (arc < Math.PI - 1e-9) {
            throw new IllegalArgumentException(String.format(
                    "short scan covers %.2f°, less than 180°: no voxel is seen from enough directions for FDK; "
                            + "acquire a longer arc or use an iterative method", Math.toDegrees(arc)));
        }
        double d = (arc - Math.PI) / 2; // δ': rays with |γ| ≤ δ' are complete
        float[] w = new float[n * cols];
        for (int i = 0; i < n; i++) {
            double beta = Math.toRadians(Math.abs(anglesDeg[i] - anglesDeg[0]) + spacing / 2);
            for (int c = 0; c < cols; c++) {
                double u = (c + 0.5 - cols / 2.0) * colSpacingMm + offsetUMm;
                // Columns beyond the complete fan (|γ| > δ') are clamped to it: bounded weights, exact inside.
                double gamma = Math.max(-d, Math.min(d, -dir * Math.atan(u / sddMm)));
                w[i * cols + c] = (float) (2 * weight(beta, gamma, d));
            }
        }
        return w;
    }

    /** Radius about the rotation axis inside which an arc of {@code arcDeg} (≥ 180°) gives complete data. */
    public static double completeRadiusMm(double arcDeg, double sodMm) {
        return sodMm * Math.sin(Math.toRadians(Math.min(arcDeg - 180, 180)) / 2);
    }

    /** Parker's weight for source angle β into the arc, fan angle γ, over-scan half-angle δ' (radians). */
    static double weight(double beta, double gamma, double d) {
        if (beta < 0 || beta > Math.PI + 2 * d) return 0;
        if (beta <= 2 * d - 2 * gamma) {
            double s = Math.sin(Math.PI / 4 * beta / (d - gamma));
            return s * s;
        }
        if (beta <= Math.PI - 2 * gamma) return 1;
        double s = Math.sin(Math.PI / 4 * (Math.PI + 2 * d - beta) / (d + gamma));
        return s * s;
    }

    /** Half the fan angle: the largest |atan(u/SDD)| over the detector's column edges. */
    public static double halfFanAngle(double sddMm, int cols, double colSpacingMm, double offsetUMm) {
        double lo = -cols / 2.0 * colSpacingMm + offsetUMm, hi = cols / 2.0 * colSpacingMm + offsetUMm;
        return Math.max(Math.abs(Math.atan(lo / sddMm)), Math.abs(Math.atan(hi / sddMm)));
    }
}
