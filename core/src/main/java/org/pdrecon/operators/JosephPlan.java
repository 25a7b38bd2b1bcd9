package org.pdrecon.operators;

import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Per-view quantities of a geometry, precomputed once for the Joseph kernels (see
 * docs/operators.md). Everything is in continuous voxel-index units, where voxel
 * centres sit at integers: for axis a (0 = x, 1 = y, 2 = z), {@code idx_a(X) = (X_a − minCorner_a) /
 * spacing_a − 0.5}. The ray through detector pixel (row r, col c) of view v starts at the source
 * {@code s_v} and has direction {@code d = d0_v + c·du_v + r·dv_v} (source to pixel centre).
 */
final class JosephPlan {
    final ConeBeamGeometry geometry;
    /** Voxel counts and flat-array strides per axis (x, y, z). */
    final int[] n = new int[3], stride = new int[3];
    /** Voxel size per axis (x, y, z) in mm. */
    final double[] spacing = new double[3];
    final int views, rows, cols;
    /** Per view, 3 each: source, direction to pixel (0,0), and its change per column and per row. */
    final double[] src, dir0, dirCol, dirRow;
    /** Per view, inclusive detector row/column ranges whose rays can meet the volume. */
    final int[] rowLo, rowHi, colLo, colHi;

    JosephPlan(ConeBeamGeometry g) {
        this.geometry = g;
        VolumeGrid grid = g.volume();
        n[0] = grid.nx();
        n[1] = grid.ny();
        n[2] = grid.nz();
        stride[0] = 1;
        stride[1] = n[0];
        stride[2] = Math.multiplyExact(n[0], n[1]);
        Math.multiplyExact(stride[2], n[2]);
        spacing[0] = grid.dxMm();
        spacing[1] = grid.dyMm();
        spacing[2] = grid.dzMm();
        double[] corner = grid.minCornerMm();
        views = g.views();
        rows = g.detectorRows();
        cols = g.detectorCols();
        src = new double[3 * views];
        dir0 = new double[3 * views];
        dirCol = new double[3 * views];
        dirRow = new double[3 * views];
        double[] s = g.sourceArray(), d = g.detectorArray(), u = g.uArray(), v = g.vArray();
        for (int view = 0; view < views; view++) {
            for (int a = 0; a < 3; a++) {
                int i = 3 * view + a;
                src[i] = (s[i] - corner[a]) / spacing[a] - 0.5;
                double p00 = d[i] + (0.5 - cols / 2.0) * u[i] + (0.5 - rows / 2.0) * v[i];
                dir0[i] = (p00 - s[i]) / spacing[a];
                dirCol[i] = u[i] / spacing[a];
                dirRow[i] = v[i] / spacing[a];
            }
        }
        rowLo = new int[views];
        rowHi = new int[views];
        colLo = new int[views];
        colHi = new int[views];
        int[] box = new int[4];
        for (int view = 0; view < views; view++) {
            detectorBounds(view, new int[] {0, 0, 0}, n, box);
            rowLo[view] = box[0];
            rowHi[view] = box[1];
            colLo[view] = box[2];
            colHi[view] = box[3];
        }
    }

    int voxels() {
        return stride[2] * n[2];
    }

    int pixels() {
        return views * rows * cols;
    }

    /**
     * The detector pixels whose rays can have a nonzero sample in the voxel block {@code [lo, hi)}
     * (per axis x, y, z), as inclusive {@code {rowLo, rowHi, colLo, colHi}} (empty when lo > hi). The
     * samples' support is the block widened by one voxel (bilinear neighbours), projected through its
     * corners; a block not entirely in front of the source gets the whole detector.
     */
    void detectorBounds(int view, int[] lo, int[] hi, int[] out) {
        double[] corner = geometry.volume().minCornerMm();
        double rMin = Double.POSITIVE_INFINITY, rMax = Double.NEGATIVE_INFINITY;
        double cMin = Double.POSITIVE_INFINITY, cMax = Double.NEGATIVE_INFINITY;
        for (int bits = 0; bits < 8; bits++) {
            double[] p = new double[3];
            for (int a = 0; a < 3; a++) {
                // Sample support is idx in (lo − 1, hi); voxel index i has world centre corner + (i + ½)·spacing.
                double idx = ((bits >> a) & 1) == 0 ? lo[a] - 1 : hi[a];
                p[a] = corner[a] + (idx + 0.5) * spacing[a];
            }
            double[] rc = geometry.projectPoint(view, p);
            if (rc == null || !Double.isFinite(rc[0]) || !Double.isFinite(rc[1])) {
                out[0] = 0;
                out[1] = rows - 1;
                out[2] = 0;
                out[3] = cols - 1;
                return;
            }
            rMin = Math.min(rMin, rc[0]);
            rMax = Math.max(rMax, rc[0]);
            cMin = Math.min(cMin, rc[1]);
            cMax = Math.max(cMax, rc[1]);
        }
        // One pixel of margin absorbs the rounding of the projection.
        out[0] = (int) Math.max(0, Math.floor(rMin) - 1);
        out[1] = (int) Math.min(rows - 1, Math.ceil(rMax) + 1);
        out[2] = (int) Math.max(0, Math.floor(cMin) - 1);
        out[3] = (int) Math.min(cols - 1, Math.ceil(cMax) + 1);
    }
}
