package org.pdrecon.data;

import org.pdrecon.geometry.VolumeGrid;

/**
 * Resamples a volume onto another axis-aligned grid by trilinear interpolation in world coordinates (mm).
 *
 * <p>Convention: the value at a target voxel is the source interpolated at that voxel's centre
 * ({@link VolumeGrid#x(int)} …), from the 8 source voxel centres around it. A target centre inside the
 * source's bounding box (voxel edges, {@link VolumeGrid#minCornerMm()} to {@link VolumeGrid#maxCornerMm()})
 * but within half a voxel of its faces takes the face value (the index is clamped to the outermost centre;
 * this is also what lets a one-slice source be sampled); a centre outside the box gets the {@code outside}
 * value (NaN to exclude it from later statistics, or 0). Point sampling: no anti-aliasing when the target
 * is coarser than the source.
 */
public final class TrilinearResampler {
    private TrilinearResampler() {}

    /**
     * @param source values {@code [z][y][x]} on their grid. Not modified.
     * @param target the output grid
     * @param outside value for target voxels whose centre lies outside the source's bounding box
     * @return a new volume on {@code target}
     */
    public static Volume resample(Volume source, VolumeGrid target, float outside) {
        VolumeGrid s = source.grid();
        float[] in = source.data();
        float[] out = new float[target.voxelCount()];
        double[] lo = s.minCornerMm();
        int nx = s.nx(), ny = s.ny(), nz = s.nz();
        // Continuous source index of each target coordinate, per axis (separable: axis-aligned grids).
        Axis ax = Axis.of(target.nx(), target::x, lo[0], s.dxMm(), nx);
        Axis ay = Axis.of(target.ny(), target::y, lo[1], s.dyMm(), ny);
        Axis az = Axis.of(target.nz(), target::z, lo[2], s.dzMm(), nz);
        for (int k = 0; k < target.nz(); k++) {
            for (int j = 0; j < target.ny(); j++) {
                for (int i = 0; i < target.nx(); i++) {
                    int o = target.index(k, j, i);
                    if (!(ax.inside[i] && ay.inside[j] && az.inside[k])) {
                        out[o] = outside;
                        continue;
                    }
                    int x0 = ax.i0[i], y0 = ay.i0[j], z0 = az.i0[k];
                    int x1 = Math.min(x0 + 1, nx - 1), y1 = Math.min(y0 + 1, ny - 1), z1 = Math.min(z0 + 1, nz - 1);
                    double fx = ax.f[i], fy = ay.f[j], fz = az.f[k];
                    double c00 = lerp(in[(z0 * ny + y0) * nx + x0], in[(z0 * ny + y0) * nx + x1], fx);
                    double c01 = lerp(in[(z0 * ny + y1) * nx + x0], in[(z0 * ny + y1) * nx + x1], fx);
                    double c10 = lerp(in[(z1 * ny + y0) * nx + x0], in[(z1 * ny + y0) * nx + x1], fx);
                    double c11 = lerp(in[(z1 * ny + y1) * nx + x0], in[(z1 * ny + y1) * nx + x1], fx);
                    out[o] = (float) lerp(lerp(c00, c01, fy), lerp(c10, c11, fy), fz);
                }
            }
        }
        return new Volume(target, out);
    }

    private static double lerp(double a, double b, double t) {
        return t == 0 ? a : a + (b - a) * t;
    }

    /** Lower neighbour index, weight of the upper neighbour and inside-the-box flag per target index. */
    private record Axis(int[] i0, double[] f, boolean[] inside) {
        static Axis of(int n, java.util.function.IntToDoubleFunction coordinate, double lowEdge, double spacing, int sourceCount) {
            int[] i0 = new int[n];
            double[] f = new double[n];
            boolean[] inside = new boolean[n];
            double tol = 1e-9 * spacing; // round-off in corner arithmetic must not push a face centre outside
            for (int t = 0; t < n; t++) {
                double offset = coordinate.applyAsDouble(t) - lowEdge;
                inside[t] = offset >= -tol && offset <= sourceCount * spacing + tol;
                double u = Math.max(0, Math.min(sourceCount - 1, offset / spacing - 0.5));
                if (Math.abs(u - Math.rint(u)) < 1e-9) u = Math.rint(u); // same centres: copy exactly, no 1e-16 blend
                int base = Math.min((int) Math.floor(u), sourceCount - 1);
                i0[t] = base;
                f[t] = u - base;
            }
            return new Axis(i0, f, inside);
        }
    }
}
