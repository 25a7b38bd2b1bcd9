package org.pdrecon.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FDK;
import org.pdrecon.io.MetaImage;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Masks;
import org.pdrecon.training.PrimalDualTrainer;
import org.pdrecon.training.SimulatedTrainingData;
import org.pdrecon.training.TrainerTest;
import org.pdrecon.training.TrainingConfig;
import org.pdrecon.training.TrainingSample;

/** The benchmark grid end to end on a tiny 2D scan, with a tiny trained model among the methods. */
class BenchmarkRunTest {
    @TempDir
    static Path tmp;
    static Path model;
    static String text;
    static BenchmarkConfig config;
    static BenchmarkResults results;
    static Path out;

    /** The tiny model's scan (12² voxels, 24 detector pixels), 10 and 20 views, noise-free and I0 1e4. */
    static String config(String name, String modelPath, String extraMethod) {
        return """
                {"name": "%s", "volumes": 2, "seed": 31,
                 "scan": {"size": 12, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24, "detector_pixel_mm": 1.0},
                 "ellipsoids": 4, "views": [10, 20], "noise_i0": [0, 10000],
                 "figure": {"views": 10, "noise_i0": 10000},
                 "methods": [{"method": "fdk"}, {"method": "sirt", "iterations": 10},
                             {"model": "%s", "label": "tiny-lpd", "curves": "%s", "cells": [{"views": 10, "noise_i0": 10000}]},
                             {"method": "tv", "lambda": [0.0001, 0.01], "iterations": 15, "cells": [{"views": 20, "noise_i0": 10000}]}%s]}
                """.formatted(name, modelPath, Path.of(modelPath).resolveSibling("curves.png"), extraMethod);
    }

    @BeforeAll
    static void trainATinyModelAndRunTheGrid() throws Exception {
        new PrimalDualTrainer(TrainingConfig.parse(TrainerTest.tinyConfig(2, 2, 1e-3), "test"), Device.cpu(), null, tmp.resolve("run")).run(false, null);
        model = tmp.resolve("run/model");
        text = config("tiny-grid", model.toString(), "");
        config = BenchmarkConfig.parse(text, "test");
        out = tmp.resolve("out");
        results = BenchmarkRun.run(config, text, out, BenchmarkRun.Listener.NONE);
    }

    @Test
    void everyMethodRunsOnItsCellsAndTheFilesAreWritten() throws Exception {
        // fdk and sirt on 4 cells, the model and tv on 1, 2 volumes each
        assertEquals((4 + 4 + 1 + 1) * 2, results.rows().size());
        for (String f : List.of("results.csv", "results.json", "table.md", "report.html")) assertTrue(Files.size(out.resolve(f)) > 0, f);
        assertEquals(1 + results.rows().size(), Files.readAllLines(out.resolve("results.csv")).size());
        String table = Files.readString(out.resolve("table.md"));
        assertTrue(table.contains("| tiny-lpd | — |"), table); // not run on the noise-free 10-view cell
        for (BenchmarkResults.Row r : results.rows()) {
            assertTrue(Double.isFinite(r.psnrDb()) && r.psnrDb() > 5, r.toString());
            assertTrue(r.seconds() > 0, r.toString());
        }
    }

    @Test
    void aRowIsTheMethodsScoreOnTheStoredScanAndTheSamePhantomsAreInEveryCell() throws Exception {
        BenchmarkFolder folder = new BenchmarkFolder(out);
        BenchmarkCell noisy = new BenchmarkCell(20, 10000);
        Volume truth = MetaImage.readVolume(folder.truth(noisy, 1));
        var g = config.scan().withViews(20).geometry();
        Volume fdk = new FDK().reconstruct(MetaImage.readProjections(folder.projections(noisy, 1)), g);
        double expected = ImageMetrics.compare(truth, fdk, Masks.fullySeenCylinder(g)).psnrDb();
        double row = results.values(noisy, "fdk", "psnr")[1];
        assertEquals(expected, row, 1e-3);
        // the stored phantom is the simulator's, and every cell holds the same one
        TrainingSample s = new SimulatedTrainingData(config.data(noisy), config.seed()).sample(1);
        assertEquals(List.of(s.target().length), List.of(truth.data().length));
        for (int i = 0; i < s.target().length; i++) assertEquals(s.target()[i], truth.data()[i]);
        for (BenchmarkCell c : config.cells()) {
            float[] other = MetaImage.readVolume(folder.truth(c, 1)).data();
            for (int i = 0; i < other.length; i++) assertEquals(truth.data()[i], other[i]);
        }
    }

