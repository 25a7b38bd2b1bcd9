package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pdrecon.data.Volume;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pdrecon preview vol.mha}: a PNG of the volume's axial, coronal and sagittal mid-slices. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Write a PNG of a volume's three orthogonal mid-slices (axial, coronal, sagittal) side by side."
                + " Grey levels run from black at level − window/2 to white at level + window/2; by default the"
                + " window spans the 1st to 99th percentile of the volume's values.")
public final class PreviewCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "MetaImage volume (.mha or .mhd)")
    Path input;

    @Option(names = {"-o", "--out"}, paramLabel = "PNG", description = "output PNG (default: VOLUME with .png)")
    Path out;

    @Option(names = "--window", paramLabel = "W", description = "window width, in the volume's units (with --level)")
    Double window;

    @Option(names = "--level", paramLabel = "L", description = "window centre, in the volume's units (with --window)")
    Double level;

    @Override
    public Integer call() throws Exception {
        if (!java.nio.file.Files.isRegularFile(input)) throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + input);
        if ((window == null) != (level == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--window and --level must be given together");
        }
        if (window != null && !(window > 0 && Double.isFinite(window) && Double.isFinite(level))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--window must be positive and --level finite, got " + window + " and " + level);
        }
        Path png = out != null ? out : defaultOutput(input);
        Volume volume = MetaImage.readVolume(input);
        Previews.Window w = window != null ? Previews.Window.ofWidthLevel(window, level) : Previews.defaultWindow(volume.data());
        var image = Previews.orthogonalSlices(volume, w);
        Previews.writePng(png, image);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("wrote %s (%d×%d px), window %s..%s (width %s, level %s)%n", png, image.getWidth(),
                image.getHeight(), num(w.low()), num(w.high()), num(w.width()), num(w.level()));
        pw.flush();
        return 0;
    }

    /** Five significant digits without trailing zeros. */
    private static String num(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(5)).stripTrailingZeros().toPlainString();
    }

    static Path defaultOutput(Path volume) {
        String name = volume.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return volume.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".png");
    }
}
