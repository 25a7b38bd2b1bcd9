package org.pdrecon.operators.hough;

import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryException;
import org.pdrecon.geometry.VolumeGrid;

/**
 * A 2D parallel-beam scan, the geometry of the fast Hough-transform projectors: an {@code n × n} image
 * of square pixels centred on the rotation axis, and per view a line of detector columns.
 *
 * <p>Conventions follow the circular cone-beam geometry in its parallel limit (DESIGN.md): at angle θ the
 * rays run along {@code (−sin θ, cos θ)} and detector column {@code c} measures the line
 * {@code x·cos θ + y·sin θ = (c + ½ − cols/2)·spacing}. {@link #coneBeamLimit(double)} builds the
 * cone-beam geometry that approaches this one as the source distance grows, so the Joseph projector and
 * the analytic projections can be compared with the Hough pair on the same rays.
 */
public final class ParallelBeam2D {
    private final int n, cols;
    private final double pixelMm, colSpacingMm;
    private final double[] anglesDeg;

    /**
     * @param n image size (n × n pixels)
     * @param pixelMm pixel size
     * @param anglesDeg view angles in degrees
     * @param cols detector columns
     * @param colSpacingMm detector column spacing
     */
    public ParallelBeam2D(int n, double pixelMm, double[] anglesDeg, int cols, double colSpacingMm) {
        if (n < 2) throw new GeometryException("n must be at least 2, got " + n);
        if (!(pixelMm > 0) || Double.isInfinite(pixelMm)) throw new GeometryException("pixel_mm must be positive and finite, got " + pixelMm);
        if (cols < 1) throw new GeometryException("detector_cols must be positive, got " + cols);
        if (!(colSpacingMm > 0) || Double.isInfinite(colSpacingMm)) {
            throw new GeometryException("detector_pixel_mm must be positive and finite, got " + colSpacingMm);
        }
        if (anglesDeg == null || anglesDeg.length == 0) throw new GeometryException("angles_deg is empty: a scan needs at least one view");
        for (int i = 0; i < anglesDeg.length; i++) {
            if (!Double.isFinite(anglesDeg[i])) throw new GeometryException("angles_deg[" + i + "] is not finite: " + anglesDeg[i]);
        }
        this.n = n;
        this.pixelMm = pixelMm;
        this.anglesDeg = anglesDeg.clone();
        this.cols = cols;
        this.colSpacingMm = colSpacingMm;
    }

    /**
     * The usual full scan: {@code views} angles evenly over 180°, detector pixels as large as image pixels,
     * and enough columns ({@code ⌈n·√2⌉}) to see the whole image from every angle.
     */
    public static ParallelBeam2D halfTurn(int n, double pixelMm, int views) {
        return new ParallelBeam2D(n, pixelMm, ConeBeamGeometry.evenAnglesDeg(views, 0, 180), (int) Math.ceil(n * Math.sqrt(2)), pixelMm);
    }

    public int n() { return n; }
    public double pixelMm() { return pixelMm; }
    public int views() { return anglesDeg.length; }
    public int cols() { return cols; }
    public double colSpacingMm() { return colSpacingMm; }
    public double angleDeg(int view) { return anglesDeg[view]; }

    /** Signed distance of detector column {@code c}'s line from the rotation axis, in mm. */
    public double columnOffsetMm(int c) {
        return (c + 0.5 - cols / 2.0) * colSpacingMm;
    }

    /**
     * The fan-beam geometry with the source at {@code sourceDistanceMm} whose rays approach this scan's as
     * the distance grows: same angles, the detector just behind the image at unit magnification.
     */
    public ConeBeamGeometry coneBeamLimit(double sourceDistanceMm) {
        double sdd = sourceDistanceMm + n * pixelMm;
        return ConeBeamGeometry.circular()
                .setVolume(VolumeGrid.slice(n, pixelMm))
                .setSodMm(sourceDistanceMm)
                .setSddMm(sdd)
                .setDetector(1, cols, pixelMm, colSpacingMm * sdd / sourceDistanceMm)
                .setAnglesDeg(anglesDeg)
                .build();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "parallel beam: %d² pixels of %.4g mm, %d views, %d columns of %.4g mm",
                n, pixelMm, views(), cols, colSpacingMm);
    }
}
