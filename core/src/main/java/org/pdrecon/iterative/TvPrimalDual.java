package org.pdrecon.iterative;

import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.LinearOperator;
import org.pdrecon.operators.OperatorNorm;

/**
 * Total-variation regularised reconstruction with the Chambolle–Pock primal-dual algorithm
 * (Chambolle &amp; Pock 2011, alg. 1, θ = 1; Sidky, Jørgensen &amp; Pan 2012 for CT):
 *
 * <pre>  min_x  ½‖A·x − b‖₂² + λ·TV(x)  [+ ι(x ≥ 0)],   TV(x) = Σ_voxels |∇x|₂ (isotropic)  </pre>
 *
 * written as {@code min_x F(K·x) + G(x)} with {@code K = [A; α∇]}, {@code F(y₁, y₂) = ½‖y₁ − b‖² +
 * (λ/α)·‖y₂‖_{2,1}} and {@code G} the non-negativity indicator (or 0). The scale
 * {@code α = ‖A‖ / ‖∇‖_bound} balances the two blocks (the objective is unchanged, since
 * {@code λ·TV(x) = (λ/α)·‖α∇x‖_{2,1}}), so that one step size suits both. Iteration:
 *
 * <pre>
 *   y₁ ← (y₁ + σ(A·x̄ − b)) / (1 + σ)
 *   y₂ ← proj_{|·|₂ ≤ λ/α} (y₂ + σα∇x̄)         (pointwise over voxels)
 *   x⁺ ← proj_G (x − τ(Aᵀy₁ + α∇ᵀy₂))
 *   x̄ ← 2x⁺ − x
 * </pre>
 *
 * Convergence needs {@code τσ‖K‖² < 1}. With {@code ‖∇‖ < ‖∇‖_bound = √(Σ 4/h²)} and
 * {@code ‖A‖ ≤ 1.02·‖A‖_est} (power iteration to 1e-4, approaching ‖A‖ from below, or a norm
 * given by the caller), {@code ‖K‖² ≤
 * (1.02² + 1)·‖A‖_est² =: L²}; the default steps are {@code τ = σ = 1/L}. One A and one Aᵀ per
 * iteration ({@code A·x̄} is formed from the kept {@code A·x} by linearity).
 */
public final class TvPrimalDual implements IterativeSolver {
    private final double lambda;
    private final double[] voxelSizeMm;
    private final double operatorNorm;

    /**
     * @param lambda TV weight λ ≥ 0 (units of b² per (1/mm² · voxel), with ∇ in 1/mm per mm)
     * @param voxelSizeMm {@code [dz, dy, dx]} for the physical gradient
     */
    public TvPrimalDual(double lambda, double[] voxelSizeMm) {
        this(lambda, voxelSizeMm, Double.NaN);
    }

    /**
     * As above with a known ‖A‖; NaN asks the operator ({@link ConeBeamProjector#norm()}, cached) or
     * estimates it with {@link OperatorNorm#estimate}.
     */
    public TvPrimalDual(double lambda, double[] voxelSizeMm, double operatorNorm) {
        TvIteration.checkSettings(lambda, voxelSizeMm);
        if (!Double.isNaN(operatorNorm) && !(operatorNorm > 0)) throw new IllegalArgumentException("operator norm must be positive, got " + operatorNorm);
        this.lambda = lambda;
        this.voxelSizeMm = voxelSizeMm.clone();
        this.operatorNorm = operatorNorm;
    }

    @Override
    public String name() {
        return "tv";
    }

    @Override
    public SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings) {
        FiniteDifferenceGradient grad = TvIteration.gradient(a, b, x, voxelSizeMm);
        double normA = !Double.isNaN(operatorNorm) ? operatorNorm
                : a instanceof ConeBeamProjector ? ((ConeBeamProjector) a).norm()
                : OperatorNorm.estimate(a, OperatorNorm.DEFAULT_MAX_ITERATIONS, OperatorNorm.DEFAULT_TOLERANCE, 42);
        if (!(normA > 0)) throw new IllegalArgumentException("the operator is zero: nothing to reconstruct");
        double alpha = normA / grad.normBound();
        double bigL = normA * Math.sqrt(1.02 * 1.02 + 1);
        float tau = (float) (1 / bigL), sigma = (float) (1 / bigL);
        return TvIteration.run(a, b, x, settings, grad, sigma, null, sigma, tau, null, alpha, lambda);
    }
}
