package org.pdrecon.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FDK;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Masks;
import org.pdrecon.reconstruct.LearnedReconstructor;
import org.pdrecon.training.PrimalDualTrainer;
import org.pdrecon.training.SimulatedTrainingData;
import org.pdrecon.training.TrainerTest;
import org.pdrecon.training.TrainingConfig;
import org.pdrecon.training.TrainingSample;

class ModelEvaluationTest {
    @TempDir
    static Path tmp;
    static Path modelDir;
    static TrainingConfig config;

    @BeforeAll
    static void trainATinyModel() throws Exception {
        config = TrainingConfig.parse(TrainerTest.tinyConfig(2, 2, 1e-3), "test");
        new PrimalDualTrainer(config, Device.cpu(), null, tmp.resolve("run")).run(false, null);
        modelDir = tmp.resolve("run/model");
    }

    private static ModelEvaluation.Report evaluate(ModelEvaluation.Settings s) throws Exception {
        try (LearnedReconstructor model = LearnedReconstructor.load(modelDir, Device.cpu())) {
            return ModelEvaluation.run(modelDir, model, s, null);
        }
    }

    @Test
    void scoresEveryMethodOnHeldOutPhantomsWithTheLambdaThatWinsOnValidation() throws Exception {
        ModelEvaluation.Report r = evaluate(new ModelEvaluation.Settings(2, 99, 2, List.of(0.01, 1.0, 100.0), 20));
        assertEquals(List.of("FDK", "TV λ " + String.format(java.util.Locale.ROOT, "%.3g", r.tuning().bestLambda()), "tiny"), r.methods());
        assertEquals(6, r.scores().size());
        double best = r.tuning().meanPsnrByLambda().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(best, r.tuning().meanPsnrByLambda().get(r.tuning().bestLambda()));
        assertEquals(3, r.tuning().meanPsnrByLambda().size());

        // FDK's row is the FDK of the test phantom drawn from seed 99, scored in the fully seen disc.
        SimulatedTrainingData test = new SimulatedTrainingData(config.data(), 99);
        TrainingSample t = test.sample(1);
        var g = test.geometry();
        Volume fdk = new FDK().reconstruct(new ProjectionStack(g.views(), 1, g.detectorCols(), t.projections()), g);
        double psnr = ImageMetrics.compare(new Volume(g.volume(), t.target()), fdk, Masks.fullySeenCylinder(g)).psnrDb();
        assertEquals(psnr, r.values("FDK", true)[1], 1e-9);

        // Test phantoms are not the validation samples used for tuning.
        TrainingSample v = new SimulatedTrainingData(config.data(), config.seed()).validationSample(1);
        assertFalse(Arrays.equals(v.target(), t.target()));

        String md = r.markdown();
        assertTrue(md.contains("| FDK |") && md.contains("model − FDK: PSNR") && md.contains("chosen λ"), md);
        assertEquals(7, r.csv().lines().count());
        assertEquals(4, r.firstPhantom().size());
    }

    @Test
    void theTrainingSeedCannotBeTheTestSeed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluate(new ModelEvaluation.Settings(1, config.seed(), 1, List.of(1.0), 5)));
        assertTrue(e.getMessage().contains("training seed"), e.getMessage());
    }

    @Test
    void badSettingsAndDirectoriesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new ModelEvaluation.Settings(0, 1, 1, List.of(1.0), 5));
        assertThrows(IllegalArgumentException.class, () -> new ModelEvaluation.Settings(1, 1, 1, List.of(), 5));
        assertThrows(IllegalArgumentException.class, () -> new ModelEvaluation.Settings(1, 1, 1, List.of(-1.0), 5));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        try (LearnedReconstructor model = LearnedReconstructor.load(modelDir, Device.cpu())) {
            var e = assertThrows(java.io.IOException.class, () -> ModelEvaluation.run(empty, model,
                    new ModelEvaluation.Settings(1, 5, 1, List.of(1.0), 5), null));
            assertTrue(e.getMessage().contains("not a model directory"), e.getMessage());
        }
    }
}
