package org.pdrecon.reconstruct;

import java.util.Objects;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.fields.NafFit;

/**
 * The knobs of the registered methods, one record so that every method is built the same way; each
 * method reads the fields it uses and ignores the rest.
 *
 * @param filter FDK filter window
 * @param cutoff FDK filter cut-off, fraction of Nyquist in (0, 1]
 * @param iterations iteration limit of the iterative methods
 * @param lambda TV weight λ in ½‖Ax − b‖² + λ·TV(x) (gradient in 1/mm²)
 * @param relaxation SIRT relaxation in (0, 2)
 * @param tolerance stop when ‖b − Ax‖/‖b‖ ≤ tolerance (0: off)
 * @param nonNegative project onto μ ≥ 0 each iteration
 * @param subsets OS-SART's number of ordered subsets (≥ 1)
 * @param field the neural-field fit ({@code naf}): field shape, its own step count, learning rate, seed,
 *     checkpoint
 */
public record ReconstructionSettings(FilterWindow filter, double cutoff, int iterations, double lambda, double relaxation,
                                     double tolerance, boolean nonNegative, int subsets, NafFit.Settings field) {
    public ReconstructionSettings {
        Objects.requireNonNull(field, "field");
    }

    /** The settings with the default neural-field fit. */
    public ReconstructionSettings(FilterWindow filter, double cutoff, int iterations, double lambda, double relaxation, double tolerance,
                                  boolean nonNegative, int subsets) {
        this(filter, cutoff, iterations, lambda, relaxation, tolerance, nonNegative, subsets, NafFit.Settings.defaults());
    }

    /** These settings with the neural-field fit {@code field}. */
    public ReconstructionSettings withField(NafFit.Settings field) {
        return new ReconstructionSettings(filter, cutoff, iterations, lambda, relaxation, tolerance, nonNegative, subsets, field);
    }

    /** OS-SART's default number of subsets. */
    public static final int DEFAULT_SUBSETS = 10;

    /** The settings with {@link #DEFAULT_SUBSETS} subsets. */
    public ReconstructionSettings(FilterWindow filter, double cutoff, int iterations, double lambda, double relaxation, double tolerance,
                                  boolean nonNegative) {
        this(filter, cutoff, iterations, lambda, relaxation, tolerance, nonNegative, DEFAULT_SUBSETS);
    }

    /** The command line's defaults: ram-lak at full cut-off; 50 iterations, λ = 3, relaxation 1, μ ≥ 0. */
    public static ReconstructionSettings defaults() {
        return new ReconstructionSettings(FilterWindow.RAM_LAK, 1.0, 50, 3, 1.0, 0, true);
    }
}
