package org.pdrecon.iterative;

/** Small in-place vector kernels for the solvers (double accumulation, explicit output). */
final class Vectors {
    private Vectors() {}

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** y += alpha·x */
    static void axpy(double alpha, float[] x, float[] y) {
        float a = (float) alpha;
        for (int i = 0; i < y.length; i++) y[i] += a * x[i];
    }

    /** out = a − b */
    static void sub(float[] a, float[] b, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = a[i] - b[i];
    }

    static void clipNegative(float[] x) {
        for (int i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
    }

    static void requireLength(String what, float[] a, int n) {
        if (a == null) throw new IllegalArgumentException(what + " is missing");
        if (a.length != n) throw new IllegalArgumentException(what + " has " + a.length + " values, the operator needs " + n);
    }

    /** {@code w ← 1/w} where positive, 0 elsewhere (SIRT-family row and column weights). */
    static void invertPositive(float[] w) {
        for (int i = 0; i < w.length; i++) w[i] = w[i] > 0 ? 1f / w[i] : 0f;
    }
}
