package org.pdrecon.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * One test per validation error of a geometry, each checking that the message names the field, both
 * through {@code geometry.json} and (where the error is not about JSON) through the Java builders.
 */
class GeometryValidationTest {
    private static final String SRC = "geometry.json";

    private static JsonObject circular() {
        return JsonParser.parseString("""
                {"sod_mm": 500, "sdd_mm": 800, "detector_rows": 10, "detector_cols": 12,
                 "pixel_spacing_mm": [1.0, 1.0], "detector_offset_mm": [0, 0], "angles_deg": [0, 90, 180],
                 "volume_shape": [8, 8, 8], "voxel_size_mm": 1.0, "volume_centre_mm": [0, 0, 0]}""").getAsJsonObject();
    }

    private static JsonObject vectors() {
        return JsonParser.parseString("""
                {"detector_rows": 10, "detector_cols": 12,
                 "views": [
                   {"source_mm": [0, -500, 0], "detector_mm": [0, 300, 0], "u_mm": [1, 0, 0], "v_mm": [0, 0, 1]},
                   {"source_mm": [500, 0, 0], "detector_mm": [-300, 0, 0], "u_mm": [0, 1, 0], "v_mm": [0, 0, 1]}],
                 "volume_shape": [8, 8, 8], "voxel_size_mm": 1.0}""").getAsJsonObject();
    }

    private static JsonObject view(JsonObject g, int i) {
        return g.getAsJsonArray("views").get(i).getAsJsonObject();
    }

