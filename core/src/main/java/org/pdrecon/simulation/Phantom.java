package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An analytic phantom: a list of additive {@link Ellipsoid}s. The attenuation at a point is
 * {@code μ(p) = Σ value_e} over the ellipsoids {@code e} that contain {@code p} (1/mm), and the line
 * integral of a ray is {@code Σ value_e · chord_e} (dimensionless), both exact. Immutable.
 */
public final class Phantom {
    private final List<Ellipsoid> ellipsoids;

    public Phantom(List<Ellipsoid> ellipsoids) {
        Objects.requireNonNull(ellipsoids, "ellipsoids");
        for (int i = 0; i < ellipsoids.size(); i++) {
            if (ellipsoids.get(i) == null) throw new IllegalArgumentException("ellipsoids[" + i + "] is null");
        }
        this.ellipsoids = List.copyOf(ellipsoids);
    }

    public static Phantom of(Ellipsoid... ellipsoids) {
        return new Phantom(Arrays.asList(ellipsoids));
    }

    /** The ellipsoids, in order (unmodifiable). */
    public List<Ellipsoid> ellipsoids() { return ellipsoids; }

    public int size() { return ellipsoids.size(); }

    /** μ in 1/mm at a world point (mm). */
    public double muPerMm(double x, double y, double z) {
        double s = 0;
        for (Ellipsoid e : ellipsoids) {
            if (e.contains(x, y, z)) s += e.valuePerMm();
        }
        return s;
    }

    /**
     * The exact line integral of μ along the segment {@code o + t·d, t ∈ [0, tMax]}; {@code d} must
     * be a unit vector and {@code tMax} is in mm.
     */
    public double lineIntegral(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        double s = 0;
        for (Ellipsoid e : ellipsoids) {
            double len = e.chordLengthMm(ox, oy, oz, dx, dy, dz, tMax);
            if (len > 0) s += e.valuePerMm() * len;
        }
        return s;
    }

    /** This phantom moved by {@code (dx, dy, dz)} mm. */
    public Phantom translated(double dxMm, double dyMm, double dzMm) {
        List<Ellipsoid> out = new ArrayList<>(ellipsoids.size());
        for (Ellipsoid e : ellipsoids) out.add(e.translated(dxMm, dyMm, dzMm));
        return new Phantom(out);
    }

    /** This phantom with one more ellipsoid appended. */
    public Phantom with(Ellipsoid e) {
        List<Ellipsoid> out = new ArrayList<>(ellipsoids);
        out.add(e);
        return new Phantom(out);
    }

    @Override
    public String toString() {
        return "Phantom[" + ellipsoids.size() + " ellipsoids]";
    }
}
