package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;

/** {@code pdrecon fdk} and {@code pdrecon iterative} end to end on files: a uniform ball of μ = 0.02/mm. */
class ReconCommandsTest {
    @TempDir
    static Path dir;
    static Path proj, geom;

    @BeforeAll
    static void writeScan() throws Exception {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(24, 5.0)).setSodMm(500).setSddMm(1000)
                .setDetector(40, 40, 6.0, 6.0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(48, 0, 360)).build();
        ProjectionStack p = AnalyticProjector.project(Phantom.of(Ellipsoid.ball(new double[3], 40, 0.02)), g, 1);
        proj = dir.resolve("p.mha");
        geom = dir.resolve("g.json");
        MetaImage.writeProjections(proj, p, g);
        GeometryJson.write(geom, g);
    }


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static double centre(Volume v) {
        double s = 0;
        int n = 0;
        for (int k = 9; k < 15; k++) for (int j = 9; j < 15; j++) for (int i = 9; i < 15; i++) {
            s += v.get(k, j, i);
            n++;
        }
        return s / n;
    }

    @Test
    void fdkWritesTheVolumeInPerMmAndAPreview() throws Exception {
        Path out = dir.resolve("fdk.mha"), png = dir.resolve("fdk.png");
        CliRun r = run("fdk", "--projections", proj.toString(), "--geometry", geom.toString(), "--out", out.toString(),
                "--filter", "hann", "--cutoff", "0.8", "--preview", png.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("FDK hann"), r.out());
        Volume v = MetaImage.readVolume(out);
        assertEquals(24, v.grid().nx());
        assertEquals(0.02, centre(v), 0.02 * 0.02);
        assertTrue(Files.size(png) > 100);
    }

    @Test
    void iterativeCglsAndTv() throws Exception {
        for (String method : new String[] {"cgls", "tv", "sirt"}) {
            Path out = dir.resolve(method + ".mha");
            CliRun r = run("iterative", "--method", method, "--iterations", method.equals("cgls") ? "10" : "60", "--lambda", "0.01",
                    "--projections", proj.toString(), "--geometry", geom.toString(), "--out", out.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(method), r.out());
            assertEquals(0.02, centre(MetaImage.readVolume(out)), 0.05 * 0.02, method);
        }
    }

    @Test
    void badInputIsAUsageErrorNamingTheProblem() throws Exception {
        CliRun r = run("fdk", "--projections", proj.toString(), "--geometry", geom.toString(), "--out", dir.resolve("x.mha").toString(),
                "--filter", "gauss");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown filter 'gauss'"), r.err());
        Path other = dir.resolve("short.mha");
        MetaImage.writeProjections(other, ProjectionStack.zeros(45, 40, 40));
        r = run("fdk", "--projections", other.toString(), "--geometry", geom.toString(), "--out", dir.resolve("x.mha").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("45 views"), r.err());
        r = run("iterative", "--method", "tv", "--projections", dir.resolve("missing.mha").toString(), "--geometry", geom.toString(),
                "--out", dir.resolve("x.mha").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no such file"), r.err());
        assertFalse(Files.exists(dir.resolve("x.mha")));
    }

    @Test
    void reconstructNafFitsAFieldSavesItsCheckpointAndRefusesAFieldTooLarge() throws Exception {
        Path out = dir.resolve("naf.mha"), ckpt = dir.resolve("naf.ckpt");
        CliRun r = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--method", "naf", "--iterations", "80",
                "--checkpoint", ckpt.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("NAF neural field") && r.out().contains("80 steps"), r.out());
        assertTrue(Files.exists(ckpt));
        assertEquals(0.02, centre(MetaImage.readVolume(out)), 0.004, "μ inside the ball");

        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"levels\": 2, \"base_resolution\": 4, \"max_resolution\": 24, \"features\": 200000, \"hidden\": 8}");
        CliRun refused = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--method", "naf",
                "--field-config", big.toString(), "--out", dir.resolve("big.mha").toString(), "--quiet");
        assertNotEquals(0, refused.code());
        assertTrue(refused.err().contains("needs") && refused.err().contains("MiB of Java heap"), refused.err());
        assertFalse(Files.exists(dir.resolve("big.mha")));
    }
}
