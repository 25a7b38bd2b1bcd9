package org.pdrecon.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import org.pdrecon.iterative.Cgls;
import org.pdrecon.iterative.DirectPseudoInverse;
import org.pdrecon.iterative.IterationListener;
import org.pdrecon.iterative.IterativeSolver;
import org.pdrecon.iterative.Sirt;
import org.pdrecon.iterative.SolverResult;
import org.pdrecon.iterative.SolverSettings;
import org.pdrecon.iterative.SymmetricSplit;
import org.pdrecon.iterative.TvPrimalDual;
import org.pdrecon.operators.ConeBeamProjector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon iterative}: SIRT, OS-SART, CGLS, TV (Chambolle–Pock), the direct pseudo-solution and the symmetric split on the Joseph projector pair. */
@Command(name = "iterative", mixinStandardHelpOptions = true,
        description = "Reconstruct with SIRT, OS-SART, CGLS or TV-regularised least squares (Chambolle-Pock) on the matched "
                + "projector pair; the output volume holds μ in 1/mm.")
public final class IterativeCommand implements Callable<Integer> {
    /** The methods, as the command line spells them. */
    static final java.util.List<String> METHODS = java.util.List.of("sirt", "os-sart", "cgls", "tv", "tv-pc", "pinv", "sirt-split", "cgls-split", "pinv-split");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--method", required = true, description = "sirt, os-sart, cgls, tv, tv-pc (TV, diagonally preconditioned); pinv (direct normal pseudo-solution, small 2D"
            + " problems); sirt-split, cgls-split, pinv-split (the symmetric split of mirror-paired views, with --no-non-negative).")
    String method;

    @CommandLine.Mixin
    IterativeOptions options;

    @CommandLine.Mixin
    ProjectionFileOptions files;

    @Option(names = "--out", required = true, paramLabel = "vol.mha", description = "Output volume (MetaImage, float32, 1/mm).")
    Path out;

    @Option(names = "--reference", paramLabel = "ref.mha", description = "Ground truth: report RMSE and PSNR (whole volume) each iteration.")
    Path reference;

    @Option(names = "--preview", paramLabel = "slice.png", description = "Also write a PNG of the three orthogonal mid-slices.")
    Path preview;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!METHODS.contains(method)) throw new CommandLine.ParameterException(cl, "--method must be one of " + String.join(", ", METHODS) + ", got " + method);
        options.validate(cl, method);
        int iterations = options.iterations(method);
        ReconInputs in = files.read(cl);
        VolumeGrid grid = in.geometry().volume();
        float[] ref = null;
        if (reference != null) {
            if (!Files.isRegularFile(reference)) throw new CommandLine.ParameterException(cl, "--reference: no such file: " + reference);
            Volume r = MetaImage.readVolume(reference);
            if (r.grid().nz() != grid.nz() || r.grid().ny() != grid.ny() || r.grid().nx() != grid.nx()) {
                throw new CommandLine.ParameterException(cl, "--reference is " + r.grid().nz() + "×" + r.grid().ny() + "×" + r.grid().nx()
                        + ", the geometry's volume is " + grid.nz() + "×" + grid.ny() + "×" + grid.nx());
            }
            ref = r.data();
        }
        IterativeSolver solver = switch (method) {
            case "sirt" -> new Sirt(options.relaxation);
            case "os-sart" -> new org.pdrecon.iterative.OsSart(options.subsets, options.relaxation);
            case "cgls" -> new Cgls();
            case "pinv" -> new DirectPseudoInverse();
            case "sirt-split" -> new SymmetricSplit(new Sirt(options.relaxation));
            case "cgls-split" -> new SymmetricSplit(new Cgls());
            case "pinv-split" -> new SymmetricSplit(new DirectPseudoInverse());
            default -> new TvPrimalDual(options.lambda, new double[] {grid.dzMm(), grid.dyMm(), grid.dxMm()});
        };
        ConeBeamProjector a = new ConeBeamProjector(in.geometry());
        Volume x = Volume.zeros(grid);
        SolverResult result;
        ProgressBar bar = quiet ? null : Progress.bar(method.toUpperCase(Locale.ROOT), iterations, "it");
        try {
            IterationListener listener = view -> {
                if (bar != null) {
                    bar.stepTo(view.iteration());
                    bar.setExtraMessage(String.format(Locale.ROOT, " res %.3g%s", view.relativeResidual(),
                            view.psnr().isPresent() ? String.format(Locale.ROOT, " PSNR %.2f dB", view.psnr().getAsDouble()) : ""));
                }
            };
            result = solver.solve(a, in.projections().data(), x.data(), SolverSettings.builder().setIterations(iterations)
                    .optRelativeTolerance(options.tolerance).optNonNegative(options.nonNegative).optReference(ref).optListener(listener).build());
        } finally {
            if (bar != null) bar.close();
        }
        MetaImage.writeVolume(out, x);
        if (preview != null) Previews.writeOrthogonalSlices(preview, x, Previews.defaultWindow(x.data()));
        cl.getOut().printf(Locale.ROOT, "wrote %s (%s, %d iterations, stop: %s, relative residual %.4g)%n", out, solver.name(),
                result.iterations(), result.stopReason().name().toLowerCase(Locale.ROOT), result.relativeResidual());
        cl.getOut().flush();
        return 0;
    }
}
