package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.simulation.Rasteriser;
import org.pdrecon.simulation.SheppLogan3D;

class ProjectCommandTest {
    @TempDir
    Path dir;

    @Test
    void streamedChunksEqualOneInMemoryProjectionAndBadVolumesAreRefused() throws Exception {
        VolumeGrid grid = new VolumeGrid(20, 24, 28, 4, 3.5, 3, new double[] {5, -4, 2});
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1)).setSodMm(600).setSddMm(900)
                .setDetector(30, 40, 4, 4).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(50, 0, 360)).build();
        Volume v = Rasteriser.rasterise(SheppLogan3D.fittingRadius(35), grid, 1);
        Path vol = dir.resolve("v.mha"), geom = dir.resolve("g.json"), out = dir.resolve("p.mha");
        MetaImage.writeVolume(vol, v);
        GeometryJson.write(geom, g);
        CliRun r = CliRun.of("project", "--volume", vol.toString(), "--geometry", geom.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(v.grid().toString()), r.out());
        ProjectionStack p = MetaImage.readProjections(out);
        // The volume's own grid places it (not the one in geometry.json), and chunks change nothing.
        float[] expected = new ConeBeamProjector(g.withVolume(grid)).apply(v.data());
        assertArrayEquals(expected, p.data());
        assertEquals(50, p.views());

        v.data()[17] = Float.NaN;
        Path bad = dir.resolve("bad.mha"), out2 = dir.resolve("p2.mha");
        MetaImage.writeVolume(bad, v);
        CliRun refused = CliRun.of("project", "--volume", bad.toString(), "--geometry", geom.toString(), "--out", out2.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("non-finite"), refused.err());
        assertFalse(Files.exists(out2));
        CliRun missing = CliRun.of("project", "--volume", dir.resolve("none.mha").toString(), "--geometry", geom.toString(), "--out", out2.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}
