package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.learned.LearnedPrimalDual;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.learned.OperatorNorms;
import org.pdrecon.operators.NDArrayConeBeamProjector;
import org.pdrecon.reconstruct.LearnedReconstructor;

public class TrainerTest {
    @TempDir Path tmp;

    public static String tinyConfig(long steps, long checkpointEvery, double lr) {
        return """
                {"name": "tiny", "steps": %d, "batch_size": 2, "seed": 7, "checkpoint_every": %d,
                 "model": {"dimensions": 2, "iterations": 2, "primal_channels": 3, "dual_channels": 2, "filters": 6},
                 "data": {"scan": {"size": 12, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24,
                                   "detector_pixel_mm": 1.0, "views": 10},
                          "ellipsoids": 4, "noise_i0": 10000, "initialiser": "backprojection"},
                 "optimiser": {"learning_rate": %s}, "validation": {"samples": 2, "every": 3}}
                """.formatted(steps, checkpointEvery, lr);
    }

    /** Trains {@code cfg} with every step on sample 0 of its simulated data; the loss of each step. */
    static List<Double> lossesOnARepeatedSample(TrainingConfig cfg, Path dir) throws Exception {
        SimulatedTrainingData sim = new SimulatedTrainingData(cfg.data(), cfg.seed());
        TrainingSample fixed = sim.sample(0);
        List<Double> losses = new ArrayList<>();
        TrainingData repeated = new TrainingData() {
            @Override public org.pdrecon.geometry.ConeBeamGeometry geometry() { return sim.geometry(); }
            @Override public TrainingSample sample(long index) { return fixed; }
        };
        new PrimalDualTrainer(cfg, Device.cpu(), repeated, dir).run(false, new TrainingListener() {
            @Override public void onStep(StepStats s) { losses.add(s.loss()); }
        });
        return losses;
    }

