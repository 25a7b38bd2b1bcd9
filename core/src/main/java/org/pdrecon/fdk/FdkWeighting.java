package org.pdrecon.fdk;

import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projection-domain weights of FDK for one circular scan, built once: Feldkamp's cosine
 * weights, the redundancy weights the scan needs (Parker for a short scan, none otherwise) and the
 * per-view angular weights {@code Δθ_i}.
 *
 * <p>Scan types, by the arc the views cover (span + one mean spacing, see {@link AngularWeights}):
 * a full circle ({@link AngularWeights#isFullCircle}) or more needs no Parker weights; an arc from
 * 180° up to a full circle is a short scan and gets Parker weights, with a warning: short scans
 * carry extra cone-beam error off the mid-plane, and an arc shorter than 180° + the detector's full
 * fan angle gives complete data only within {@link ParkerWeights#completeRadiusMm SOD·sin((arc −
 * 180°)/2)} of the axis (the warning states that radius). An arc under 180° is refused: no voxel is
 * then seen from enough directions. A detector offset along u of more than one pixel is
 * {@link #offsetDetector() reported} on a full scan and refused on a short scan (Parker's conjugate
 * rays would fall off the detector).
 *
 * <p>Offset detectors get no weights here: Wang's weights before the ramp filter bias μ beyond the
 * overlap (docs/fdk.md), so {@link FDK} first completes such a scan's views with
 * {@link HalfFanCompletion} and weights the completed, centred scan.
 *
 * <p>Parker weights are returned doubled (they sum to 2 over a ray and its conjugate), so every scan
 * uses the full-scan FDK factor ½ (see {@code docs/fdk.md}).
 */
public final class FdkWeighting {
    private static final Logger LOG = LoggerFactory.getLogger(FdkWeighting.class);

    /** How the scan's rays are covered. */
    public enum ScanType { FULL, SHORT }

    private final int views, rows, cols;
    private final ScanType scanType;
    private final double arcDeg;
    private final float[] cosine;       // [rows][cols]
    private final float[] parker;       // [views][cols] or null
    private final boolean offsetDetector;
    private final double[] angular;     // [views], radians

    /**
     * @throws IllegalArgumentException for a non-circular geometry, a scan arc shorter than 180°, or an
     *     offset detector on a short scan
     */
    public FdkWeighting(ConeBeamGeometry geometry) {
        CircularOrbit orbit = geometry.orbit().orElseThrow(() -> new IllegalArgumentException(
                "FDK needs a circular orbit (sod_mm, sdd_mm, angles_deg); this geometry is given as per-view vectors: "
                        + "use an iterative method"));
        this.views = geometry.views();
        this.rows = geometry.detectorRows();
        this.cols = geometry.detectorCols();
        double du = length(geometry.u(0)), dv = length(geometry.v(0));
        double[] angles = orbit.anglesDeg();
        this.angular = AngularWeights.compute(angles);
        this.arcDeg = AngularWeights.arcDeg(angles);
        double sdd = orbit.sddMm(), offU = orbit.offsetUMm();
        this.cosine = CosineWeights.compute(sdd, rows, cols, dv, du, offU, orbit.offsetVMm());
        boolean full = AngularWeights.isFullCircle(angles) || arcDeg >= 360;
        boolean offset = Math.abs(offU) > du;
        if (full) {
            scanType = ScanType.FULL;
            parker = null;
            offsetDetector = offset;
            if (offset) WangWeights.shorterReachMm(cols, du, offU); // refuses a detector that does not see the axis
        } else {
            if (offset) {
                throw new IllegalArgumentException(String.format(
                        "short scan (%.1f°) with a detector offset of %.3g mm (%.1f pixels) is not supported: "
                                + "Parker weighting needs the detector centred on the rotation axis", arcDeg, offU, offU / du));
            }
            scanType = ScanType.SHORT;
            parker = ParkerWeights.compute(angles, sdd, cols, du, offU);
            offsetDetector = false;
            double fan = Math.toDegrees(2 * ParkerWeights.halfFanAngle(sdd, cols, du, offU));
            double complete = ParkerWeights.completeRadiusMm(arcDeg, orbit.sodMm());
            double fullyMeasured = ParkerWeights.completeRadiusMm(180 + fan, orbit.sodMm());
            if (arcDeg < 180 + fan) {
                LOG.warn(String.format("short scan of %.1f° is shorter than 180° + fan angle (%.1f°) = %.1f°: data are complete "
                        + "only within %.1f mm of the rotation axis (the detector sees %.1f mm); voxels farther out lack rays",
                        arcDeg, fan, 180 + fan, complete, fullyMeasured));
            } else {
                LOG.warn(String.format("short scan of %.1f° (< 360°): Parker weights applied; expect extra cone-beam error "
                        + "away from the mid-plane", arcDeg));
            }
        }
    }

    public ScanType scanType() { return scanType; }
    /** The arc the views cover, degrees. */
    public double arcDeg() { return arcDeg; }
    public boolean usesParker() { return parker != null; }
    /**
     * A full scan whose detector is offset along u by more than one pixel (a half fan): these weights
     * do not cover it, its views must first be completed ({@link HalfFanCompletion}).
     */
    public boolean offsetDetector() { return offsetDetector; }

    /** Δθ per view in radians (a copy). */
    public double[] angularWeights() { return angular.clone(); }

    /**
     * Multiplies every projection by the cosine and redundancy weights, in place. Shapes must match the
     * geometry; an {@link #offsetDetector() offset detector} is refused.
     */
    public void apply(ProjectionStack p) {
        if (p.views() != views || p.rows() != rows || p.cols() != cols) {
            throw new IllegalArgumentException("projections are " + p.views() + "×" + p.rows() + "×" + p.cols()
                    + " (views×rows×cols), the geometry describes " + views + "×" + rows + "×" + cols);
        }
        applyToViews(p.data(), 0, views);
    }

    /** As {@link #apply(ProjectionStack)} for views {@code [firstView, firstView + count)} held in {@code chunk}. */
    public void applyToViews(float[] chunk, int firstView, int count) {
        if (offsetDetector) {
            throw new IllegalStateException("an offset detector's views have no FDK weights of their own: "
                    + "complete them first (HalfFanCompletion) and weight the centred scan");
        }
        if (firstView < 0 || count < 0 || firstView + count > views || chunk.length != count * rows * cols) {
            throw new IllegalArgumentException("a chunk of views " + firstView + "…" + (firstView + count - 1) + " with "
                    + chunk.length + " values does not fit the geometry's " + views + " views of " + rows + "×" + cols);
        }
        java.util.stream.IntStream.range(0, count).parallel().forEach(i -> {
            int view = firstView + i;
            for (int r = 0; r < rows; r++) {
                int off = (i * rows + r) * cols;
                for (int c = 0; c < cols; c++) {
                    float w = cosine[r * cols + c];
                    if (parker != null) w *= parker[view * cols + c];
                    chunk[off + c] *= w;
                }
            }
        });
    }

    private static double length(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }
}
