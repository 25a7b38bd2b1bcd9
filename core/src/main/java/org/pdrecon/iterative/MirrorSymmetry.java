package org.pdrecon.iterative;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryException;
import org.pdrecon.geometry.VolumeGrid;

/**
 * A mirror symmetry of a whole scan, the premise of the symmetric split (shared/seeds/003): a reflection
 * {@code R} about a vertical plane through the volume centre that maps the voxel grid onto itself and every
 * view onto a partner view ({@code p(v)}; a view may be its own partner). Then the system matrix satisfies
 * {@code A[P(i), M(j)] = A[i, j]} for the ray map {@code P} (view {@code v} → {@code p(v)}, same row,
 * column mirrored) and the voxel map {@code M}, and {@code A·x = b} splits into a mirror-symmetric and a
 * mirror-antisymmetric system ({@link SymmetricSplit}).
 *
 * <p>Planes tried, in this order: {@code x = cx} (voxel column i ↔ nx−1−i), {@code y = cy}
 * (row j ↔ ny−1−j), and for square grids the diagonals {@code x − cx = y − cy} (i ↔ j) and
 * {@code x − cx = −(y − cy)}. The flips keep the Joseph projector's driving axis, so they are preferred.
 * Positions must agree within {@code 1e-6} of the scan's size.
 */
public final class MirrorSymmetry {
    /** The reflections tried; each maps a voxel grid onto itself. */
    public enum Plane {
        FLIP_X("x = centre x"), FLIP_Y("y = centre y"), DIAGONAL("x − cx = y − cy"), ANTI_DIAGONAL("x − cx = −(y − cy)");

        private final String text;

        Plane(String text) { this.text = text; }

        @Override
        public String toString() { return text; }
    }

    private final Plane plane;
    private final VolumeGrid grid;
    private final int[] partner;      // view → partner view
    private final boolean[] flipCols; // does the partner's column index run backwards (c ↔ cols−1−c)?

    private MirrorSymmetry(Plane plane, VolumeGrid grid, int[] partner, boolean[] flipCols) {
        this.plane = plane;
        this.grid = grid;
        this.partner = partner;
        this.flipCols = flipCols;
    }

    /**
     * The scan's mirror symmetry.
     *
     * @throws GeometryException naming the first view without a mirror partner for each plane tried
     */
    public static MirrorSymmetry of(ConeBeamGeometry g) {
        List<String> reasons = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            String why = gridMismatch(plane, g.volume());
            if (why == null) {
                MirrorSymmetry s = tryPlane(plane, g, reasons);
                if (s != null) return s;
            } else {
                reasons.add(plane + ": " + why);
            }
        }
        throw new GeometryException("the scan is not mirror-symmetric, so it cannot be split (the symmetric split needs views in mirror pairs"
                + " about a vertical plane through the volume centre, and a grid symmetric about it): " + String.join("; ", reasons));
    }

    private static String gridMismatch(Plane plane, VolumeGrid v) {
        if (plane == Plane.DIAGONAL || plane == Plane.ANTI_DIAGONAL) {
            if (v.nx() != v.ny() || Math.abs(v.dxMm() - v.dyMm()) > 1e-9 * v.dxMm()) return "the grid is not square in x and y";
        }
        return null;
    }

    private static MirrorSymmetry tryPlane(Plane plane, ConeBeamGeometry g, List<String> reasons) {
        int n = g.views();
        double scale = 1;
        for (int i = 0; i < n; i++) scale = Math.max(scale, Math.max(norm(g.source(i)), norm(g.detectorCentre(i))));
        double tol = 1e-6 * scale;
        double[] c = g.volume().centreMm();
        int[] partner = new int[n];
        boolean[] flip = new boolean[n];
        for (int i = 0; i < n; i++) {
            double[] want = reflect(plane, c, g.source(i), true);
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                double d = dist(want, g.source(k));
                if (d < bestD) { bestD = d; best = k; }
            }
            if (bestD > tol || dist(reflect(plane, c, g.detectorCentre(i), true), g.detectorCentre(best)) > tol) {
                reasons.add(String.format(Locale.ROOT, "%s: view %d has no mirror partner (nearest view %d is %.3g mm off)", plane, i, best, bestD));
                return null;
            }
            double[] ru = reflect(plane, c, g.u(i), false), rv = reflect(plane, c, g.v(i), false);
            double stepTol = 1e-6 * Math.max(norm(g.u(i)), norm(g.v(i)));
            if (dist(rv, g.v(best)) > stepTol) {
                reasons.add(plane + ": view " + i + " and its mirror view " + best + " have detector rows that do not mirror");
                return null;
            }
            if (dist(ru, g.u(best)) <= stepTol) {
                flip[i] = false;
            } else if (dist(neg(ru), g.u(best)) <= stepTol) {
                flip[i] = true;
            } else {
                reasons.add(plane + ": view " + i + " and its mirror view " + best + " have detector columns that do not mirror");
                return null;
            }
            partner[i] = best;
        }
        for (int i = 0; i < n; i++) {
            if (partner[partner[i]] != i) {
                reasons.add(plane + ": views " + i + " and " + partner[i] + " do not pair up (two views at one position?)");
                return null;
            }
        }
        return new MirrorSymmetry(plane, g.volume(), partner, flip);
    }

    /** Reflects a point (or, with {@code point} false, a direction) about the plane through {@code c}. */
    private static double[] reflect(Plane plane, double[] c, double[] p, boolean point) {
        double ox = point ? c[0] : 0, oy = point ? c[1] : 0;
        double x = p[0] - ox, y = p[1] - oy;
        double rx, ry;
        switch (plane) {
            case FLIP_X: rx = -x; ry = y; break;
            case FLIP_Y: rx = x; ry = -y; break;
            case DIAGONAL: rx = y; ry = x; break;
            default: rx = -y; ry = -x; break;
        }
        return new double[] {rx + ox, ry + oy, p[2]};
    }

    public Plane plane() { return plane; }

    /** The view that mirrors {@code view} (possibly itself). */
    public int partner(int view) { return partner[view]; }

    /** The column of the partner view that mirrors column {@code col} of {@code view}. */
    public int partnerColumn(int view, int col, int cols) { return flipCols[view] ? cols - 1 - col : col; }

    /** The voxel (flat index, z-y-x order) that mirrors voxel {@code index}. */
    public int mirrorVoxel(int index) {
        int nx = grid.nx(), ny = grid.ny();
        int i = index % nx, j = (index / nx) % ny, k = index / (nx * ny);
        switch (plane) {
            case FLIP_X: return grid.index(k, j, nx - 1 - i);
            case FLIP_Y: return grid.index(k, ny - 1 - j, i);
            case DIAGONAL: return grid.index(k, i, j);
            default: return grid.index(k, nx - 1 - i, ny - 1 - j);
        }
    }

    /** Number of views that are their own mirror. */
    public int selfMirroredViews() {
        int s = 0;
        for (int v = 0; v < partner.length; v++) if (partner[v] == v) s++;
        return s;
    }

    private static double norm(double[] a) { return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]); }

    private static double dist(double[] a, double[] b) {
        double x = a[0] - b[0], y = a[1] - b[1], z = a[2] - b[2];
        return Math.sqrt(x * x + y * y + z * z);
    }

    private static double[] neg(double[] a) { return new double[] {-a[0], -a[1], -a[2]}; }
}
