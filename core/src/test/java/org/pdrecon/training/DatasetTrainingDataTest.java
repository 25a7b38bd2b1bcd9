package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.io.Dataset;

class DatasetTrainingDataTest {
    @TempDir Path tmp;

    /** Writes 5 simulated samples of the tiny test scan as a dataset. */
    private Path dataset() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(TrainerTest.tinyConfig(2, 1, 1e-3), "test");
        SimulatedTrainingData sim = new SimulatedTrainingData(cfg.data(), 5);
        Path dir = tmp.resolve("ds");
        Dataset.Writer w = Dataset.create(dir, "tiny", 5, new JsonObject(), sim.geometry());
        for (int i = 0; i < 5; i++) {
            TrainingSample s = sim.sample(i);
            var g = sim.geometry();
            w.addSample("s" + i, new org.pdrecon.data.Volume(g.volume(), s.target()),
                    new org.pdrecon.data.ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections()));
        }
        w.finish();
        return dir;
    }

    @Test
    void epochsVisitEveryTrainingSampleOnceInSeededOrder() throws Exception {
        Path dir = dataset();
        DatasetTrainingData d = new DatasetTrainingData(dir, 2, "backprojection", 9);
        List<String> epoch0 = new ArrayList<>(), epoch1 = new ArrayList<>();
        for (int i = 0; i < 3; i++) epoch0.add(d.trainingId(i));
        for (int i = 3; i < 6; i++) epoch1.add(d.trainingId(i));
        assertEquals(Set.of("s0", "s1", "s2"), new HashSet<>(epoch0));
        assertEquals(Set.of("s0", "s1", "s2"), new HashSet<>(epoch1));
        assertEquals(epoch0, List.of(new DatasetTrainingData(dir, 2, "backprojection", 9).trainingId(0),
                d.trainingId(1), d.trainingId(2)), "a pure function of the index");
        List<List<String>> orders = new ArrayList<>();
        for (int e = 0; e < 8; e++) orders.add(List.of(d.trainingId(3 * e), d.trainingId(3 * e + 1), d.trainingId(3 * e + 2)));
        assertTrue(new HashSet<>(orders).size() > 1, "epochs are shuffled differently: " + orders);
        // The held-out samples are the last two and never appear in training.
        TrainingSample v = d.validationSample(1);
        assertArrayEquals(Dataset.open(dir).readVolume("s4").data(), v.target());
        assertThrows(IllegalArgumentException.class, () -> d.validationSample(2));
        assertThrows(IllegalArgumentException.class, () -> new DatasetTrainingData(dir, 5, "zeros", 1));
        assertNotEquals(0, v.initial().length);
    }

    @Test
    void trainsFromADatasetConfig() throws Exception {
        Path dir = dataset();
        String json = """
                {"name": "from-disk", "steps": 2, "checkpoint_every": 2, "batch_size": 2,
                 "model": {"dimensions": 2, "iterations": 1, "filters": 4},
                 "data": {"source": "dataset", "path": "%s"},
                 "validation": {"samples": 1}}
                """.formatted(dir.toString().replace("\\\\", "/"));
        TrainingConfig cfg = TrainingConfig.parse(json, "test");
        Path out = tmp.resolve("run");
        double loss = new PrimalDualTrainer(cfg, Device.cpu(), null, out).run(false, null);
        assertTrue(Double.isFinite(loss));
        assertEquals(3, Files.readAllLines(out.resolve(PrimalDualTrainer.VALIDATION)).size()); // header, step 0, step 2
        String bad = json.replace("\"path\"", "\"ellipsoids\": 3, \"path\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(bad, "cfg"));
        assertTrue(e.getMessage().contains("unknown key [ellipsoids]"), e.getMessage());
    }
}
