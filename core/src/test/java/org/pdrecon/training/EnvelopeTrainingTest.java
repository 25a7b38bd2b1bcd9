package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.learned.ModelEnvelope;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.reconstruct.LearnedReconstructor;

/**
 * {@code data.scans}: one model trained over several scan geometries (views, voxel size, full and half fan),
 * and the envelope it then states: the range its scans span, inside which it runs and outside which it refuses.
 */
class EnvelopeTrainingTest {
    @TempDir Path tmp;

    /** Three 2D scans: 10 views at 1 mm, 16 views at 1.5 mm, and a half-fan one (detector offset 6 mm) of 10 views. */
    static String envelopeConfig(long steps, int validationSamples) {
        return """
                {"name": "envelope", "steps": %d, "batch_size": 2, "seed": 7, "checkpoint_every": 100,
                 "model": {"dimensions": 2, "iterations": 2, "primal_channels": 3, "dual_channels": 2, "filters": 6},
                 "data": {"scans": [
                            {"size": 12, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24, "detector_pixel_mm": 1.0, "views": 10},
                            {"size": 12, "voxel_mm": 1.5, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24, "detector_pixel_mm": 1.0, "views": 16},
                            {"size": 12, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24, "detector_pixel_mm": 1.0, "views": 10,
                             "detector_offset_mm": 6}],
                          "ellipsoids": 4, "noise_i0": 10000, "initialiser": "fdk"},
                 "optimiser": {"learning_rate": 3e-3}, "validation": {"samples": %d, "every": 100}}
                """.formatted(steps, validationSamples);
    }

    @Test
    void scansAreReadRoundTripAndRefusedWhereTheyCannotApply() {
        TrainingConfig c = TrainingConfig.parse(envelopeConfig(3, 0), "test");
        assertEquals(3, c.data().scans().size());
        assertEquals(6.0, c.data().scans().get(2).detectorOffsetMm());
        assertEquals(c, TrainingConfig.parse(c.toJsonText(), "round trip"));
        assertTrue(c.identity().getAsJsonObject("data").has("scans"));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> c.data().scan("the conditioned field"));
        assertTrue(one.getMessage().contains("the conditioned field needs one scan geometry (data.scan); this config lists 3"), one.getMessage());

        JsonObject single = TrainingConfig.parse(TrainerTest.tinyConfig(3, 1, 1e-3), "old").identity().getAsJsonObject("data");
        assertTrue(single.has("scan") && !single.has("scans") && !single.getAsJsonObject("scan").has("detector_offset_mm"),
                "a one-scan config without an offset keeps its identity: " + single);

