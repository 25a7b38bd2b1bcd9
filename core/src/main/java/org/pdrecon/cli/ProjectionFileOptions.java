package org.pdrecon.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --projections p.mha --geometry g.json}: a scan on disk, shared by {@code fdk}, {@code iterative}, {@code reconstruct}. */
final class ProjectionFileOptions {
    @Option(names = "--projections", paramLabel = "p.mha", description = "Line integrals [view][row][col] (MetaImage).")
    Path projections;

    @Option(names = "--geometry", paramLabel = "g.json", description = "Scan geometry (geometry.json).")
    Path geometry;

    boolean given() {
        return projections != null || geometry != null;
    }

    /** Reads both files and checks they agree; a missing option or file is a usage error. */
    ReconInputs read(CommandLine cl) throws IOException {
        if (projections == null) throw new CommandLine.ParameterException(cl, "--projections is missing (it goes with --geometry)");
        if (geometry == null) throw new CommandLine.ParameterException(cl, "--geometry is missing (it goes with --projections)");
        return ReconInputs.read(cl, projections, geometry);
    }

    /** As {@link #read}, but the projections are opened for reading in order, a few views at a time. */
    ReconInputs.Stream open(CommandLine cl) throws IOException {
        if (projections == null) throw new CommandLine.ParameterException(cl, "--projections is missing (it goes with --geometry)");
        if (geometry == null) throw new CommandLine.ParameterException(cl, "--geometry is missing (it goes with --projections)");
        return ReconInputs.open(cl, projections, geometry);
    }
}
