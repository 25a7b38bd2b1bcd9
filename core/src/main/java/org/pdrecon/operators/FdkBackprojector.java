package org.pdrecon.operators;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * FDK's voxel-driven, distance-weighted backprojection (Feldkamp, Davis &amp; Kress 1984). It is
 * <em>not</em> the transpose of {@link ConeBeamProjector}; solvers and gradients use
 * {@link ConeBeamProjector#adjoint()}.
 *
 * <p>For every voxel centre X it computes exactly
 * <pre>
 *   out(X) = Σ_v  w[v] · (R_v / depth_v(X))² · p_v(row_v(X), col_v(X))
 * </pre>
 * where {@code (row_v, col_v)} is where the ray from the source through X meets the detector
 * (the same map as {@link ConeBeamGeometry#projectPoint}), {@code p_v} is the projection sampled
 * bilinearly there (pixels outside the detector count zero), {@code depth_v(X) = (X − S_v)·n̂_v} is the
 * distance from the source along the detector normal n̂_v (the central ray), and {@code R_v} is the
 * source's distance to the rotation axis (SOD) for a circular orbit, or for per-view vector
 * geometries the depth of the volume grid's centre. For a circular orbit
 * {@code depth/SOD = U = (SOD + y·cosθ − x·sinθ)/SOD}, the classic FDK weight U⁻².
 *
 * <p>Everything else is left to the caller: the cosine (and Parker / offset-detector) weighting and
 * ramp filtering of the projections, including the filter's spatial scale, and the angular weights
 * {@code w[v]} (for a full circular scan typically Δθ/2 with Δθ in radians). Voxels behind a source
 * get nothing from that view.
 *
 * <p>Shapes: projections {@code [views][rows][cols]}, output volume {@code [nz][ny][nx]}, overwritten.
 * Runs on a {@link KernelPool} over rows of constant y; each voxel sums its views in view order, so
 * the result is bitwise the same for any thread count.
 */
public final class FdkBackprojector {
    private final ConeBeamGeometry geometry;
    private final KernelPool pool;
    private final int nx, ny, nz, views, rows, cols;
    /**
     * Per view 12 coefficients of three affine maps of the voxel index (i, j, k):
     * {@code colU, rowU, U}, each as {@code c_i·i + c_j·j + c_k·k + c_0}, so {@code col = colU/U},
     * {@code row = rowU/U} and the distance weight is {@code 1/U²}.
     */
    private final double[] maps;
    /** Rows of constant y per work unit (tiles of 4 rows × 128² voxels stay in a 1 MB L2 cache). */
    private static final int ROWS_PER_UNIT = 4;
    /** Each worker's tile, reused across units and calls: streaming FDK calls this once per chunk of views. */
    private final ThreadLocal<float[]> scratch;

    public FdkBackprojector(ConeBeamGeometry geometry) {
        this(geometry, KernelPool.shared());
    }

    public FdkBackprojector(ConeBeamGeometry geometry, KernelPool pool) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.pool = Objects.requireNonNull(pool, "pool");
        VolumeGrid grid = geometry.volume();
        nx = grid.nx();
        ny = grid.ny();
        nz = grid.nz();
        views = geometry.views();
        rows = geometry.detectorRows();
        cols = geometry.detectorCols();
        int tile = ROWS_PER_UNIT * nx * nz;
        scratch = ThreadLocal.withInitial(() -> new float[tile]);
        maps = new double[12 * views];
        for (int v = 0; v < views; v++) viewMap(v);
    }

    public ConeBeamGeometry geometry() {
        return geometry;
    }

    /**
     * Backprojects {@code projections} ({@code [views][rows][cols]}) into {@code out} ({@code [nz][ny][nx]},
     * overwritten) with per-view weights {@code viewWeights} (length = views).
     */
    public void apply(float[] projections, double[] viewWeights, float[] out) {
        Shapes.check("projections", projections, views * rows * cols);
        Shapes.check("volume", out, nx * ny * nz);
        checkWeights(viewWeights);
        pool.parallelFor((ny + ROWS_PER_UNIT - 1) / ROWS_PER_UNIT, u -> backprojectRows(u, projections, 0, views, viewWeights, out, false));
    }

    /**
     * Adds the backprojection of views {@code [firstView, firstView + count)} to {@code out}: {@code chunk}
     * holds just those views ({@code [count][rows][cols]}), {@code viewWeights} all of the scan's. Lets FDK
     * stream a scan through memory a few views at a time; summing the chunks in order gives the same
     * result for any thread count.
     */
    public void accumulate(float[] chunk, int firstView, int count, double[] viewWeights, float[] out) {
        if (firstView < 0 || count < 1 || firstView + count > views) {
            throw new IllegalArgumentException("views " + firstView + "…" + (firstView + count - 1) + " are not among the " + views + " views");
        }
        Shapes.check("projections", chunk, count * rows * cols);
        Shapes.check("volume", out, nx * ny * nz);
        checkWeights(viewWeights);
        pool.parallelFor((ny + ROWS_PER_UNIT - 1) / ROWS_PER_UNIT, u -> backprojectRows(u, chunk, firstView, count, viewWeights, out, true));
    }

    /** Buffer overload of {@link #apply(float[], double[], float[])} (whole capacities are used). */
    public void apply(FloatBuffer projections, double[] viewWeights, FloatBuffer out) {
        Shapes.check("projections", projections, views * rows * cols);
        Shapes.check("volume", out, nx * ny * nz);
        float[] pa = Shapes.array(projections), oa = Shapes.arrayForWrite(out);
        apply(pa, viewWeights, oa);
        Shapes.writeBack(oa, out);
    }

    private void checkWeights(double[] w) {
        if (w == null) throw new IllegalArgumentException("view weights are null");
        if (w.length != views) {
            throw new IllegalArgumentException("view weights have " + w.length + " values, the geometry has " + views + " views");
        }
        for (int v = 0; v < views; v++) {
            if (!Double.isFinite(w[v])) throw new IllegalArgumentException("view weight " + v + " is not finite: " + w[v]);
        }
    }

    private void viewMap(int view) {
        double[] s = geometry.source(view), d = geometry.detectorCentre(view), u = geometry.u(view), v = geometry.v(view);
        double[] n = cross(u, v);
        double nn = Math.sqrt(dot(n, n));
        for (int a = 0; a < 3; a++) n[a] /= nn;
        double[] ds = {d[0] - s[0], d[1] - s[1], d[2] - s[2]};
        if (dot(ds, n) < 0) for (int a = 0; a < 3; a++) n[a] = -n[a];
        double h = dot(ds, n); // source to detector plane along the normal
        VolumeGrid grid = geometry.volume();
        double ref;
        if (geometry.orbit().isPresent()) {
            CircularOrbit orbit = geometry.orbit().get();
            ref = orbit.sodMm();
        } else {
            double[] c = grid.centreMm();
            ref = (c[0] - s[0]) * n[0] + (c[1] - s[1]) * n[1] + (c[2] - s[2]) * n[2];
            if (!(ref > 0)) {
                throw new IllegalArgumentException("view " + view + ": the volume centre is not in front of the source");
            }
        }
        // Dual basis of (u, v) in the detector plane: a = hit·uDual, b = hit·vDual for hit = a·u + b·v.
        double uu = dot(u, u), vv = dot(v, v), uv = dot(u, v), det2 = uu * vv - uv * uv;
        double[] uD = new double[3], vD = new double[3];
        for (int a = 0; a < 3; a++) {
            uD[a] = (u[a] * vv - v[a] * uv) / det2;
            vD[a] = (v[a] * uu - u[a] * uv) / det2;
        }
        // U(X) = (X − S)·n / ref. hit − D = (S − D) + (X − S)·h/(U·ref), so
        // col·U = (cOff + (S − D)·uD)·U + (X − S)·uD·h/ref with cOff = cols/2 − ½ (and alike for rows).
        double cA = cols / 2.0 - 0.5 + (s[0] - d[0]) * uD[0] + (s[1] - d[1]) * uD[1] + (s[2] - d[2]) * uD[2];
        double rA = rows / 2.0 - 0.5 + (s[0] - d[0]) * vD[0] + (s[1] - d[1]) * vD[1] + (s[2] - d[2]) * vD[2];
        double[] colW = new double[3], rowW = new double[3], uW = new double[3];
        for (int a = 0; a < 3; a++) {
            uW[a] = n[a] / ref;
            colW[a] = cA * uW[a] + uD[a] * h / ref;
            rowW[a] = rA * uW[a] + vD[a] * h / ref;
        }
        double[] lo = grid.minCornerMm(), sp = {grid.dxMm(), grid.dyMm(), grid.dzMm()};
        double[][] world = {colW, rowW, uW};
        for (int f = 0; f < 3; f++) {
            double[] w = world[f];
            // Affine in X, zero at X = S; then X_a = lo_a + (idx_a + ½)·spacing_a.
            double c0 = -(w[0] * s[0] + w[1] * s[1] + w[2] * s[2]);
            for (int a = 0; a < 3; a++) c0 += w[a] * (lo[a] + 0.5 * sp[a]);
            int b = 12 * view + 4 * f;
            maps[b] = w[0] * sp[0];
            maps[b + 1] = w[1] * sp[1];
            maps[b + 2] = w[2] * sp[2];
            maps[b + 3] = c0;
        }
    }

    /**
     * A block of {@link #ROWS_PER_UNIT} rows of constant y: accumulates every view into scratch tiles
     * ordered {@code [x][z]} (z fastest, matching the inner loop), then stores them into the
     * {@code [z][y][x]} output. Several rows per view keep that view's projection in cache.
     */
    private void backprojectRows(int unit, float[] proj, int firstView, int count, double[] w, float[] out, boolean add) {
        int j0 = unit * ROWS_PER_UNIT, j1 = Math.min(ny, j0 + ROWS_PER_UNIT);
        float[] acc = scratch.get();
        java.util.Arrays.fill(acc, 0, (j1 - j0) * nx * nz, 0f);
        double[] m = maps;
        for (int v = firstView; v < firstView + count; v++) {
            if (w[v] == 0) continue;
            int b = 12 * v;
            double cK = m[b + 2], rK = m[b + 6], uK = m[b + 10];
            int pBase = (v - firstView) * rows * cols;
            for (int j = j0; j < j1; j++) {
                int tile = (j - j0) * nx * nz;
                for (int i = 0; i < nx; i++) {
                    double cu = m[b] * i + m[b + 1] * j + m[b + 3];
                    double ru = m[b + 4] * i + m[b + 5] * j + m[b + 7];
                    double uu = m[b + 8] * i + m[b + 9] * j + m[b + 11];
                    if (cK == 0 && uK == 0) {
                        // Circular orbits: column and distance weight do not change along z.
                        if (!(uu > 0)) continue;
                        double inv = 1 / uu;
                        double col = cu * inv;
                        if (!(col > -1 && col < cols)) continue;
                        float weight = (float) (w[v] * inv * inv);
                        if (nz == 1) {
                            // 2D fan beam: one voxel per column, so skip the column set-up.
                            acc[tile + i] += weight * sample(proj, pBase, ru * inv, col);
                        } else {
                            column(proj, pBase, col, ru * inv, rK * inv, weight, acc, tile + i * nz);
                        }
                    } else {
                        for (int k = 0; k < nz; k++) {
                            double uk = uu + k * uK;
                            if (!(uk > 0)) continue;
                            double inv = 1 / uk;
                            float s = sample(proj, pBase, (ru + k * rK) * inv, (cu + k * cK) * inv);
                            acc[tile + i * nz + k] += (float) (w[v] * inv * inv) * s;
                        }
                    }
                }
            }
        }
        // x innermost: each output row is written whole (the tile, in cache, is read across); z innermost
        // touched a new cache line of the volume for every voxel, once per chunk of views (7 % of FDK's time
        // at 256³, JFR).
        int plane = nx * ny;
        for (int j = j0; j < j1; j++) {
            int tile = (j - j0) * nx * nz;
            for (int k = 0; k < nz; k++) {
                int o = k * plane + j * nx, t = tile + k;
                if (add) for (int i = 0; i < nx; i++) out[o + i] += acc[t + i * nz];
                else for (int i = 0; i < nx; i++) out[o + i] = acc[t + i * nz];
            }
        }
    }

    /**
     * Adds weight·p(row0 + k·dRow, col) to acc[a + k] for every k (fixed column): one bilinear sample
     * per voxel, the column weights hoisted, checks only where the rows leave the detector.
     */
    private void column(float[] proj, int pBase, double col, double row0, double dRow, float weight,
                        float[] acc, int a) {
        double cf = Math.floor(col);
        int c0 = (int) cf;
        float fc = (float) (col - cf);
        boolean cIn0 = c0 >= 0, cIn1 = c0 + 1 < cols;
        float wc0 = cIn0 ? (1 - fc) * weight : 0f, wc1 = cIn1 ? fc * weight : 0f;
        // In-range columns (a clamped one has weight 0).
        int cA = pBase + (cIn0 ? c0 : c0 + 1), cB = pBase + (cIn1 ? c0 + 1 : c0);
        // Planes whose row lies in [0, rows − 1): both rows inside. Estimate, then verify the ends.
        int k0 = 0, k1 = nz - 1;
        if (dRow != 0) {
            double t0 = -row0 / dRow, t1 = (rows - 1 - row0) / dRow;
            double lo = Math.min(t0, t1), hi = Math.max(t0, t1);
            k0 = (int) Math.max(0, Math.min(nz, Math.ceil(lo)));
            k1 = (int) Math.min(nz - 1, Math.max(-1, Math.floor(hi)));
        }
        while (k0 <= k1 && !rowInterior(row0 + k0 * dRow)) k0++;
        while (k1 >= k0 && !rowInterior(row0 + k1 * dRow)) k1--;
        if (k0 > k1) {
            k0 = nz;
            k1 = nz - 1;
        }
        for (int k = 0; k < k0; k++) edge(proj, cA, cB, wc0, wc1, row0 + k * dRow, acc, a + k);
        final int cols = this.cols;
        // The row in fixed point, 32 fractional bits: an integer add per voxel instead of a double add and a
        // checked double-to-int conversion (1.2× faster in-process). Drift over the column: under
        // (nz + 1)·2⁻³³ pixels (6e-8 at nz = 512), inside rowInterior's margin.
        long row = Math.round((row0 + k0 * dRow) * FIXED_ONE), step = Math.round(dRow * FIXED_ONE);
        for (int k = k0; k <= k1; k++, row += step) {
            int o = (int) (row >>> 32) * cols; // row ≥ 0 here
            float fr = ((int) row >>> 8) * 0x1p-24f; // the fraction's top 24 bits (a long-to-float conversion costs 1.5×)
            float top = wc0 * proj[cA + o] + wc1 * proj[cB + o];
            float bottom = wc0 * proj[cA + o + cols] + wc1 * proj[cB + o + cols];
            acc[a + k] += top + fr * (bottom - top);
        }
        for (int k = Math.max(k1 + 1, k0); k < nz; k++) edge(proj, cA, cB, wc0, wc1, row0 + k * dRow, acc, a + k);
    }

    /**
     * Both neighbouring rows inside, with a margin: the interior loop steps the row incrementally in
     * fixed point, which differs from {@code row0 + k·dRow} by less than (nz + 1)·2⁻³³ pixels.
     */
    private boolean rowInterior(double row) {
        double margin = 1e-9 + (nz + 1) * 0x1p-32;
        return row >= margin && row < rows - 1 - margin;
    }

    /** One pixel in the interior loop's fixed-point rows. */
    private static final double FIXED_ONE = 0x1p32;

    /** The same sample as the interior loop of {@link #column}, for rows at or beyond the detector edge. */
    private void edge(float[] proj, int cA, int cB, float wc0, float wc1, double row, float[] acc, int a) {
        if (!(row > -1 && row < rows)) return;
        double rf = Math.floor(row);
        int r0 = (int) rf;
        float fr = (float) (row - rf);
        float top = 0f, bottom = 0f;
        if (r0 >= 0) top = wc0 * proj[cA + r0 * cols] + wc1 * proj[cB + r0 * cols];
        if (r0 + 1 < rows) bottom = wc0 * proj[cA + (r0 + 1) * cols] + wc1 * proj[cB + (r0 + 1) * cols];
        acc[a] += top + fr * (bottom - top);
    }

    /** Bilinear sample of one view's projection at continuous (row, col); outside pixels count zero. */
    private float sample(float[] proj, int pBase, double row, double col) {
        if (!(row > -1 && row < rows && col > -1 && col < cols)) return 0f;
        double rf = Math.floor(row), cf = Math.floor(col);
        int r0 = (int) rf, c0 = (int) cf;
        float fr = (float) (row - rf), fc = (float) (col - cf);
        float acc = 0f;
        for (int dr = 0; dr < 2; dr++) {
            int r = r0 + dr;
            if (r < 0 || r >= rows) continue;
            float wr = dr == 0 ? 1 - fr : fr;
            for (int dc = 0; dc < 2; dc++) {
                int c = c0 + dc;
                if (c < 0 || c >= cols) continue;
                acc += wr * (dc == 0 ? 1 - fc : fc) * proj[pBase + r * cols + c];
            }
        }
        return acc;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
