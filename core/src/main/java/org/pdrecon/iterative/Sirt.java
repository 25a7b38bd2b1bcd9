package org.pdrecon.iterative;

import java.util.Arrays;
import org.pdrecon.operators.LinearOperator;

/**
 * SIRT (simultaneous iterative reconstruction technique) in the form of Gregor &amp; Benson (2008), as
 * in TIGRE and ASTRA:
 *
 * <pre>  x ← x + λ · C · Aᵀ · R · (b − A·x)  </pre>
 *
 * with {@code R = diag(1 / (A·1))} (inverse ray lengths) and {@code C = diag(1 / (Aᵀ·1))} (inverse
 * voxel sensitivities); entries whose sum is 0 get weight 0. For a non-negative {@code A} it
 * converges for {@code 0 < λ < 2} to the minimiser of the R-weighted least squares
 * {@code ‖b − A·x‖²_R} (closest in the C⁻¹-norm to the start), which for consistent data is a solution
 * of {@code A·x = b}. Optional non-negativity projects {@code x} onto {@code x ≥ 0} after each update.
 * One A and one Aᵀ per iteration.
 */
public final class Sirt implements IterativeSolver {
    private final double relaxation;

    /** SIRT with relaxation λ = 1. */
    public Sirt() {
        this(1.0);
    }

    /** @param relaxation λ in (0, 2) */
    public Sirt(double relaxation) {
        if (!(relaxation > 0 && relaxation < 2)) {
            throw new IllegalArgumentException("SIRT relaxation must be in (0, 2) for convergence, got " + relaxation);
        }
        this.relaxation = relaxation;
    }

    @Override
    public String name() {
        return "sirt";
    }

    @Override
    public SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings) {
        int m = a.rangeSize(), n = a.domainSize();
        Vectors.requireLength("data b", b, m);
        Vectors.requireLength("start x", x, n);
        LinearOperator at = a.adjoint();
        float[] rowW = new float[m], colW = new float[n];
        float[] ones = new float[Math.max(m, n)];
        Arrays.fill(ones, 1f);
        a.apply(n == ones.length ? ones : Arrays.copyOf(ones, n), rowW);
        at.apply(m == ones.length ? ones : Arrays.copyOf(ones, m), colW);
        return solveWeighted(a, b, x, settings, rowW, colW);
    }

    /**
     * SIRT with given ray sums {@code A·1} and voxel sums {@code Aᵀ·1} instead of those of {@code a}: the
     * halves of a {@link SymmetricSplit} take the whole scan's, so that their iterates add up to the
     * unsplit ones. The arrays are turned into their inverses in place.
     */
    SolverResult solveWeighted(LinearOperator a, float[] b, float[] x, SolverSettings settings, float[] rowW, float[] colW) {
        int m = a.rangeSize(), n = a.domainSize();
        Vectors.requireLength("ray sums", rowW, m);
        Vectors.requireLength("voxel sums", colW, n);
        LinearOperator at = a.adjoint();
        Vectors.invertPositive(rowW);
        Vectors.invertPositive(colW);
        float[] r = new float[m], ax = new float[m], back = new float[n];
        IterationMonitor monitor = new IterationMonitor(settings, x, b);
        if (settings.nonNegative()) Vectors.clipNegative(x);
        a.apply(x, ax);
        Vectors.sub(b, ax, r);
        float lambda = (float) relaxation;
        for (int k = 1; ; k++) {
            for (int i = 0; i < m; i++) r[i] *= rowW[i];
            at.apply(r, back);
            for (int j = 0; j < n; j++) x[j] += lambda * colW[j] * back[j];
            if (settings.nonNegative()) Vectors.clipNegative(x);
            a.apply(x, ax);
            Vectors.sub(b, ax, r);
            SolverResult.StopReason stop = monitor.report(k, Vectors.norm(r));
            if (stop != null) return monitor.result(stop);
        }
    }
}
