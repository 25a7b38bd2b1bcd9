package org.pdrecon.iterative;

import org.pdrecon.operators.LinearOperator;

/**
 * The primal-dual iteration both TV solvers run ({@link TvPrimalDual}: one step for all elements;
 * {@link PreconditionedTv}: a step per element). With {@code K = [A; α∇]}:
 *
 * <pre>
 *   y₁ ← (y₁ + σ(A·x̄ − b)) / (1 + σ)               σ per data row
 *   y₂ ← proj_{|·|₂ ≤ λ/α} (y₂ + σ₂α∇x̄)            (pointwise over voxels)
 *   x⁺ ← proj_G (x − τ(Aᵀy₁ + α∇ᵀy₂))               τ per voxel
 *   x̄ ← 2x⁺ − x
 * </pre>
 *
 * One A and one Aᵀ per iteration ({@code A·x̄} is formed from the kept {@code A·x} by linearity).
 * Per-element steps are given as arrays; {@code null} arrays mean the scalar steps, so the plain solver
 * needs no arrays of the data's size.
 */
final class TvIteration {
    private TvIteration() {}

    /** The checks both TV solvers make on their settings. */
    static void checkSettings(double lambda, double[] voxelSizeMm) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new IllegalArgumentException("TV weight λ must be ≥ 0, got " + lambda);
        if (voxelSizeMm == null || voxelSizeMm.length != 3) throw new IllegalArgumentException("voxel size needs [dz, dy, dx] in mm");
    }

    /** Checks the arrays against the operator and returns the gradient of its volume domain. */
    static FiniteDifferenceGradient gradient(LinearOperator a, float[] b, float[] x, double[] voxelSizeMm) {
        Vectors.requireLength("data b", b, a.rangeSize());
        Vectors.requireLength("start x", x, a.domainSize());
        int[] shape = a.domainShape();
        if (shape.length != 3) throw new IllegalArgumentException("TV needs a volume domain [nz, ny, nx], the operator's domain has " + shape.length + " axes");
        return new FiniteDifferenceGradient(shape, voxelSizeMm);
    }

    /**
     * @param sigma data-row step when {@code sigmas} is null
     * @param sigmas per data row, or null
     * @param sigma2 gradient-row step
     * @param tau voxel step when {@code taus} is null
     * @param taus per voxel, or null
     * @param alpha the gradient block's scale α
     * @param lambda TV weight λ
     */
    static SolverResult run(LinearOperator a, float[] b, float[] x, SolverSettings settings, FiniteDifferenceGradient grad,
                            float sigma, float[] sigmas, float sigma2, float tau, float[] taus, double alpha, double lambda) {
        int m = a.rangeSize(), n = a.domainSize(), d = grad.components();
        LinearOperator at = a.adjoint(), gradT = grad.adjoint();
        float radius = (float) (lambda / alpha), fa = (float) alpha;
        float inv = 1f / (1f + sigma);
        float[] invs = null;
        if (sigmas != null) {
            invs = new float[m];
            for (int i = 0; i < m; i++) invs[i] = 1f / (1f + sigmas[i]);
        }

        float[] y1 = new float[m], ax = new float[m], axBar = new float[m], axNew = new float[m];
        float[] y2 = new float[d * n], g = new float[d * n];
        float[] xBar = x.clone(), xOld = new float[n], back = new float[n], div = new float[n];
        IterationMonitor monitor = new IterationMonitor(settings, x, b);
        boolean nonNeg = settings.nonNegative();
        if (nonNeg) {
            Vectors.clipNegative(x);
            System.arraycopy(x, 0, xBar, 0, n);
        }
        a.apply(x, ax);
        System.arraycopy(ax, 0, axBar, 0, m);
        for (int k = 1; ; k++) {
            if (sigmas == null) {
                for (int i = 0; i < m; i++) y1[i] = (y1[i] + sigma * (axBar[i] - b[i])) * inv;
            } else {
                for (int i = 0; i < m; i++) y1[i] = (y1[i] + sigmas[i] * (axBar[i] - b[i])) * invs[i];
            }
            grad.apply(xBar, g);
            for (int i = 0; i < g.length; i++) y2[i] += sigma2 * fa * g[i];
            projectOntoBalls(y2, n, d, radius);
            at.apply(y1, back);
            gradT.apply(y2, div);
            System.arraycopy(x, 0, xOld, 0, n);
            if (taus == null) {
                for (int j = 0; j < n; j++) x[j] -= tau * (back[j] + fa * div[j]);
            } else {
                for (int j = 0; j < n; j++) x[j] -= taus[j] * (back[j] + fa * div[j]);
            }
            if (nonNeg) Vectors.clipNegative(x);
            for (int j = 0; j < n; j++) xBar[j] = 2 * x[j] - xOld[j];
            a.apply(x, axNew);
            double res = 0;
            for (int i = 0; i < m; i++) {
                axBar[i] = 2 * axNew[i] - ax[i];
                double r = b[i] - axNew[i];
                res += r * r;
            }
            float[] t = ax;
            ax = axNew;
            axNew = t;
            SolverResult.StopReason stop = monitor.report(k, Math.sqrt(res));
            if (stop != null) return monitor.result(stop);
        }
    }

    /** Projects each voxel's gradient-component vector onto the ball of the given radius. */
    private static void projectOntoBalls(float[] y, int n, int d, float radius) {
        for (int p = 0; p < n; p++) {
            double s = 0;
            for (int c = 0; c < d; c++) s += (double) y[c * n + p] * y[c * n + p];
            double norm = Math.sqrt(s);
            if (norm > radius) {
                float f = norm > 0 ? (float) (radius / norm) : 0f;
                for (int c = 0; c < d; c++) y[c * n + p] *= f;
            }
        }
    }
}
