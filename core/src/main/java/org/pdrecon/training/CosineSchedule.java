package org.pdrecon.training;

/**
 * Cosine decay of the learning rate (Loshchilov &amp; Hutter 2017, one cycle, as Adler &amp; Öktem use):
 * {@code lr(s) = lrMin + ½·(lr0 − lrMin)·(1 + cos(π·s / steps))} for step {@code s = 0 … steps−1},
 * optionally times a linear warm-up {@code (s + 1)/warmup} over the first {@code warmup} steps. Adam's first
 * steps move every parameter by about the full rate whatever its gradient's size; the warm-up keeps them small
 * while its moment estimates settle.
 */
public record CosineSchedule(double initial, double minimum, long steps, long warmup) {
    /** Without a warm-up. */
    public CosineSchedule(double initial, double minimum, long steps) {
        this(initial, minimum, steps, 0);
    }

    public CosineSchedule {
        if (warmup < 0) throw new IllegalArgumentException("optimiser.warmup_steps must not be negative, got " + warmup);
        if (!(initial > 0) || !Double.isFinite(initial)) throw new IllegalArgumentException("optimiser.learning_rate must be positive, got " + initial);
        if (!(minimum >= 0) || minimum > initial) {
            throw new IllegalArgumentException("optimiser.min_learning_rate must be in [0, learning_rate], got " + minimum);
        }
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }

    /** The learning rate of step {@code s} (0-based). */
    public double at(long s) {
        if (s < 0) throw new IllegalArgumentException("step must be non-negative, got " + s);
        double t = Math.min(1.0, (double) s / steps);
        double cosine = minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * t));
        return s < warmup ? cosine * (s + 1) / warmup : cosine;
    }
}
