package org.pdrecon.fdk;

import java.io.IOException;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Completes the projections of an offset ("half-fan") detector over a full circle with their conjugate rays, so
 * that FDK can run as on a centred detector (no Wang weights).
 *
 * <p>Why: Wang's weights applied before the ramp filter bias μ upwards beyond the overlap both detector sides see,
 * by up to 20 % for a narrow overlap (docs/fdk.md, "Offset detectors"). Filling in the missing side instead makes
 * each view a whole fan, which full-scan FDK reconstructs without that bias.
 *
 * <p>How: the detector is widened on its narrow side by {@code m = ceil(2|offset|/du)} columns (the old columns keep
 * their positions; the new centre is within half a pixel of the principal ray). A column {@code u} (from the
 * principal ray) the detector did not measure is the ray from the source {@code S(β)} through it, at fan angle
 * γ; the same line, travelled the other way, is the ray at fan angle −γ (column {@code −u}) from the other point
 * where it meets the source circle, {@code P} (β + 180° + 2γ). That source position lies between two views; column
 * {@code −u} of each is read (linear interpolation along the row) and the two are blended by angle: the fan-beam
 * rebinning of a conjugate at fixed fan angle. Rows keep their index: exact in the mid-plane, and FDK's own
 * cone-beam approximation off it. Across the overlap ({@code |u| ≤ a}) measured and
 * conjugate values are blended with Wang's weight, so the seam is smooth.
 */
public final class HalfFanCompletion {
    private HalfFanCompletion() {}

    /** A completed scan: the widened projections and the centred geometry they belong to. */
    public record Completed(ProjectionStack projections, ConeBeamGeometry geometry) {}

    /**
     * @param source the offset detector's views
     * @param geometry a full circular scan whose detector offset is more than a pixel and under half its width
     */
    public static Completed complete(ViewSource source, ConeBeamGeometry geometry) throws IOException {
        CircularOrbit orbit = geometry.orbit().orElseThrow(() -> new IllegalArgumentException("half-fan completion needs a circular orbit"));
        int views = geometry.views(), rows = geometry.detectorRows(), cols = geometry.detectorCols();
        double du = length(geometry.u(0)), dv = length(geometry.v(0));
        double off = orbit.offsetUMm();
        float[] wang = WangWeights.compute(cols, du, off); // doubled; validates that the axis is seen
        int side = off >= 0 ? 1 : -1;
        int m = (int) Math.ceil(2 * Math.abs(off) / du - 1e-9);
        int wide = cols + m;
        int shift = side > 0 ? m : 0; // new columns go before the old ones when the narrow side is at low u
        double newOff = off - side * m * du / 2;
        ConeBeamGeometry centred = ConeBeamGeometry.circular().setVolume(geometry.volume()).setSodMm(orbit.sodMm()).setSddMm(orbit.sddMm())
                .setDetector(rows, wide, dv, du).optDetectorOffsetMm(newOff, orbit.offsetVMm()).setAnglesDeg(orbit.anglesDeg()).build();

        float[] measured = new float[views * rows * cols];
        source.read(0, views, measured);
        double[] angle = new double[views]; // source azimuth per view, radians in [0, 2π)
        Integer[] order = new Integer[views];
        for (int j = 0; j < views; j++) {
            double[] s = geometry.source(j);
            angle[j] = normalise(Math.atan2(s[1], s[0]));
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(angle[a], angle[b]));

        float[] out = new float[views * rows * wide];
        java.util.stream.IntStream.range(0, views).parallel().forEach(i -> {
            double[] s = geometry.source(i), d = geometry.detectorCentre(i), uu = geometry.u(i);
            for (int c = 0; c < wide; c++) {
                int old = c - shift;
                double weight = old >= 0 && old < cols ? wang[old] / 2 : 0; // share of the measured value
                double[] conj = weight >= 1 ? null : conjugate(s, d, uu, c - shift, cols, du, off, angle, order);
                for (int r = 0; r < rows; r++) {
                    double value = 0;
                    if (weight > 0) value += weight * measured[(i * rows + r) * cols + old];
                    if (conj != null) value += (1 - weight) * conjugateValue(measured, conj, r, rows, cols);
                    out[(i * rows + r) * wide + c] = (float) value;
                }
            }
        });
        return new Completed(new ProjectionStack(views, rows, wide, out), centred);
    }

    /**
     * For the ray of view {@code i} (source {@code s}, detector centre {@code d}, column step {@code uu}) through
     * old-detector column position {@code col} (may lie off the detector): {view a, column, view b, column, weight
     * of b}, the column being the mirror {@code −u} of the ray's position from the principal ray.
     */
    private static double[] conjugate(double[] s, double[] d, double[] uu, int col, int cols, double du, double off, double[] angle,
                                      Integer[] order) {
        double t = col + 0.5 - cols / 2.0; // in pixels from the detector centre
        double px = d[0] + t * uu[0] - s[0], py = d[1] + t * uu[1] - s[1]; // mid-plane direction of the ray
        double k = -2 * (s[0] * px + s[1] * py) / (px * px + py * py);
        double qx = s[0] + k * px, qy = s[1] + k * py; // the other point of the line on the source circle
        double phi = normalise(Math.atan2(qy, qx));
        int n = order.length;
        int hi = 0;
        while (hi < n && angle[order[hi]] < phi) hi++;
        int a = order[Math.floorMod(hi - 1, n)], b = order[hi % n];
        double span = normalise(angle[b] - angle[a]);
        double w = span == 0 ? 0 : normalise(phi - angle[a]) / span;
        double u = (col + 0.5 - cols / 2.0) * du + off; // from the principal ray
        double mirror = (-u - off) / du + cols / 2.0 - 0.5;
        return new double[] {a, mirror, b, mirror, w};
    }

    private static double conjugateValue(float[] p, double[] conj, int r, int rows, int cols) {
        double w = conj[4];
        return (1 - w) * sample(p, (int) conj[0], conj[1], r, rows, cols) + w * sample(p, (int) conj[2], conj[3], r, rows, cols);
    }

    /** Linear interpolation along row {@code r} of view {@code view}; 0 off the detector. */
    private static double sample(float[] p, int view, double col, int r, int rows, int cols) {
        int c0 = (int) Math.floor(col);
        double f = col - c0;
        int base = (view * rows + r) * cols;
        double a = c0 >= 0 && c0 < cols ? p[base + c0] : 0, b = c0 + 1 >= 0 && c0 + 1 < cols ? p[base + c0 + 1] : 0;
        return (1 - f) * a + f * b;
    }

    private static double normalise(double radians) {
        double r = radians % (2 * Math.PI);
        return r < 0 ? r + 2 * Math.PI : r;
    }

    private static double length(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }
}
