package org.pdrecon.operators;

import ai.djl.ndarray.NDArray;

/**
 * A linear map on NDArrays with its adjoint, computed on the array's device and never recorded in
 * the autograd graph. This is the form in which the segment tape ({@code operators.tape}) calls an
 * operator: the tape routes gradients across it with {@link #adjoint()}.
 *
 * <p>Contract: {@link #apply} takes an array of shape {@code (..., domainShape)} (any leading batch
 * or channel dimensions) and returns a new array of shape {@code (..., rangeShape)} with the same data
 * type, on the same device and manager; the caller owns the result. {@code adjoint().adjoint()} is
 * this operator.
 */
public interface NDArrayOperator {
    /** Trailing shape of an input, e.g. {@code [nz, ny, nx]}. */
    int[] domainShape();

    /** Trailing shape of an output, e.g. {@code [views, rows, cols]}. */
    int[] rangeShape();

    /** Computes {@code A·x} over the trailing dimensions; the result is new and not recorded by autograd. */
    NDArray apply(NDArray x);

    /** The adjoint operator, whose adjoint is this operator. */
    NDArrayOperator adjoint();
}
