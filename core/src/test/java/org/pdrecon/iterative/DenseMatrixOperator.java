package org.pdrecon.iterative;

import java.util.Random;
import org.pdrecon.operators.LinearOperator;

/** A small dense matrix as a LinearOperator, for testing solvers against linear algebra done in double. */
final class DenseMatrixOperator implements LinearOperator {
    final double[][] m;
    private final int[] domain;
    private final LinearOperator adjoint;

    DenseMatrixOperator(double[][] m, int[] domainShape) {
        this.m = m;
        this.domain = domainShape;
        this.adjoint = new LinearOperator() {
            @Override public int[] domainShape() { return new int[] {m.length}; }
            @Override public int[] rangeShape() { return domain.clone(); }
            @Override public LinearOperator adjoint() { return DenseMatrixOperator.this; }
            @Override public void apply(float[] y, float[] out) {
                for (int j = 0; j < m[0].length; j++) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) s += m[i][j] * y[i];
                    out[j] = (float) s;
                }
            }
        };
    }

    static DenseMatrixOperator random(int rows, int cols, long seed, boolean nonNegative) {
        Random r = new Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) for (int j = 0; j < cols; j++) row[j] = nonNegative ? r.nextDouble() : r.nextGaussian();
        return new DenseMatrixOperator(m, new int[] {1, 1, cols});
    }

    static DenseMatrixOperator identity(int[] shape) {
        int n = shape[0] * shape[1] * shape[2];
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][i] = 1;
        return new DenseMatrixOperator(m, shape);
    }

    @Override public int[] domainShape() { return domain.clone(); }
    @Override public int[] rangeShape() { return new int[] {m.length}; }
    @Override public LinearOperator adjoint() { return adjoint; }

    @Override
    public void apply(float[] x, float[] out) {
        for (int i = 0; i < m.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) s += m[i][j] * x[j];
            out[i] = (float) s;
        }
    }

    /** Solves the weighted normal equations AᵀWA·x = AᵀW·b in double (W = diag(w), null for identity). */
    double[] normalEquationsSolution(float[] b, double[] w) {
        int n = m[0].length;
        double[][] g = new double[n][n + 1];
        for (int i = 0; i < m.length; i++) {
            double wi = w == null ? 1 : w[i];
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) g[j][k] += m[i][j] * wi * m[i][k];
                g[j][n] += m[i][j] * wi * b[i];
            }
        }
        for (int c = 0; c < n; c++) { // Gaussian elimination with partial pivoting
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(g[r][c]) > Math.abs(g[piv][c])) piv = r;
            double[] t = g[c]; g[c] = g[piv]; g[piv] = t;
            for (int r = 0; r < n; r++) {
                if (r == c) continue;
                double f = g[r][c] / g[c][c];
                for (int k = c; k <= n; k++) g[r][k] -= f * g[c][k];
            }
        }
        double[] x = new double[n];
        for (int j = 0; j < n; j++) x[j] = g[j][n] / g[j][j];
        return x;
    }
}
