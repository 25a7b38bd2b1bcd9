package org.pdrecon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.fdk.ViewSource;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import picocli.CommandLine;

/** Reads and cross-checks the projections and geometry a reconstruction command is given. */
record ReconInputs(ProjectionStack projections, ConeBeamGeometry geometry) {

    static ReconInputs read(CommandLine cl, Path projections, Path geometry) throws IOException {
        ConeBeamGeometry g = geometry(cl, projections, geometry);
        ProjectionStack p = MetaImage.readProjections(projections);
        checkShape(cl, projections, geometry, g, p.views(), p.rows(), p.cols());
        return new ReconInputs(p, g);
    }

    /** The projections opened for streaming (read in view order), with the geometry they were checked against. */
    record Stream(MetaImage.ProjectionStream stream, ConeBeamGeometry geometry) implements AutoCloseable {
        ViewSource views() {
            return new ViewSource() {
                @Override public int views() { return stream.views(); }
                @Override public int rows() { return stream.rows(); }
                @Override public int cols() { return stream.cols(); }
                @Override public void read(int firstView, int count, float[] into) throws IOException { stream.read(firstView, count, into); }
            };
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    static Stream open(CommandLine cl, Path projections, Path geometry) throws IOException {
        ConeBeamGeometry g = geometry(cl, projections, geometry);
        MetaImage.ProjectionStream s = MetaImage.openProjections(projections);
        try {
            checkShape(cl, projections, geometry, g, s.views(), s.rows(), s.cols());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return new Stream(s, g);
    }

    private static ConeBeamGeometry geometry(CommandLine cl, Path projections, Path geometry) throws IOException {
        if (!Files.isRegularFile(projections)) throw new CommandLine.ParameterException(cl, "--projections: no such file: " + projections);
        if (!Files.isRegularFile(geometry)) throw new CommandLine.ParameterException(cl, "--geometry: no such file: " + geometry);
        return GeometryJson.read(geometry);
    }

    private static void checkShape(CommandLine cl, Path projections, Path geometry, ConeBeamGeometry g, int views, int rows, int cols) {
        if (views != g.views() || rows != g.detectorRows() || cols != g.detectorCols()) {
            throw new CommandLine.ParameterException(cl, String.format(
                    "%s holds %d views of %d×%d pixels (rows×cols), but %s describes %d views of %d×%d",
                    projections, views, rows, cols, geometry, g.views(), g.detectorRows(), g.detectorCols()));
        }
    }
}
