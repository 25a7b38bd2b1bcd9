package org.pdrecon.simulation;

/**
 * A solid ellipsoid of constant attenuation, the building block of analytic phantoms. Values are
 * <em>additive</em> (as in Kak &amp; Slaney's phantoms): where ellipsoids overlap, μ is the sum of their
 * values.
 *
 * <p>Geometry: centre {@code c} (mm), semi-axes {@code (a, b, c)} (mm) along the ellipsoid's own axes,
 * and a rotation {@code R} whose columns are those axes in world coordinates. A world point {@code p}
 * is inside when {@code |diag(1/a, 1/b, 1/c)·Rᵀ·(p − c)| ≤ 1}. With {@link #Ellipsoid(double[], double[],
 * double, double)}, {@code R} rotates counter-clockwise by φ about +z, so the first semi-axis points
 * along {@code (cos φ, sin φ, 0)} (the Kak–Slaney convention). Immutable and validated.
 */
public final class Ellipsoid implements Solid {
    private final double cx, cy, cz;
    private final double a, b, c;
    private final double value;
    private final double[] rot; // R row-major; column j is local axis j in world coordinates
    private final double[] m;   // M = diag(1/a, 1/b, 1/c)·Rᵀ row-major: world offset → unit-sphere frame

    /**
     * An ellipsoid rotated by φ about the z axis.
     *
     * @param centreMm centre {@code (x, y, z)} in mm
     * @param semiAxesMm semi-axis lengths in mm along the (rotated) local x, y, z axes
     * @param phiRad counter-clockwise rotation about +z, radians
     * @param valuePerMm additive attenuation Δμ in 1/mm (may be negative)
     */
    public Ellipsoid(double[] centreMm, double[] semiAxesMm, double phiRad, double valuePerMm) {
        this(centreMm, semiAxesMm, zRotation(finite("phi", phiRad)), valuePerMm);
    }