    @Test
    void aLambdaGridIsTunedPerCellOnPhantomsThatAreNotTestPhantoms() throws Exception {
        BenchmarkFolder folder = new BenchmarkFolder(out);
        BenchmarkCell tuned = new BenchmarkCell(20, 10000);
        assertTrue(Files.exists(folder.truth(tuned, 3)) && !Files.exists(folder.truth(tuned, 4)), "2 test + 2 tuning phantoms");
        assertFalse(Files.exists(folder.truth(new BenchmarkCell(20, 0), 2)), "no tuning phantoms where no method tunes");
        String d = results.facts(tuned, "tv").describe();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("phantoms: 0\\.000100 → ([0-9.]+) dB; 0\\.0100 → ([0-9.]+) dB; chosen λ ([0-9.]+)").matcher(d);
        assertTrue(m.find(), d);
        double small = Double.parseDouble(m.group(1)), large = Double.parseDouble(m.group(2));
        assertEquals(small > large ? 0.0001 : 0.01, Double.parseDouble(m.group(3)), 1e-9, d);
        assertTrue(d.contains(String.format(java.util.Locale.ROOT, "λ %.3g", Double.parseDouble(m.group(3)))), "the test rows used the chosen λ: " + d);
    }

    @Test
    void aScanOutsideTheModelsAttenuationEnvelopeIsARefusedRowAndTheGridGoesOn() throws Exception {
        // I0 = 1: the start from such data has an attenuation scale outside the range of the model (trained at I0 = 1e4)
        String noisy = """
                {"name": "refusals", "volumes": 2, "seed": 31,
                 "scan": {"size": 12, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24, "detector_pixel_mm": 1.0},
                 "ellipsoids": 4, "views": [10], "noise_i0": [1],
                 "methods": [{"method": "fdk"}, {"model": "%s", "label": "tiny-lpd"}]}
                """.formatted(model);
        BenchmarkConfig c = BenchmarkConfig.parse(noisy, "test");
        Path dir = tmp.resolve("refusals");
        BenchmarkResults r = BenchmarkRun.run(c, noisy, dir, BenchmarkRun.Listener.NONE);
        BenchmarkCell cell = c.cells().get(0);
        assertEquals(2, r.refused(cell, "tiny-lpd"), Files.readString(dir.resolve("results.csv")));
        assertEquals(2, r.values(cell, "fdk", "psnr").length, "the other methods of the cell are scored");
        assertEquals(2, r.facts(cell, "tiny-lpd").refusals().size());
        assertTrue(r.facts(cell, "tiny-lpd").refusals().get(0).contains("attenuation scale"), r.facts(cell, "tiny-lpd").refusals().toString());
        assertTrue(Files.readString(dir.resolve("table.md")).contains("refused all 2 scans (outside the model's envelope)"));
        var json = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject(); // strict JSON: no NaN
        assertTrue(json.getAsJsonArray("rows").asList().stream().anyMatch(e -> e.getAsJsonObject().has("refused")));
    }

    @Test
    void eachWorkerMeasuredItsPeakMemoryAndThreads() {
        for (BenchmarkCell c : config.cells()) {
            BenchmarkResults.Facts f = results.facts(c, "sirt");
            assertTrue(f.peakRssMib() >= f.baselineRssMib() && f.baselineRssMib() > 10, f.toString());
            assertTrue(f.heapPeakMib() > 0 && f.javaThreads() >= 1 && f.torchThreads() >= 1, f.toString());
        }
        BenchmarkResults.Facts lpd = results.facts(new BenchmarkCell(10, 10000), "tiny-lpd");
        assertTrue(lpd.describe().contains("learned primal-dual"), lpd.describe());
    }

    @Test
    void aRerunResumesAndRedoesOnlyWhatIsMissing() throws Exception {
        Path copy = tmp.resolve("resume");
        copyTree(out, copy);
        BenchmarkFolder folder = new BenchmarkFolder(copy);
        BenchmarkMethod sirt = config.method("sirt");
        BenchmarkCell cell = new BenchmarkCell(20, 0);
        Path rows = folder.rows(cell, sirt);
        List<String> lines = Files.readAllLines(rows);
        Files.write(rows, lines.subList(0, 2)); // header and volume 0: volume 1 is "missing"
        long before = Files.getLastModifiedTime(folder.rows(cell, config.method("fdk"))).toMillis();
        Thread.sleep(20);
        BenchmarkResults again = BenchmarkRun.run(config, text, copy, BenchmarkRun.Listener.NONE);
        assertEquals(results.rows().size(), again.rows().size());
        assertEquals(withoutSeconds(lines), withoutSeconds(Files.readAllLines(rows)), "volume 1 redone with the same scores (seconds aside)");
        assertEquals(before, Files.getLastModifiedTime(folder.rows(cell, config.method("fdk"))).toMillis(), "finished cells were not rerun");
    }

