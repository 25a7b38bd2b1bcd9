package org.pdrecon.simulation;

import java.util.List;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Samples a {@link Phantom} onto a {@link VolumeGrid}: each voxel gets the mean of μ over
 * {@code s×s×s} sub-samples placed at the centres of a regular {@code s³} subdivision of the voxel,
 * which approximates the voxel's average attenuation (partial-volume effect). {@code s = 1} samples
 * the voxel centre only.
 *
 * <p>Because values are additive, the mean is accumulated ellipsoid by ellipsoid, visiting only the
 * voxels inside each ellipsoid's bounding box. Work is split by z-slice over a fixed pool; every
 * slice is summed in a fixed order, so the result does not depend on the thread count.
 */
public final class Rasteriser {
    private Rasteriser() {}

    /** Rasterises with one thread per core. */
    public static Volume rasterise(Phantom phantom, VolumeGrid grid, int supersampling) {
        return rasterise(phantom, grid, supersampling, Parallel.defaultThreads());
    }

    /**
     * @param supersampling sub-samples per voxel edge {@code s ≥ 1}
     * @param threads worker threads {@code ≥ 1}
     * @return μ in 1/mm on {@code grid}, {@code [z][y][x]}
     */
    public static Volume rasterise(Phantom phantom, VolumeGrid grid, int supersampling, int threads) {
        if (phantom == null) throw new IllegalArgumentException("phantom is missing");
        if (grid == null) throw new IllegalArgumentException("grid is missing");
        if (supersampling < 1) throw new IllegalArgumentException("supersampling must be at least 1, got " + supersampling);
        Volume out = Volume.zeros(grid);
        Parallel.forEach(grid.nz(), threads, k -> rasteriseSlice(phantom.solids(), grid, supersampling, k, out.data()), null);
        return out;
    }

    private static void rasteriseSlice(List<Solid> solids, VolumeGrid g, int s, int k, float[] out) {
        int nx = g.nx(), ny = g.ny();
        double dx = g.dxMm(), dy = g.dyMm(), dz = g.dzMm();
        double[] lo = g.minCornerMm();
        double[] sub = new double[s]; // sub-sample offsets from the voxel's low edge, in voxel units
        for (int m = 0; m < s; m++) sub[m] = (m + 0.5) / s;
        double[] acc = new double[nx * ny];
        double zLo = lo[2] + k * dz;
        for (Solid e : solids) {
            double[] c = e.centreMm(), h = e.halfExtentMm();
            if (zLo > c[2] + h[2] || zLo + dz < c[2] - h[2]) continue;
            int i0 = Math.max(0, (int) Math.floor((c[0] - h[0] - lo[0]) / dx));
            int i1 = Math.min(nx - 1, (int) Math.floor((c[0] + h[0] - lo[0]) / dx));
            int j0 = Math.max(0, (int) Math.floor((c[1] - h[1] - lo[1]) / dy));
            int j1 = Math.min(ny - 1, (int) Math.floor((c[1] + h[1] - lo[1]) / dy));
            if (i0 > i1 || j0 > j1) continue;
            double weight = e.valuePerMm() / ((double) s * s * s);
            for (int j = j0; j <= j1; j++) {
                for (int i = i0; i <= i1; i++) {
                    int inside = 0;
                    for (int mz = 0; mz < s; mz++) {
                        double z = zLo + sub[mz] * dz;
                        for (int my = 0; my < s; my++) {
                            double y = lo[1] + (j + sub[my]) * dy;
                            for (int mx = 0; mx < s; mx++) {
                                if (e.contains(lo[0] + (i + sub[mx]) * dx, y, z)) inside++;
                            }
                        }
                    }
                    if (inside > 0) acc[j * nx + i] += weight * inside;
                }
            }
        }
        int base = g.index(k, 0, 0);
        for (int p = 0; p < acc.length; p++) out[base + p] = (float) acc[p];
    }
}
