package org.pdrecon.metrics;

import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * The cylinder about the rotation axis (world x = y = 0) that every view of a circular cone-beam scan
 * sees whole: radius {@code r} in the (x, y) plane and the world z-range {@code [zMin, zMax]}.
 *
 * <p>Radius: a detector column's position depends only on a point's (x, y), so the fan in the mid-plane
 * decides. With the detector spanning {@code offsetU ± cols·du/2} along u, the narrower side has
 * half-width {@code h = cols·du/2 − |offsetU|} and {@code r = SOD·sin(atan(h / SDD))}, the distance from
 * the axis to that edge ray.
 *
 * <p>Axial range: a point at height z and depth L from the source (measured along the central ray)
 * lands at detector height {@code z·SDD/L}, which must lie in {@code offsetV ± rows·dv/2}. Over a full
 * rotation a point within r of the axis takes every depth in {@code [SOD − r, SOD + r]}, and the bound
 * is linear in L, so requiring it at both ends gives the exact range for the whole cylinder; with no
 * v offset it is {@code |z| ≤ (rows·dv/2)·(SOD − r)/SDD}. The source orbits in the plane z = 0.
 *
 * <p>"Seen" means inside every view's beam; it does not mean the data are complete (a short scan or a
 * large cone angle still leaves parts of the cylinder under-sampled).
 *
 * @param radiusMm cylinder radius about the rotation axis, mm
 * @param zMinMm lowest world z seen by every view, mm
 * @param zMaxMm highest world z seen by every view, mm
 */
public record FieldOfView(double radiusMm, double zMinMm, double zMaxMm) {

    /** The fully seen cylinder of a circular-orbit geometry; fails for general per-view vector geometries. */
    public static FieldOfView of(ConeBeamGeometry geometry) {
        CircularOrbit orbit = orbit(geometry, "fully seen");
        return cylinder(geometry, orbit, narrowHalfWidth(geometry, orbit));
    }

    /**
     * The cylinder the scan covers: the same as {@link #of} for a centred detector; for an offset (half-fan)
     * detector, the one its wider side reaches ({@code h = cols·du/2 + |offsetU|}), in which every point of a
     * full rotation is seen in at least half the views. It is where a half-fan scan is reconstructed, while
     * {@link #of} shrinks there to the small cylinder around the axis that both sides see.
     */
    public static FieldOfView scanned(ConeBeamGeometry geometry) {
        CircularOrbit orbit = orbit(geometry, "scanned");
        narrowHalfWidth(geometry, orbit); // the axis must be seen in every view
        return cylinder(geometry, orbit, geometry.detectorCols() * norm(geometry.u(0)) / 2 + Math.abs(orbit.offsetUMm()));
    }

    private static CircularOrbit orbit(ConeBeamGeometry geometry, String which) {
        return geometry.orbit().orElseThrow(() -> new IllegalArgumentException(
                "the " + which + " cylinder is defined for circular orbits; this geometry is given as per-view vectors"));
    }

    /** The detector's narrower reach from the principal point (mm, at the detector); fails when it does not reach the axis. */
    private static double narrowHalfWidth(ConeBeamGeometry geometry, CircularOrbit orbit) {
        double du = norm(geometry.u(0));
        double halfWidth = geometry.detectorCols() * du / 2 - Math.abs(orbit.offsetUMm());
        if (halfWidth <= 0) {
            throw new IllegalArgumentException("detector u offset " + Masks.num(orbit.offsetUMm())
                    + " mm is at least half the detector width (" + Masks.num(geometry.detectorCols() * du / 2)
                    + " mm): the rotation axis is not seen in every view, so no cylinder is fully seen");
        }
        return halfWidth;
    }

    /** The cylinder whose radius the detector half-width {@code halfWidth} (mm, at the detector) sets, and its z-range. */
    private static FieldOfView cylinder(ConeBeamGeometry geometry, CircularOrbit orbit, double halfWidth) {
        double dv = norm(geometry.v(0));
        double sod = orbit.sodMm(), sdd = orbit.sddMm();
        double r = sod * Math.sin(Math.atan(halfWidth / sdd));
        double halfHeight = geometry.detectorRows() * dv / 2;
        double low = orbit.offsetVMm() - halfHeight, high = orbit.offsetVMm() + halfHeight;
        double near = sod - r, far = sod + r;
        double zMin = Math.max(near * low, far * low) / sdd;
        double zMax = Math.min(near * high, far * high) / sdd;
        if (zMin > zMax) {
            throw new IllegalArgumentException("detector v offset " + Masks.num(orbit.offsetVMm())
                    + " mm leaves no height seen by every view (z would run from " + Masks.num(zMin) + " to "
                    + Masks.num(zMax) + " mm)");
        }
        return new FieldOfView(r, zMin, zMax);
    }

    /**
     * The voxels of {@code grid} whose centres lie in this cylinder. For a single slice ({@code nz = 1},
     * 2D fan beam) only the disc is applied, not the z-range.
     */
    public Mask mask(VolumeGrid grid) {
        return mask(grid, "fully seen by the scan");
    }

    /** {@link #mask(VolumeGrid)}, described as the disc or cylinder {@code seen} (e.g. "covered by the scan"). */
    public Mask mask(VolumeGrid grid, String seen) {
        boolean slice = grid.nz() == 1;
        boolean[] inside = new boolean[grid.voxelCount()];
        double r2 = radiusMm * radiusMm;
        for (int k = 0; k < grid.nz(); k++) {
            double z = grid.z(k);
            if (!slice && (z < zMinMm || z > zMaxMm)) continue;
            for (int j = 0; j < grid.ny(); j++) {
                double y = grid.y(j);
                for (int i = 0; i < grid.nx(); i++) {
                    double x = grid.x(i);
                    inside[grid.index(k, j, i)] = x * x + y * y <= r2;
                }
            }
        }
        String what = slice
                ? "disc " + seen + ", r = " + Masks.num(radiusMm) + " mm"
                : "cylinder " + seen + ", r = " + Masks.num(radiusMm) + " mm, z " + Masks.num(zMinMm)
                        + ".." + Masks.num(zMaxMm) + " mm";
        return new Mask(grid.nz(), grid.ny(), grid.nx(), inside, what);
    }

    private static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }
}
