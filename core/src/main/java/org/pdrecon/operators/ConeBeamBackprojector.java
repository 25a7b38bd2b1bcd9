package org.pdrecon.operators;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * The exact transpose {@code Aᵀ} of {@link ConeBeamProjector}: every ray scatters its value times
 * the ray length per plane into the same four voxels, with the same bilinear weights, that the
 * forward projection reads. Domain: projections {@code [views][rows][cols]}; range: a volume
 * {@code [nz][ny][nx]}. Obtain it with {@link ConeBeamProjector#adjoint()}; its adjoint is that
 * projector.
 *
 * <p>Race-free and deterministic: the volume is cut into slabs along z (along y for a single slice);
 * each slab is one unit of work that walks every ray crossing it, in ray order, and writes only its
 * own voxels. Every voxel therefore sums its contributions in the same order for any thread count or
 * slab count, and the result is bitwise reproducible.
 */
public final class ConeBeamBackprojector implements LinearOperator {
    private final ConeBeamProjector forward;
    private final JosephPlan plan;
    private final KernelPool pool;
    private final int slabAxis;
    private final int[] slabStart; // slab s covers [slabStart[s], slabStart[s + 1]) along slabAxis
    private final int[][] slabBounds; // [slab][4·view + {rowLo, rowHi, colLo, colHi}]

    ConeBeamBackprojector(ConeBeamProjector forward, JosephPlan plan, KernelPool pool) {
        this.forward = forward;
        this.plan = plan;
        this.pool = pool;
        this.slabAxis = plan.n[2] > 1 ? 2 : 1;
        int length = plan.n[slabAxis];
        int slabs = Math.min(length, Math.max(1, 2 * pool.threads()));
        slabStart = new int[slabs + 1];
        for (int s = 0; s <= slabs; s++) slabStart[s] = (int) ((long) length * s / slabs);
        slabBounds = new int[slabs][4 * plan.views];
        int[] box = new int[4];
        for (int s = 0; s < slabs; s++) {
            int[] lo = {0, 0, 0}, hi = plan.n.clone();
            lo[slabAxis] = slabStart[s];
            hi[slabAxis] = slabStart[s + 1];
            for (int v = 0; v < plan.views; v++) {
                plan.detectorBounds(v, lo, hi, box);
                System.arraycopy(box, 0, slabBounds[s], 4 * v, 4);
            }
        }
    }

    public ConeBeamGeometry geometry() {
        return plan.geometry;
    }

    @Override
    public int[] domainShape() {
        return forward.rangeShape();
    }

    @Override
    public int[] rangeShape() {
        return forward.domainShape();
    }

    @Override
    public void apply(float[] y, float[] out) {
        Shapes.check("projections", y, plan.pixels());
        Shapes.check("volume", out, plan.voxels());
        pool.parallelFor(slabStart.length - 1, s -> backprojectSlab(s, y, out, new JosephRay(plan)));
    }

    /** {@code out = Aᵀ·y} on buffers; see {@link ConeBeamProjector#apply(FloatBuffer, FloatBuffer)}. */
    public void apply(FloatBuffer y, FloatBuffer out) {
        Shapes.check("projections", y, plan.pixels());
        Shapes.check("volume", out, plan.voxels());
        float[] ya = Shapes.array(y), oa = Shapes.arrayForWrite(out);
        apply(ya, oa);
        Shapes.writeBack(oa, out);
    }

    @Override
    public ConeBeamProjector adjoint() {
        return forward;
    }

    private void backprojectSlab(int slab, float[] y, float[] x, JosephRay ray) {
        int[] lo = {0, 0, 0}, hi = plan.n.clone();
        lo[slabAxis] = slabStart[slab];
        hi[slabAxis] = slabStart[slab + 1];
        zero(x, lo, hi);
        int rows = plan.rows, cols = plan.cols;
        int[] bounds = slabBounds[slab];
        for (int v = 0; v < plan.views; v++) {
            int base = v * rows * cols;
            for (int r = bounds[4 * v]; r <= bounds[4 * v + 1]; r++) {
                int line = base + r * cols;
                for (int c = bounds[4 * v + 2]; c <= bounds[4 * v + 3]; c++) {
                    float value = y[line + c];
                    if (value != 0f && ray.setup(v, r, c, lo, hi)) ray.scatter(x, value * ray.length());
                }
            }
        }
    }

    private void zero(float[] x, int[] lo, int[] hi) {
        int nx = plan.n[0];
        for (int z = lo[2]; z < hi[2]; z++) {
            for (int yy = lo[1]; yy < hi[1]; yy++) {
                int start = (z * plan.n[1] + yy) * nx;
                Arrays.fill(x, start, start + nx, 0f);
            }
        }
    }
}
