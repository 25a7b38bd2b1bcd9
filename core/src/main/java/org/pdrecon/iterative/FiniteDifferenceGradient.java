package org.pdrecon.iterative;

/**
 * The discrete gradient ∇ of a volume {@code [nz][ny][nx]} by forward differences divided by the
 * voxel size, zero across the far boundary (Neumann), as a {@link org.pdrecon.operators.LinearOperator}
 * with range {@code [d][nz][ny][nx]}: components (z, y, x) when {@code d = 3}, (y, x) for a single
 * slice ({@code nz = 1}, {@code d = 2}). The adjoint is minus the matching backward-difference
 * divergence. {@link #normBound()} is {@code √(Σ_axes 4/h²)} (≥ ‖∇‖, since each 1D difference has
 * norm below 2/h), i.e. √(4·d)/h for isotropic voxels.
 */
public final class FiniteDifferenceGradient implements org.pdrecon.operators.LinearOperator {
    private final int nz, ny, nx, dims;
    private final double[] inv; // 1/h per component
    private final Adjoint adjoint = new Adjoint();

    /**
     * @param shape {@code [nz, ny, nx]}
     * @param voxelSizeMm {@code [dz, dy, dx]} in mm
     */
    public FiniteDifferenceGradient(int[] shape, double[] voxelSizeMm) {
        if (shape.length != 3) throw new IllegalArgumentException("gradient needs a [nz, ny, nx] shape, got " + shape.length + " axes");
        if (voxelSizeMm.length != 3) throw new IllegalArgumentException("voxel size needs [dz, dy, dx]");
        for (double h : voxelSizeMm) if (!(h > 0)) throw new IllegalArgumentException("voxel size must be positive, got " + h);
        this.nz = shape[0];
        this.ny = shape[1];
        this.nx = shape[2];
        this.dims = nz == 1 ? 2 : 3;
        this.inv = dims == 3
                ? new double[] {1 / voxelSizeMm[0], 1 / voxelSizeMm[1], 1 / voxelSizeMm[2]}
                : new double[] {1 / voxelSizeMm[1], 1 / voxelSizeMm[2]};
    }

    /** Number of gradient components: 3, or 2 for a single slice. */
    public int components() { return dims; }

    /** An upper bound of the operator norm, √(Σ 4/h²). */
    public double normBound() {
        double s = 0;
        for (double i : inv) s += 4 * i * i;
        return Math.sqrt(s);
    }

    /** The isotropic total variation {@code Σ_voxels |∇x|₂} (in μ·mm² per mm for μ in 1/mm), in double. */
    public double totalVariation(float[] x) {
        float[] g = apply(x);
        int n = nz * ny * nx;
        double tv = 0;
        for (int p = 0; p < n; p++) {
            double s = 0;
            for (int c = 0; c < dims; c++) s += (double) g[c * n + p] * g[c * n + p];
            tv += Math.sqrt(s);
        }
        return tv;
    }

    /** An upper bound of every column's absolute sum: a voxel enters two differences per axis, Σ 2/h. */
    public double absoluteColumnSumBound() {
        double s = 0;
        for (double i : inv) s += 2 * i;
        return s;
    }

    /** An upper bound of every row's absolute sum: a difference has two entries of 1/h, 2/h_min. */
    public double absoluteRowSumBound() {
        double s = 0;
        for (double i : inv) s = Math.max(s, 2 * i);
        return s;
    }

    @Override public int[] domainShape() { return new int[] {nz, ny, nx}; }
    @Override public int[] rangeShape() { return new int[] {dims, nz, ny, nx}; }
    @Override public org.pdrecon.operators.LinearOperator adjoint() { return adjoint; }

    @Override
    public void apply(float[] x, float[] out) {
        int n = nz * ny * nx, c = 0;
        if (dims == 3) {
            float h = (float) inv[c];
            for (int k = 0; k < nz; k++)
                for (int j = 0; j < ny; j++)
                    for (int i = 0; i < nx; i++) {
                        int p = (k * ny + j) * nx + i;
                        out[c * n + p] = k + 1 < nz ? (x[p + ny * nx] - x[p]) * h : 0f;
                    }
            c++;
        }
        float hy = (float) inv[c], hx = (float) inv[c + 1];
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++) {
                    int p = (k * ny + j) * nx + i;
                    out[c * n + p] = j + 1 < ny ? (x[p + nx] - x[p]) * hy : 0f;
                    out[(c + 1) * n + p] = i + 1 < nx ? (x[p + 1] - x[p]) * hx : 0f;
                }
    }

    /** ∇ᵀ = −div: each forward difference's transpose. */
    private final class Adjoint implements org.pdrecon.operators.LinearOperator {
        @Override public int[] domainShape() { return FiniteDifferenceGradient.this.rangeShape(); }
        @Override public int[] rangeShape() { return FiniteDifferenceGradient.this.domainShape(); }
        @Override public org.pdrecon.operators.LinearOperator adjoint() { return FiniteDifferenceGradient.this; }

        @Override
        public void apply(float[] g, float[] out) {
            int n = nz * ny * nx, c = 0;
            java.util.Arrays.fill(out, 0f);
            if (dims == 3) {
                float h = (float) inv[c];
                for (int k = 0; k + 1 < nz; k++)
                    for (int j = 0; j < ny; j++)
                        for (int i = 0; i < nx; i++) {
                            int p = (k * ny + j) * nx + i;
                            float v = g[c * n + p] * h;
                            out[p] -= v;
                            out[p + ny * nx] += v;
                        }
                c++;
            }
            float hy = (float) inv[c], hx = (float) inv[c + 1];
            for (int k = 0; k < nz; k++)
                for (int j = 0; j < ny; j++)
                    for (int i = 0; i < nx; i++) {
                        int p = (k * ny + j) * nx + i;
                        if (j + 1 < ny) {
                            float v = g[c * n + p] * hy;
                            out[p] -= v;
                            out[p + nx] += v;
                        }
                        if (i + 1 < nx) {
                            float v = g[(c + 1) * n + p] * hx;
                            out[p] -= v;
                            out[p + 1] += v;
                        }
                    }
        }
    }
}
