package org.pdrecon.fields;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.cli.CliRun;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.reconstruct.ConditionedFieldReconstructor;
import org.pdrecon.reconstruct.Reconstructor;
import org.pdrecon.reconstruct.LearnedReconstructor;
import org.pdrecon.training.SimulatedTrainingData;
import org.pdrecon.training.TrainingConfig;
import org.pdrecon.training.TrainingSample;

/** The conditioned field on a tiny 2D fan-beam problem: training, conditioning-only fits, files, envelope, command line. */
class ConditionedFieldTest {
    @TempDir
    static Path dir;
    static ConditionedFieldTrainer.Config config;
    static ConditionedField model;

    static String configText(int steps) {
        return """
                {"kind": "condcbnt", "name": "tiny-field", "steps": %d, "seed": 5, "inner_steps": 8, "inner_learning_rate": 0.1,
                 "learning_rate": 0.003, "checkpoint_every": 2, "validation_samples": 1,
                 "field": {"levels": 2, "base_resolution": 4, "max_resolution": 12, "features": 2, "hidden": 8, "hidden_layers": 1},
                 "data": {"scan": {"size": 16, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 32,
                                   "detector_pixel_mm": 1.0, "views": 12},
                          "ellipsoids": 4, "noise_i0": 0}}
                """.formatted(steps);
    }

    @BeforeAll
    static void train() throws Exception {
        config = ConditionedFieldTrainer.Config.parse(configText(4), "test");
        model = new ConditionedFieldTrainer(config, dir.resolve("run")).run(false, null);
    }

    static TrainingSample heldOut() {
        return new SimulatedTrainingData(config.data(), config.seed()).sample(TrainingConfig.ValidationConfig.FIRST_INDEX + 3);
    }

    static ProjectionStack projections(TrainingSample s, ConeBeamGeometry g) {
        return new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections());
    }

    @Test
    void fittingTheConditioningAloneLowersTheDataLossAndLeavesTheBackboneAlone() {
        ConeBeamGeometry g = config.data().scan().geometry();
        List<Double> losses = new ArrayList<>();
        NafFit.Fitted fitted = model.fit(projections(heldOut(), g), g, 30, (done, total, loss) -> losses.add(loss));
        assertEquals(30, losses.size());
        assertTrue(losses.get(29) < 0.5 * losses.get(0), "data loss " + losses.get(0) + " → " + losses.get(29));
        int levels = model.field().levels();
        float[][] after = fitted.field().values();
        for (int i = levels; i < after.length; i++) assertArrayEquals(model.values()[i], after[i], "backbone parameter " + i + " is frozen");
        boolean moved = false;
        for (int i = 0; i < levels; i++) moved |= !java.util.Arrays.equals(model.values()[i], after[i]);
        assertTrue(moved, "the conditioning (grid) was fitted");
    }

    @Test
    void aSavedAndLoadedModelReconstructsBitForBit() throws Exception {
        ConditionedField loaded = ConditionedField.load(dir.resolve("run/model"));
        ConeBeamGeometry g = config.data().scan().geometry();
        ProjectionStack p = projections(heldOut(), g);
        assertArrayEquals(model.fit(p, g, 10, null).field().toVolume().data(), loaded.fit(p, g, 10, null).field().toVolume().data());
        assertTrue(loaded.extra().has("envelope") && loaded.extra().has("validation") && loaded.extra().has("training"));

        Path broken = dir.resolve("broken");
        loaded.save(broken);
        byte[] bytes = Files.readAllBytes(broken.resolve(ConditionedField.PARAMS));
        Files.write(broken.resolve(ConditionedField.PARAMS), java.util.Arrays.copyOf(bytes, bytes.length - 20));
        assertTrue(assertThrows(java.io.IOException.class, () -> ConditionedField.load(broken)).getMessage().contains("truncated"));
    }

    @Test
    void aResumedTrainingEndsWhereAnUninterruptedOneDoes() throws Exception {
        ConditionedFieldTrainer.Config six = ConditionedFieldTrainer.Config.parse(configText(6).replace("\"validation_samples\": 1", "\"validation_samples\": 0"), "six");
        ConditionedField straight = new ConditionedFieldTrainer(six, dir.resolve("straight")).run(false, null);
        RuntimeException kill = new RuntimeException("killed");
        Path run = dir.resolve("killed");
        assertSame(kill, assertThrows(RuntimeException.class, () -> new ConditionedFieldTrainer(six, run).run(false, (done, total, d, s) -> {
            if (done == 3) throw kill; // after the checkpoint of step 2
        })));
        ConditionedField resumed = new ConditionedFieldTrainer(six, run).run(true, null);
        for (int i = 0; i < straight.values().length; i++) assertArrayEquals(straight.values()[i], resumed.values()[i], "parameter " + i);
        assertThrows(IllegalArgumentException.class, () -> new ConditionedFieldTrainer(six, run).run(false, null), "a used run folder needs --resume");
    }

    @Test
    void aScanOutsideTheEnvelopeIsRefusedUnlessForced() throws Exception {
        ConeBeamGeometry g = config.data().scan().geometry();
        ConeBeamGeometry other = config.data().scan().withViews(24).geometry();
        TrainingSample s = new SimulatedTrainingData(new TrainingConfig.DataConfig("simulated", config.data().scan().withViews(24), null, 4, 0, "fdk"), 9).sample(0);
        ConditionedFieldReconstructor r = ConditionedFieldReconstructor.load(dir.resolve("run/model"), 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.reconstruct(projections(s, other), other, Reconstructor.Progress.NONE));
        assertTrue(e.getMessage().contains(LearnedReconstructor.OUTSIDE_ENVELOPE) && e.getMessage().contains("views"), e.getMessage());
        r.setForce(true).reconstruct(projections(s, other), other, Reconstructor.Progress.NONE);
        assertFalse(r.warnings().isEmpty());
        assertEquals(g.volume().voxelCount(), r.setForce(false).reconstruct(projections(heldOut(), g), g, Reconstructor.Progress.NONE).data().length);
    }

    @Test
    void theCommandLineTrainsAndReconstructs() throws Exception {
        Path cfg = dir.resolve("cli.json");
        Files.writeString(cfg, configText(2));
        CliRun t = CliRun.of("train", "--config", cfg.toString(), "--out", dir.resolve("cli-run").toString(), "--no-progress");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("conditioned field tiny-field"), t.out());
        ConeBeamGeometry g = config.data().scan().geometry();
        Path p = dir.resolve("p.mha"), gj = dir.resolve("g.json"), out = dir.resolve("cond.mha");
        MetaImage.writeProjections(p, projections(heldOut(), g), g);
        GeometryJson.write(gj, g);
        CliRun r = CliRun.of("reconstruct", "--projections", p.toString(), "--geometry", gj.toString(), "--method", "condcbnt", "--model",
                dir.resolve("cli-run/model").toString(), "--iterations", "6", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("conditioned neural field") && r.out().contains("6 steps"), r.out());
        assertTrue(Files.exists(out));
        CliRun noModel = CliRun.of("reconstruct", "--projections", p.toString(), "--geometry", gj.toString(), "--method", "condcbnt", "--out", out.toString());
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("needs --model"), noModel.err());
    }
}
