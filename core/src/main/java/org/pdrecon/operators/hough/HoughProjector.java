package org.pdrecon.operators.hough;

import java.util.Objects;
import org.pdrecon.operators.KernelPool;
import org.pdrecon.operators.LinearOperator;
import org.pdrecon.operators.Shapes;

/**
 * Fast 2D parallel-beam projection by the fast Hough transform (shared/seeds/001), with its exact transpose
 * as the matched backprojector: O(n² log n) for all views together instead of Joseph's O(views·n²).
 *
 * <p>The image is turned into each of four orientations (identity, x-mirror, transpose, transpose with
 * mirror), so that every view's rays become "mostly vertical, drifting right" in one of them; there
 * {@link DyadicHough} sums the image along dyadic lines of slopes {@code t/(p − 1)}, {@code t = 0…p − 1}
 * ({@code p} = n rounded up to a power of two). A view's column is then read from the Hough image by
 * linear interpolation between the two nearest slopes and, within each, the two nearest line offsets,
 * and scaled by the path length per row. The dyadic lines stray from the true ones by up to about
 * {@code log₂(p)/6} pixels, so this is an approximation of the Joseph projector, not a replacement: it is
 * meant for previews and for fast first iterations (docs/operators.md, "Fast Hough projectors").
 *
 * <p>Domain {@code [1][n][n]} (μ in 1/mm), range {@code [views][1][cols]} (line integrals).
 * {@link #adjoint()} is the exact transpose. Orientations run as independent units on a
 * {@link KernelPool}; results do not depend on the thread count.
 */
public final class HoughProjector implements LinearOperator {
    private final ParallelBeam2D geometry;
    private final KernelPool pool;
    private final int n, p;
    private final Orientation[] orientations = new Orientation[4];
    private final LinearOperator adjoint = new Transpose();

    public HoughProjector(ParallelBeam2D geometry) {
        this(geometry, KernelPool.shared());
    }

