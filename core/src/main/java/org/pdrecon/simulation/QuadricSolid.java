package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A quadric region cut by half-spaces, with a constant Δμ: the shapes of anatomical phantoms (FORBILD-style
 * clipped ellipsoids, finite elliptic cylinders, cone frusta). In the solid's local frame
 * {@code q = S⁻¹·Rᵀ·(p − c)} (centre {@code c}, rotation {@code R}, semi-axes {@code S}) the quadric is
 * <ul>
 *   <li>ellipsoid: {@code qx² + qy² + qz² ≤ 1};</li>
 *   <li>elliptic cylinder about the local z axis: {@code qx² + qy² ≤ 1};</li>
 *   <li>elliptic cone with its apex at {@code c}: {@code qx² + qy² ≤ qz²};</li>
 * </ul>
 * and every clipping plane keeps {@code n·p ≤ h} (world coordinates). The chord of a ray is exact: the
 * quadric's roots and the planes' crossings cut the segment into pieces, and each piece is inside or outside
 * as a whole (tested at its midpoint), so shapes whose quadric is not convex (the double cone) are exact too.
 * Immutable.
 */
public final class QuadricSolid extends BoxedSolid {
    /** The quadric's kind in the local frame. */
    public enum Kind { ELLIPSOID, CYLINDER, CONE }

    /** A half-space {@code n·p ≤ h} kept by the solid; {@code n} need not be unit length. */
    public record Plane(double nx, double ny, double nz, double h) {
        boolean keeps(double x, double y, double z) {
            return nx * x + ny * y + nz * z <= h;
        }

        Plane translated(double dx, double dy, double dz) {
            return new Plane(nx, ny, nz, h + nx * dx + ny * dy + nz * dz);
        }
    }

    private final Kind kind;
    private final double[] c, semi, rot; // rot: row-major R (columns are the local axes in world coordinates)
    private final double[] m; // S⁻¹·Rᵀ, row-major
    private final List<Plane> planes;

