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
import org.pdrecon.io.dicom.DicomVolumeReader;
import org.pdrecon.reconstruct.Reconstructor;
import org.pdrecon.reconstruct.Reconstructors;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;

/**
 * {@code pdrecon reconstruct} on the committed sample EPID arc (DICOM in, MetaImage + CT series out) and on
 * a simulated ball (every method), plus every usage and input error.
 */
class ReconstructCommandTest {
    static final Path SAMPLE = Path.of("datasets/sample-epid-arc");
    @TempDir
    static Path dir;
    static Path proj, geom;

    @BeforeAll
    static void writeBallScan() throws Exception {
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

    /** Mean inside a sphere of {@code radius} mm around world point {@code (x, y, z)}. */
    static double sphereMean(Volume v, double x, double y, double z, double radius) {
        VolumeGrid g = v.grid();
        double s = 0;
        int n = 0;
        for (int k = 0; k < g.nz(); k++) for (int j = 0; j < g.ny(); j++) for (int i = 0; i < g.nx(); i++) {
            double dx = g.x(i) - x, dy = g.y(j) - y, dz = g.z(k) - z;
            if (dx * dx + dy * dy + dz * dz <= radius * radius) {
                s += v.get(k, j, i);
                n++;
            }
        }
        assertTrue(n > 10, "sphere holds " + n + " voxels");
        return s / n;
    }

    @Test
    void sampleEpidArcReconstructsToTheScriptsAttenuationValues() throws Exception {
        Path out = dir.resolve("epid.mha"), png = dir.resolve("epid.png"), ct = dir.resolve("ct");
        CliRun r = run("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "20000", "--method", "fdk", "--out", out.toString(),
                "--preview", png.toString(), "--dicom-out", ct.toString(), "--mu-water", "0.0049", "--quiet");
        assertEquals(0, r.code(), r.err());
        // The import summary comes before the reconstruction's line.
        int summary = r.out().indexOf("imported 72 views 48×64"), done = r.out().indexOf("reconstructed 72 views");
        assertTrue(summary >= 0 && done > summary, r.out());
        assertTrue(r.out().contains("I0 = 20000"), r.out());
        assertTrue(r.out().contains("SOD 1000.0 mm, SDD 1500.0 mm"), r.out());
        Volume v = MetaImage.readVolume(out);
        assertEquals(61, v.grid().nx());
        // make_sample_epid_arc.py's objects, IEC (X, Y, Z) → world (X, −Z, Y); radius 2.5 mm spheres.
        assertEquals(0.0049, sphereMean(v, 0, 12, -10, 2.5), 0.0049 * 0.03, "water");
        assertEquals(0.0090, sphereMean(v, 10, -6, 0, 2.5), 0.0090 * 0.05, "bone-like rod");
        assertEquals(0.0, sphereMean(v, -12, 6, 5, 2.5), 0.0003, "air pocket");
        assertEquals(0.0065, sphereMean(v, -4, -10, -8, 2.5), 0.0065 * 0.05, "denser insert");
        // Mirrored rod positions hold water: the import's handedness is right.
        assertEquals(0.0049, sphereMean(v, -10, -6, 0, 2.5), 0.0049 * 0.05, "rod mirrored in x");
        assertTrue(Files.size(png) > 1000);
        DicomVolumeReader.Result hu = DicomVolumeReader.read(ct);
        assertEquals("HU", hu.units());
        assertEquals(49, hu.files().size());
        assertEquals(0, sphereMean(hu.volume(), 0, 12, -10, 2.5), 30, "water in HU");
        assertEquals(1000 * (0.009 - 0.0049) / 0.0049, sphereMean(hu.volume(), 10, -6, 0, 2.5), 60, "rod in HU");
    }

    @Test
    void everyRegisteredMethodReconstructsTheBall() throws Exception {
        for (String method : new String[] {"fdk", "sirt", "os-sart", "cgls", "tv"}) {
            Path out = dir.resolve("ball-" + method + ".mha");
            CliRun r = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--method", method,
                    "--iterations", method.equals("cgls") ? "10" : method.equals("os-sart") ? "10" : "60", "--subsets", "8",
                    "--lambda", "0.01", "--out", out.toString(), "--quiet");
            assertEquals(0, r.code(), method + ": " + r.err());
            assertTrue(r.out().contains("with " + method.toUpperCase()), r.out());
            assertTrue(r.out().matches("(?s).*in \\d+\\.\\d\\d s; wrote .*"), r.out());
            assertEquals(0.02, ReconCommandsTest.centre(MetaImage.readVolume(out)), 0.05 * 0.02, method);
        }
    }

