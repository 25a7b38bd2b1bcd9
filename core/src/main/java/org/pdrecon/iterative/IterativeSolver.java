package org.pdrecon.iterative;

import org.pdrecon.operators.LinearOperator;

/** An iterative reconstruction method for {@code A·x ≈ b} on a matched operator pair. */
public interface IterativeSolver {
    /**
     * Runs the method.
     *
     * @param a the forward operator (its {@code adjoint()} must be the matched Aᵀ)
     * @param b measured data in A's range layout. Not modified.
     * @param x start estimate in A's domain layout; overwritten with the result. Modified.
     * @param settings stopping rule, constraints, listener
     */
    SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings);

    /** Short name, e.g. {@code "sirt"}. */
    String name();
}
