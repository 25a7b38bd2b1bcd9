package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code patch_slices}: 3D training with the update CNNs on z-slabs while the operators act on the whole scan. */
class PatchTrainingTest {
    @TempDir Path tmp;

    /** A 3D invertible model on a 10³ scan, every CNN on slabs of 3 slices (halo 2: each slab sees at most 7 of 10). */
    static String slabConfig(long steps, int slices) {
        return """
                {"name": "tiny-slabs", "steps": %d, "batch_size": 1, "seed": 5, "checkpoint_every": 100, "patch_slices": %d,
                 "model": {"variant": "invertible", "dimensions": 3, "iterations": 2, "primal_channels": 4, "dual_channels": 2,
                           "filters": 4, "layers": 2},
                 "data": {"scan": {"size": 10, "nz": 10, "voxel_mm": 2.0, "sod_mm": 60, "sdd_mm": 100, "detector_rows": 14,
                                   "detector_cols": 16, "detector_pixel_mm": 2.5, "views": 9},
                          "ellipsoids": 4, "noise_i0": 10000, "initialiser": "backprojection"},
                 "optimiser": {"learning_rate": 3e-3}, "validation": {"samples": 0}}
                """.formatted(steps, slices);
    }

    @Test
    void patchSlicesAreReadWrittenWhenSetAndLeftOutOfTheIdentity() {
        TrainingConfig c = TrainingConfig.parse(slabConfig(3, 3), "test");
        assertEquals(3, c.patchSlices());
        assertEquals(c, TrainingConfig.parse(c.toJsonText(), "round trip"));
        assertFalse(c.identity().has("patch_slices"), "the slab size changes round-off only, so a run may resume with another");
        assertEquals(c.identity(), TrainingConfig.parse(slabConfig(3, 0), "whole").identity());
        assertFalse(TrainingConfig.parse(slabConfig(3, 0), "whole").toJson().has("patch_slices"), "the default is not written");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(slabConfig(3, -1), "test"))
                .getMessage().contains("patch_slices"));
        // 2D networks and the U-Net have no slabs to cut: refused rather than silently ignored.
        String twoD = TrainerTest.tinyConfig(3, 1, 1e-3).replace("\"seed\": 7,", "\"seed\": 7, \"patch_slices\": 4,");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(twoD, "test"));
        assertTrue(e.getMessage().contains("2D"), e.getMessage());
    }

    @Test
    void aSlabTrainedModelLearnsAndResumesWithAnotherSlabSize() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(slabConfig(10, 3), "test");
        Path run = tmp.resolve("run");
        List<Double> losses = TrainerTest.lossesOnARepeatedSample(cfg, run);
        assertEquals(10, losses.size());
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        int falls = 0;
        for (int i = 1; i < losses.size(); i++) if (losses.get(i) < losses.get(i - 1)) falls++;
        assertTrue(last < 0.8 * first && falls >= 8, "loss " + first + " → " + last + ", falling at " + falls + " of 9 steps: " + losses);
        // The same run continued on whole volumes: the checkpoint is accepted (identity unchanged).
        TrainingConfig longer = TrainingConfig.parse(slabConfig(12, 0), "test");
        Checkpoint before = Checkpoint.read(run.resolve(PrimalDualTrainer.CHECKPOINT));
        assertEquals(10, before.stepsDone());
        new PrimalDualTrainer(longer, ai.djl.Device.cpu(), new SimulatedTrainingData(longer.data(), longer.seed()), run)
                .run(true, new TrainingListener() {});
        assertEquals(12, Checkpoint.read(run.resolve(PrimalDualTrainer.CHECKPOINT)).stepsDone());
    }
}