    @Test
    void aFewStepsLowerTheLossOnARepeatedSample() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(tinyConfig(15, 100, 3e-3), "test");
        List<Double> losses = lossesOnARepeatedSample(cfg, tmp.resolve("run"));
        assertEquals(15, losses.size());
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(last < 0.6 * first, "loss " + first + " → " + last + ": " + losses);
    }

    @Test
    void checkNumericsRaisesNoFalseAlarmAndIsSwitchedOffAfterwards() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(tinyConfig(3, 100, 1e-3), "test");
        double loss = new PrimalDualTrainer(cfg, Device.cpu(), null, tmp.resolve("numerics")).setCheckNumerics(true).run(false, null);
        assertTrue(Double.isFinite(loss));
        assertTrue(!org.pdrecon.operators.tape.Numerics.enabled());
    }

    @Test
    void resumeAfterAnInterruptionEndsBitwiseLikeAnUninterruptedRun() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(tinyConfig(6, 2, 1e-3), "test");
        Path straight = tmp.resolve("straight"), broken = tmp.resolve("broken");
        new PrimalDualTrainer(cfg, Device.cpu(), null, straight).run(false, null);

        // Killed during step 4 (after the checkpoint at step 2 and step 3's log row): nothing is
        // saved on the way out, as with kill -9.
        RuntimeException kill = new RuntimeException("killed");
        assertThrows(RuntimeException.class, () -> new PrimalDualTrainer(cfg, Device.cpu(), null, broken).run(false, new TrainingListener() {
            @Override public void onStep(StepStats s) { if (s.step() == 3) throw kill; }
        }));
        assertEquals(2, Checkpoint.read(broken.resolve(PrimalDualTrainer.CHECKPOINT)).stepsDone());
        assertThrows(IllegalStateException.class, () -> new PrimalDualTrainer(cfg, Device.cpu(), null, broken).run(false, null),
                "a checkpoint without --resume must not be overwritten");
        List<Long> resumedSteps = new ArrayList<>();
        new PrimalDualTrainer(cfg, Device.cpu(), null, broken).run(true, new TrainingListener() {
            @Override public void onStep(StepStats s) { resumedSteps.add(s.step()); }
        });
        assertEquals(List.of(3L, 4L, 5L, 6L), resumedSteps);

        Checkpoint a = Checkpoint.read(straight.resolve(PrimalDualTrainer.CHECKPOINT));
        Checkpoint b = Checkpoint.read(broken.resolve(PrimalDualTrainer.CHECKPOINT));
        assertEquals(6, b.stepsDone());
        assertEquals(12, b.nextSample());
        for (int i = 0; i < a.values().length; i++) {
            assertArrayEquals(a.values()[i], b.values()[i], a.names()[i]); // bitwise
            assertArrayEquals(a.adam().m()[i], b.adam().m()[i]);
            assertArrayEquals(a.adam().v()[i], b.adam().v()[i]);
        }
        assertArrayEquals(Files.readAllBytes(straight.resolve("model/model.params")), Files.readAllBytes(broken.resolve("model/model.params")));
        assertEquals(Files.readAllLines(straight.resolve(PrimalDualTrainer.VALIDATION)), Files.readAllLines(broken.resolve(PrimalDualTrainer.VALIDATION)));
        assertEquals(List.of(PrimalDualTrainer.VALIDATION_HEADER, "0", "3", "6"),
                Files.readAllLines(broken.resolve(PrimalDualTrainer.VALIDATION)).stream().map(l -> l.split(",")[0]).map(x -> x.equals("step") ? PrimalDualTrainer.VALIDATION_HEADER : x).toList());
        // The log describes one sequence of steps: step 3 of the killed process was dropped and redone identically.
        assertEquals(Files.readAllLines(straight.resolve(PrimalDualTrainer.LOG)).stream().map(TrainerTest::withoutTime).toList(),
                Files.readAllLines(broken.resolve(PrimalDualTrainer.LOG)).stream().map(TrainerTest::withoutTime).toList());
    }

    @Test
    void resumeWithAnotherConfigIsRefused() throws Exception {
        Path dir = tmp.resolve("run");
        new PrimalDualTrainer(TrainingConfig.parse(tinyConfig(1, 1, 1e-3), "test"), Device.cpu(), null, dir).run(false, null);
        TrainingConfig other = TrainingConfig.parse(tinyConfig(1, 1, 2e-3), "test");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PrimalDualTrainer(other, Device.cpu(), null, dir).run(true, null));
        assertTrue(e.getMessage().contains("another config"), e.getMessage());
    }

    @Test
    void aRunCanBeExtendedOrShortenedOnResumeButNotCutBelowItsCheckpoint() throws Exception {
        Path dir = tmp.resolve("run");
        new PrimalDualTrainer(TrainingConfig.parse(tinyConfig(2, 2, 1e-3), "test"), Device.cpu(), null, dir).run(false, null);
        List<Long> more = new ArrayList<>();
        new PrimalDualTrainer(TrainingConfig.parse(tinyConfig(4, 2, 1e-3), "test"), Device.cpu(), null, dir).run(true, new TrainingListener() {
            @Override public void onStep(StepStats s) { more.add(s.step()); }
        });
        assertEquals(List.of(3L, 4L), more, "the longer run continues where the shorter one stopped");
        assertEquals(4, Checkpoint.read(dir.resolve(PrimalDualTrainer.CHECKPOINT)).stepsDone());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new PrimalDualTrainer(TrainingConfig.parse(tinyConfig(3, 2, 1e-3), "test"), Device.cpu(), null, dir).run(true, null));
        assertTrue(e.getMessage().contains("past the 3 steps"), e.getMessage());
    }

    @Test
    void savedModelReproducesTheTrainedNetwork() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(tinyConfig(2, 2, 1e-3), "test");
        Path dir = tmp.resolve("run");
        new PrimalDualTrainer(cfg, Device.cpu(), null, dir).run(false, null);
        Checkpoint c = Checkpoint.read(dir.resolve(PrimalDualTrainer.CHECKPOINT));
        SimulatedTrainingData sim = new SimulatedTrainingData(cfg.data(), 99);
        TrainingSample s = sim.sample(0);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDual model = ModelFiles.load(dir.resolve("model"), m);
            for (int i = 0; i < c.names().length; i++) {
                assertArrayEquals(c.values()[i], model.getParameters().get(c.names()[i]).getArray().toFloatArray(), c.names()[i]);
            }
            NDArray y = m.create(s.projections(), new Shape(1, 1, 10, 24)), x0 = m.create(s.initial(), new Shape(1, 1, 12, 12));
            NDArrayConeBeamProjector op = new NDArrayConeBeamProjector(sim.geometry());
            double norm = OperatorNorms.estimate(op, m, org.pdrecon.learned.ModelGeometry.NORM_ITERATIONS);
            float[] a = model.reconstruct(new ParameterStore(m, false), op, norm, y, x0).toFloatArray();
            float[] b = ModelFiles.load(dir.resolve("model"), m).reconstruct(new ParameterStore(m, false), op, norm, y, x0).toFloatArray();
            assertArrayEquals(a, b);
            // The reconstructor (CPU kernels, initialiser from the model's config) agrees with the
            // NDArray-path reconstruction to float round-off, and refuses a 3D scan.
            try (LearnedReconstructor r = LearnedReconstructor.load(dir.resolve("model"), Device.cpu())) {
                var g = sim.geometry();
                var scan = new org.pdrecon.data.ProjectionStack(g.views(), 1, g.detectorCols(), s.projections());
                float[] viaReconstructor = r.reconstruct(scan, g).data();
                assertArrayEquals(a, viaReconstructor, 1e-5f);
                // ‖A‖ is kept per geometry: another geometry in between gets its own norm (the same
                // output as a fresh reconstructor), and the first geometry's output comes back unchanged.
                var wider = org.pdrecon.geometry.ConeBeamGeometry.circular().setVolume(g.volume()).setSodMm(45).setSddMm(70)
                        .setDetector(1, 24, 1, 1).setAnglesDeg(org.pdrecon.geometry.ConeBeamGeometry.evenAnglesDeg(10, 0, 360)).build();
                var widerScan = new org.pdrecon.data.ProjectionStack(10, 1, 24, s.projections());
                // outside the model's envelope (SOD 45, trained at 40): refused unless forced
                IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> r.reconstruct(widerScan, wider));
                assertTrue(outside.getMessage().contains("sod_mm 45 (model: 40)"), outside.getMessage());
                r.setForce(true);
                float[] widerOut = r.reconstruct(widerScan, wider).data();
                assertTrue(r.warnings().get(0).contains("sod_mm 45 (model: 40)"), r.warnings().toString());
                try (LearnedReconstructor fresh = LearnedReconstructor.load(dir.resolve("model"), Device.cpu()).setForce(true)) {
                    assertArrayEquals(fresh.reconstruct(widerScan, wider).data(), widerOut);
                }
                assertArrayEquals(viaReconstructor, r.reconstruct(scan, g).data());
                var cone = org.pdrecon.geometry.ConeBeamGeometry.circular().setVolume(org.pdrecon.geometry.VolumeGrid.cube(12, 1.0))
                        .setSodMm(40).setSddMm(70).setDetector(8, 24, 1, 1).setAnglesDeg(0, 90).build();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> r.reconstruct(org.pdrecon.data.ProjectionStack.zeros(2, 8, 24), cone));
                assertTrue(e.getMessage().contains("the model is 2D (fan beam)"), e.getMessage());
            }
        }
    }

    private static String withoutTime(String csvLine) {
        return csvLine.substring(0, csvLine.lastIndexOf(','));
    }
}
