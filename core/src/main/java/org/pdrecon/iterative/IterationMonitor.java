package org.pdrecon.iterative;

import java.nio.FloatBuffer;
import java.util.OptionalDouble;

/**
 * The shared bookkeeping of a solver loop: reports each iteration to the listener through a read-only
 * view and applies the stopping rule.
 */
final class IterationMonitor implements IterationView {
    private final SolverSettings settings;
    private final float[] x;
    private final FloatBuffer readOnly;
    private final double bNorm;
    private final double refRange;
    private int iteration;
    private double residual;

    IterationMonitor(SolverSettings settings, float[] x, float[] b) {
        this.settings = settings;
        this.x = x;
        this.readOnly = FloatBuffer.wrap(x).asReadOnlyBuffer();
        double nb = Vectors.norm(b);
        this.bNorm = nb > 0 ? nb : 1;
        float[] ref = settings.reference();
        if (ref != null) {
            Vectors.requireLength("reference", ref, x.length);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : ref) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            refRange = hi - lo;
        } else {
            refRange = Double.NaN;
        }
    }

    /** Records iteration {@code k} with residual ‖b − Ax‖; returns the stop reason, or null to go on. */
    SolverResult.StopReason report(int k, double residualNorm) {
        this.iteration = k;
        this.residual = residualNorm;
        if (settings.listener() != null) settings.listener().onIteration(this);
        if (settings.relativeTolerance() > 0 && relativeResidual() <= settings.relativeTolerance()) {
            return SolverResult.StopReason.RESIDUAL_TOLERANCE;
        }
        return k >= settings.iterations() ? SolverResult.StopReason.ITERATIONS : null;
    }

    SolverResult result(SolverResult.StopReason reason) {
        return new SolverResult(iteration, residual, relativeResidual(), reason);
    }

    @Override public int iteration() { return iteration; }
    @Override public double residualNorm() { return residual; }
    @Override public double relativeResidual() { return residual / bNorm; }
    @Override public FloatBuffer estimate() { return readOnly.duplicate().rewind(); }

    @Override
    public OptionalDouble rmse() {
        float[] ref = settings.reference();
        if (ref == null) return OptionalDouble.empty();
        double s = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = x[i] - ref[i];
            s += d * d;
        }
        return OptionalDouble.of(Math.sqrt(s / ref.length));
    }

    @Override
    public OptionalDouble psnr() {
        OptionalDouble e = rmse();
        if (e.isEmpty() || !(refRange > 0)) return OptionalDouble.empty();
        return OptionalDouble.of(20 * Math.log10(refRange / e.getAsDouble()));
    }
}
