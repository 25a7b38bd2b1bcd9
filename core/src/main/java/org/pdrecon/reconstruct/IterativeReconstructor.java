package org.pdrecon.reconstruct;

import java.util.Locale;
import java.util.function.Function;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.iterative.IterativeSolver;
import org.pdrecon.iterative.SolverResult;
import org.pdrecon.iterative.SolverSettings;
import org.pdrecon.operators.ConeBeamProjector;

/**
 * An {@link IterativeSolver} on the Joseph projector pair ({@link ConeBeamProjector}) as a
 * {@link Reconstructor}, started from zero; progress counts iterations.
 */
public final class IterativeReconstructor implements Reconstructor {
    private final String name;
    private final Function<VolumeGrid, IterativeSolver> solverFor;
    private final int iterations;
    private final double tolerance;
    private final boolean nonNegative;
    private final String settingsText;
    private SolverResult last;

    /**
     * @param name the method's name, e.g. {@code "tv"}
     * @param solverFor the solver for an output grid (TV needs the voxel size)
     * @param iterations iteration limit (≥ 1)
     * @param tolerance also stop when ‖b − Ax‖/‖b‖ ≤ tolerance (0: off)
     * @param nonNegative project onto μ ≥ 0 each iteration
     * @param settingsText the solver's own settings for {@link #describe()}, e.g. {@code "λ 0.001"}
     */
    public IterativeReconstructor(String name, Function<VolumeGrid, IterativeSolver> solverFor, int iterations, double tolerance, boolean nonNegative, String settingsText) {
        // Validate now (SolverSettings does), so a bad value fails before any data is read.
        SolverSettings.builder().setIterations(iterations).optRelativeTolerance(tolerance).build();
        this.name = name;
        this.solverFor = solverFor;
        this.iterations = iterations;
        this.tolerance = tolerance;
        this.nonNegative = nonNegative;
        this.settingsText = settingsText == null ? "" : settingsText;
    }

    @Override
    public String name() { return name; }

    @Override
    public String describe() {
        String base = String.format(Locale.ROOT, "%s, %d iterations%s%s", name.toUpperCase(Locale.ROOT), iterations,
                settingsText.isEmpty() ? "" : ", " + settingsText, nonNegative ? ", μ ≥ 0" : "");
        if (last == null) return base;
        return base + String.format(Locale.ROOT, " (ran %d, stop: %s, relative residual %.4g)", last.iterations(),
                last.stopReason().name().toLowerCase(Locale.ROOT), last.relativeResidual());
    }

    /** The outcome of the latest {@link #reconstruct} call, or {@code null} before one. */
    public SolverResult lastResult() { return last; }

    @Override
    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, Progress progress) {
        Volume x = Volume.zeros(geometry.volume());
        SolverSettings settings = SolverSettings.builder().setIterations(iterations).optRelativeTolerance(tolerance)
                .optNonNegative(nonNegative).optListener(view -> progress.update(view.iteration(), iterations)).build();
        last = solverFor.apply(geometry.volume()).solve(new ConeBeamProjector(geometry), projections.data(), x.data(), settings);
        return x;
    }
}
