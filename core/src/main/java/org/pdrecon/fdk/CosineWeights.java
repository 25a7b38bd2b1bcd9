package org.pdrecon.fdk;

/**
 * Feldkamp's cosine pre-weighting {@code SDD / √(SDD² + u² + v²)}: the cosine of the angle between a
 * detector pixel's ray and the central ray, where {@code (u, v)} is the pixel centre's position on
 * the detector in mm measured from the principal point (the foot of the perpendicular from the
 * source), so detector offsets are included.
 */
public final class CosineWeights {
    private CosineWeights() {}

    /**
     * @param sddMm source-to-detector distance
     * @param rows detector rows (along v), {@code cols} columns (along u)
     * @param rowSpacingMm, colSpacingMm pixel pitch along v and u
     * @param offsetUMm, offsetVMm detector offset along u and v (shift of the detector centre from the principal point)
     * @return weights {@code [rows][cols]}, row-major
     */
    public static float[] compute(double sddMm, int rows, int cols, double rowSpacingMm, double colSpacingMm,
                                  double offsetUMm, double offsetVMm) {
        float[] w = new float[rows * cols];
        double d2 = sddMm * sddMm;
        for (int r = 0; r < rows; r++) {
            double v = (r + 0.5 - rows / 2.0) * rowSpacingMm + offsetVMm;
            for (int c = 0; c < cols; c++) {
                double u = (c + 0.5 - cols / 2.0) * colSpacingMm + offsetUMm;
                w[r * cols + c] = (float) (sddMm / Math.sqrt(d2 + u * u + v * v));
            }
        }
        return w;
    }
}
