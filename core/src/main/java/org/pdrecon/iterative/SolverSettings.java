package org.pdrecon.iterative;

/**
 * Settings shared by the iterative solvers: the stopping rule (an iteration limit, optionally also a
 * relative-residual tolerance ‖b − Ax‖/‖b‖ ≤ tol), non-negativity, a per-iteration listener and an
 * optional reference for metrics. Builder: {@code set*} required, {@code opt*} optional.
 */
public final class SolverSettings {
    private final int iterations;
    private final double relativeTolerance;
    private final boolean nonNegative;
    private final IterationListener listener;
    private final float[] reference;

    private SolverSettings(Builder b) {
        this.iterations = b.iterations;
        this.relativeTolerance = b.relativeTolerance;
        this.nonNegative = b.nonNegative;
        this.listener = b.listener;
        this.reference = b.reference;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Maximum number of iterations. */
    public int iterations() { return iterations; }
    /** Stop when ‖b − Ax‖/‖b‖ ≤ this; 0 disables the rule. */
    public double relativeTolerance() { return relativeTolerance; }
    public boolean nonNegative() { return nonNegative; }
    /** May be null. */
    public IterationListener listener() { return listener; }
    /** Reference for per-iteration metrics in the domain's layout; may be null. Not copied. */
    public float[] reference() { return reference; }

    public static final class Builder {
        private int iterations = -1;
        private double relativeTolerance;
        private boolean nonNegative;
        private IterationListener listener;
        private float[] reference;

        public Builder setIterations(int n) { this.iterations = n; return this; }
        public Builder optRelativeTolerance(double tol) { this.relativeTolerance = tol; return this; }
        public Builder optNonNegative(boolean on) { this.nonNegative = on; return this; }
        public Builder optListener(IterationListener l) { this.listener = l; return this; }
        public Builder optReference(float[] ref) { this.reference = ref; return this; }

        public SolverSettings build() {
            if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
            if (!(relativeTolerance >= 0) || !Double.isFinite(relativeTolerance)) {
                throw new IllegalArgumentException("relative tolerance must be ≥ 0, got " + relativeTolerance);
            }
            return new SolverSettings(this);
        }
    }
}
