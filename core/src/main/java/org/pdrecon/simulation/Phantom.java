package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An analytic phantom: a list of additive {@link Solid}s (ellipsoids, clipped quadrics). The attenuation at a
 * point is {@code μ(p) = Σ value_s} over the solids {@code s} that contain {@code p} (1/mm), and the line
 * integral of a ray is {@code Σ value_s · chord_s} (dimensionless), both exact. Immutable.
 */
public final class Phantom {
    private final List<Solid> solids;

    public Phantom(List<? extends Solid> solids) {
        Objects.requireNonNull(solids, "solids");
        for (int i = 0; i < solids.size(); i++) {
            if (solids.get(i) == null) throw new IllegalArgumentException("solids[" + i + "] is null");
        }
        this.solids = List.copyOf(solids);
    }

    public static Phantom of(Solid... solids) {
        return new Phantom(Arrays.asList(solids));
    }

    /** The solids, in order (unmodifiable). */
    public List<Solid> solids() { return solids; }

    /** The solids that are {@link Ellipsoid}s, in order: all of them for Shepp–Logan and random-ellipsoid phantoms. */
    public List<Ellipsoid> ellipsoids() {
        return solids.stream().filter(s -> s instanceof Ellipsoid).map(s -> (Ellipsoid) s).toList();
    }

    public int size() { return solids.size(); }

    /** μ in 1/mm at a world point (mm). */
    public double muPerMm(double x, double y, double z) {
        double s = 0;
        for (Solid e : solids) {
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
        for (Solid e : solids) {
            double len = e.chordLengthMm(ox, oy, oz, dx, dy, dz, tMax);
            if (len > 0) s += e.valuePerMm() * len;
        }
        return s;
    }

    /** This phantom moved by {@code (dx, dy, dz)} mm. */
    public Phantom translated(double dxMm, double dyMm, double dzMm) {
        List<Solid> out = new ArrayList<>(solids.size());
        for (Solid e : solids) out.add(e.translated(dxMm, dyMm, dzMm));
        return new Phantom(out);
    }

    /** This phantom with one more solid appended. */
    public Phantom with(Solid e) {
        List<Solid> out = new ArrayList<>(solids);
        out.add(e);
        return new Phantom(out);
    }

    @Override
    public String toString() {
        return "Phantom[" + solids.size() + " solids]";
    }
}
