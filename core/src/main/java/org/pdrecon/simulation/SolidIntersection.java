package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The common part of several {@link QuadricSolid}s, with one Δμ: what an additive phantom needs where solids that
 * replace one another overlap without nesting (a bony spur half in the skull, half in the brain: its Δμ over the
 * brain applies to the spur ∩ brain only). Membership and chords are exact: the ray crosses the intersection's
 * boundary only where it crosses one of the parts' quadrics or planes, so the pieces between all those crossings
 * are wholly inside or outside, as in {@link QuadricSolid}. Immutable.
 */
public final class SolidIntersection extends BoxedSolid {
    private final List<QuadricSolid> parts;

    /**
     * @param parts two or more solids (their own Δμ is ignored)
     * @param valuePerMm the Δμ of the common part
     */
    public SolidIntersection(double valuePerMm, List<QuadricSolid> parts) {
        super(valuePerMm, commonBox(parts));
        this.parts = List.copyOf(parts);
    }

    /** The box the parts' boxes share (an empty box when they are disjoint: nothing to rasterise). */
    private static double[] commonBox(List<QuadricSolid> parts) {
        if (parts == null || parts.size() < 2) throw new IllegalArgumentException("an intersection needs at least two solids");
        for (QuadricSolid p : parts) if (p == null) throw new IllegalArgumentException("a part of the intersection is missing");
        double[] lo = new double[3], hi = new double[3];
        Arrays.fill(lo, Double.NEGATIVE_INFINITY);
        Arrays.fill(hi, Double.POSITIVE_INFINITY);
        for (QuadricSolid p : parts) {
            double[] c = p.centreMm(), h = p.halfExtentMm();
            for (int k = 0; k < 3; k++) {
                lo[k] = Math.max(lo[k], c[k] - h[k]);
                hi[k] = Math.min(hi[k], c[k] + h[k]);
            }
        }
        return box(lo, hi);
    }

    /** The common part of {@code parts} with Δμ {@code valuePerMm}. */
    public static SolidIntersection of(double valuePerMm, QuadricSolid... parts) {
        return new SolidIntersection(valuePerMm, List.of(parts));
    }

    @Override
    public boolean contains(double x, double y, double z) {
        for (QuadricSolid p : parts) if (!p.contains(x, y, z)) return false;
        return true;
    }

    @Override
    public double chordLengthMm(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        if (missesBox(ox, oy, oz, dx, dy, dz, tMax)) return 0;
        int max = 2;
        for (QuadricSolid p : parts) {
            if (p.missesBox(ox, oy, oz, dx, dy, dz, tMax)) return 0;
            max += p.maxCuts();
        }
        double[] cuts = new double[max];
        int n = 0;
        cuts[n++] = 0;
        cuts[n++] = tMax;
        for (QuadricSolid p : parts) {
            n = p.addCuts(ox, oy, oz, dx, dy, dz, cuts, n);
            if (n < 0) return 0;
        }
        return QuadricSolid.insideLength(this::contains, ox, oy, oz, dx, dy, dz, tMax, cuts, n);
    }

    @Override
    public SolidIntersection translated(double dxMm, double dyMm, double dzMm) {
        List<QuadricSolid> moved = new ArrayList<>(parts.size());
        for (QuadricSolid p : parts) moved.add(p.translated(dxMm, dyMm, dzMm));
        return new SolidIntersection(valuePerMm(), moved);
    }

    @Override
    public String toString() {
        return "SolidIntersection[" + parts.size() + " parts, Δμ " + valuePerMm() + " /mm]";
    }
}
