package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.learned.InvertiblePrimalDual;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.learned.PrimalDualNetwork;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.reconstruct.LearnedReconstructor;

/** {@code model.variant: "invertible"} in the trainer: config round trip, learning, the saved model. */
class InvertibleTrainingTest {
    @TempDir Path tmp;

    static String invertibleConfig(long steps, double lr) {
        return """
                {"name": "tiny-inv", "steps": %d, "batch_size": 2, "seed": 7, "checkpoint_every": 100,
                 "model": {"variant": "invertible", "dimensions": 2, "iterations": 2, "primal_channels": 4, "dual_channels": 2,
                           "filters": 6, "layers": 2},
                 "data": {"scan": {"size": 12, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24,
                                   "detector_pixel_mm": 1.0, "views": 10},
                          "ellipsoids": 4, "noise_i0": 10000, "initialiser": "backprojection"},
                 "optimiser": {"learning_rate": %s}, "validation": {"samples": 0}}
                """.formatted(steps, lr);
    }

    @Test
    void variantIsParsedWrittenOnlyWhenNotPlainAndValidated() {
        TrainingConfig inv = TrainingConfig.parse(invertibleConfig(3, 1e-3), "test");
        assertEquals("invertible", inv.variant());
        assertEquals("invertible", TrainingConfig.parse(inv.toJsonText(), "round trip").variant());
        TrainingConfig plain = TrainingConfig.parse(TrainerTest.tinyConfig(3, 1, 1e-3), "test");
        assertEquals("plain", plain.variant());
        assertFalse(plain.identity().getAsJsonObject("model").has("variant"), "plain configs keep their identity");
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(
                invertibleConfig(3, 1e-3).replace("\"primal_channels\": 4", "\"primal_channels\": 5"), "test"));
        assertTrue(odd.getMessage().contains("even"), odd.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(
                invertibleConfig(3, 1e-3).replace("\"invertible\"", "\"lire\""), "test"));
        assertTrue(bad.getMessage().contains("model.variant"), bad.getMessage());
    }

    @Test
    void aFewStepsLowerTheLossAndTheSavedModelReproducesIt() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(invertibleConfig(12, 1e-2), "test");
        SimulatedTrainingData sim = new SimulatedTrainingData(cfg.data(), cfg.seed());
        TrainingSample fixed = sim.sample(0);
        List<Double> losses = new ArrayList<>();
        TrainingData repeated = new TrainingData() {
            @Override public ConeBeamGeometry geometry() { return sim.geometry(); }
            @Override public TrainingSample sample(long index) { return fixed; }
        };
        Path run = tmp.resolve("run");
        new PrimalDualTrainer(cfg, Device.cpu(), repeated, run).run(false, new TrainingListener() {
            @Override public void onStep(StepStats s) { losses.add(s.loss()); }
        });
        assertEquals(12, losses.size());
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(last < 0.6 * first, "loss " + first + " → " + last + ": " + losses);

        // The saved model is the invertible one, with the checkpoint's parameters, and it loads and runs.
        Checkpoint ckpt = Checkpoint.read(run.resolve(PrimalDualTrainer.CHECKPOINT));
        ConeBeamGeometry g = sim.geometry();
        try (NDManager m = NDManager.newBaseManager()) {
            PrimalDualNetwork model = ModelFiles.loadNetwork(run.resolve("model"), m);
            assertInstanceOf(InvertiblePrimalDual.class, model);
            int i = 0;
            for (Pair<String, Parameter> p : model.getParameters()) {
                assertEquals(ckpt.names()[i], p.getKey());
                assertArrayEquals(ckpt.values()[i], p.getValue().getArray().toFloatArray(), 0f, p.getKey());
                i++;
            }
            assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(run.resolve("model"), m),
                    "the plain loader must refuse an invertible model");
            NDArrayOperator op = org.pdrecon.learned.ModelGeometry.cpuOperator(g);
            Shape xs = org.pdrecon.learned.ModelGeometry.primalShape(1, g, 2);
            Shape ys = org.pdrecon.learned.ModelGeometry.dualShape(1, g, 2);
            double norm = org.pdrecon.learned.OperatorNorms.estimate(op, m, org.pdrecon.learned.ModelGeometry.NORM_ITERATIONS);
            float[] direct = model.reconstruct(new ParameterStore(m, false), op, norm, m.create(fixed.projections(), ys),
                    m.create(fixed.initial(), xs)).toFloatArray();
            // LearnedReconstructor (what `reconstruct --model` uses) loads the invertible model and gives the same image.
            try (LearnedReconstructor r = LearnedReconstructor.load(run.resolve("model"), Device.cpu())) {
                assertInstanceOf(InvertiblePrimalDual.class, r.model());
                float[] viaReconstructor = r.reconstruct(new org.pdrecon.data.ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(),
                        fixed.projections()), g).data();
                assertArrayEquals(direct, viaReconstructor, 1e-5f);
            }
        }
    }
}
