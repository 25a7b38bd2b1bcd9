package org.pdrecon.operators;

import java.nio.FloatBuffer;
import java.util.Objects;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Cone-beam forward projection {@code A} by Joseph's method: for every detector pixel the line
 * integral of the volume along the ray from the source to the pixel centre, one bilinear sample per
 * voxel-centre plane crossed along the ray's dominant axis, times the ray length per plane. The
 * discretisation is specified exactly in docs/operators.md (the NDArray path implements the same map).
 *
 * <p>Domain: a volume {@code [nz][ny][nx]} of μ in 1/mm. Range: projections {@code [views][rows][cols]}
 * of line integrals (dimensionless). {@link #adjoint()} is the exact transpose
 * {@link ConeBeamBackprojector}. Runs on a {@link KernelPool}, one unit per view; each ray is
 * summed by one thread, so the result does not depend on the thread count.
 */
public final class ConeBeamProjector implements LinearOperator {
    private final ConeBeamGeometry geometry;
    private final KernelPool pool;
    private final JosephPlan plan;
    private final ConeBeamBackprojector adjoint;

    /** A projector on the shared {@link KernelPool}. */
    public ConeBeamProjector(ConeBeamGeometry geometry) {
        this(geometry, KernelPool.shared());
    }

    public ConeBeamProjector(ConeBeamGeometry geometry, KernelPool pool) {
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.plan = new JosephPlan(geometry);
        this.adjoint = new ConeBeamBackprojector(this, plan, pool);
    }

    public ConeBeamGeometry geometry() {
        return geometry;
    }

    @Override
    public int[] domainShape() {
        return geometry.volume().shape();
    }

    @Override
    public int[] rangeShape() {
        return new int[] {geometry.views(), geometry.detectorRows(), geometry.detectorCols()};
    }

    @Override
    public void apply(float[] x, float[] out) {
        Shapes.check("volume", x, plan.voxels());
        Shapes.check("projections", out, plan.pixels());
        pool.parallelFor(plan.views, view -> project(view, x, out, new JosephRay(plan)));
    }

    /**
     * {@code out = A·x} on buffers (e.g. direct buffers sharing NDArray memory); positions are
     * ignored, the whole buffer capacity is used. Heap buffers are used in place; direct buffers are
     * copied through heap arrays.
     */
    public void apply(FloatBuffer x, FloatBuffer out) {
        Shapes.check("volume", x, plan.voxels());
        Shapes.check("projections", out, plan.pixels());
        float[] xa = Shapes.array(x), oa = Shapes.arrayForWrite(out);
        apply(xa, oa);
        Shapes.writeBack(oa, out);
    }

    @Override
    public ConeBeamBackprojector adjoint() {
        return adjoint;
    }

    /** ‖A‖ (largest singular value), by power iteration on AᵀA; cached per geometry. */
    public double norm() {
        return OperatorNorm.of(this);
    }

    private void project(int view, float[] x, float[] out, JosephRay ray) {
        int rows = plan.rows, cols = plan.cols;
        int base = view * rows * cols;
        java.util.Arrays.fill(out, base, base + rows * cols, 0f);
        int[] lo = {0, 0, 0}, hi = plan.n;
        for (int r = plan.rowLo[view]; r <= plan.rowHi[view]; r++) {
            int line = base + r * cols;
            for (int c = plan.colLo[view]; c <= plan.colHi[view]; c++) {
                if (ray.setup(view, r, c, lo, hi)) out[line + c] = ray.length() * ray.sum(x);
            }
        }
    }
}