    /** Parses through the text form (so bare NaN/Infinity go through Gson's parser) and expects a failure. */
    private static String fails(String json, String... parts) {
        GeometryException e = assertThrows(GeometryException.class, () -> GeometryJson.parse(json, SRC), json);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        assertTrue(e.getMessage().contains(SRC), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private static String fails(JsonObject g, String... parts) {
        return fails(g.toString(), parts);
    }

    private static void builderFails(Runnable r, String... parts) {
        GeometryException e = assertThrows(GeometryException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    private static ConeBeamGeometry.CircularBuilder builder() {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(500).setSddMm(800)
                .setDetector(10, 12, 1, 1).setAnglesDeg(0, 90);
    }

    @Test
    void validFilesParse() {
        assertEquals(3, GeometryJson.parse(circular().toString(), SRC).views());
        assertEquals(2, GeometryJson.parse(vectors().toString(), SRC).views());
    }

    @Test
    void sddNotBeyondSod() {
        JsonObject g = circular();
        g.addProperty("sdd_mm", 500);
        fails(g, "sdd_mm", "sod_mm", "greater");
        g.addProperty("sdd_mm", 300);
        fails(g, "sdd_mm", "sod_mm");
        builderFails(() -> builder().setSddMm(499).build(), "sdd_mm", "sod_mm");
    }

    @Test
    void nonPositiveSod() {
        JsonObject g = circular();
        g.addProperty("sod_mm", 0);
        fails(g, "sod_mm", "positive");
        g.addProperty("sod_mm", -5);
        fails(g, "sod_mm", "positive");
        builderFails(() -> builder().setSodMm(-1).build(), "sod_mm", "positive");
    }

    @Test
    void nonPositiveDetectorRows() {
        JsonObject g = circular();
        g.addProperty("detector_rows", 0);
        fails(g, "detector_rows", "positive");
        builderFails(() -> builder().setDetector(0, 12, 1, 1).build(), "detector_rows");
        JsonObject v = vectors();
        v.addProperty("detector_rows", -3);
        fails(v, "detector_rows", "positive");
    }

    @Test
    void nonPositiveDetectorCols() {
        JsonObject g = circular();
        g.addProperty("detector_cols", -1);
        fails(g, "detector_cols", "positive");
        builderFails(() -> builder().setDetector(10, 0, 1, 1).build(), "detector_cols");
    }

    @Test
    void nonIntegerDetectorSize() {
        JsonObject g = circular();
        g.addProperty("detector_rows", 10.5);
        fails(g, "detector_rows", "integer");
    }

    @Test
    void nonPositivePixelSpacing() {
        JsonObject g = circular();
        g.add("pixel_spacing_mm", JsonParser.parseString("[1.0, 0]"));
        fails(g, "pixel_spacing_mm[1]", "positive");
        g.add("pixel_spacing_mm", JsonParser.parseString("[-0.5, 1]"));
        fails(g, "pixel_spacing_mm[0]", "positive");
        builderFails(() -> builder().setDetector(10, 12, 1, 0).build(), "pixel_spacing_mm[1]");
    }

    @Test
    void zeroPixelStepInVectorForm() {
        JsonObject g = vectors();
        view(g, 1).add("u_mm", JsonParser.parseString("[0, 0, 0]"));
        fails(g, "views[1].u_mm", "zero");
    }

    @Test
    void nonPositiveVolumeShape() {
        JsonObject g = circular();
        g.add("volume_shape", JsonParser.parseString("[0, 8, 8]"));
        fails(g, "volume_shape[0]", "positive");
        g.add("volume_shape", JsonParser.parseString("[8, 8, -2]"));
        fails(g, "volume_shape[2]", "positive");
        g.add("volume_shape", JsonParser.parseString("[8, 8.5, 8]"));
        fails(g, "volume_shape[1]", "integer");
        builderFails(() -> new VolumeGrid(8, 0, 8, 1, 1, 1, new double[3]), "volume_shape[1]");
        g.add("volume_shape", JsonParser.parseString("[2000, 2000, 2000]"));
        fails(g, "volume_shape", "8000000000 voxels");
    }

    @Test
    void nonPositiveVoxelSize() {
        JsonObject g = circular();
        g.addProperty("voxel_size_mm", 0);
        fails(g, "voxel_size_mm", "positive");
        g.add("voxel_size_mm", JsonParser.parseString("[1, -1, 1]"));
        fails(g, "voxel_size_mm[1]", "positive");
        builderFails(() -> new VolumeGrid(8, 8, 8, 1, 1, 0, new double[3]), "voxel_size_mm[2]");
    }

    @Test
    void noAngles() {
        JsonObject g = circular();
        g.add("angles_deg", new JsonArray());
        fails(g, "angles_deg", "at least one view");
        builderFails(() -> builder().setAnglesDeg().build(), "angles_deg");
        JsonObject v = vectors();
        v.add("views", new JsonArray());
        fails(v, "views", "at least one view");
    }

    @Test
    void nanValues() {
        String base = circular().toString();
        fails(base.replace("\"sod_mm\":500", "\"sod_mm\":NaN"), "sod_mm", "finite", "NaN");
        fails(base.replace("\"sod_mm\":500", "\"sod_mm\":\"NaN\""), "sod_mm", "finite");
        fails(base.replace("[0,90,180]", "[0,NaN,180]"), "angles_deg[1]", "finite");
        fails(base.replace("\"pixel_spacing_mm\":[1.0,1.0]", "\"pixel_spacing_mm\":[1.0,NaN]"), "pixel_spacing_mm[1]", "finite");
        String v = vectors().toString();
        fails(v.replace("\"source_mm\":[500,0,0]", "\"source_mm\":[500,NaN,0]"), "views[1].source_mm[1]", "finite");
        builderFails(() -> builder().setSodMm(Double.NaN).build(), "sod_mm", "finite");
        builderFails(() -> builder().setAnglesDeg(0, Double.NaN).build(), "angles_deg[1]", "finite");
    }

    @Test
    void infiniteValues() {
        String base = circular().toString();
        fails(base.replace("\"sdd_mm\":800", "\"sdd_mm\":Infinity"), "sdd_mm", "finite");
        fails(base.replace("\"sdd_mm\":800", "\"sdd_mm\":1e999"), "sdd_mm", "finite");
        fails(base.replace("\"volume_centre_mm\":[0,0,0]", "\"volume_centre_mm\":[0,-Infinity,0]"),
                "volume_centre_mm[1]", "finite");
        fails(base.replace("\"detector_offset_mm\":[0,0]", "\"detector_offset_mm\":[Infinity,0]"),
                "detector_offset_mm[0]", "finite");
        fails(base.replace("\"voxel_size_mm\":1.0", "\"voxel_size_mm\":Infinity"), "voxel_size_mm", "finite");
        builderFails(() -> builder().optDetectorOffsetMm(0, Double.POSITIVE_INFINITY).build(), "detector_offset_mm[1]");
        builderFails(() -> new VolumeGrid(8, 8, 8, 1, 1, 1, new double[] {0, 0, Double.NEGATIVE_INFINITY}),
                "volume_centre_mm[2]");
    }

    @Test
    void volumeReachesSourceCircular() {
        JsonObject g = circular();
        g.add("volume_shape", JsonParser.parseString("[8, 400, 400]")); // 400 voxels of 2 mm: corners 566 mm from the axis
        g.addProperty("voxel_size_mm", 2.0);
        fails(g, "sod_mm", "volume reaches");
        JsonObject shifted = circular();
        shifted.add("volume_centre_mm", JsonParser.parseString("[0, 497, 0]")); // off-centre volume
        fails(shifted, "sod_mm", "volume reaches");
    }

    @Test
    void volumeReachesSourceVectorForm() {
        JsonObject g = vectors();
        view(g, 1).add("source_mm", JsonParser.parseString("[3, 2, 1]")); // inside the 8 mm cube
        fails(g, "views[1]", "volume reaches the source");
    }

    @Test
    void unknownKeys() {
        JsonObject g = circular();
        g.addProperty("foo", 1);
        String m = fails(g, "unknown key 'foo' in geometry.json", "known keys:", "sod_mm", "views");
        assertTrue(m.startsWith("unknown key"), m);
        JsonObject v = vectors();
        view(v, 0).addProperty("w_mm", 1);
        fails(v, "unknown key 'w_mm' in views[0]", "u_mm");
    }

    @Test
    void duplicateKeys() {
        fails(circular().toString().replace("\"sod_mm\":500,", "\"sod_mm\":500,\"sod_mm\":400,"), "key 'sod_mm' appears twice");
        fails(vectors().toString().replace("\"u_mm\":[1,0,0]", "\"u_mm\":[1,0,0],\"u_mm\":[1,0,0]"),
                "key 'u_mm' appears twice in views[0]");
    }

    @Test
    void parallelDetectorAxes() {
        JsonObject g = vectors();
        view(g, 0).add("v_mm", JsonParser.parseString("[2, 0, 0]"));
        fails(g, "views[0]", "u_mm", "v_mm", "parallel");
    }

    @Test
    void sourceInDetectorPlane() {
        JsonObject g = vectors();
        view(g, 0).add("detector_mm", JsonParser.parseString("[0, -500, 40]"));
        fails(g, "views[0]", "source lies in the detector plane");
    }

    @Test
    void mixedCircularAndVectorForms() {
        JsonObject g = vectors();
        g.addProperty("sod_mm", 500);
        fails(g, "views", "sod_mm", "one form");
        JsonObject p = vectors();
        p.add("pixel_spacing_mm", JsonParser.parseString("[1, 1]"));
        fails(p, "pixel_spacing_mm", "u_mm and v_mm");
    }

    @Test
    void missingKeys() {
        for (String key : new String[] {"sdd_mm", "detector_rows", "volume_shape", "voxel_size_mm", "pixel_spacing_mm",
            "angles_deg"}) {
            JsonObject g = circular();
            g.remove(key);
            fails(g, "missing required key '" + key + "'");
        }
        JsonObject v = vectors();
        view(v, 1).remove("u_mm");
        fails(v, "missing required key 'u_mm' in views[1]");
        fails("{\"detector_rows\": 1}", "describes no scan", "sod_mm", "views");
    }

    @Test
    void wrongTypes() {
        JsonObject g = circular();
        g.addProperty("sod_mm", "far");
        fails(g, "sod_mm", "must be a number", "\"far\"");
        g = circular();
        g.addProperty("angles_deg", 90);
        fails(g, "angles_deg", "must be an array");
        g = circular();
        g.add("volume_shape", JsonParser.parseString("[8, 8]"));
        fails(g, "volume_shape", "3 entries");
        g = circular();
        g.add("volume_centre_mm", JsonParser.parseString("[0, [1], 0]"));
        fails(g, "volume_centre_mm[1]", "must be a number");
        g = circular();
        g.add("detector_rows", JsonParser.parseString("null"));
        fails(g, "detector_rows", "null");
        JsonObject v = vectors();
        v.getAsJsonArray("views").set(0, JsonParser.parseString("[1, 2]"));
        fails(v, "views[0]", "object");
    }

    @Test
    void unsupportedSchemaVersion() {
        JsonObject g = circular();
        g.addProperty("schema_version", 2);
        fails(g, "schema_version 2", "not supported");
        g.addProperty("schema_version", 1);
        assertNotNull(GeometryJson.parse(g.toString(), SRC));
    }

    // ----------------------------------------------------------------- projectPoint consistency

    private static void assertPixelCentresProjectToThemselves(ConeBeamGeometry g) {
        for (int view = 0; view < g.views(); view++) {
            double[] s = g.source(view);
            for (int row = 0; row < g.detectorRows(); row += 3) {
                for (int col = 0; col < g.detectorCols(); col += 4) {
                    double[] p = g.pixelCentre(view, row, col);
                    double[] rc = g.projectPoint(view, p);
                    assertArrayEquals(new double[] {row, col}, rc, 1e-9, "pixel centre, view " + view);
                    // any point on the ray between source and pixel projects to the same pixel
                    double[] mid = {s[0] + 0.37 * (p[0] - s[0]), s[1] + 0.37 * (p[1] - s[1]), s[2] + 0.37 * (p[2] - s[2])};
                    assertArrayEquals(new double[] {row, col}, g.projectPoint(view, mid), 1e-9, "ray point, view " + view);
                }
            }
        }
    }

    @Test
    void projectPointOfPixelCentreCircularWithOffsets() {
        assertPixelCentresProjectToThemselves(GeometryJsonTest.circular());
    }

    @Test
    void projectPointOfPixelCentreRandomVectors() {
        for (long seed = 1; seed <= 5; seed++) assertPixelCentresProjectToThemselves(GeometryJsonTest.randomVectors(seed));
    }

    /** An off-axis marker at θ = 0 lands where magnification and the detector offset say (DESIGN.md convention). */
    @Test
    void markerProjectsWhereTheConventionSays() {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(400).setSddMm(600)
                .setDetector(20, 30, 0.5, 0.75).optDetectorOffsetMm(2.0, -1.0).setAnglesDeg(0, 90).build();
        double m = 600.0 / 400;
        // θ = 0: source at (0, −400, 0), u = +x, v = +z; a point at y = 0 is magnified by SDD/SOD
        double[] rc = g.projectPoint(0, new double[] {4, 0, 3});
        assertArrayEquals(new double[] {20 / 2.0 - 0.5 + (3 * m + 1.0) / 0.5, 30 / 2.0 - 0.5 + (4 * m - 2.0) / 0.75}, rc, 1e-9);
        // θ = 90°: source at (400, 0, 0), u = +y; the same rule with the point's y coordinate
        double[] rc90 = g.projectPoint(1, new double[] {0, 4, 3});
        assertArrayEquals(rc, rc90, 1e-9);
    }
}
