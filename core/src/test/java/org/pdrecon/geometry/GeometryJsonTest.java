package org.pdrecon.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeometryJsonTest {
    @TempDir
    Path dir;

    static ConeBeamGeometry circular() {
        return ConeBeamGeometry.circular()
                .setVolume(new VolumeGrid(16, 20, 24, 0.5, 0.8, 0.8, new double[] {1.5, -2, 3}))
                .setSodMm(500).setSddMm(800).setDetector(12, 30, 1.2, 0.8).optDetectorOffsetMm(3.25, -1.5)
                .setAnglesDeg(0, 17.3, 95, 180.5, 359.9).build();
    }

    static ConeBeamGeometry randomVectors(long seed) {
        Random rnd = new Random(seed);
        int n = 4;
        double[][] s = new double[n][], d = new double[n][], u = new double[n][], v = new double[n][];
        for (int i = 0; i < n; i++) {
            double t = rnd.nextDouble() * 2 * Math.PI, tilt = 0.2 * (rnd.nextDouble() - 0.5);
            double c = Math.cos(t), sn = Math.sin(t);
            s[i] = new double[] {400 * sn + rnd.nextGaussian(), -400 * c + rnd.nextGaussian(), 5 * rnd.nextGaussian()};
            d[i] = new double[] {-300 * sn + rnd.nextGaussian(), 300 * c + rnd.nextGaussian(), 5 * rnd.nextGaussian()};
            u[i] = new double[] {0.7 * c, 0.7 * sn, 0.7 * tilt};
            v[i] = new double[] {0.05 * rnd.nextGaussian(), 0.05 * rnd.nextGaussian(), 0.9};
        }
        return ConeBeamGeometry.fromVectors(VolumeGrid.cube(8, 2.0), 10, 14, s, d, u, v);
    }

    static void assertSameGeometry(ConeBeamGeometry a, ConeBeamGeometry b, double tol) {
        assertEquals(a.volume(), b.volume());
        assertEquals(a.detectorRows(), b.detectorRows());
        assertEquals(a.detectorCols(), b.detectorCols());
        assertArrayEquals(a.sourceArray(), b.sourceArray(), tol);
        assertArrayEquals(a.detectorArray(), b.detectorArray(), tol);
        assertArrayEquals(a.uArray(), b.uArray(), tol);
        assertArrayEquals(a.vArray(), b.vArray(), tol);
        assertEquals(a.orbit().isPresent(), b.orbit().isPresent());
        if (a.orbit().isPresent()) {
            CircularOrbit x = a.orbit().get(), y = b.orbit().get();
            assertEquals(x.sodMm(), y.sodMm());
            assertEquals(x.sddMm(), y.sddMm());
            assertEquals(x.offsetUMm(), y.offsetUMm());
            assertEquals(x.offsetVMm(), y.offsetVMm());
            assertArrayEquals(x.anglesDeg(), y.anglesDeg());
        }
    }

    @Test
    void circularRoundTripsExactly() throws IOException {
        ConeBeamGeometry g = circular();
        Path f = dir.resolve("geometry.json");
        GeometryJson.write(f, g);
        ConeBeamGeometry back = GeometryJson.read(f);
        assertSameGeometry(g, back, 0);
        // writing the read geometry gives the same text (no drift through round-off)
        assertEquals(Files.readString(f), GeometryJson.toJson(back));
        String text = Files.readString(f);
        assertTrue(text.contains("\"pixel_spacing_mm\": [1.2, 0.8]"), text);
        assertTrue(text.contains("\"voxel_size_mm\": [0.5, 0.8, 0.8]"), text);
    }

    @Test
    void vectorFormRoundTripsExactly() throws IOException {
        ConeBeamGeometry g = randomVectors(7);
        Path f = dir.resolve("geometry.json");
        GeometryJson.write(f, g);
        assertSameGeometry(g, GeometryJson.read(f), 0);
        assertTrue(Files.readString(f).contains("\"views\": ["));
        assertTrue(Files.readString(f).contains("\"voxel_size_mm\": 2,"));
    }

    @Test
    void documentedExampleParses() {
        String json = """
                {
                  "schema_version": 1,
                  "sod_mm": 1000, "sdd_mm": 1500,
                  "detector_rows": 64, "detector_cols": 96,
                  "pixel_spacing_mm": [1.6, 1.6],
                  "detector_offset_mm": [0, 0],
                  "angles_deg": [0, 90, 180, 270],
                  "volume_shape": [64, 128, 128],
                  "voxel_size_mm": 1.0,
                  "volume_centre_mm": [0, 0, 0]
                }""";
        ConeBeamGeometry g = GeometryJson.parse(json, "example");
        assertEquals(4, g.views());
        assertArrayEquals(new double[] {0, -1000, 0}, g.source(0), 1e-12);
        assertArrayEquals(new double[] {1000, 0, 0}, g.source(1), 1e-9); // 90° counter-clockwise about +z
        assertArrayEquals(new double[] {0, 0, 1.6}, g.v(0), 0);
        assertEquals(1500.0 / 1000, g.orbit().get().magnification());
    }

    @Test
    void documentedVectorExampleParses() {
        String json = """
                {
                  "schema_version": 1,
                  "detector_rows": 1,
                  "detector_cols": 96,
                  "views": [
                    {"source_mm": [0, -1000, 0], "detector_mm": [0, 500, 0], "u_mm": [1.6, 0, 0], "v_mm": [0, 0, 1.6]},
                    {"source_mm": [1000, 0, 0], "detector_mm": [-500, 0, 0], "u_mm": [0, 1.6, 0], "v_mm": [0, 0, 1.6]}
                  ],
                  "volume_shape": [1, 128, 128],
                  "voxel_size_mm": [1, 0.5, 0.5]
                }""";
        ConeBeamGeometry g = GeometryJson.parse(json, "example");
        assertEquals(2, g.views());
        assertTrue(g.orbit().isEmpty());
        assertEquals(0.5, g.volume().dxMm());
        assertEquals(1.0, g.volume().dzMm());
        // the origin projects to the detector centre column of a 96-wide detector
        assertArrayEquals(new double[] {0, 47.5}, g.projectPoint(1, new double[3]), 1e-12);
    }

    @Test
    void optionalKeysDefaultToZero() {
        String json = "{\"sod_mm\": 100, \"sdd_mm\": 150, \"detector_rows\": 1, \"detector_cols\": 8,"
                + " \"pixel_spacing_mm\": [1, 1], \"angles_deg\": [0], \"volume_shape\": [1, 8, 8], \"voxel_size_mm\": 1}";
        ConeBeamGeometry g = GeometryJson.parse(json, "fan");
        assertEquals(0.0, g.orbit().get().offsetUMm());
        assertArrayEquals(new double[3], g.volume().centreMm());
        assertEquals(1, g.volume().nz());
    }

    @Test
    void missingFileIsReportedByName() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> GeometryJson.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }

    @Test
    void malformedJsonAndWrongTopLevel() {
        GeometryException e = assertThrows(GeometryException.class, () -> GeometryJson.parse("{\"sod_mm\": ", "g.json"));
        assertTrue(e.getMessage().startsWith("g.json: not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        e = assertThrows(GeometryException.class, () -> GeometryJson.parse("[1, 2]", "g.json"));
        assertTrue(e.getMessage().contains("JSON object"), e.getMessage());
        assertFalse(e.getMessage().contains("null"));
    }
}
