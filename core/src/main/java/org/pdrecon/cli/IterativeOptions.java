package org.pdrecon.cli;

import org.pdrecon.fields.NafFit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The iterative solvers' options, shared by {@code iterative} and {@code reconstruct}. */
final class IterativeOptions {
    /** The iteration limit where --iterations is not given; {@code naf} has its own ({@link NafFit.Settings#DEFAULT_ITERATIONS}). */
    static final int DEFAULT_ITERATIONS = 50;

    @Option(names = "--iterations", paramLabel = "N", description = "Iteration limit (default: 50; naf: its Adam steps, default 400).")
    Integer iterations;

    /** The iteration limit for {@code method}: --iterations if given, else the method's default. */
    int iterations(String method) {
        if (iterations != null) return iterations;
        return method.equals("naf") ? NafFit.Settings.DEFAULT_ITERATIONS : DEFAULT_ITERATIONS;
    }

    @Option(names = "--lambda", defaultValue = "3", paramLabel = "L",
            description = "TV weight λ in ½‖Ax − b‖² + λ·TV(x), TV with the gradient in 1/mm² (default: ${DEFAULT-VALUE}, "
                    + "the best of 0.3/1/3/10 for 60 views at I0 = 1e4 and 4 mm voxels; tune it for other data).")
    double lambda;

    @Option(names = "--relaxation", defaultValue = "1.0", paramLabel = "R", description = "SIRT and OS-SART relaxation in (0, 2) (default: ${DEFAULT-VALUE}).")
    double relaxation;

    @Option(names = "--subsets", defaultValue = "10", paramLabel = "K", description = "OS-SART: ordered subsets of views (default: ${DEFAULT-VALUE}; 1 = SIRT).")
    int subsets;

    @Option(names = "--tolerance", defaultValue = "0", paramLabel = "T",
            description = "Also stop when ‖b − Ax‖/‖b‖ ≤ T (default: off).")
    double tolerance;

    @Option(names = "--non-negative", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Project onto μ ≥ 0 each iteration (default: on; --no-non-negative turns it off).")
    boolean nonNegative;

    /** Usage errors for values the named method cannot use ({@code method}: sirt, cgls, tv, pinv, a "-split" method, or another name). */
    void validate(CommandLine cl, String method) {
        if (iterations != null && iterations < 1) throw new CommandLine.ParameterException(cl, "--iterations must be at least 1, got " + iterations);
        if (method.startsWith("tv") && !(lambda >= 0)) throw new CommandLine.ParameterException(cl, "--lambda must be ≥ 0, got " + lambda);
        if (method.equals("os-sart") && subsets < 1) throw new CommandLine.ParameterException(cl, "--subsets must be at least 1, got " + subsets);
        if ((method.equals("sirt") || method.equals("os-sart") || method.equals("sirt-split")) && !(relaxation > 0 && relaxation < 2)) {
            throw new CommandLine.ParameterException(cl, "--relaxation must be in (0, 2), got " + relaxation);
        }
        if ((method.equals("pinv") || method.endsWith("-split")) && nonNegative) {
            throw new CommandLine.ParameterException(cl, "--method " + method + " is linear and cannot keep μ ≥ 0 (for the split, it would couple"
                    + " the two halves): add --no-non-negative");
        }
        if (!(tolerance >= 0)) throw new CommandLine.ParameterException(cl, "--tolerance must be ≥ 0, got " + tolerance);
    }
}
