package org.pdrecon.iterative;

import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.pdrecon.operators.LinearOperator;

/**
 * The normal pseudo-solution {@code x = A⁺·b} (the least-squares solution of minimum norm), computed
 * directly: the operator is written out as a dense matrix, one column per unit image, and factorised by
 * a singular value decomposition (EJML, double precision). For small 2D problems only: the matrix has
 * {@code rays × pixels} entries and the SVD costs {@code O(rays · pixels²)}; larger problems are refused.
 *
 * <p>Singular values below {@link #RELATIVE_CUTOFF} × the largest are treated as zero: the operators
 * compute in float, so smaller ones are round-off, and inverting them would only amplify it.
 */
public final class DirectPseudoInverse implements IterativeSolver {
    /** Singular values below this fraction of the largest count as zero. */
    public static final double RELATIVE_CUTOFF = 1e-6;
    /** The largest dense matrix written out (entries): 2²⁵, 256 MiB in double. */
    public static final long MAX_ENTRIES = 1L << 25;

    @Override
    public String name() {
        return "pinv";
    }

    /** Ignores the iteration limit and tolerance (there are no iterations); refuses non-negativity, which is not linear. */
    @Override
    public SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings) {
        requireLinear(settings);
        Vectors.requireLength("data b", b, a.rangeSize());
        Vectors.requireLength("start x", x, a.domainSize());
        Factorisation f = factorise(a);
        f.solve(b, x, RELATIVE_CUTOFF * f.largestSingularValue());
        return result(a, b, x);
    }

    static void requireLinear(SolverSettings settings) {
        if (settings.nonNegative()) {
            throw new IllegalArgumentException("the direct pseudo-solution is linear and cannot keep μ ≥ 0: use --no-non-negative");
        }
    }

    static SolverResult result(LinearOperator a, float[] b, float[] x) {
        float[] r = a.apply(x);
        Vectors.sub(b, r, r);
        double rn = Vectors.norm(r), bn = Vectors.norm(b);
        return new SolverResult(1, rn, bn == 0 ? 0 : rn / bn, SolverResult.StopReason.CONVERGED);
    }

    /**
     * Writes {@code a} out as a dense matrix and factorises it.
     *
     * @throws IllegalArgumentException when the matrix would exceed {@link #MAX_ENTRIES}
     */
    public static Factorisation factorise(LinearOperator a) {
        int m = a.rangeSize(), n = a.domainSize();
        if ((long) m * n > MAX_ENTRIES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the direct pseudo-solution writes out the %d × %d system matrix"
                    + " (%.1f GiB in double), more than the %d entries it allows: use it on small 2D problems (e.g. 64² pixels),"
                    + " or sirt/cgls", m, n, (double) m * n * 8 / (1L << 30), MAX_ENTRIES));
        }
        DMatrixRMaj dense = new DMatrixRMaj(m, n);
        float[] unit = new float[n], column = new float[m];
        for (int j = 0; j < n; j++) {
            unit[j] = 1f;
            a.apply(unit, column);
            unit[j] = 0f;
            for (int i = 0; i < m; i++) dense.unsafe_set(i, j, column[i]);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!svd.decompose(dense)) throw new IllegalStateException("the singular value decomposition did not converge");
        return new Factorisation(svd.getU(null, false), svd.getSingularValues().clone(), svd.getV(null, false));
    }

    /** {@code A = U·diag(s)·Vᵀ} (compact). */
    public static final class Factorisation {
        private final DMatrixRMaj u, v;
        private final double[] s;

        Factorisation(DMatrixRMaj u, double[] s, DMatrixRMaj v) {
            this.u = u;
            this.s = s;
            this.v = v;
        }

        public double largestSingularValue() {
            double max = 0;
            for (double x : s) max = Math.max(max, x);
            return max;
        }

        /** {@code x = V·diag(1/s)·Uᵀ·b}, singular values ≤ {@code cutoff} left out. */
        public void solve(float[] b, float[] x, double cutoff) {
            int m = u.numRows, k = s.length, n = v.numRows;
            double[] coef = new double[k];
            for (int i = 0; i < m; i++) {
                double bi = b[i];
                if (bi == 0) continue;
                for (int c = 0; c < k; c++) coef[c] += u.unsafe_get(i, c) * bi;
            }
            for (int c = 0; c < k; c++) coef[c] = s[c] > cutoff ? coef[c] / s[c] : 0;
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int c = 0; c < k; c++) acc += v.unsafe_get(j, c) * coef[c];
                x[j] = (float) acc;
            }
        }
    }
}
