package org.pdrecon.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.io.Previews;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.Masks;
import org.pdrecon.metrics.MetricValues;
import org.pdrecon.reconstruct.ReconstructionSettings;
import org.pdrecon.reconstruct.Reconstructor;
import org.pdrecon.reconstruct.Reconstructors;
import org.pdrecon.training.SimulatedTrainingData;
import org.pdrecon.training.TrainingConfig;
import org.pdrecon.training.TrainingSample;

/**
 * Scores a trained model against FDK and TV on held-out phantoms drawn like its training data (same
 * geometry, phantom family, noise), the way a model card's table is made:
 * <ol>
 *   <li>TV's λ is chosen from a grid by mean PSNR on the training run's validation samples, which
 *       training never uses as examples and which are not the test phantoms (a grid of one λ is
 *       used as given);</li>
 *   <li>the test phantoms come from another seed ({@code testSeed}, which must differ from the
 *       training seed), and each is reconstructed by FDK (Ram-Lak), TV with the chosen λ and the model.</li>
 * </ol>
 * Metrics: PSNR and SSIM inside the disc (2D) or cylinder (3D) the scan covers ({@link Masks#scannedCylinder}: the
 * fully seen one unless half fan), range = max − min of the
 * truth there ({@link ImageMetrics}), as in training's validation. Seconds are wall time of one
 * reconstruction call, including the model's own FDK initialisation and ‖A‖ estimate.
 */
public final class ModelEvaluation {
    private ModelEvaluation() {}

    /**
     * @param phantoms number of test phantoms
     * @param testSeed seed of the test phantoms and their noise; must differ from the training seed
     * @param tuningPhantoms validation samples used to choose λ
     * @param tvLambdas the λ grid
     * @param tvIterations TV iterations (from zero, μ ≥ 0)
     */
    public record Settings(int phantoms, long testSeed, int tuningPhantoms, List<Double> tvLambdas, int tvIterations) {
        public Settings {
            if (phantoms < 1) throw new IllegalArgumentException("need at least 1 test phantom, got " + phantoms);
            if (tuningPhantoms < 1) throw new IllegalArgumentException("need at least 1 tuning phantom, got " + tuningPhantoms);
            if (tvLambdas == null || tvLambdas.isEmpty()) throw new IllegalArgumentException("the TV λ grid is empty");
            for (double l : tvLambdas) if (!(l >= 0) || !Double.isFinite(l)) throw new IllegalArgumentException("TV λ must be ≥ 0, got " + l);
            if (tvIterations < 1) throw new IllegalArgumentException("TV needs at least 1 iteration, got " + tvIterations);
            tvLambdas = List.copyOf(tvLambdas);
        }
    }

    /** One reconstruction of one test phantom. */
    public record Score(int phantom, String method, double psnrDb, double ssim, double seconds) {}

    /** Mean PSNR on the tuning samples for each λ tried (none when a single λ was given). */
    public record Tuning(Map<Double, Double> meanPsnrByLambda, double bestLambda) {}

