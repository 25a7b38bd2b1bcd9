package org.pdrecon.iterative;

/**
 * How a solver run ended.
 *
 * @param iterations iterations carried out
 * @param residualNorm final ‖b − A·x‖₂
 * @param relativeResidual final ‖b − A·x‖₂ / ‖b‖₂
 * @param stopReason why the loop ended
 */
public record SolverResult(int iterations, double residualNorm, double relativeResidual, StopReason stopReason) {
    public enum StopReason {
        /** The iteration limit was reached. */
        ITERATIONS,
        /** The relative residual fell to the tolerance. */
        RESIDUAL_TOLERANCE,
        /** The method cannot make further progress (e.g. CGLS with a zero search direction: the least-squares solution is reached). */
        CONVERGED
    }
}
