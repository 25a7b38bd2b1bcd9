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
        for (String variant : new String[] {"invertible", "unet"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(subsetConfig(3, variant, 2), "t"));
            assertTrue(e.getMessage().contains("plain variant"), e.getMessage());
        }
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(subsetConfig(3, "plain", 11), "t"));
        assertTrue(many.getMessage().contains("10 views"), many.getMessage());
    }

    @Test
    void aSubsetModelLearnsAndReconstructsAsSaved() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(subsetConfig(15, "plain", 2), "test");
        Path run = tmp.resolve("run");
        List<Double> losses = TrainerTest.lossesOnARepeatedSample(cfg, run);
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(last < 0.6 * first, "loss " + first + " → " + last + ": " + losses);

        // `reconstruct --model` splits the scan as the model was trained and gives the network's own result.
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
            float[] viaReconstructor = r.reconstruct(new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections()), g).data();
            assertArrayEquals(direct, viaReconstructor, 1e-5f);
        }
    }
}