    /**
     * An ellipsoid with an arbitrary rotation.
     *
     * @param rotation 3×3 proper rotation ({@code RᵀR = I}, {@code det R = +1}), {@code rotation[i][j]}
     *     row i, column j; column j is the ellipsoid's local axis j in world coordinates
     */
    public static Ellipsoid rotated(double[] centreMm, double[] semiAxesMm, double[][] rotation, double valuePerMm) {
        if (rotation == null || rotation.length != 3) throw new IllegalArgumentException("rotation must be a 3×3 matrix");
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            if (rotation[i] == null || rotation[i].length != 3) throw new IllegalArgumentException("rotation must be a 3×3 matrix");
            for (int j = 0; j < 3; j++) r[3 * i + j] = finite("rotation[" + i + "][" + j + "]", rotation[i][j]);
        }
        return new Ellipsoid(centreMm, semiAxesMm, r, valuePerMm);
    }

    /** A ball of the given radius. */
    public static Ellipsoid ball(double[] centreMm, double radiusMm, double valuePerMm) {
        return new Ellipsoid(centreMm, new double[] {radiusMm, radiusMm, radiusMm}, 0.0, valuePerMm);
    }

    private Ellipsoid(double[] centreMm, double[] semiAxesMm, double[] r, double valuePerMm) {
        double[] cen = vec3("centre_mm", centreMm);
        double[] ax = vec3("semi_axes_mm", semiAxesMm);
        for (int i = 0; i < 3; i++) {
            if (ax[i] <= 0) throw new IllegalArgumentException("semi_axes_mm[" + i + "] must be positive, got " + ax[i]);
        }
        checkRotation(r);
        this.cx = cen[0];
        this.cy = cen[1];
        this.cz = cen[2];
        this.a = ax[0];
        this.b = ax[1];
        this.c = ax[2];
        this.value = finite("value_per_mm", valuePerMm);
        this.rot = r;
        this.m = new double[9];
        double[] inv = {1 / a, 1 / b, 1 / c};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) m[3 * i + j] = r[3 * j + i] * inv[i];
        }
    }

    /** Centre {@code (x, y, z)} in mm (a copy). */
    public double[] centreMm() { return new double[] {cx, cy, cz}; }
    /** Semi-axis lengths in mm along the local axes (a copy). */
    public double[] semiAxesMm() { return new double[] {a, b, c}; }
    /** Additive attenuation Δμ in 1/mm. */
    public double valuePerMm() { return value; }

    /** The rotation matrix {@code R} (a copy), columns are the local axes in world coordinates. */
    public double[][] rotation() {
        return new double[][] {{rot[0], rot[1], rot[2]}, {rot[3], rot[4], rot[5]}, {rot[6], rot[7], rot[8]}};
    }

    /** Whether the world point lies inside or on the surface. */
    public boolean contains(double x, double y, double z) {
        double px = x - cx, py = y - cy, pz = z - cz;
        double qx = m[0] * px + m[1] * py + m[2] * pz;
        double qy = m[3] * px + m[4] * py + m[5] * pz;
        double qz = m[6] * px + m[7] * py + m[8] * pz;
        return qx * qx + qy * qy + qz * qz <= 1.0;
    }

    /**
     * Length in mm of the part of the segment {@code o + t·d, t ∈ [0, tMax]} inside the ellipsoid.
     * {@code d} must be a unit vector, so {@code t} and {@code tMax} are in mm.
     */
    public double chordLengthMm(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        double px = ox - cx, py = oy - cy, pz = oz - cz;
        // In the unit-sphere frame the ray is q + t·e with the same parameter t.
        double qx = m[0] * px + m[1] * py + m[2] * pz;
        double qy = m[3] * px + m[4] * py + m[5] * pz;
        double qz = m[6] * px + m[7] * py + m[8] * pz;
        double ex = m[0] * dx + m[1] * dy + m[2] * dz;
        double ey = m[3] * dx + m[4] * dy + m[5] * dz;
        double ez = m[6] * dx + m[7] * dy + m[8] * dz;
        double ee = ex * ex + ey * ey + ez * ez;
        // Closest approach to the centre first, then the half chord from there: avoids the
        // cancellation of the textbook discriminant when the source is far away.
        double tc = -(qx * ex + qy * ey + qz * ez) / ee;
        double rx = qx + tc * ex, ry = qy + tc * ey, rz = qz + tc * ez;
        double h2 = (1.0 - (rx * rx + ry * ry + rz * rz)) / ee;
        if (h2 <= 0) return 0.0;
        double h = Math.sqrt(h2);
        double t0 = Math.max(tc - h, 0.0), t1 = Math.min(tc + h, tMax);
        return t1 > t0 ? t1 - t0 : 0.0;
    }

    /** Half-widths in mm of the axis-aligned box that just contains the ellipsoid, {@code (x, y, z)}. */
    public double[] halfExtentMm() {
        return halfExtents(rot, new double[] {a, b, c});
    }

    /** The box half-widths of an ellipsoid with semi-axes {@code semi} along the columns of {@code rot} (row-major). */
    static double[] halfExtents(double[] rot, double[] semi) {
        double[] h = new double[3];
        for (int k = 0; k < 3; k++) {
            double s = 0;
            for (int j = 0; j < 3; j++) s += sq(rot[3 * k + j] * semi[j]);
            h[k] = Math.sqrt(s);
        }
        return h;
    }

    /** This ellipsoid with centre and semi-axes multiplied by {@code factor} (about the world origin). */
    public Ellipsoid scaled(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) throw new IllegalArgumentException("scale factor must be positive, got " + factor);
        return new Ellipsoid(new double[] {cx * factor, cy * factor, cz * factor},
                new double[] {a * factor, b * factor, c * factor}, rot.clone(), value);
    }

    /** This ellipsoid moved by {@code (dx, dy, dz)} mm. */
    public Ellipsoid translated(double dxMm, double dyMm, double dzMm) {
        return new Ellipsoid(new double[] {cx + dxMm, cy + dyMm, cz + dzMm}, new double[] {a, b, c}, rot.clone(), value);
    }

    /** This ellipsoid with another additive value Δμ in 1/mm. */
    public Ellipsoid withValue(double valuePerMm) {
        return new Ellipsoid(new double[] {cx, cy, cz}, new double[] {a, b, c}, rot.clone(), valuePerMm);
    }

    @Override
    public String toString() {
        return String.format("Ellipsoid[centre (%.4g, %.4g, %.4g) mm, semi-axes (%.4g, %.4g, %.4g) mm, Δμ %.5g /mm]",
                cx, cy, cz, a, b, c, value);
    }

    static double[] zRotation(double phi) {
        double co = Math.cos(phi), si = Math.sin(phi);
        return new double[] {co, -si, 0, si, co, 0, 0, 0, 1};
    }

    private static void checkRotation(double[] r) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double d = r[i] * r[j] + r[3 + i] * r[3 + j] + r[6 + i] * r[6 + j];
                if (Math.abs(d - (i == j ? 1 : 0)) > 1e-9) {
                    throw new IllegalArgumentException("rotation must be orthonormal (RᵀR = I), entry (" + i + "," + j + ") is " + d);
                }
            }
        }
        double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
        if (det < 0) throw new IllegalArgumentException("rotation must be proper (det R = +1), got a reflection");
    }

    private static double[] vec3(String field, double[] v) {
        if (v == null || v.length != 3) throw new IllegalArgumentException(field + " must have 3 components");
        for (int i = 0; i < 3; i++) finite(field + "[" + i + "]", v[i]);
        return v.clone();
    }

    private static double finite(String field, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(field + " must be a finite number, got " + v);
        return v;
    }

    private static double sq(double v) { return v * v; }
}