    @Test
    void badInputIsRefusedInOneLineBeforeAnyWork() throws Exception {
        Path fresh = tmp.resolve("refused");
        // another config into a used folder
        String other = config("other", model.toString(), "");
        var e = assertThrows(IllegalArgumentException.class, () -> BenchmarkRun.check(BenchmarkConfig.parse(other, "t"), other, out));
        assertTrue(e.getMessage().contains("another config"), e.getMessage());
        // a model on a cell outside its envelope (it was trained on 10 views)
        String outside = config("outside", model.toString(), "").replace("\"cells\": [{\"views\": 10, \"noise_i0\": 10000}]", "\"cells\": [{\"views\": 20, \"noise_i0\": 0}]");
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkRun.check(BenchmarkConfig.parse(outside, "t"), outside, fresh));
        assertTrue(e.getMessage().contains("outside the model's envelope") && e.getMessage().contains("views 20"), e.getMessage());
        // not a model folder
        String missing = config("missing", tmp.resolve("nothing").toString(), "");
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkRun.check(BenchmarkConfig.parse(missing, "t"), missing, fresh));
        assertTrue(e.getMessage().contains("not a model folder"), e.getMessage());
        // the model's training seed as the benchmark's: its phantoms would not be held out
        String sameSeed = config("seed", model.toString(), "").replace("\"seed\": 31", "\"seed\": 7");
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkRun.check(BenchmarkConfig.parse(sameSeed, "t"), sameSeed, fresh));
        assertTrue(e.getMessage().contains("held out"), e.getMessage());
        // an unknown method, an unknown key, a cell outside the grid
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkConfig.parse(config("u", model.toString(), ", {\"method\": \"magic\"}"), "t"));
        assertTrue(e.getMessage().contains("unknown method \"magic\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkConfig.parse(config("k", model.toString(), ", {\"method\": \"tv\", \"lamda\": 1}"), "t"));
        assertTrue(e.getMessage().contains("lamda"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkConfig.parse(config("c", model.toString(), "").replace("\"cells\": [{\"views\": 10", "\"cells\": [{\"views\": 11"), "t"));
        assertTrue(e.getMessage().contains("not in the grid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkConfig.parse(config("h", model.toString(), "")
                .replace("\"detector_pixel_mm\": 1.0}", "\"detector_pixel_mm\": 1.0, \"detector_offset_mm\": 6}"), "t"));
        assertTrue(e.getMessage().contains("benchmark scans are full fan"), e.getMessage());
        // an output folder that cannot be written
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        e = assertThrows(IllegalArgumentException.class, () -> BenchmarkRun.check(config, text, file.resolve("out")));
        assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
        assertFalse(Files.exists(fresh.resolve("scans")), "nothing was simulated for refused configs");
    }

    @Test
    void theReportRendersInAHeadlessBrowserWithItsTableAndEveryPicture() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            assertFalse("true".equals(System.getenv("CI")), "CI must have chromium (.ci/install-browser.sh)");
            Assumptions.assumeTrue(false, "chromium is not installed");
        }
        Path html = out.resolve("report.html");
        String page = Files.readString(html);
        int pictures = page.split("<img ", -1).length - 1;
        assertEquals(5, pictures, "box plots, scatter, slices, differences, training curves");
        List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + tmp.resolve("chrome"));
        String dom = run(concat(common, "--dump-dom", html.toUri().toString()));
        java.util.regex.Matcher body = java.util.regex.Pattern.compile("<body data-figures-loaded=\"(\\d+)\" data-table-rows=\"(\\d+)\">").matcher(dom);
        assertTrue(body.find(), "the page's script ran: " + dom.substring(0, Math.min(400, dom.length())));
        assertEquals(pictures, Integer.parseInt(body.group(1)), "every embedded picture decoded in the browser");
        assertEquals(config.methods().size(), Integer.parseInt(body.group(2)), "one table row per method");
        assertTrue(dom.contains("<th>20 views, I0 1e4</th>") && dom.contains("<td>tiny-lpd</td>"), "the rendered table names cells and methods");
        Path shot = tmp.resolve("report.png");
        run(concat(common, "--screenshot=" + shot, "--window-size=1200,2400", html.toUri().toString()));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(shot.toFile());
        assertEquals(1200, png.getWidth());
        long dark = 0;
        for (int y = 0; y < png.getHeight(); y += 4) for (int x = 0; x < png.getWidth(); x += 4) if ((png.getRGB(x, y) & 0xff) < 64) dark++;
        assertTrue(dark > 2000, "the screenshot shows text and the (dark) slice figures, not a blank page: " + dark + " dark samples");
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    /** Runs a command, returning its standard output; fails on a non-zero exit or after two minutes. */
    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "chromium timed out");
        assertEquals(0, p.exitValue(), "chromium failed: " + command);
        return stdout;
    }

    private static List<String> withoutSeconds(List<String> rows) {
        return rows.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        Files.writeString(to.resolve("config.json"), Files.readString(from.resolve("config.json"), StandardCharsets.UTF_8));
    }
}
