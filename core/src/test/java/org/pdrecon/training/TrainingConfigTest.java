package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.learned.LearnedPrimalDualConfig;
import org.pdrecon.operators.tape.SegmentTape;

class TrainingConfigTest {
    @TempDir Path tmp;

    @Test
    void defaultsFollowTheLiterature() {
        TrainingConfig c = TrainingConfig.parse(TrainerTest.tinyConfig(5, 2, 1e-3).replace(
                "\"model\": {\"dimensions\": 2, \"iterations\": 2, \"primal_channels\": 3, \"dual_channels\": 2, \"filters\": 6}",
                "\"model\": {\"dimensions\": 2}"), "test");
        assertEquals(LearnedPrimalDualConfig.defaults(2), c.model());
        assertEquals(new LearnedPrimalDualConfig(2, 10, 5, 5, 32, 3, 3, 50), c.model());
        assertEquals(0.9, c.optimiser().beta1());
        assertEquals(0.99, c.optimiser().beta2());
        assertEquals(1.0, c.optimiser().clipNorm());
        assertEquals(SegmentTape.Mode.RECOMPUTE, c.tapeMode());
        assertEquals("runs/tiny", c.outputDir());
    }

    @Test
    void roundTripsThroughJson() {
        TrainingConfig c = TrainingConfig.parse(TrainerTest.tinyConfig(5, 2, 1e-3), "test");
        assertEquals(c, TrainingConfig.parse(c.toJsonText(), "again"));
        assertFalse(c.toJsonText().contains("warmup_steps"), "no warm-up: the key stays out, so older identities stay");
        TrainingConfig warm = TrainingConfig.parse(TrainerTest.tinyConfig(5, 2, 1e-3)
                .replace("\"optimiser\": {", "\"optimiser\": {\"warmup_steps\": 3, "), "test");
        assertEquals(3, warm.optimiser().warmupSteps());
        assertEquals(warm, TrainingConfig.parse(warm.toJsonText(), "again"));
        String negative = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"optimiser\": {", "\"optimiser\": {\"warmup_steps\": -1, ");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(negative, "cfg")).getMessage().contains("warmup_steps"));
        String tooLong = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"optimiser\": {", "\"optimiser\": {\"warmup_steps\": 5, ");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(tooLong, "cfg")).getMessage().contains("less than steps"));
    }

    @Test
    void anatomicalPhantomsAreADataSourceAndLeaveOlderIdentitiesAlone() throws IOException {
        // A thorax seen whole: 16² × 8 slices of 25 mm, a 600 mm detector row at the isocentre (×1.5 on the panel).
        String thorax = """
                {"name": "body", "steps": 2, "batch_size": 1, "seed": 3,
                 "model": {"dimensions": 3, "iterations": 1, "primal_channels": 2, "dual_channels": 2, "filters": 4},
                 "data": {"scan": {"size": 16, "nz": 8, "voxel_mm": 25, "sod_mm": 1000, "sdd_mm": 1500, "detector_rows": 8,
                                   "detector_cols": 40, "detector_pixel_mm": 25, "views": 12},
                          "phantom": "thorax", "noise_i0": 0}}
                """;
        TrainingConfig c = TrainingConfig.parse(thorax, "test");
        assertEquals("thorax", c.data().phantom());
        assertEquals(c, TrainingConfig.parse(c.toJsonText(), "again"));
        TrainingSample s = new SimulatedTrainingData(c.data(), c.seed()).sample(0);
        float max = 0;
        for (float v : s.target()) max = Math.max(max, v);
        assertTrue(max > 0.03f, "bone in the target: max μ " + max);
        // the FORBILD head: one anatomy, moved per sample (a 16² × 8 grid of 20 mm holds its cross-section; z is truncated)
        TrainingConfig head = TrainingConfig.parse(thorax.replace("\"thorax\"", "\"forbild-head\"").replace("\"voxel_mm\": 25", "\"voxel_mm\": 20"), "test");
        SimulatedTrainingData heads = new SimulatedTrainingData(head.data(), head.seed());
        float[] first = heads.sample(0).target(), second = heads.sample(1).target();
        float headMax = 0;
        for (float v : first) headMax = Math.max(headMax, v);
        assertTrue(headMax > 0.03f, "skull in the target: max μ " + headMax);
        assertTrue(!java.util.Arrays.equals(first, second), "each sample places the head anew");
        String bad = thorax.replace("\"thorax\"", "\"head\"");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(bad, "test")).getMessage().contains("data.phantom"));
        // electronic noise on top of Poisson noise, as on a flat panel
        TrainingConfig noisy = TrainingConfig.parse(thorax.replace("\"noise_i0\": 0", "\"noise_i0\": 20000, \"electronic_sigma\": 5"), "test");
        assertEquals(5, noisy.data().electronicSigma());
        assertEquals(noisy, TrainingConfig.parse(noisy.toJsonText(), "again"));
        String noPhotons = thorax.replace("\"noise_i0\": 0", "\"noise_i0\": 0, \"electronic_sigma\": 5");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(noPhotons, "test")).getMessage().contains("electronic_sigma"));
        // configs without the keys (every run so far) keep their identity: the defaults are not written
        TrainingConfig old = TrainingConfig.load(Path.of("training-configs/lpd-cone.json"));
        assertEquals("ellipsoids", old.data().phantom());
        assertTrue(!old.identity().toString().contains("phantom") && !old.identity().toString().contains("electronic"), old.identity().toString());
    }

    @Test
    void unknownKeysAreRejectedWithTheirPath() {
        String bad = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"learning_rate\"", "\"learningrate\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(bad, "cfg.json"));
        assertTrue(e.getMessage().contains("cfg.json.optimiser: unknown key [learningrate]"), e.getMessage());
        String top = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"seed\"", "\"sed\"");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(top, "cfg.json"));
        assertTrue(e.getMessage().contains("unknown key [sed]"), e.getMessage());
    }

    @Test
    void badValuesNameTheField() {
        String bad = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"filters\": 6", "\"filters\": 0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(bad, "cfg"));
        assertTrue(e.getMessage().contains("model.filters must be at least 1"), e.getMessage());
        String noSteps = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"steps\": 5,", "");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(noSteps, "cfg"));
        assertTrue(e.getMessage().contains("steps is missing"), e.getMessage());
        String threeD = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"size\": 12,", "\"size\": 12, \"nz\": 4,");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(threeD, "cfg"));
        assertTrue(e.getMessage().contains("a 2D model needs nz = 1"), e.getMessage());
        String flat = TrainerTest.tinyConfig(5, 2, 1e-3).replace("\"dimensions\": 2", "\"dimensions\": 3");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(flat, "cfg"));
        assertTrue(e.getMessage().contains("the model is 3D"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse("[1]", "cfg"));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse("{", "cfg"));
    }

    @Test
    void checkpointRoundTripsAndDetectsCorruption() throws IOException {
        Adam.State s = new Adam.State(3, new float[][] {{1, 2}, {3}}, new float[][] {{4, 5}, {6}});
        Checkpoint c = new Checkpoint("{\"a\":1}", 3, 6, new String[] {"w", "b"}, new float[][] {{7, 8}, {9}}, s);
        Path f = tmp.resolve("ck.bin");
        c.write(f);
        Checkpoint r = Checkpoint.read(f);
        assertEquals(c.identity(), r.identity());
        assertEquals(3, r.stepsDone());
        assertEquals(6, r.nextSample());
        assertArrayEquals(c.names(), r.names());
        assertArrayEquals(c.values()[0], r.values()[0]);
        assertArrayEquals(s.v()[1], r.adam().v()[1]);
        assertEquals(3, r.adam().step());
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 12] ^= 1;
        Files.write(f, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        Files.write(f, java.util.Arrays.copyOf(bytes, 30));
        e = assertThrows(IOException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        try (var list = Files.list(tmp)) {
            assertEquals(1, list.count(), "no temporary files left behind");
        }
    }
}