    public HoughProjector(ParallelBeam2D geometry, KernelPool pool) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.n = geometry.n();
        this.p = Integer.highestOneBit(n - 1) << 1;
        Taps[] taps = new Taps[geometry.views()];
        int[] owner = new int[geometry.views()];
        for (int v = 0; v < geometry.views(); v++) {
            double theta = Math.toRadians(geometry.angleDeg(v));
            double c = Math.cos(theta), s = Math.sin(theta);
            // The detector normal (cos θ, sin θ) in each orientation; the first where it reads ±(1, −a)
            // with a in [0, 1] owns the view.
            double[][] normals = {{c, s}, {-c, s}, {s, c}, {-s, c}};
            for (int o = 0; o < 4; o++) {
                double nx = normals[o][0], ny = normals[o][1];
                if (Math.abs(nx) < Math.abs(ny) - 1e-12 || nx * ny > 1e-12) continue;
                owner[v] = o;
                taps[v] = new Taps(Math.min(1.0, Math.abs(ny / nx)), Math.signum(nx));
                break;
            }
        }
        for (int o = 0; o < 4; o++) {
            int count = 0;
            for (int v = 0; v < taps.length; v++) if (owner[v] == o) count++;
            if (count == 0) continue;
            int[] views = new int[count];
            for (int v = 0, i = 0; v < taps.length; v++) if (owner[v] == o) views[i++] = v;
            orientations[o] = new Orientation(o, views, taps);
        }
    }

    public ParallelBeam2D geometry() { return geometry; }

    @Override
    public int[] domainShape() { return new int[] {1, n, n}; }

    @Override
    public int[] rangeShape() { return new int[] {geometry.views(), 1, geometry.cols()}; }

    @Override
    public void apply(float[] x, float[] out) {
        Shapes.check("image", x, n * n);
        Shapes.check("projections", out, geometry.views() * geometry.cols());
        pool.parallelFor(4, o -> {
            if (orientations[o] != null) orientations[o].project(x, out);
        });
    }

    @Override
    public LinearOperator adjoint() { return adjoint; }

    /** Per view: the slope a = tan of the angle from the orientation's vertical, and the offset's sign. */
    private record Taps(double slope, double sign) { }

    /** One of the four orientations with the views it owns and the Hough transform of their slopes. */
    private final class Orientation {
        private final int kind;
        private final int[] views;
        // Per owned view and column: the two slopes' rows, their weights and the interpolation position.
        private final int[] slopeLo;
        private final float[] slopeWeight;
        private final double[] rowScaleLo, rowScaleHi;
        private final double[][] xLo, xHi;
        private final DyadicHough hough;

        Orientation(int kind, int[] views, Taps[] taps) {
            this.kind = kind;
            this.views = views;
            int m = views.length, cols = geometry.cols();
            slopeLo = new int[m];
            slopeWeight = new float[m];
            rowScaleLo = new double[m];
            rowScaleHi = new double[m];
            xLo = new double[m][cols];
            xHi = new double[m][cols];
            boolean[] slopes = new boolean[p];
            double pixel = geometry.pixelMm();
            for (int i = 0; i < m; i++) {
                Taps tap = taps[views[i]];
                double t = tap.slope() * (p - 1);
                int lo = Math.min((int) Math.floor(t), p - 1), hi = Math.min(lo + 1, p - 1);
                slopeLo[i] = lo;
                slopeWeight[i] = (float) (t - lo);
                slopes[lo] = true;
                if (slopeWeight[i] > 0) slopes[hi] = true;
                rowScaleLo[i] = pixel * Math.hypot(1, lo / (double) (p - 1));
                rowScaleHi[i] = pixel * Math.hypot(1, hi / (double) (p - 1));
                for (int c = 0; c < cols; c++) {
                    double s = tap.sign() * geometry.columnOffsetMm(c);
                    xLo[i][c] = startColumn(s, lo / (double) (p - 1));
                    xHi[i][c] = startColumn(s, hi / (double) (p - 1));
                }
            }
            hough = new DyadicHough(slopes);
        }

        /**
         * Padded column (image columns start at {@code p}) where the line of slope {@code a} pixels per row and
         * signed offset {@code s} mm crosses the centre of row 0: the line is
         * {@code (x − a·y)/√(1 + a²) = s} in centred pixel coordinates.
         */
        private double startColumn(double s, double a) {
            double half = n / 2.0 - 0.5; // centre of the image in pixel indices
            return p + half + s * Math.hypot(1, a) / geometry.pixelMm() - a * half;
        }

        void project(float[] image, float[] out) {
            float[] a = new float[p * 2 * p], b = new float[a.length];
            load(image, a);
            float[] h = hough.forward(a, b);
            int cols = geometry.cols(), width = 2 * p;
            for (int i = 0; i < views.length; i++) {
                int row = slopeLo[i] * width, rowHi = Math.min(slopeLo[i] + 1, p - 1) * width;
                double w = slopeWeight[i];
                int base = views[i] * cols;
                for (int c = 0; c < cols; c++) {
                    double v = (1 - w) * rowScaleLo[i] * sample(h, row, xLo[i][c], width);
                    if (w > 0) v += w * rowScaleHi[i] * sample(h, rowHi, xHi[i][c], width);
                    out[base + c] = (float) v;
                }
            }
        }

        /** Adds this orientation's share of {@code Aᵀ y} into {@code image}. */
        void backproject(float[] y, float[] image) {
            float[] g = new float[p * 2 * p], b = new float[g.length];
            int cols = geometry.cols(), width = 2 * p;
            for (int i = 0; i < views.length; i++) {
                int row = slopeLo[i] * width, rowHi = Math.min(slopeLo[i] + 1, p - 1) * width;
                double w = slopeWeight[i];
                int base = views[i] * cols;
                for (int c = 0; c < cols; c++) {
                    double v = y[base + c];
                    spread(g, row, xLo[i][c], width, (1 - w) * rowScaleLo[i] * v);
                    if (w > 0) spread(g, rowHi, xHi[i][c], width, w * rowScaleHi[i] * v);
                }
            }
            float[] rows = hough.transpose(g, b);
            store(rows, image);
        }

        private static double sample(float[] h, int row, double x, int width) {
            int x0 = (int) Math.floor(x);
            double f = x - x0, v = 0;
            if (x0 >= 0 && x0 < width) v += (1 - f) * h[row + x0];
            if (x0 + 1 >= 0 && x0 + 1 < width) v += f * h[row + x0 + 1];
            return v;
        }

        private static void spread(float[] g, int row, double x, int width, double value) {
            int x0 = (int) Math.floor(x);
            double f = x - x0;
            if (x0 >= 0 && x0 < width) g[row + x0] += (float) ((1 - f) * value);
            if (x0 + 1 >= 0 && x0 + 1 < width) g[row + x0 + 1] += (float) (f * value);
        }

        /** Index in the {@code n × n} image of the pixel that lands at (row, col) of this orientation. */
        private int sourceIndex(int row, int col) {
            int m = n - 1;
            return switch (kind) {
                case 0 -> row * n + col;             // identity
                case 1 -> row * n + (m - col);       // x → −x
                case 2 -> col * n + row;             // transpose: x' = y, y' = x
                default -> (m - col) * n + row;      // x' = −y, y' = x
            };
        }

        private void load(float[] image, float[] a) {
            int width = 2 * p;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) a[r * width + p + c] = image[sourceIndex(r, c)];
            }
        }

        private void store(float[] rows, float[] image) {
            int width = 2 * p;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) image[sourceIndex(r, c)] += rows[r * width + p + c];
            }
        }
    }

    /** {@code Aᵀ}: scatter each view into its orientation's Hough image, transpose the transform, turn back. */
    private final class Transpose implements LinearOperator {
        @Override
        public int[] domainShape() { return HoughProjector.this.rangeShape(); }

        @Override
        public int[] rangeShape() { return HoughProjector.this.domainShape(); }

        @Override
        public void apply(float[] y, float[] out) {
            Shapes.check("projections", y, geometry.views() * geometry.cols());
            Shapes.check("image", out, n * n);
            float[][] parts = new float[4][];
            pool.parallelFor(4, o -> {
                if (orientations[o] == null) return;
                parts[o] = new float[n * n];
                orientations[o].backproject(y, parts[o]);
            });
            java.util.Arrays.fill(out, 0f);
            for (float[] part : parts) {
                if (part == null) continue;
                for (int i = 0; i < out.length; i++) out[i] += part[i];
            }
        }

        @Override
        public LinearOperator adjoint() { return HoughProjector.this; }
    }
}