    /**
     * @param rotation row-major 3×3 proper rotation whose columns are the local x, y, z axes
     * @param box the axis-aligned box {@code {cx, cy, cz, hx, hy, hz}} that holds the clipped solid (the
     *     factories compute it; it must hold the whole solid: rasterisation, chords and the projector's per-view
     *     culling skip what lies outside it)
     */
    QuadricSolid(Kind kind, double[] centreMm, double[] semiAxesMm, double[] rotation, List<Plane> planes, double valuePerMm, double[] box) {
        super(valuePerMm, clippedBox(box, planes));
        this.kind = kind;
        this.c = centreMm.clone();
        this.semi = semiAxesMm.clone();
        for (double s : semi) if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("semi-axes must be positive, got " + Arrays.toString(semi));
        this.rot = rotation.clone();
        this.m = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) m[3 * i + j] = rot[3 * j + i] / semi[i];
        this.planes = List.copyOf(planes);
    }

    /** Planes along a world axis (n = ±e_k) shrink the box: a rib's half ring has half its ring's box. */
    private static double[] clippedBox(double[] box, List<Plane> planes) {
        double[] lo = {box[0] - box[3], box[1] - box[4], box[2] - box[5]}, hi = {box[0] + box[3], box[1] + box[4], box[2] + box[5]};
        for (Plane p : planes) {
            double[] n = {p.nx(), p.ny(), p.nz()};
            for (int k = 0; k < 3; k++) {
                if (n[(k + 1) % 3] != 0 || n[(k + 2) % 3] != 0 || n[k] == 0) continue;
                if (n[k] > 0) hi[k] = Math.min(hi[k], p.h() / n[k]);
                else lo[k] = Math.max(lo[k], p.h() / n[k]);
            }
        }
        return box(lo, hi);
    }

    /** An ellipsoid (semi-axes along the rotation's columns) cut by {@code planes}. */
    public static QuadricSolid ellipsoid(double[] centreMm, double[] semiAxesMm, double[] rotation, double valuePerMm, Plane... planes) {
        double[] h = Ellipsoid.halfExtents(rotation, semiAxesMm);
        return new QuadricSolid(Kind.ELLIPSOID, centreMm, semiAxesMm, rotation, List.of(planes), valuePerMm,
                new double[] {centreMm[0], centreMm[1], centreMm[2], h[0], h[1], h[2]});
    }

    /**
     * A finite elliptic cylinder: radii {@code rx, ry} across, {@code length} along the rotation's third column,
     * centred on {@code centreMm}; {@code extra} planes cut it further.
     */
    public static QuadricSolid cylinder(double[] centreMm, double rx, double ry, double length, double[] rotation, double valuePerMm, Plane... extra) {
        double[] axis = {rotation[2], rotation[5], rotation[8]};
        List<Plane> planes = new ArrayList<>(capPlanes(centreMm, axis, -length / 2, length / 2));
        planes.addAll(List.of(extra));
        return new QuadricSolid(Kind.CYLINDER, centreMm, new double[] {rx, ry, 1}, rotation, planes, valuePerMm,
                frustumBox(centreMm, rotation, rx, ry, rx, ry, length));
    }

    /**
     * A frustum of an elliptic cone along the rotation's third column: radii {@code (rx0, ry0)} at
     * {@code −length/2} and {@code (rx1, ry1) = k·(rx0, ry0)} at {@code +length/2} from {@code centreMm}
     * ({@code k ≠ 1}; the same ellipse shape at both ends, as on a cone).
     */
    public static QuadricSolid frustum(double[] centreMm, double rx0, double ry0, double k, double length, double[] rotation, double valuePerMm) {
        if (!(k >= 0) || k == 1 || !Double.isFinite(k)) throw new IllegalArgumentException("a frustum's end ratio must be ≥ 0 and not 1, got " + k);
        double h = length / 2;
        // Radius grows linearly along the axis: r(s) = rx0 + (s + h)·(rx1 − rx0)/length, zero at the apex.
        double slope = (k * rx0 - rx0) / length; // d r_x / d s
        double apexS = -h - rx0 / slope;
        double[] axis = {rotation[2], rotation[5], rotation[8]};
        double[] apex = {centreMm[0] + apexS * axis[0], centreMm[1] + apexS * axis[1], centreMm[2] + apexS * axis[2]};
        double slopeY = slope * ry0 / rx0;
        // Local q = (x/|slope|, y/|slopeY|, s − apexS): qx² + qy² ≤ qz².
        List<Plane> planes = capPlanes(centreMm, axis, -h, h);
        return new QuadricSolid(Kind.CONE, apex, new double[] {Math.abs(slope), Math.abs(slopeY), 1}, rotation, planes, valuePerMm,
                frustumBox(centreMm, rotation, rx0, ry0, k * rx0, k * ry0, length));
    }

    /** The rotation about z by {@code phi} radians (row-major). */
    public static double[] zRotation(double phi) {
        return Ellipsoid.zRotation(phi);
    }

    /** The rotation that takes the local z axis to world {@code y} (x stays x): a cylinder lying front to back. */
    public static final double[] Z_TO_Y = {1, 0, 0, 0, 0, 1, 0, -1, 0};

    /** The rotation that takes the local z axis to world {@code x}: a cylinder lying left to right. */
    public static final double[] Z_TO_X = {0, 0, 1, 0, 1, 0, -1, 0, 0};

    private static List<Plane> capPlanes(double[] c, double[] axis, double s0, double s1) {
        double along = axis[0] * c[0] + axis[1] * c[1] + axis[2] * c[2];
        return List.of(new Plane(axis[0], axis[1], axis[2], along + s1), new Plane(-axis[0], -axis[1], -axis[2], -(along + s0)));
    }

    /** The box around the two end ellipses of a frustum (or cylinder) of the given end radii. */
    private static double[] frustumBox(double[] c, double[] r, double rx0, double ry0, double rx1, double ry1, double length) {
        double[] lo = new double[3], hi = new double[3];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        double[][] ends = {{-length / 2, rx0, ry0}, {length / 2, rx1, ry1}};
        for (double[] e : ends) {
            for (int k = 0; k < 3; k++) {
                double centre = c[k] + e[0] * r[3 * k + 2];
                double half = Math.sqrt(sq(r[3 * k] * e[1]) + sq(r[3 * k + 1] * e[2]));
                lo[k] = Math.min(lo[k], centre - half);
                hi[k] = Math.max(hi[k], centre + half);
            }
        }
        return new double[] {(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2, (hi[0] - lo[0]) / 2, (hi[1] - lo[1]) / 2, (hi[2] - lo[2]) / 2};
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public boolean contains(double x, double y, double z) {
        double px = x - c[0], py = y - c[1], pz = z - c[2];
        double qx = m[0] * px + m[1] * py + m[2] * pz, qy = m[3] * px + m[4] * py + m[5] * pz, qz = m[6] * px + m[7] * py + m[8] * pz;
        if (quadric(qx, qy, qz) > 0) return false;
        for (Plane p : planes) if (!p.keeps(x, y, z)) return false;
        return true;
    }

    private double quadric(double qx, double qy, double qz) {
        return switch (kind) {
            case ELLIPSOID -> qx * qx + qy * qy + qz * qz - 1;
            case CYLINDER -> qx * qx + qy * qy - 1;
            case CONE -> qx * qx + qy * qy - qz * qz;
        };
    }

    @Override
    public double chordLengthMm(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        if (missesBox(ox, oy, oz, dx, dy, dz, tMax)) return 0; // most rays miss a small solid: skip the roots and the sort
        double[] cuts = new double[maxCuts() + 2];
        int n = 0;
        cuts[n++] = 0;
        cuts[n++] = tMax;
        n = addCuts(ox, oy, oz, dx, dy, dz, cuts, n);
        if (n < 0) return 0;
        return insideLength(this::contains, ox, oy, oz, dx, dy, dz, tMax, cuts, n);
    }

    /** The most ray parameters {@link #addCuts} appends: two roots and one per plane. */
    int maxCuts() {
        return 2 + planes.size();
    }

    /**
     * Appends to {@code cuts} (from index {@code n}) the ray parameters where {@code o + t·d} crosses the quadric or a
     * plane, and returns the new count; or −1 when the ray provably never enters the quadric.
     */
    int addCuts(double ox, double oy, double oz, double dx, double dy, double dz, double[] cuts, int n) {
        double px = ox - c[0], py = oy - c[1], pz = oz - c[2];
        double qx = m[0] * px + m[1] * py + m[2] * pz, qy = m[3] * px + m[4] * py + m[5] * pz, qz = m[6] * px + m[7] * py + m[8] * pz;
        double ex = m[0] * dx + m[1] * dy + m[2] * dz, ey = m[3] * dx + m[4] * dy + m[5] * dz, ez = m[6] * dx + m[7] * dy + m[8] * dz;
        // Q(t) = A t² + 2B t + C along the ray.
        double sz = switch (kind) { case ELLIPSOID -> 1; case CYLINDER -> 0; case CONE -> -1; };
        double a = ex * ex + ey * ey + sz * ez * ez, b = qx * ex + qy * ey + sz * qz * ez, cc = quadric(qx, qy, qz);
        double scale = ex * ex + ey * ey + ez * ez;
        if (Math.abs(a) > 1e-12 * scale) {
            double disc = b * b - a * cc;
            if (disc < 0) {
                if (a > 0) return -1; // the ray never enters a quadric that is bounded along it
            } else {
                double s = Math.sqrt(disc);
                double q = b >= 0 ? -(b + s) : -(b - s); // the stable pair of roots
                if (q != 0) cuts[n++] = q / a;
                if (q != 0) cuts[n++] = cc / q;
            }
        } else if (b != 0) {
            cuts[n++] = -cc / (2 * b);
        }
        for (Plane p : planes) {
            double rate = p.nx() * dx + p.ny() * dy + p.nz() * dz;
            if (rate != 0) cuts[n++] = (p.h() - (p.nx() * ox + p.ny() * oy + p.nz() * oz)) / rate;
        }
        return n;
    }

    /** A membership test of a world point. */
    interface Membership {
        boolean contains(double x, double y, double z);
    }

    /**
     * The length of {@code [0, tMax]} inside a region whose boundary the ray crosses only at {@code cuts[0..n)}: between
     * consecutive cuts the ray is wholly inside or outside, so each piece is tested at its midpoint.
     */
    static double insideLength(Membership region, double ox, double oy, double oz, double dx, double dy, double dz, double tMax,
                               double[] cuts, int n) {
        Arrays.sort(cuts, 0, n);
        double length = 0;
        for (int i = 0; i + 1 < n; i++) {
            double t0 = Math.max(cuts[i], 0), t1 = Math.min(cuts[i + 1], tMax);
            if (t1 <= t0) continue;
            double t = (t0 + t1) / 2;
            if (region.contains(ox + t * dx, oy + t * dy, oz + t * dz)) length += t1 - t0;
        }
        return length;
    }

    @Override
    public QuadricSolid translated(double dxMm, double dyMm, double dzMm) {
        List<Plane> moved = new ArrayList<>();
        for (Plane p : planes) moved.add(p.translated(dxMm, dyMm, dzMm));
        return new QuadricSolid(kind, new double[] {c[0] + dxMm, c[1] + dyMm, c[2] + dzMm}, semi, rot, moved, valuePerMm(),
                movedBox(dxMm, dyMm, dzMm));
    }

    /** This solid with another Δμ. */
    public QuadricSolid withValue(double valuePerMm) {
        return new QuadricSolid(kind, c, semi, rot, planes, valuePerMm, movedBox(0, 0, 0));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "QuadricSolid[%s, centre (%.4g, %.4g, %.4g) mm, %d planes, Δμ %.5g /mm]", kind, c[0], c[1], c[2],
                planes.size(), valuePerMm());
    }

    private static double sq(double v) {
        return v * v;
    }
}
