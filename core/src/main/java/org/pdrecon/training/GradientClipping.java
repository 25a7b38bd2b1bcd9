package org.pdrecon.training;

/** Clipping by global norm (Pascanu et al. 2013): all gradients are scaled together so that ‖g‖₂ ≤ maxNorm. */
public final class GradientClipping {
    private GradientClipping() {}

    /** ‖g‖₂ over all arrays, summed in double precision in a fixed order. */
    public static double globalNorm(float[][] grads) {
        double s = 0;
        for (float[] g : grads) for (float x : g) s += (double) x * x;
        return Math.sqrt(s);
    }

    /**
     * Scales {@code grads} in place by {@code min(1, maxNorm / ‖g‖)} and returns the norm before
     * clipping. {@code maxNorm = ∞} disables clipping. Fails on a non-finite norm: a NaN or infinite
     * gradient would silently destroy the parameters.
     */
    public static double clip(float[][] grads, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("optimiser.clip_norm must be positive, got " + maxNorm);
        double norm = globalNorm(grads);
        if (!Double.isFinite(norm)) throw new IllegalStateException("gradient norm is " + norm
                + ": the loss diverged (lower the learning rate), or an operation produced NaN/Inf (rerun with --check-numerics to name it)");
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (float[] g : grads) for (int j = 0; j < g.length; j++) g[j] *= scale;
        }
        return norm;
    }
}