    @Test
    void voxelSizeRegridsAndTheGeometryAndDiagramAreWritten() throws Exception {
        Path out = dir.resolve("coarse.mha"), gOut = dir.resolve("coarse.json"), png = dir.resolve("diagram.png");
        CliRun r = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--voxel-mm", "10",
                "--out", out.toString(), "--geometry-out", gOut.toString(), "--diagram", png.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("volume 12×12×12 voxels of 10.0×10.0×10.0 mm"), r.out());
        Volume v = MetaImage.readVolume(out);
        assertEquals(12, v.grid().nx());
        assertEquals(10.0, v.grid().dxMm(), 1e-9);
        assertEquals(v.grid(), GeometryJson.read(gOut).volume());
        assertEquals(0.02, v.get(6, 6, 6), 0.02 * 0.03);
        assertTrue(Files.size(png) > 1000);
        CliRun bad = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--voxel-mm", "-1", "--out", out.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--voxel-mm must be a positive number"), bad.err());
    }

    @Test
    void aMethodRegisteredLaterRunsThroughTheUnchangedCommand() throws Exception {
        // What a learned model does: register a Reconstructor under a name; the command needs no change.
        Reconstructors.register("test-half-fdk", s -> new Reconstructor() {
            final Reconstructor fdk = Reconstructors.create("fdk", s);
            @Override public String name() { return "test-half-fdk"; }
            @Override public String describe() { return "half of " + fdk.describe(); }
            @Override public Volume reconstruct(ProjectionStack p, ConeBeamGeometry g, Progress progress) {
                Volume v = fdk.reconstruct(p, g, progress);
                for (int i = 0; i < v.data().length; i++) v.data()[i] /= 2;
                return v;
            }
        });
        Path out = dir.resolve("half.mha");
        CliRun r = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--method", "test-half-fdk",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("with half of FDK ram-lak"), r.out());
        assertEquals(0.01, ReconCommandsTest.centre(MetaImage.readVolume(out)), 0.01 * 0.02);
    }

    @Test
    void dicomOutputWithoutMuWaterKeepsTheValues() throws Exception {
        Path ct = dir.resolve("ball-ct");
        CliRun r = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--dicom-out", ct.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("24 CT slices, μ in 1/mm"), r.out());
        Volume back = DicomVolumeReader.read(ct).volume();
        assertEquals(0.02, ReconCommandsTest.centre(back), 0.02 * 0.02);
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheProblem() throws Exception {
        String p = proj.toString(), g = geom.toString(), o = dir.resolve("never.mha").toString();
        assertUsage("no scan given", "reconstruct", "--out", o);
        assertUsage("not both", "reconstruct", "--dicom", SAMPLE.toString(), "--projections", p, "--geometry", g, "--out", o);
        assertUsage("--geometry is missing", "reconstruct", "--projections", p, "--out", o);
        assertUsage("no output given", "reconstruct", "--projections", p, "--geometry", g);
        assertUsage("unknown method 'art'; known: fdk, sirt, cgls, os-sart, tv", "reconstruct", "--projections", p, "--geometry", g, "--out", o, "--method", "art");
        assertUsage("--mu-water applies to --dicom-out only", "reconstruct", "--projections", p, "--geometry", g, "--out", o, "--mu-water", "0.02");
        assertUsage("apply to --dicom input only", "reconstruct", "--projections", p, "--geometry", g, "--out", o, "--i0", "100");
        assertUsage("--relaxation must be in (0, 2)", "reconstruct", "--projections", p, "--geometry", g, "--out", o, "--method", "sirt", "--relaxation", "2");
        assertUsage("unknown filter 'gauss'", "reconstruct", "--projections", p, "--geometry", g, "--out", o, "--filter", "gauss");
        assertUsage("--dicom: no such folder", "reconstruct", "--dicom", dir.resolve("nothing").toString(), "--out", o);
        assertUsage("--projections: no such file", "reconstruct", "--projections", dir.resolve("none.mha").toString(), "--geometry", g, "--out", o);
        Path other = dir.resolve("short.mha");
        MetaImage.writeProjections(other, ProjectionStack.zeros(45, 40, 40));
        assertUsage("holds 45 views of 40×40 pixels (rows×cols), but", "reconstruct", "--projections", other.toString(), "--geometry", g, "--out", o);
        assertFalse(Files.exists(dir.resolve("never.mha")));
    }

    @Test
    void signalWithoutI0TakesI0FromTheAirAtTheDetectorEdges() throws Exception {
        Path out = dir.resolve("auto.mha");
        CliRun r = run("reconstruct", "--dicom", SAMPLE.toString(), "--method", "fdk", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("outermost 2-column band (automatic, checked to be air)"), r.out());
        Volume v = MetaImage.readVolume(out);
        assertEquals(0.0049, sphereMean(v, 0, 12, -10, 2.5), 0.0049 * 0.03, "water");
        assertEquals(0.0090, sphereMean(v, 10, -6, 0, 2.5), 0.0090 * 0.05, "bone-like rod");
    }

    /** An untrained network returns its FDK start exactly (last layers start at zero), so --model must equal --method fdk. */
    @Test
    void aModelFolderReconstructsThroughTheSameCommand() throws Exception {
        Path modelDir = Files.createDirectories(dir.resolve("untrained-model"));
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            org.pdrecon.learned.LearnedPrimalDual lpd =
                    new org.pdrecon.learned.LearnedPrimalDual(new org.pdrecon.learned.LearnedPrimalDualConfig(3, 2, 2, 2, 4, 3, 3));
            lpd.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 4, 4, 4),
                    new ai.djl.ndarray.types.Shape(1, 1, 3, 4, 4));
            org.pdrecon.learned.ModelFiles.save(modelDir, lpd, null);
        }
        Path fdkOut = dir.resolve("ball-fdk-ref.mha"), modelOut = dir.resolve("ball-model.mha"), viaMethod = dir.resolve("ball-model2.mha");
        assertEquals(0, run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--out", fdkOut.toString(), "--quiet").code());
        CliRun r = run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--model", modelDir.toString(),
                "--out", modelOut.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("learned primal-dual"), r.out());
        assertEquals(0, run("reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(), "--method", modelDir.toString(),
                "--out", viaMethod.toString(), "--quiet").code());
        float[] a = MetaImage.readVolume(fdkOut).data(), b = MetaImage.readVolume(modelOut).data(), c = MetaImage.readVolume(viaMethod).data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6, "voxel " + i);
            assertEquals(b[i], c[i], 0, "voxel " + i);
        }
        assertUsage("is not a model folder", "reconstruct", "--projections", proj.toString(), "--geometry", geom.toString(),
                "--model", dir.toString(), "--out", dir.resolve("never2.mha").toString());
    }

    private static void assertUsage(String message, String... args) {
        CliRun r = run(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in:\n" + r.err());
    }
}
