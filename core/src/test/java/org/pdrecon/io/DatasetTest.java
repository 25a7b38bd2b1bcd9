package org.pdrecon.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;

class DatasetTest {
    @TempDir
    Path tmp;

    private static final VolumeGrid GRID = new VolumeGrid(4, 6, 5, 1.5, 1.0, 1.0, new double[] {0.5, 0, -1});

    private static ConeBeamGeometry geometry() {
        return ConeBeamGeometry.circular().setVolume(GRID).setSodMm(200).setSddMm(300).setDetector(3, 7, 1.1, 0.9)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(5, 0, 360)).build();
    }

    private static Volume volume(long seed) {
        Random r = new Random(seed);
        Volume v = Volume.zeros(GRID);
        for (int i = 0; i < v.data().length; i++) v.data()[i] = r.nextFloat();
        return v;
    }

    private static ProjectionStack projections(long seed) {
        Random r = new Random(seed);
        ProjectionStack p = ProjectionStack.zeros(5, 3, 7);
        for (int i = 0; i < p.data().length; i++) p.data()[i] = r.nextFloat();
        return p;
    }

    private static JsonObject params() {
        return JsonParser.parseString("{\"phantom\": \"random_ellipsoids\", \"count\": 8, \"noise\": {\"i0\": 1e5}}")
                .getAsJsonObject();
    }

    private Path writeThree() throws IOException {
        Path dir = tmp.resolve("datasets/toy");
        Dataset.Writer w = Dataset.create(dir, "toy", 42, params(), geometry());
        for (int i = 0; i < 3; i++) w.addSample(String.format("%04d", i), volume(i), projections(10 + i));
        w.finish();
        return dir;
    }

    @Test
    void writesAndReadsBackEverything() throws IOException {
        Path dir = writeThree();
        Dataset d = Dataset.open(dir);
        assertEquals("toy", d.name());
        assertEquals(42, d.seed());
        assertEquals(params(), d.generator());
        assertTrue(d.isComplete());
        assertEquals(List.of("0000", "0001", "0002"), d.sampleIds());
        assertEquals(GRID, d.geometry().volume());
        assertEquals(5, d.geometry().views());
        assertTrue(d.created().endsWith("Z"), d.created());
        for (int i = 0; i < 3; i++) {
            String id = String.format("%04d", i);
            Volume v = d.readVolume(id);
            assertArrayEquals(volume(i).data(), v.data());
            assertEquals(GRID.shape()[0], v.grid().nz());
            assertArrayEquals(GRID.centreMm(), v.grid().centreMm(), 1e-12);
            assertArrayEquals(projections(10 + i).data(), d.readProjections(id).data());
        }
        assertTrue(Files.exists(dir.resolve("geometry.json")));
        assertTrue(Files.exists(dir.resolve("samples/0001/volume.mha")));
        assertTrue(Files.exists(dir.resolve("samples/0001/projections.mha")));
        // projections carry the detector pixel spacing of the geometry
        assertArrayEquals(new double[] {0.9, 1.1, 1}, MetaImage.readHeader(dir.resolve("samples/0000/projections.mha"))
                .spacing(), 1e-12);
        DatasetException e = assertThrows(DatasetException.class, () -> d.readVolume("0009"));
        assertTrue(e.getMessage().contains("no sample '0009'"), e.getMessage());
    }

    @Test
    void interruptedWriterLeavesAReadableIncompleteDataset() throws IOException {
        Path dir = tmp.resolve("partial");
        Dataset.Writer w = Dataset.create(dir, "partial", 1, new JsonObject(), geometry());
        assertEquals(0, Dataset.open(dir).size());
        w.addSample("a", volume(1), projections(1));
        w.addSample("b", volume(2), projections(2));
        // a sample with the wrong shape is refused before anything is written, the manifest keeps two
        ProjectionStack wrong = ProjectionStack.zeros(4, 3, 7);
        DatasetException e = assertThrows(DatasetException.class, () -> w.addSample("c", volume(3), wrong));
        assertTrue(e.getMessage().contains("4 views") && e.getMessage().contains("5 × 3 × 7"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("samples/c")));
        Dataset d = Dataset.open(dir);
        assertFalse(d.isComplete());
        assertEquals(List.of("a", "b"), d.sampleIds());
    }

    @Test
    void writerRejectsBadSamples() throws IOException {
        Dataset.Writer w = Dataset.create(tmp.resolve("w"), "w", 1, null, geometry());
        w.addSample("s1", volume(1), projections(1));
        DatasetException dup = assertThrows(DatasetException.class, () -> w.addSample("s1", volume(1), projections(1)));
        assertTrue(dup.getMessage().contains("already written"), dup.getMessage());
        DatasetException id = assertThrows(DatasetException.class, () -> w.addSample("../evil", volume(1), projections(1)));
        assertTrue(id.getMessage().contains("sample id '../evil'"), id.getMessage());
        Volume shifted = new Volume(new VolumeGrid(4, 6, 5, 1.5, 1.0, 1.0, new double[] {9, 0, -1}), volume(1).data());
        DatasetException grid = assertThrows(DatasetException.class, () -> w.addSample("s2", shifted, projections(1)));
        assertTrue(grid.getMessage().contains("volume grid does not match"), grid.getMessage());
    }

    @Test
    void refusesToOverwriteADataset() throws IOException {
        Path dir = writeThree();
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.create(dir, "again", 1, null, geometry()));
        assertTrue(e.getMessage().contains("already holds a dataset"), e.getMessage());
    }

    @Test
    void missingManifestOrDirectory() throws IOException {
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.open(tmp.resolve("nothing")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(DatasetException.class, () -> Dataset.open(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
    }

    @Test
    void missingSampleFile() throws IOException {
        Path dir = writeThree();
        Files.delete(dir.resolve("samples/0001/projections.mha"));
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.open(dir));
        assertTrue(e.getMessage().contains("sample '0001'") && e.getMessage().contains("projections.mha"), e.getMessage());
    }

    @Test
    void sampleShapesMustMatchTheGeometry() throws IOException {
        Path dir = writeThree();
        MetaImage.writeVolume(dir.resolve("samples/0002/volume.mha"), Volume.zeros(VolumeGrid.cube(4, 1.0)));
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.open(dir));
        assertTrue(e.getMessage().contains("0002") && e.getMessage().contains("volume grid does not match"), e.getMessage());

        Path dir2 = tmp.resolve("datasets/toy2");
        Dataset.create(dir2, "toy2", 1, null, geometry()).addSample("x", volume(1), projections(1));
        MetaImage.writeProjections(dir2.resolve("samples/x/projections.mha"), ProjectionStack.zeros(5, 7, 3));
        e = assertThrows(DatasetException.class, () -> Dataset.open(dir2));
        assertTrue(e.getMessage().contains("5 views × 7 rows × 3 cols"), e.getMessage());
    }

    @Test
    void malformedManifests() throws IOException {
        Path dir = writeThree();
        Path m = dir.resolve("manifest.json");
        String good = Files.readString(m);
        JsonObject obj = JsonParser.parseString(good).getAsJsonObject();

        Files.writeString(m, good.substring(0, good.length() / 2));
        assertOpenFails(dir, "manifest.json: not valid JSON");

        JsonObject extra = obj.deepCopy();
        extra.addProperty("noise", 3);
        Files.writeString(m, extra.toString());
        assertOpenFails(dir, "unknown key 'noise'", "generator");

        JsonObject noSeed = obj.deepCopy();
        noSeed.remove("seed");
        Files.writeString(m, noSeed.toString());
        assertOpenFails(dir, "missing required key 'seed'");

        JsonObject badSeed = obj.deepCopy();
        badSeed.addProperty("seed", 1.5);
        Files.writeString(m, badSeed.toString());
        assertOpenFails(dir, "seed must be an integer");

        JsonObject twice = obj.deepCopy();
        twice.getAsJsonArray("samples").add("0000");
        Files.writeString(m, twice.toString());
        assertOpenFails(dir, "'0000' is listed twice");

        JsonObject noGeometry = obj.deepCopy();
        noGeometry.addProperty("geometry", "other.json");
        Files.writeString(m, noGeometry.toString());
        assertOpenFails(dir, "other.json", "does not exist");

        Files.writeString(m, good);
        Files.writeString(dir.resolve("geometry.json"), "{\"sod_mm\": 1, \"bogus\": 2}");
        assertOpenFails(dir, "geometry", "unknown key 'bogus'");
    }

    private static void assertOpenFails(Path dir, String... parts) {
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.open(dir));
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }
}