        String both = envelopeConfig(3, 0).replace("\"data\": {\"scans\"", "\"data\": {\"scan\": {\"size\": 12, \"sod_mm\": 40, \"sdd_mm\": 70,"
                + " \"detector_cols\": 24, \"views\": 10}, \"scans\"");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(both, "t")).getMessage().contains("exclude each other"));
        String empty = "{\"name\": \"e\", \"steps\": 1, \"model\": {\"dimensions\": 2}, \"data\": {\"scans\": []}}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(empty, "t")).getMessage().contains("scans is empty"));
        String offAxis = envelopeConfig(3, 0).replace("\"detector_offset_mm\": 6", "\"detector_offset_mm\": 12");
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(offAxis, "t"));
        assertTrue(off.getMessage().contains("data.scans[2]: ") && off.getMessage().contains("under half the detector width (12.0 mm)"), off.getMessage());
        String shortArc = envelopeConfig(3, 0).replace("\"detector_offset_mm\": 6", "\"detector_offset_mm\": 6, \"arc_deg\": 200");
        IllegalArgumentException arc = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(shortArc, "t"));
        assertTrue(arc.getMessage().contains("needs a full 360° arc"), arc.getMessage());
        String condcbnt = """
                {"kind": "condcbnt", "name": "c", "field": {}, "data": %s}""".formatted(
                JsonParser.parseString(envelopeConfig(3, 0)).getAsJsonObject().get("data").toString());
        IllegalArgumentException field = assertThrows(IllegalArgumentException.class,
                () -> org.pdrecon.fields.ConditionedFieldTrainer.Config.parse(condcbnt, "t"));
        assertTrue(field.getMessage().contains("a conditioned field (kind \"condcbnt\") needs one scan geometry"), field.getMessage());
    }

    @Test
    void evaluationRefusesAModelTrainedOnADatasetAndAMultiScanModelAsOneScan() throws Exception {
        Path dataset = tmp.resolve("from-dataset");
        Files.createDirectories(dataset);
        Files.writeString(dataset.resolve(ModelFiles.CONFIG), "{\"training\": {\"name\": \"d\", \"steps\": 1, \"model\": {\"dimensions\": 2},"
                + " \"data\": {\"source\": \"dataset\", \"path\": \"somewhere\"}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> org.pdrecon.benchmark.ModelEvaluation.scans(dataset));
        assertTrue(e.getMessage().contains("was trained on a dataset on disk"), e.getMessage());
        Path multi = tmp.resolve("multi");
        Files.createDirectories(multi);
        Files.writeString(multi.resolve(ModelFiles.CONFIG), "{\"training\": " + TrainingConfig.parse(envelopeConfig(3, 0), "t").toJsonText() + "}");
        assertEquals(3, org.pdrecon.benchmark.ModelEvaluation.scans(multi).size());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> org.pdrecon.benchmark.ModelEvaluation.run(multi,
                org.pdrecon.reconstruct.Reconstructors.create("fdk", org.pdrecon.reconstruct.ReconstructionSettings.defaults()),
                new org.pdrecon.benchmark.ModelEvaluation.Settings(1, 5, 1, List.of(0.1), 1), null));
        assertTrue(one.getMessage().contains("was trained over 3 scans"), one.getMessage());
    }

    @Test
    void stepsGoRoundTheScansAndABatchSharesOne() {
        TrainingConfig c = TrainingConfig.parse(envelopeConfig(3, 0), "test");
        MultiScanTrainingData data = new MultiScanTrainingData(c.data(), c.batchSize(), c.seed());
        assertEquals(List.of(0, 0, 1, 1, 2, 2, 0, 0), java.util.stream.LongStream.range(0, 8).mapToObj(i -> data.scanOf(i)).toList());
        assertEquals(List.of(0, 1, 2, 0), java.util.stream.IntStream.range(0, 4).mapToObj(data::validationScanOf).toList());
        for (long i : new long[] {0, 2, 4, 5}) {
            ConeBeamGeometry g = data.geometries().get(data.scanOf(i));
            TrainingSample s = data.sample(i);
            assertEquals(g.views() * g.detectorCols(), s.projections().length, "sample " + i + " is simulated on its own scan");
        }
        assertEquals(16, data.sample(2).projections().length / 24);
        assertThrows(IllegalStateException.class, data::geometry);
        // with one scan the source is the one-scan source, sample for sample
        TrainingConfig one = TrainingConfig.parse(TrainerTest.tinyConfig(3, 1, 1e-3), "one");
        TrainingSample a = new MultiScanTrainingData(one.data(), 2, 7).sample(3), b = new SimulatedTrainingData(one.data(), 7).sample(3);
        assertTrue(java.util.Arrays.equals(a.projections(), b.projections()) && java.util.Arrays.equals(a.initial(), b.initial()));
    }

    @Test
    void aModelTrainedOverThreeScansLearnsStatesTheirRangeAndRefusesOutsideIt() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(envelopeConfig(30, 3), "test");
        // every step on the same two samples of its scan, so that the loss can only fall by learning them
        MultiScanTrainingData multi = new MultiScanTrainingData(cfg.data(), cfg.batchSize(), cfg.seed());
        TrainingSample[][] fixed = new TrainingSample[3][];
        for (int k = 0; k < 3; k++) fixed[k] = new TrainingSample[] {multi.sample(2L * k), multi.sample(2L * k + 1)};
        TrainingData repeated = new TrainingData() {
            @Override public ConeBeamGeometry geometry() { return multi.geometry(); }
            @Override public List<ConeBeamGeometry> geometries() { return multi.geometries(); }
            @Override public int scanOf(long index) { return multi.scanOf(index); }
            @Override public int validationScanOf(int i) { return multi.validationScanOf(i); }
            @Override public TrainingSample sample(long index) { return fixed[multi.scanOf(index)][(int) (index % 2)]; }
            @Override public TrainingSample validationSample(int i) { return multi.validationSample(i); }
        };
        List<Double> losses = new ArrayList<>();
        Path run = tmp.resolve("run");
        new PrimalDualTrainer(cfg, Device.cpu(), repeated, run).run(false, new TrainingListener() {
            @Override public void onStep(StepStats s) { losses.add(s.loss()); }
        });
        double first = losses.subList(0, 3).stream().mapToDouble(d -> d).sum(), last = losses.subList(27, 30).stream().mapToDouble(d -> d).sum();
        assertTrue(last < 0.6 * first, "summed loss over one round of the three scans: " + first + " → " + last + ": " + losses);
        List<String> rows = Files.readAllLines(run.resolve(PrimalDualTrainer.VALIDATION));
        assertEquals(3, rows.size(), "header, step 0 and the end: " + rows);

        JsonObject config = JsonParser.parseString(Files.readString(run.resolve("model").resolve(ModelFiles.CONFIG))).getAsJsonObject();
        JsonObject geometry = config.getAsJsonObject("envelope").getAsJsonObject("geometry");
        assertEquals("[10.0,16.0]", geometry.get("views").toString());
        assertEquals("[1.0,1.5]", geometry.get("voxel_mm").toString());
        assertEquals("[0.0,6.0]", geometry.get("detector_offset_mm").toString());
        assertEquals(3, config.getAsJsonArray("training_operator_norm").size(), "one ‖A‖ per scan");

        try (LearnedReconstructor model = LearnedReconstructor.load(run.resolve("model"), Device.cpu())) {
            for (int[] viewsAndOffset : new int[][] {{13, 0}, {12, 3}}) { // between the scans: inside the stated box
                ConeBeamGeometry g = scan(viewsAndOffset[0], 1.25, viewsAndOffset[1]);
                assertTrue(model.envelope().geometryViolations(g).isEmpty(), model.envelope().geometryViolations(g).toString());
                TrainingSample s = new SimulatedTrainingData(cfg.data(), new TrainingConfig.ScanConfig(12, 12, 1, 1.25, 40, 70, 1, 24, 1.0,
                        viewsAndOffset[0], 360, viewsAndOffset[1]), 99).sample(0);
                var v = model.reconstruct(new ProjectionStack(g.views(), 1, 24, s.projections()), g);
                assertEquals(144, v.data().length);
            }
            IllegalArgumentException views = assertThrows(IllegalArgumentException.class,
                    () -> model.reconstruct(ProjectionStack.zeros(20, 1, 24), scan(20, 1.0, 0)));
            assertTrue(views.getMessage().contains("outside what model model was trained on: views 20 (model: 10–16)"), views.getMessage());
            IllegalArgumentException voxel = assertThrows(IllegalArgumentException.class,
                    () -> model.reconstruct(ProjectionStack.zeros(10, 1, 24), scan(10, 2.0, 0)));
            assertTrue(voxel.getMessage().contains("voxel_mm 2 (model: 1–1.5)"), voxel.getMessage());
            IllegalArgumentException fan = assertThrows(IllegalArgumentException.class,
                    () -> model.reconstruct(ProjectionStack.zeros(10, 1, 24), scan(10, 1.0, 9)));
            assertTrue(fan.getMessage().contains("detector_offset_mm 9 (model: 0–6)"), fan.getMessage());
            IllegalArgumentException mirrored = assertThrows(IllegalArgumentException.class,
                    () -> model.reconstruct(ProjectionStack.zeros(10, 1, 24), scan(10, 1.0, -6)));
            assertTrue(mirrored.getMessage().contains("detector_offset_mm -6 (model: 0–6)"), mirrored.getMessage());
        }

        // `evaluate` scores the model on each of its scans and tabulates them
        Path out = tmp.resolve("evaluate");
        var r = org.pdrecon.cli.CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--phantoms", "2", "--tuning-phantoms", "1",
                "--tv-lambdas", "0.1", "--tv-iterations", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> table = Files.readAllLines(out.resolve("envelope.md"));
        assertEquals(List.of("| 1 | 10 | 1.00 | full | 24 × 1.00, 0.0 |", "| 2 | 16 | 1.50 | full | 24 × 1.00, 0.0 |",
                "| 3 | 10 | 1.00 | half | 24 × 1.00, 6.0 |"),
                table.stream().filter(l -> l.matches("\\| \\d+ .*")).map(l -> l.substring(0, l.indexOf(" |", l.indexOf(" × ")) + 2)).toList(),
                String.join("\n", table));
        for (int k = 1; k <= 3; k++) assertTrue(Files.exists(out.resolve("scan-" + k).resolve("evaluation.csv")));

        // an envelope restricted after training (here to the full fans): the scans it no longer covers are named, not run
        Path cfgFile = run.resolve("model").resolve(ModelFiles.CONFIG);
        JsonObject restricted = JsonParser.parseString(Files.readString(cfgFile)).getAsJsonObject();
        restricted.getAsJsonObject("envelope").getAsJsonObject("geometry").add("detector_offset_mm", JsonParser.parseString("[0.0, 0.0]"));
        Files.writeString(cfgFile, restricted.toString());
        Path out2 = tmp.resolve("evaluate-restricted");
        r = org.pdrecon.cli.CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--phantoms", "1", "--tuning-phantoms", "1",
                "--tv-lambdas", "0.1", "--tv-iterations", "2", "--out", out2.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out2.resolve("envelope.md"));
        assertTrue(md.contains("| 1 | 10 |") && md.contains("| 2 | 16 |") && !md.contains("| 3 | 10 |"), md);
        assertTrue(md.contains("scan 3: outside the model's envelope (detector_offset_mm 6 (model: 0)), not scored"), md);
    }

    @Test
    void envelopesWrittenBeforeTheOffsetStateACentredDetector() {
        ModelEnvelope shipped;
        try {
            shipped = ModelEnvelope.fromJson(JsonParser.parseString(Files.readString(Path.of("models/lpd-cone/config.json"))).getAsJsonObject());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        ConeBeamGeometry halfFan = ConeBeamGeometry.circular().setVolume(new org.pdrecon.geometry.VolumeGrid(48, 48, 48, 4, 4, 4, new double[3]))
                .setSodMm(1000).setSddMm(1500).setDetector(48, 48, 8, 8).optDetectorOffsetMm(100, 0)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(32, 0, 360)).build();
        assertEquals(List.of("detector_offset_mm 100 (model: 0)"), shipped.geometryViolations(halfFan));
        assertFalse(shipped.describeForCard().isEmpty());
    }

    @Test
    void theShippedEnvelopeModelTakesEveryTrainingScanAndRefusesBeyondThem() throws Exception {
        JsonObject config = JsonParser.parseString(Files.readString(Path.of("models/lpd-envelope/config.json"))).getAsJsonObject();
        ModelEnvelope e = ModelEnvelope.fromJson(config);
        List<TrainingConfig.ScanConfig> scans = TrainingConfig.parse(config.get("training").toString(), "lpd-envelope").data().scans();
        assertEquals(12, scans.size());
        assertEquals(6, scans.stream().filter(s -> s.detectorOffsetMm() != 0).count(), "six half fans");
        for (TrainingConfig.ScanConfig s : scans) assertTrue(e.geometryViolations(s.geometry()).isEmpty(), s + ": " + e.geometryViolations(s.geometry()));
        TrainingConfig.ScanConfig halfFan = scans.stream().filter(s -> s.detectorOffsetMm() == 18).findFirst().orElseThrow();
        TrainingConfig.ScanConfig wider = new TrainingConfig.ScanConfig(halfFan.nx(), halfFan.ny(), halfFan.nz(), halfFan.voxelMm(),
                halfFan.sodMm(), halfFan.sddMm(), halfFan.detectorRows(), halfFan.detectorCols(), halfFan.detectorPixelMm(), 900,
                halfFan.arcDeg(), 24);
        List<String> outside = e.geometryViolations(wider.geometry());
        assertTrue(outside.stream().anyMatch(v -> v.startsWith("detector_offset_mm 24")), outside.toString());
        assertTrue(outside.stream().anyMatch(v -> v.startsWith("views 900")), outside.toString());
    }

    private static ConeBeamGeometry scan(int views, double voxel, double offset) {
        return new TrainingConfig.ScanConfig(12, 12, 1, voxel, 40, 70, 1, 24, 1.0, views, 360, offset).geometry();
    }
}