    /** Everything measured, with the first test phantom's volumes for a figure. */
    public record Report(String model, String scan, Settings settings, Tuning tuning, List<Score> scores,
                         List<Volume> firstPhantom, List<String> firstPhantomLabels) {
        /** The methods in the order they ran. */
        public List<String> methods() {
            return scores.stream().map(Score::method).distinct().toList();
        }

        /** PSNR or SSIM of {@code method} per phantom, in phantom order. */
        public double[] values(String method, boolean psnr) {
            return scores.stream().filter(s -> s.method().equals(method)).mapToDouble(s -> psnr ? s.psnrDb() : s.ssim()).toArray();
        }

        double[] seconds(String method) {
            return scores.stream().filter(s -> s.method().equals(method)).mapToDouble(Score::seconds).toArray();
        }

        /** The report as Markdown: the tuning, the table of means, and the model's paired gains. */
        public String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("model: ").append(model).append("\n\nscan: ").append(scan).append('\n');
            b.append(String.format(Locale.ROOT, "%n%d test phantoms (seed %d); TV %d iterations, ", settings.phantoms(), settings.testSeed(),
                    settings.tvIterations()));
            if (tuning.meanPsnrByLambda().isEmpty()) {
                b.append(String.format(Locale.ROOT, "λ %.3g as given (not tuned)%n%n", tuning.bestLambda()));
            } else {
                b.append(String.format(Locale.ROOT, "λ chosen on %d validation samples:", settings.tuningPhantoms()));
                tuning.meanPsnrByLambda().forEach((l, p) -> b.append(String.format(Locale.ROOT, " λ %.3g → %.2f dB;", l, p)));
                b.append(String.format(Locale.ROOT, " chosen λ %.3g%n%n", tuning.bestLambda()));
            }
            b.append("| method | PSNR (dB), mean ± sd | SSIM, mean ± sd | median seconds |\n|---|---|---|---|\n");
            for (String m : methods()) {
                double[] p = values(m, true), s = values(m, false);
                b.append(String.format(Locale.ROOT, "| %s | %.2f ± %.2f | %.4f ± %.4f | %.2f |%n", m, mean(p), sd(p), mean(s), sd(s),
                        median(seconds(m))));
            }
            List<String> ms = methods();
            String model = ms.get(ms.size() - 1);
            b.append('\n');
            for (String other : ms.subList(0, ms.size() - 1)) {
                double[] d = difference(values(model, true), values(other, true));
                long wins = Arrays.stream(d).filter(x -> x > 0).count();
                b.append(String.format(Locale.ROOT, "model − %s: PSNR %+.2f dB on average (min %+.2f, max %+.2f); better on %d of %d phantoms%n",
                        other, mean(d), Arrays.stream(d).min().orElse(Double.NaN), Arrays.stream(d).max().orElse(Double.NaN), wins, d.length));
            }
            return b.toString();
        }

        /** The first test phantom: truth and every method side by side, over the truth's full range. */
        public java.awt.image.BufferedImage figure() {
            return ComparisonFigure.of(firstPhantom, firstPhantomLabels, Previews.percentileWindow(firstPhantom.get(0).data(), 0, 100));
        }

