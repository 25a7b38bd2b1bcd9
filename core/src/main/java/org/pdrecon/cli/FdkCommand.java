package org.pdrecon.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pdrecon.data.Volume;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.fdk.FDK;
import org.pdrecon.fdk.FdkProgress;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon fdk}: FDK reconstruction of a circular cone-beam scan, output μ in 1/mm. */
@Command(name = "fdk", mixinStandardHelpOptions = true,
        description = "Reconstruct a circular cone-beam scan with FDK (cosine, Parker/Wang and angular weights, "
                + "ramp-family filter); the output volume holds μ in 1/mm.")
public final class FdkCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ProjectionFileOptions files;

    @Option(names = "--out", required = true, paramLabel = "vol.mha", description = "Output volume (MetaImage, float32, 1/mm).")
    Path out;

    @CommandLine.Mixin
    FdkOptions fdk;

    @Option(names = "--preview", paramLabel = "slice.png", description = "Also write a PNG of the three orthogonal mid-slices.")
    Path preview;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        FilterWindow window = fdk.window(cl);
        double cutoff = fdk.cutoff;
        Volume v;
        // Streamed: the scan is read, filtered and backprojected a chunk of views at a time (docs/fdk.md).
        try (ReconInputs.Stream in = files.open(cl)) {
            FDK recipe = new FDK(window, cutoff);
            if (quiet) {
                v = recipe.reconstruct(in.views(), in.geometry(), null);
            } else {
                try (ProgressBar bar = Progress.bar("FDK", in.geometry().views(), "views")) {
                    v = recipe.reconstruct(in.views(), in.geometry(), (stage, done, total) -> {
                        if (stage == FdkProgress.Stage.BACKPROJECTION) bar.stepTo(done);
                    });
                }
            }
        }
        MetaImage.writeVolume(out, v);
        if (preview != null) Previews.writeOrthogonalSlices(preview, v, Previews.defaultWindow(v.data()));
        cl.getOut().printf("wrote %s (%d×%d×%d, FDK %s, cut-off %.2f)%n", out, v.grid().nz(), v.grid().ny(), v.grid().nx(),
                window.cliName(), cutoff);
        cl.getOut().flush();
        return 0;
    }
}
