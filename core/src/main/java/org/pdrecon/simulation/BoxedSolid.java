package org.pdrecon.simulation;

/**
 * A solid with one Δμ and an axis-aligned box that holds it, which lets rasterisation visit only the box's voxels
 * and a ray skip the solid when it misses the box: what {@link QuadricSolid} and {@link SolidIntersection} share.
 */
abstract class BoxedSolid implements Solid {
    private final double value;
    private final double[] boxCentre = new double[3], boxHalf = new double[3];

    /**
     * @param box {@code {cx, cy, cz, hx, hy, hz}}; a negative half-width (an empty box) is kept as zero
     */
    BoxedSolid(double valuePerMm, double[] box) {
        if (!Double.isFinite(valuePerMm)) throw new IllegalArgumentException("value must be finite, got " + valuePerMm);
        this.value = valuePerMm;
        for (int k = 0; k < 3; k++) {
            boxCentre[k] = box[k];
            boxHalf[k] = Math.max(0, box[k + 3]);
        }
    }

    /** The box {@code {cx, cy, cz, hx, hy, hz}} between two corners. */
    static double[] box(double[] lo, double[] hi) {
        return new double[] {(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2, (hi[0] - lo[0]) / 2, (hi[1] - lo[1]) / 2,
                (hi[2] - lo[2]) / 2};
    }

    @Override
    public final double valuePerMm() {
        return value;
    }

    @Override
    public final double[] centreMm() {
        return boxCentre.clone();
    }

    @Override
    public final double[] halfExtentMm() {
        return boxHalf.clone();
    }

    /** This solid's box moved by {@code (dx, dy, dz)}. */
    final double[] movedBox(double dx, double dy, double dz) {
        return new double[] {boxCentre[0] + dx, boxCentre[1] + dy, boxCentre[2] + dz, boxHalf[0], boxHalf[1], boxHalf[2]};
    }

    /** Whether the segment misses the solid's box (slab test, the box widened by a micrometre against round-off). */
    final boolean missesBox(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        double t0 = 0, t1 = tMax;
        double[] o = {ox, oy, oz}, d = {dx, dy, dz};
        for (int k = 0; k < 3; k++) {
            double lo = boxCentre[k] - boxHalf[k] - 1e-3, hi = boxCentre[k] + boxHalf[k] + 1e-3;
            if (d[k] == 0) {
                if (o[k] < lo || o[k] > hi) return true;
                continue;
            }
            double a = (lo - o[k]) / d[k], b = (hi - o[k]) / d[k];
            t0 = Math.max(t0, Math.min(a, b));
            t1 = Math.min(t1, Math.max(a, b));
            if (t0 > t1) return true;
        }
        return false;
    }
}
