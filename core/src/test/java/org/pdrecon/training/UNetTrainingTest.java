package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.learned.UNetPostProcessing;
import org.pdrecon.reconstruct.LearnedReconstructor;

/** The U-Net baseline through the trainer and {@link LearnedReconstructor}, as {@code train} and {@code reconstruct --model} use it. */
class UNetTrainingTest {
    @TempDir
    Path tmp;

    /** The tiny LPD config's data (12², 10 views, I0 1e4, FDK start) with a 2-level U-Net. */
    static String tinyUNet(long steps) {
        return TrainerTest.tinyConfig(steps, 100, 1e-2)
                .replace("\"name\": \"tiny\"", "\"name\": \"tiny-unet\"")
                .replace("\"model\": {\"dimensions\": 2, \"iterations\": 2, \"primal_channels\": 3, \"dual_channels\": 2, \"filters\": 6}",
                        "\"model\": {\"variant\": \"unet\", \"dimensions\": 2, \"levels\": 2, \"filters\": 4, \"layers\": 2}")
                .replace("\"initialiser\": \"backprojection\"", "\"initialiser\": \"fdk\"");
    }

    @Test
    void trainingLowersTheLossAndTheSavedModelReconstructsLikeAnyOther() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(tinyUNet(30), "test");
        assertEquals("unet", cfg.variant());
        List<Double> losses = TrainerTest.lossesOnARepeatedSample(cfg, tmp.resolve("run"));
        SimulatedTrainingData sim = new SimulatedTrainingData(cfg.data(), cfg.seed());
        TrainingSample fixed = sim.sample(0);
        double first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(last < 0.7 * first, "loss " + first + " → " + last + ": " + losses);

        var g = sim.geometry();
        ProjectionStack y = new ProjectionStack(g.views(), 1, g.detectorCols(), fixed.projections());
        try (LearnedReconstructor model = LearnedReconstructor.load(tmp.resolve("run/model"), Device.cpu());
             LearnedReconstructor again = LearnedReconstructor.load(tmp.resolve("run/model"), Device.cpu())) {
            assertEquals(UNetPostProcessing.ARCHITECTURE, model.model().architecture());
            assertTrue(model.describe().startsWith("U-Net post-processing"), model.describe());
            Volume v = model.reconstruct(y, g);
            assertEquals(g.volume(), v.grid());
            float[] x0 = fixed.initial();
            double changed = 0;
            for (int i = 0; i < x0.length; i++) changed = Math.max(changed, Math.abs(v.data()[i] - x0[i]));
            assertTrue(changed > 1e-4, "the trained network changes its FDK start, by at most " + changed);
            assertArrayEquals(v.data(), again.reconstruct(y, g).data(), "loaded twice: bit-identical volumes");
        }
    }
}
