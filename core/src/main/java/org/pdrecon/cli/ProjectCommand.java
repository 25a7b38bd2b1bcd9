package org.pdrecon.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.operators.ConeBeamProjector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdrecon project}: forward projection (digitally reconstructed radiographs, line integrals) of a
 * volume through a scan geometry, with the toolkit's Joseph projector. Streams: views are computed and
 * written a chunk at a time, so memory holds the volume and one chunk.
 */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = {"Forward-project a volume (μ in 1/mm) through a scan geometry: line integrals [view][row][col] as MetaImage.",
                "The volume's own grid (from its file) places it; geometry.json gives the source, detector and views."})
public final class ProjectCommand implements Callable<Integer> {
    /** Projections computed and written at once. */
    static final long CHUNK_BYTES = 32L << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--volume", required = true, paramLabel = "vol.mha", description = "Volume of μ in 1/mm (MetaImage).")
    Path volume;

    @Option(names = "--geometry", required = true, paramLabel = "g.json", description = "Scan geometry (geometry.json).")
    Path geometry;

    @Option(names = "--out", required = true, paramLabel = "p.mha", description = "Output projections (MetaImage, float32).")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!Files.isRegularFile(volume)) throw new CommandLine.ParameterException(cl, "--volume: no such file: " + volume);
        if (!Files.isRegularFile(geometry)) throw new CommandLine.ParameterException(cl, "--geometry: no such file: " + geometry);
        Volume v = MetaImage.readVolume(volume);
        for (int i = 0; i < v.data().length; i++) {
            if (!Float.isFinite(v.data()[i])) {
                throw new CommandLine.ParameterException(cl, volume + " holds a non-finite value (" + v.data()[i] + ") at element " + i);
            }
        }
        ConeBeamGeometry g = GeometryJson.read(geometry).withVolume(v.grid()); // validates: the volume must clear every source
        int rows = g.detectorRows(), cols = g.detectorCols();
        double rowMm = Math.sqrt(dot(g.v(0))), colMm = Math.sqrt(dot(g.u(0)));
        try (ProgressBar bar = quiet ? null : Progress.bar("project", g.views(), "views")) {
            MetaImage.writeProjections(out, g.views(), rows, cols, rowMm, colMm, CHUNK_BYTES, (first, count, into) -> {
                new ConeBeamProjector(g.subset(IntStream.range(first, first + count).toArray())).apply(v.data(), into);
                if (bar != null) bar.stepTo(first + count);
            });
        }
        cl.getOut().printf("wrote %s (%d views of %d×%d; volume %s from %s)%n", out, g.views(), rows, cols, v.grid(), volume);
        cl.getOut().flush();
        return 0;
    }

    private static double dot(double[] a) {
        return a[0] * a[0] + a[1] * a[1] + a[2] * a[2];
    }
}
