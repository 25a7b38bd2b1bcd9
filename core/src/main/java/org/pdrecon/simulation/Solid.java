package org.pdrecon.simulation;

/**
 * One additive piece of an analytic {@link Phantom}: a region of space with a constant Δμ, whose membership
 * and ray chords are exact. {@link Ellipsoid}, {@link QuadricSolid} (clipped ellipsoids, elliptic cylinders,
 * cone frusta) and {@link SolidIntersection} (the common part of quadric solids) are the kinds. Its box
 * ({@link #centreMm()}, {@link #halfExtentMm()}) must hold it whole: rasterisation and the analytic projector's
 * culling look nowhere else.
 */
public interface Solid {
    /** The additive attenuation Δμ in 1/mm. */
    double valuePerMm();

    /** Whether the world point (mm) lies inside or on the surface. */
    boolean contains(double x, double y, double z);

    /**
     * Length in mm of the part of the segment {@code o + t·d, t ∈ [0, tMax]} inside the solid; {@code d} is a
     * unit vector, so {@code t} and {@code tMax} are in mm.
     */
    double chordLengthMm(double ox, double oy, double oz, double dx, double dy, double dz, double tMax);

    /** Centre of the axis-aligned box that holds the solid, {@code (x, y, z)} in mm. */
    double[] centreMm();

    /** Half-widths of that box in mm. */
    double[] halfExtentMm();

    /** This solid moved by {@code (dx, dy, dz)} mm. */
    Solid translated(double dxMm, double dyMm, double dzMm);
}
