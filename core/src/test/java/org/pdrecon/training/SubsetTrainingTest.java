package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.learned.OperatorNorms;
import org.pdrecon.learned.PrimalDualNetwork;
import org.pdrecon.reconstruct.LearnedReconstructor;
import org.pdrecon.reconstruct.Reconstructor;

/** {@code model.subsets}: ordered view subsets through the config, the trainer and the saved model. */
class SubsetTrainingTest {
    @TempDir Path tmp;

    static String subsetConfig(long steps, String variant, int subsets) {
        return TrainerTest.tinyConfig(steps, 100, 3e-3)
                .replace("\"dimensions\": 2,", "\"dimensions\": 2, \"subsets\": " + subsets + ", \"variant\": \"" + variant + "\",")
                .replace("\"validation\": {\"samples\": 2, \"every\": 3}", "\"validation\": {\"samples\": 0}");
    }

    @Test
    void subsetsAreReadWrittenOnlyWhenSetAndRefusedWhereTheyCannotApply() {
        TrainingConfig c = TrainingConfig.parse(subsetConfig(3, "plain", 2), "test");
        assertEquals(2, c.model().subsets());
        assertEquals(c, TrainingConfig.parse(c.toJsonText(), "round trip"));
        assertTrue(c.identity().getAsJsonObject("model").has("subsets"), "subsets change the model, so they are part of the run");
        assertFalse(TrainingConfig.parse(TrainerTest.tinyConfig(3, 1, 1e-3), "old").identity().getAsJsonObject("model").has("subsets"),
                "configs without subsets keep their identity");
        IllegalArgumentException unet = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(subsetConfig(3, "unet", 2), "t"));
        assertTrue(unet.getMessage().contains("no operator"), unet.getMessage());
        assertEquals(2, TrainingConfig.parse(subsetConfig(3, "invertible", 2).replace("\"primal_channels\": 3", "\"primal_channels\": 4"), "t")
                .model().subsets());
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(subsetConfig(3, "plain", 11), "t"));
        assertTrue(many.getMessage().contains("10 views"), many.getMessage());
    }

    @Test
    void anInvertibleSubsetModelLearns() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(InvertibleTrainingTest.invertibleConfig(12, 1e-2)
                .replace("\"variant\": \"invertible\",", "\"variant\": \"invertible\", \"subsets\": 2,"), "test");
        assertEquals(2, cfg.model().subsets());
        List<Double> losses = TrainerTest.lossesOnARepeatedSample(cfg, tmp.resolve("inv"));
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(last < 0.6 * first, "loss " + first + " → " + last + ": " + losses);
    }

    @Test
    void aSubsetModelLearnsAndReconstructsAsSaved() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(subsetConfig(15, "plain", 2), "test");
        Path run = tmp.resolve("run");
        List<Double> losses = TrainerTest.lossesOnARepeatedSample(cfg, run);
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(last < 0.6 * first, "loss " + first + " → " + last + ": " + losses);

        // `reconstruct --model` splits the scan as the model was trained and gives the network's own result
        // (with an empty ‖A‖ cache of its own, so the first reconstruction estimates it).
        String cache = System.getProperty("pdrecon.cache");
        System.setProperty("pdrecon.cache", tmp.resolve("cache").toString());
        try {
            reconstructAsSaved(cfg, run);
        } finally {
            if (cache == null) System.clearProperty("pdrecon.cache");
            else System.setProperty("pdrecon.cache", cache);
        }
    }

    private static void reconstructAsSaved(TrainingConfig cfg, Path run) throws Exception {
        SimulatedTrainingData sim = new SimulatedTrainingData(cfg.data(), cfg.seed());
        TrainingSample s = sim.sample(0);
        ConeBeamGeometry g = sim.geometry();
        try (NDManager m = NDManager.newBaseManager();
             LearnedReconstructor r = LearnedReconstructor.load(run.resolve("model"), Device.cpu())) {
            PrimalDualNetwork model = ModelFiles.loadNetwork(run.resolve("model"), m);
            assertEquals(2, model.config().subsets());
            var op = ModelGeometry.operator(g, Device.cpu(), 2);
            Shape xs = ModelGeometry.primalShape(1, g, 2), ys = ModelGeometry.dualShape(1, g, 2);
            double norm = OperatorNorms.estimate(op, m, ModelGeometry.NORM_ITERATIONS);
            float[] direct = model.reconstruct(new ParameterStore(m, false), op, norm, m.create(s.projections(), ys), m.create(s.initial(), xs))
                    .toFloatArray();
            ProjectionStack stack = new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections());
            List<long[]> steps = new java.util.ArrayList<>();
            List<String> words = new java.util.ArrayList<>();
            Reconstructor.Progress progress = new Reconstructor.Progress() {
                @Override public void update(long done, long total) { steps.add(new long[] {done, total}); }
                @Override public void status(String text) { words.add(text); }
            };
            float[] viaReconstructor = r.reconstruct(stack, g, progress).data();
            assertArrayEquals(direct, viaReconstructor, 1e-5f);
            // Progress: the initialiser, 30 power iterations of ‖A‖, then each of the 2 unrolled iterations, in order.
            long total = 1 + ModelGeometry.NORM_ITERATIONS + 2;
            for (int i = 1; i < steps.size(); i++) assertTrue(steps.get(i)[0] >= steps.get(i - 1)[0] && steps.get(i)[1] == total);
            assertEquals(total, steps.get(steps.size() - 1)[0]);
            assertTrue(steps.stream().anyMatch(x -> x[0] == 1 + ModelGeometry.NORM_ITERATIONS + 1), "each network iteration is reported");
            assertTrue(steps.stream().filter(x -> x[0] > 1 && x[0] < 1 + ModelGeometry.NORM_ITERATIONS).count() >= 10, "each power iteration is reported");
            assertEquals(List.of("initialiser backprojection", "‖A‖", "network"), words);
            steps.clear();
            r.reconstruct(stack, g, progress); // the norm is known now: its steps pass at once
            assertTrue(steps.stream().noneMatch(x -> x[0] > 1 && x[0] < 1 + ModelGeometry.NORM_ITERATIONS), "no power iterations the second time");
        }
        // A new process (here: a new reconstructor) finds the norm on disk and gives the same volume.
        try (LearnedReconstructor again = LearnedReconstructor.load(run.resolve("model"), Device.cpu())) {
            List<long[]> steps = new java.util.ArrayList<>();
            float[] out = again.reconstruct(new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections()), g,
                    (done, total) -> steps.add(new long[] {done, total})).data();
            assertTrue(steps.stream().noneMatch(x -> x[0] > 1 && x[0] < 1 + ModelGeometry.NORM_ITERATIONS), "the cached norm is used");
            try (LearnedReconstructor first = LearnedReconstructor.load(run.resolve("model"), Device.cpu())) {
                assertArrayEquals(first.reconstruct(new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections()), g).data(),
                        out, 0f);
            }
        }
    }
}
