package org.pdrecon.training;

import java.util.Objects;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1) over flat float arrays, one per parameter. For step
 * {@code t = 1, 2, …} and each element with gradient {@code g}:
 * <pre>
 *   m ← β₁·m + (1 − β₁)·g        v ← β₂·v + (1 − β₂)·g²
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 * computed in double precision per element and stored as float. Written here rather than using DJL's
 * {@code Adam} because the moments and the step count are part of a checkpoint ({@link #state}): DJL
 * keeps them in private maps with no way to read or restore them, so a resumed run could not continue
 * exactly. The update is elementwise, so it is deterministic and independent of the device.
 */
public final class Adam {
    private final double beta1, beta2, epsilon;
    private final float[][] m, v;
    private long step;

    /** A fresh optimiser for parameters of the given element counts. */
    public Adam(double beta1, double beta2, double epsilon, int[] sizes) {
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("optimiser.beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("optimiser.beta2 must be in [0, 1), got " + beta2);
        if (!(epsilon > 0)) throw new IllegalArgumentException("optimiser.epsilon must be positive, got " + epsilon);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new float[sizes.length][];
        this.v = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            m[i] = new float[sizes[i]];
            v[i] = new float[sizes[i]];
        }
    }

    /**
     * One step: updates {@code params} in place from {@code grads} (same layout).
     *
     * @param learningRate the step size {@code lr} for this step
     */
    public void update(float[][] params, float[][] grads, double learningRate) {
        if (params.length != m.length || grads.length != m.length) {
            throw new IllegalArgumentException("Adam holds " + m.length + " parameters, got " + params.length + " values and " + grads.length + " gradients");
        }
        step++;
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < params.length; i++) {
            float[] p = params[i], g = grads[i], mi = m[i], vi = v[i];
            if (p.length != mi.length || g.length != mi.length) {
                throw new IllegalArgumentException("parameter " + i + " has " + mi.length + " elements, got " + p.length + " values and " + g.length + " gradients");
            }
            for (int j = 0; j < p.length; j++) {
                double gj = g[j];
                double mj = beta1 * mi[j] + (1 - beta1) * gj;
                double vj = beta2 * vi[j] + (1 - beta2) * gj * gj;
                mi[j] = (float) mj;
                vi[j] = (float) vj;
                p[j] = (float) (p[j] - learningRate * (mj / c1) / (Math.sqrt(vj / c2) + epsilon));
            }
        }
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    /** The state to checkpoint: the step count and the live moment arrays (not copies). */
    public State state() {
        return new State(step, m, v);
    }

    /** Restores a checkpointed state; shapes must match this optimiser's parameters. */
    public void restore(State s) {
        Objects.requireNonNull(s, "state");
        if (s.step < 0) throw new IllegalArgumentException("Adam step must be non-negative, got " + s.step);
        if (s.m.length != m.length || s.v.length != v.length) {
            throw new IllegalArgumentException("checkpoint has Adam moments for " + s.m.length + " parameters, the model has " + m.length);
        }
        for (int i = 0; i < m.length; i++) {
            if (s.m[i].length != m[i].length || s.v[i].length != v[i].length) {
                throw new IllegalArgumentException("checkpoint Adam moments of parameter " + i + " have " + s.m[i].length
                        + " elements, the model has " + m[i].length);
            }
            System.arraycopy(s.m[i], 0, m[i], 0, m[i].length);
            System.arraycopy(s.v[i], 0, v[i], 0, v[i].length);
        }
        step = s.step;
    }

    /**
     * Adam's state: steps taken and first/second moments per parameter.
     *
     * @param step number of updates taken
     * @param m first moments, one array per parameter
     * @param v second moments, one array per parameter
     */
    public record State(long step, float[][] m, float[][] v) {}
}
