package org.pdrecon.operators;

/**
 * A matrix-free linear map between flat float arrays, with its adjoint. Solvers ask the operator for
 * shapes, adjoint and norm instead of trusting the caller.
 *
 * <p>Contract: {@link #apply} overwrites {@code out} completely; {@code adjoint().adjoint()} is this
 * operator; for a matched pair {@code ⟨Ax, y⟩ = ⟨x, Aᵀy⟩} to float round-off.
 */
public interface LinearOperator {
    /** Shape of an input element, e.g. {@code [nz, ny, nx]}. */
    int[] domainShape();

    /** Shape of an output element, e.g. {@code [views, rows, cols]}. */
    int[] rangeShape();

    /** Computes {@code out = A·x}; {@code out} is overwritten. */
    void apply(float[] x, float[] out);

    /** The adjoint operator {@code Aᵀ}, whose adjoint is this operator. */
    LinearOperator adjoint();

    default int domainSize() {
        return product(domainShape());
    }

    default int rangeSize() {
        return product(rangeShape());
    }

    /** Allocates and returns {@code A·x}. */
    default float[] apply(float[] x) {
        float[] out = new float[rangeSize()];
        apply(x, out);
        return out;
    }

    private static int product(int[] shape) {
        int n = 1;
        for (int s : shape) n = Math.multiplyExact(n, s);
        return n;
    }
}
