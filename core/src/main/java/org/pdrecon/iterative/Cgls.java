package org.pdrecon.iterative;

import org.pdrecon.operators.LinearOperator;

/**
 * CGLS: conjugate gradients on the normal equations {@code AᵀA·x = Aᵀb} without forming them
 * (Björck 1996, alg. 7.4.1; TIGRE's {@code CGLS}). Minimises {@code ‖b − A·x‖₂} over the Krylov
 * spaces of AᵀA; the residual norm decreases monotonically, and in exact arithmetic the least-squares
 * solution nearest the start is reached in at most {@code n} steps. Needs the matched adjoint Aᵀ.
 * One A and one Aᵀ per iteration.
 *
 * <p>Non-negativity is not part of CG theory: when enabled, x is projected onto {@code x ≥ 0} after
 * each step and the method restarts from the projected point (residual recomputed, search
 * direction reset to the gradient), which costs one extra A per iteration and gives up the
 * monotone-residual guarantee.
 */
public final class Cgls implements IterativeSolver {
    @Override
    public String name() {
        return "cgls";
    }

    @Override
    public SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings) {
        int m = a.rangeSize(), n = a.domainSize();
        Vectors.requireLength("data b", b, m);
        Vectors.requireLength("start x", x, n);
        LinearOperator at = a.adjoint();
        float[] r = new float[m], q = new float[m], s = new float[n], p = new float[n];
        IterationMonitor monitor = new IterationMonitor(settings, x, b);
        boolean nonNeg = settings.nonNegative();
        if (nonNeg) Vectors.clipNegative(x);
        a.apply(x, q);
        Vectors.sub(b, q, r);
        at.apply(r, s);
        System.arraycopy(s, 0, p, 0, n);
        double gamma = Vectors.dot(s, s);
        for (int k = 1; ; k++) {
            if (gamma == 0) return monitor.result(SolverResult.StopReason.CONVERGED);
            a.apply(p, q);
            double qq = Vectors.dot(q, q);
            if (qq == 0) return monitor.result(SolverResult.StopReason.CONVERGED);
            double alpha = gamma / qq;
            Vectors.axpy(alpha, p, x);
            if (nonNeg) {
                Vectors.clipNegative(x);
                a.apply(x, q);
                Vectors.sub(b, q, r);
            } else {
                Vectors.axpy(-alpha, q, r);
            }
            at.apply(r, s);
            double gammaNew = Vectors.dot(s, s);
            if (nonNeg) {
                System.arraycopy(s, 0, p, 0, n); // restart after the projection
            } else {
                float beta = (float) (gammaNew / gamma);
                for (int j = 0; j < n; j++) p[j] = s[j] + beta * p[j];
            }
            gamma = gammaNew;
            SolverResult.StopReason stop = monitor.report(k, Vectors.norm(r));
            if (stop != null) return monitor.result(stop);
        }
    }
}
