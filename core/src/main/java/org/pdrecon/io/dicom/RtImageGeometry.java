package org.pdrecon.io.dicom;

/**
 * The one place where RT Image geometry meets the toolkit's convention (DESIGN.md).
 *
 * <p>IEC 61217 fixed frame (X_f towards the gantry's right seen from the couch foot, Y_f towards the
 * gantry, Z_f up) maps to toolkit world coordinates as {@code (x, y, z) = (X_f, −Z_f, Y_f)}, which for a
 * head-first supine patient is DICOM's LPS patient frame. With this map the source at gantry angle g,
 * {@code SAD·(sin g, ·, cos g)} in (X_f, Z_f), lands on the toolkit's {@code S(θ) = R(θ)(0, −SOD, 0)}
 * with θ = g, and the receptor axes X_r, Y_r land on the toolkit's u(θ) and v = +z. RT images store
 * their first row at the top (+Y_r), so toolkit row {@code r} is stored row {@code rows − 1 − r}.
 */
public final class RtImageGeometry {
    private RtImageGeometry() {}

    /**
     * RTImagePosition (X_r, Y_r) of the first stored pixel's centre for a detector whose centre sits at
     * {@code (offsetU, offsetV)} in receptor coordinates.
     */
    public static double[] firstPixelPosition(int rows, int cols, double rowSpacingMm, double colSpacingMm,
                                              double offsetUMm, double offsetVMm) {
        return new double[] {offsetUMm - (cols - 1) / 2.0 * colSpacingMm, offsetVMm + (rows - 1) / 2.0 * rowSpacingMm};
    }

    /** The detector centre offset (u, v) in mm from RTImagePosition: the inverse of {@link #firstPixelPosition}. */
    public static double[] detectorOffset(int rows, int cols, double rowSpacingMm, double colSpacingMm, double[] rtImagePosition) {
        return new double[] {rtImagePosition[0] + (cols - 1) / 2.0 * colSpacingMm, rtImagePosition[1] - (rows - 1) / 2.0 * rowSpacingMm};
    }

    /** An angle in degrees wrapped to [0, 360). */
    public static double wrapDeg(double deg) {
        double w = deg % 360.0;
        if (w < 0) w += 360.0;
        return w >= 360.0 ? 0.0 : w;
    }
}
