package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import org.pdrecon.operators.NDArrayOperator;

/**
 * {@code c·A} for a fixed scalar {@code c}; its adjoint is {@code c·Aᵀ}. Used to hand a network the
 * normalised operator {@code A / ‖A‖}, as Adler &amp; Öktem do, so that activations keep their scale
 * through the projections and backprojections of every unrolled iteration.
 */
public final class ScaledOperator implements NDArrayOperator {
    private final NDArrayOperator op;
    private final double scale;
    private final ScaledOperator adjoint;

    public ScaledOperator(NDArrayOperator op, double scale) {
        this.op = Objects.requireNonNull(op, "op");
        if (!(scale != 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be finite and non-zero, got " + scale);
        this.scale = scale;
        this.adjoint = new ScaledOperator(this);
    }

    private ScaledOperator(ScaledOperator forward) {
        this.op = forward.op.adjoint();
        this.scale = forward.scale;
        this.adjoint = forward;
    }

    public double scale() {
        return scale;
    }

    @Override public int[] domainShape() { return op.domainShape(); }
    @Override public int[] rangeShape() { return op.rangeShape(); }
    @Override public NDArrayOperator adjoint() { return adjoint; }

    @Override
    public NDArray apply(NDArray x) {
        NDArray y = op.apply(x);
        NDArray scaled = y.mul(scale); // outside autograd: the operator contract says nothing is recorded
        y.close();
        return scaled;
    }
}