        /** One row per reconstruction: {@code phantom,method,psnr_db,ssim,seconds}. */
        public String csv() {
            StringBuilder b = new StringBuilder("phantom,method,psnr_db,ssim,seconds\n");
            for (Score s : scores) {
                b.append(String.format(Locale.ROOT, "%d,%s,%.4f,%.5f,%.3f%n", s.phantom(), s.method(), s.psnrDb(), s.ssim(), s.seconds()));
            }
            return b.toString();
        }
    }

    /**
     * Runs the evaluation of the model in {@code modelDir} with {@code model} as its reconstructor
     * (loaded by the caller, who owns its resources).
     *
     * @param progress told {@code (done, total)} over tuning and test reconstructions
     */
    public static Report run(Path modelDir, Reconstructor model, Settings s, Reconstructor.Progress progress) throws IOException {
        int n = scans(modelDir).size();
        if (n != 1) throw new IllegalArgumentException(modelDir + " was trained over " + n + " scans (data.scans): evaluate each, scan by scan");
        return run(modelDir, model, s, 0, progress);
    }

    /** The training scans of the model in {@code modelDir}: one, or those of its {@code data.scans}; a model trained on a dataset is refused. */
    public static List<TrainingConfig.ScanConfig> scans(Path modelDir) throws IOException {
        TrainingConfig training = trainingConfig(modelDir);
        if (!"simulated".equals(training.data().source())) {
            throw new IllegalArgumentException(modelDir + " was trained on a dataset on disk; evaluation simulates like the training data and needs a simulated source");
        }
        return training.data().scans();
    }

    /**
     * {@link #run(Path, Reconstructor, Settings, Reconstructor.Progress)} on training scan {@code scan} of a model trained
     * over several ({@code data.scans}); phantoms, noise and initialiser as in training.
     */
    public static Report run(Path modelDir, Reconstructor model, Settings s, int scan, Reconstructor.Progress progress) throws IOException {
        Objects.requireNonNull(model, "model");
        TrainingConfig training = trainingConfig(modelDir);
        if (!"simulated".equals(training.data().source())) {
            throw new IllegalArgumentException(modelDir + " was trained on a dataset on disk; evaluation simulates like the training data and needs a simulated source");
        }
        if (s.testSeed() == training.seed()) {
            throw new IllegalArgumentException("the test seed " + s.testSeed() + " is the training seed: choose another so the test phantoms are held out");
        }
        List<TrainingConfig.ScanConfig> scans = training.data().scans();
        if (scan < 0 || scan >= scans.size()) {
            throw new IllegalArgumentException("scan index " + scan + " (0-based) of a model trained on " + scans.size() + " scans");
        }
        SimulatedTrainingData validation = new SimulatedTrainingData(training.data(), scans.get(scan), training.seed());
        SimulatedTrainingData test = new SimulatedTrainingData(training.data(), scans.get(scan), s.testSeed());
        ConeBeamGeometry g = test.geometry();
        Mask mask = Masks.scannedCylinder(g);
        Reconstructor.Progress p = progress != null ? progress : Reconstructor.Progress.NONE;
        int total = (s.tvLambdas().size() == 1 ? 0 : s.tuningPhantoms() * s.tvLambdas().size()) + 3 * s.phantoms();
        int done = 0;

        Map<Double, Double> byLambda = new LinkedHashMap<>();
        double best = s.tvLambdas().get(0), bestPsnr = Double.NEGATIVE_INFINITY;
        for (double lambda : s.tvLambdas().size() == 1 ? List.<Double>of() : s.tvLambdas()) { // one λ: nothing to choose
            Reconstructor tv = tv(lambda, s.tvIterations());
            double sum = 0;
            for (int i = 0; i < s.tuningPhantoms(); i++) {
                TrainingSample v = validation.validationSample(i);
                Volume truth = new Volume(g.volume(), v.target());
                sum += ImageMetrics.compare(truth, tv.reconstruct(stack(g, v), g, Reconstructor.Progress.NONE), mask).psnrDb();
                p.update(++done, total);
            }
            double meanPsnr = sum / s.tuningPhantoms();
            byLambda.put(lambda, meanPsnr);
            if (meanPsnr > bestPsnr) {
                bestPsnr = meanPsnr;
                best = lambda;
            }
        }

        Reconstructor fdk = Reconstructors.create("fdk", ReconstructionSettings.defaults());
        Reconstructor tv = tv(best, s.tvIterations());
        List<Reconstructor> methods = List.of(fdk, tv, model);
        List<String> names = List.of("FDK", String.format(Locale.ROOT, "TV λ %.3g", best), training.name());
        List<Score> scores = new ArrayList<>();
        List<Volume> first = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < s.phantoms(); i++) {
            TrainingSample t = test.sample(i);
            Volume truth = new Volume(g.volume(), t.target());
            ProjectionStack y = stack(g, t);
            if (i == 0) {
                first.add(truth);
                labels.add("ground truth");
            }
            for (int k = 0; k < methods.size(); k++) {
                Reconstructor m = methods.get(k);
                long t0 = System.nanoTime();
                Volume v = m.reconstruct(y, g, Reconstructor.Progress.NONE);
                double seconds = (System.nanoTime() - t0) * 1e-9;
                MetricValues mv = ImageMetrics.compare(truth, v, mask);
                scores.add(new Score(i, names.get(k), mv.psnrDb(), mv.ssim(), seconds));
                if (i == 0) {
                    first.add(v);
                    labels.add(String.format(Locale.ROOT, "%s: %.2f dB, SSIM %.3f", names.get(k), mv.psnrDb(), mv.ssim()));
                }
                p.update(++done, total);
            }
        }
        return new Report(training.name() + " (" + modelDir + ")", describe(training, scans.get(scan)), s, new Tuning(byLambda, best), scores, first,
                labels);
    }

    /** The training config stored in a model's {@code config.json}. */
    static TrainingConfig trainingConfig(Path modelDir) throws IOException {
        Path file = modelDir.resolve(ModelFiles.CONFIG);
        if (!Files.exists(file)) throw new IOException("no " + ModelFiles.CONFIG + " in " + modelDir + ": not a model directory");
        JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        if (!root.has("training")) {
            throw new IllegalArgumentException(file + " has no \"training\" section, so the data the model was trained on is unknown");
        }
        return TrainingConfig.parse(root.get("training").toString(), file + " (training)");
    }

    private static String describe(TrainingConfig c, TrainingConfig.ScanConfig sc) {
        ConeBeamGeometry g = sc.geometry();
        var v = g.volume();
        String phantoms = c.data().phantom().equals("ellipsoids") ? c.data().ellipsoids() + " random ellipsoids" : c.data().phantom() + " phantoms";
        return String.format(Locale.ROOT, "%s%d×%d%s voxels of %.2f mm, %d views over %.0f°, SOD %.0f mm, SDD %.0f mm, detector %d×%d of %.2f mm, %s,"
                        + " %s, Poisson I0 %.3g",
                v.nz() == 1 ? "2D fan-beam, " : "3D cone-beam, ", v.nx(), v.ny(), v.nz() == 1 ? "" : "×" + v.nz(), v.dxMm(), g.views(),
                sc.arcDeg(), sc.sodMm(), sc.sddMm(), g.detectorRows(), g.detectorCols(), sc.detectorPixelMm(),
                fan(sc) + " fan" + (sc.detectorOffsetMm() == 0 ? "" : String.format(Locale.ROOT, " (detector offset %.1f mm)", sc.detectorOffsetMm())),
                phantoms, c.data().noiseI0());
    }

    /**
     * One row per training scan of a model trained over several: the scan (views, voxel, fan) and each method's mean
     * PSNR and SSIM there, with the model's mean gain over FDK; the envelope table of docs/learned.md. A {@code null}
     * report (a scan not scored) leaves its row out.
     */
    public static String envelopeMarkdown(List<TrainingConfig.ScanConfig> scans, List<Report> reports) {
        if (scans.size() != reports.size()) throw new IllegalArgumentException(scans.size() + " scans, " + reports.size() + " reports");
        StringBuilder b = new StringBuilder("| scan | views | voxel (mm) | fan | detector cols × pixel (mm), offset (mm) | FDK PSNR (dB) / SSIM |"
                + " TV PSNR (dB) / SSIM (λ) | model PSNR (dB) / SSIM | model − FDK (dB) |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int k = 0; k < scans.size(); k++) {
            TrainingConfig.ScanConfig sc = scans.get(k);
            Report r = reports.get(k);
            if (r == null) continue;
            List<String> m = r.methods(); // FDK, TV λ …, the model: the order run() scores them in
            b.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %s | %d × %.2f, %.1f |", k + 1, sc.views(), sc.voxelMm(), fan(sc), sc.detectorCols(),
                    sc.detectorPixelMm(), sc.detectorOffsetMm()));
            b.append(String.format(Locale.ROOT, " %.2f / %.3f |", mean(r.values(m.get(0), true)), mean(r.values(m.get(0), false))));
            b.append(String.format(Locale.ROOT, " %.2f / %.3f (%.3g) |", mean(r.values(m.get(1), true)), mean(r.values(m.get(1), false)), r.tuning().bestLambda()));
            b.append(String.format(Locale.ROOT, " %.2f / %.3f |", mean(r.values(m.get(2), true)), mean(r.values(m.get(2), false))));
            b.append(String.format(Locale.ROOT, " %+.2f |%n", mean(difference(r.values(m.get(2), true), r.values(m.get(0), true)))));
        }
        return b.toString();
    }

    /** "half" when the detector is offset by more than a pixel (FDK's own threshold for Wang's weights), else "full". */
    static String fan(TrainingConfig.ScanConfig sc) {
        return Math.abs(sc.detectorOffsetMm()) > sc.detectorPixelMm() ? "half" : "full";
    }

    private static Reconstructor tv(double lambda, int iterations) {
        ReconstructionSettings d = ReconstructionSettings.defaults();
        return Reconstructors.create("tv", new ReconstructionSettings(d.filter(), d.cutoff(), iterations, lambda, d.relaxation(), 0, true));
    }

    private static ProjectionStack stack(ConeBeamGeometry g, TrainingSample t) {
        return new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), t.projections());
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    static double sd(double[] x) {
        if (x.length < 2) return 0;
        double m = mean(x), ss = 0;
        for (double v : x) ss += (v - m) * (v - m);
        return Math.sqrt(ss / (x.length - 1));
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }
}
