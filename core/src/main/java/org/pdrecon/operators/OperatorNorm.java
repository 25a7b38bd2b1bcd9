package org.pdrecon.operators;

import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * The operator norm ‖A‖ (largest singular value) by the power method on AᵀA.
 *
 * <p>Start: a seeded positive random vector (the projector's matrix is nonnegative, so its leading
 * singular vector is too and a positive start has a large component along it). Each iteration sets
 * {@code x ← AᵀA x / ‖AᵀA x‖}; the estimate {@code ‖A x‖ / ‖x‖} increases monotonically to ‖A‖. It
 * stops when the estimate changes by less than {@code tolerance} (relative) between iterations, or
 * after {@code maxIterations}. Norms of the cone-beam projector are cached per geometry object, so
 * solvers ask for it freely.
 */
public final class OperatorNorm {
    /** Relative change of the estimate at which the cached projector norms stop. */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    private static final long SEED = 20240607L;

    private static final Map<ConeBeamGeometry, Double> CACHE = new WeakHashMap<>();

    private OperatorNorm() {}

    /** ‖A‖ of a cone-beam projector, computed once per geometry object (identity) and cached. */
    public static double of(ConeBeamProjector projector) {
        ConeBeamGeometry g = projector.geometry();
        synchronized (CACHE) {
            Double cached = CACHE.get(g);
            if (cached != null) return cached;
        }
        double norm = estimate(projector, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, SEED);
        synchronized (CACHE) {
            CACHE.put(g, norm);
        }
        return norm;
    }

    /**
     * Estimates ‖A‖ of any linear operator whose {@code adjoint()} is its true transpose.
     *
     * @param maxIterations at least 1
     * @param tolerance relative change of the estimate between iterations at which to stop
     * @param seed seeds the positive random start vector
     */
    public static double estimate(LinearOperator op, int maxIterations, double tolerance, long seed) {
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        float[] x = new float[op.domainSize()];
        float[] ax = new float[op.rangeSize()];
        Random random = new Random(seed);
        for (int i = 0; i < x.length; i++) x[i] = 0.5f + random.nextFloat();
        scale(x, 1 / norm2(x));
        double estimate = 0;
        LinearOperator adj = op.adjoint();
        for (int it = 0; it < maxIterations; it++) {
            op.apply(x, ax);
            double next = norm2(ax); // ‖A x‖ with ‖x‖ = 1
            adj.apply(ax, x);
            double nx = norm2(x);
            if (nx == 0) return 0;
            scale(x, 1 / nx);
            boolean done = Math.abs(next - estimate) <= tolerance * next;
            estimate = next;
            if (done) break;
        }
        return estimate;
    }

    private static double norm2(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return Math.sqrt(s);
    }

    private static void scale(float[] a, double f) {
        float g = (float) f;
        for (int i = 0; i < a.length; i++) a[i] *= g;
    }
}
