package org.pdrecon.iterative;

import org.pdrecon.operators.LinearOperator;

/**
 * The TV problem of {@link TvPrimalDual}, {@code min ½‖A·x − b‖² + λ·TV(x) [+ ι(x ≥ 0)]}, solved by the
 * diagonally preconditioned primal-dual algorithm (Pock &amp; Chambolle 2011, "Diagonal preconditioning
 * for first order primal-dual algorithms in convex optimization", a = 1). Per-element steps replace the
 * one global step: for {@code K = [A; α∇]},
 *
 * <pre>  σᵢ = s / Σⱼ |Kᵢⱼ|   (the data rows: s/(A·1)ᵢ, as in SIRT; the gradient rows: s·h/(2α))
 *   τⱼ = 1 / (s·Σᵢ |Kᵢⱼ|)   (1/(s·((Aᵀ·1)ⱼ + α·Σ_axes 2/h)))</pre>
 *
 * which converge for any α and s &gt; 0 without a norm estimate ({@code ‖Σ^½ K T^½‖ ≤ 1}), and follow the
 * local conditioning of the scan (rays through more voxels, voxels seen by more rays). The scale s is
 * set so that the median data-row step is {@code dualStep}: the data term's conjugate has unit
 * curvature, so that step is dimensionless and does not depend on the units of A or b. The balance α
 * is set so that the gradient's share of τ is {@code balance} times the median voxel's projector
 * share. The iteration is otherwise {@link TvPrimalDual}'s; one A and one Aᵀ per iteration, plus two at
 * set-up.
 */
public final class PreconditionedTv implements IterativeSolver {
    /** Defaults chosen by a sweep on a small demo-like scan (docs/iterative.md, "Preconditioned TV"). */
    public static final double DEFAULT_BALANCE = 0.3, DEFAULT_DUAL_STEP = 0.2;

    private static final String NON_NEGATIVE = "tv-pc needs an operator with non-negative entries (a projector): its steps come from A·1 and Aᵀ·1";

    private final double lambda, balance, dualStep;
    private final double[] voxelSizeMm;

    public PreconditionedTv(double lambda, double[] voxelSizeMm) {
        this(lambda, voxelSizeMm, DEFAULT_BALANCE, DEFAULT_DUAL_STEP);
    }

    /**
     * @param lambda TV weight λ ≥ 0 (as {@link TvPrimalDual})
     * @param voxelSizeMm {@code [dz, dy, dx]}
     * @param balance the gradient block's column sum relative to the median of {@code Aᵀ·1}, &gt; 0
     * @param dualStep the data rows' median dual step σ, &gt; 0 (the primal steps shrink in proportion)
     */
    public PreconditionedTv(double lambda, double[] voxelSizeMm, double balance, double dualStep) {
        TvIteration.checkSettings(lambda, voxelSizeMm);
        if (!(balance > 0) || !Double.isFinite(balance)) throw new IllegalArgumentException("balance must be positive, got " + balance);
        this.lambda = lambda;
        this.voxelSizeMm = voxelSizeMm.clone();
        if (!(dualStep > 0) || !Double.isFinite(dualStep)) throw new IllegalArgumentException("dual step must be positive, got " + dualStep);
        this.balance = balance;
        this.dualStep = dualStep;
    }

    @Override
    public String name() {
        return "tv-pc";
    }

    @Override
    public SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings) {
        int m = a.rangeSize(), n = a.domainSize();
        FiniteDifferenceGradient grad = TvIteration.gradient(a, b, x, voxelSizeMm);
        LinearOperator at = a.adjoint();

        float[] rowSums = a.apply(filled(n)), colSums = at.apply(filled(m));
        for (float v : rowSums) if (v < 0) throw new IllegalArgumentException(NON_NEGATIVE);
        for (float v : colSums) if (v < 0) throw new IllegalArgumentException(NON_NEGATIVE);
        double gradColumn = grad.absoluteColumnSumBound(), gradRow = grad.absoluteRowSumBound();
        double median = positiveMedian(colSums);
        if (Double.isNaN(median)) throw new IllegalArgumentException("the operator is zero: nothing to reconstruct");
        double alpha = balance * median / gradColumn;
        float[] sigma = new float[m], tau = new float[n];
        double scale = dualStep * positiveMedian(rowSums);
        for (int i = 0; i < m; i++) sigma[i] = rowSums[i] > 0 ? (float) (scale / rowSums[i]) : 0f;
        for (int j = 0; j < n; j++) tau[j] = (float) (1 / (scale * (colSums[j] + alpha * gradColumn)));
        float sigma2 = (float) (scale / (alpha * gradRow));
        return TvIteration.run(a, b, x, settings, grad, 0f, sigma, sigma2, 0f, tau, alpha, lambda);
    }

    private static float[] filled(int size) {
        float[] one = new float[size];
        java.util.Arrays.fill(one, 1f);
        return one;
    }

    /** Median of the positive entries (voxels no ray sees are left out), NaN if none. */
    private static double positiveMedian(float[] v) {
        float[] pos = new float[v.length];
        int k = 0;
        for (float f : v) if (f > 0) pos[k++] = f;
        if (k == 0) return Double.NaN;
        pos = java.util.Arrays.copyOf(pos, k);
        java.util.Arrays.sort(pos);
        return pos[k / 2];
    }
}
