package org.pdrecon.iterative;

import java.nio.FloatBuffer;
import java.util.OptionalDouble;

/**
 * A read-only view of an iterative solver after one iteration; it is only valid during the
 * {@link IterationListener} call (the solver keeps updating the same memory afterwards).
 */
public interface IterationView {
    /** Iterations completed so far (1 after the first). */
    int iteration();

    /** The data residual ‖b − A·x‖₂ of the current estimate. */
    double residualNorm();

    /** {@code residualNorm() / ‖b‖₂}. */
    double relativeResidual();

    /** The current estimate as a read-only buffer (writes throw {@code ReadOnlyBufferException}). */
    FloatBuffer estimate();

    /** Root-mean-square error against the reference, when one was given in {@link SolverSettings}. */
    OptionalDouble rmse();

    /**
     * PSNR in dB against the reference, {@code 10·log10(range²/MSE)} with range = max − min of the
     * reference over the whole array (no mask), when a reference was given.
     */
    OptionalDouble psnr();
}
