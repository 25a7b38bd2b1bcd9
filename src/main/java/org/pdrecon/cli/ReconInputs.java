package org.pdrecon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import picocli.CommandLine;

/** Reads and cross-checks the projections and geometry a reconstruction command is given. */
record ReconInputs(ProjectionStack projections, ConeBeamGeometry geometry) {

    static ReconInputs read(CommandLine cl, Path projections, Path geometry) throws IOException {
        if (!Files.isRegularFile(projections)) throw new CommandLine.ParameterException(cl, "--projections: no such file: " + projections);
        if (!Files.isRegularFile(geometry)) throw new CommandLine.ParameterException(cl, "--geometry: no such file: " + geometry);
        ConeBeamGeometry g = GeometryJson.read(geometry);
        ProjectionStack p = MetaImage.readProjections(projections);
        if (p.views() != g.views() || p.rows() != g.detectorRows() || p.cols() != g.detectorCols()) {
            throw new CommandLine.ParameterException(cl, String.format(
                    "%s holds %d views of %d×%d pixels (rows×cols), but %s describes %d views of %d×%d",
                    projections, p.views(), p.rows(), p.cols(), geometry, g.views(), g.detectorRows(), g.detectorCols()));
        }
        return new ReconInputs(p, g);
    }
}
