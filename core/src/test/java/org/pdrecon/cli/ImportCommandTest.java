package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.dicom.RtImageWriter;
import org.pdrecon.io.dicom.SeriesInfo;

class ImportCommandTest {
    @TempDir
    Path tmp;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path epidArc() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("epid_arc"));
        for (int k = 0; k < 16; k++) {
            String name = String.format("frame_%02d.dcm", k);
            try (InputStream in = getClass().getResourceAsStream("/dicom/epid_arc/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        return dir;
    }

    /** The pydicom EPID arc (I0 30000, one ball of radius 12 mm, μ 0.02/mm) → line integrals + geometry.json. */
    @Test
    void epidArcBecomesLineIntegralsAndGeometryJson() throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = run("import", epidArc().toString(), "-o", out.toString(), "--i0", "30000", "--repair-bad-pixels");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("frames: independent"), r.out());
        assertTrue(r.out().contains("bad pixels: 0 repaired"), r.out());
        ProjectionStack p = MetaImage.readProjections(out.resolve("projections.mha"));
        assertEquals(16, p.views());
        float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
        for (float v : p.data()) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        // the central chord is 24 mm · 0.02/mm = 0.48; pixel centres pass near it; air pixels read 0 (16-bit rounding)
        assertTrue(max > 0.45 && max < 0.4801, "max " + max);
        assertEquals(0, min, 2e-4);
        ConeBeamGeometry g = GeometryJson.read(out.resolve("geometry.json"));
        CircularOrbit o = g.orbit().orElseThrow();
        assertEquals(280, o.anglesDeg()[0], 1e-9);
        assertEquals(467.5, o.anglesDeg()[15], 1e-9);
        assertEquals(6, o.offsetUMm(), 1e-9);
        assertEquals(-4, o.offsetVMm(), 1e-9);
        assertTrue(Files.size(out.resolve("geometry.png")) > 1000);
    }

    @Test
    void signalWithoutI0UsesTheAirAtTheDetectorEdgesAndBadOptionsAreUsageErrors() throws IOException {
        CliRun r = run("import", epidArc().toString(), "-o", tmp.resolve("o").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(automatic, checked to be air)"), r.out());
        float max = Float.NEGATIVE_INFINITY;
        for (float v : MetaImage.readProjections(tmp.resolve("o").resolve("projections.mha")).data()) max = Math.max(max, v);
        assertTrue(max > 0.45 && max < 0.4801, "max " + max); // the same central chord as with --i0 30000
        CliRun bad = run("import", epidArc().toString(), "-o", tmp.resolve("o").toString(), "--i0", "1", "--crop", "1-2,3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--crop must look like R0:R1,C0:C1"), bad.err());
    }

    /** Files that say they hold line integrals (LOG, sign −1) are used as they are; crop and bin follow. */
    @Test
    void lineIntegralFilesNeedNoI0AndCropBinKeepGeometry() throws IOException {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(8, 12, 1.0, 1.0).setAnglesDeg(0, 90, 180).build();
        ProjectionStack p = ProjectionStack.zeros(3, 8, 12);
        for (int i = 0; i < p.data().length; i++) p.data()[i] = (i % 97) / 97f;
        RtImageWriter.write(p, RtImageWriter.Values.LINE_INTEGRALS, g, tmp.resolve("li"), SeriesInfo.anonymous("li"));
        Path out = tmp.resolve("out");
        CliRun r = run("import", tmp.resolve("li").toString(), "-o", out.toString(), "--crop", "2:8,0:12", "--bin", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("used as they are (PixelIntensityRelationship LOG"), r.out());
        ProjectionStack q = MetaImage.readProjections(out.resolve("projections.mha"));
        assertArrayEquals(new int[] {3, 3, 6}, new int[] {q.views(), q.rows(), q.cols()});
        double expect = (p.get(1, 2, 0) + p.get(1, 2, 1) + p.get(1, 3, 0) + p.get(1, 3, 1)) / 4;
        assertEquals(expect, q.get(1, 0, 0), 1e-4);
        CircularOrbit o = GeometryJson.read(out.resolve("geometry.json")).orbit().orElseThrow();
        assertEquals(1.0, o.offsetVMm(), 1e-9); // rows 2..7 of 8: centre moves up by 1 pixel of 1 mm
    }
}
