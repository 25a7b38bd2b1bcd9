package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.benchmark.BaselineFigures;
import org.pdrecon.benchmark.ComparisonFigure;
import org.pdrecon.benchmark.MethodComparison;
import org.pdrecon.benchmark.ModelEvaluation;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.metrics.Mask;
import org.pdrecon.reconstruct.ReconstructionSettings;
import org.pdrecon.reconstruct.Reconstructor;
import org.pdrecon.reconstruct.Reconstructors;
import org.pdrecon.simulation.NoiseModel;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.RandomEllipsoids;
import org.pdrecon.simulation.ScanSimulator;
import org.pdrecon.simulation.SimulatedScan;
import org.pdrecon.reconstruct.LearnedReconstructor;
import org.pdrecon.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdrecon demo}: the main job on built-in defaults. Simulates a held-out random-ellipsoid scan
 * (sparse, noisy views), reconstructs it with every baseline, prints a PSNR/SSIM/time table and writes
 * the volumes, previews and a comparison figure; then does the same for each shipped learned model on a
 * held-out scan of the geometry it was trained for.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulate a held-out phantom scan (random ellipsoids, sparse noisy cone-beam views), reconstruct"
                + " it with FDK, SIRT, CGLS and TV, and print a PSNR/SSIM/time table; then, for each shipped model, a held-out"
                + " scan of the model's own geometry with FDK, TV and the model. Writes volumes, previews and comparison"
                + " figures to the output directory.")
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "out/demo",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--size", paramLabel = "N", defaultValue = "64", description = "voxels per side of the 256 mm cube (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--views", paramLabel = "V", defaultValue = "60", description = "views over 360° (default: ${DEFAULT-VALUE})")
    int views;

    @Option(names = "--i0", paramLabel = "PHOTONS", defaultValue = "1e4", description = "photons per pixel, Poisson noise (default: ${DEFAULT-VALUE})")
    double i0;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1000",
            description = "phantom and noise seed; the training configs never use seeds ≥ 1000 (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--methods", paramLabel = "M", split = ",", defaultValue = "fdk,sirt,cgls,tv",
            description = "methods to run, in order (default: ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--tv-iterations", paramLabel = "N", defaultValue = "100", description = "TV iterations (default: ${DEFAULT-VALUE})")
    int tvIterations;

    @Option(names = "--tv-lambda", paramLabel = "L", defaultValue = "3",
            description = "TV weight λ, tuned for the default scan (default: ${DEFAULT-VALUE})")
    double tvLambda;

    @Option(names = "--model", paramLabel = "DIR|none", split = ",", defaultValue = "models/lpd-fan2d,models/lpd-cone",
            description = "shipped models, each run on a held-out scan of its own geometry, or none to skip them"
                    + " (default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--model-tv-lambda", paramLabel = "L", split = ",", defaultValue = "0.4,2",
            description = "TV λ for each model's scan, in --model's order, as chosen on the model's validation set by"
                    + " pdrecon evaluate (default: ${DEFAULT-VALUE})")
    List<Double> modelTvLambdas;

    @Option(names = "--model-tv-iterations", paramLabel = "N", defaultValue = "200",
            description = "TV iterations in each model's part (default: ${DEFAULT-VALUE})")
    int modelTvIterations;

    @Override
    public Integer call() throws Exception {
        if (size < 16 || views < 1 || !(i0 > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --size ≥ 16, --views ≥ 1 and --i0 > 0");
        }
        List<Path> modelDirs = models.equals(List.of("none")) ? List.of() : models.stream().map(Path::of).toList();
        for (Path dir : modelDirs) {
            if (!Files.isRegularFile(dir.resolve(ModelFiles.PARAMS))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no model at " + dir.toAbsolutePath()
                        + " (run the demo from the repository root, pass --model DIR, or --model none to skip the learned part)");
            }
        }
        if (!modelDirs.isEmpty() && modelTvLambdas.size() != modelDirs.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model-tv-lambda needs one λ per model: "
                    + modelDirs.size() + " models, " + modelTvLambdas.size() + " λ");
        }
        List<Reconstructor> recons = new ArrayList<>();
        for (String m : methods) recons.add(Reconstructors.create(m, settingsFor(m)));
        PrintWriter pw = spec.commandLine().getOut();

        ConeBeamGeometry geometry = BaselineFigures.geometry(size, views, 360);
        Phantom phantom = RandomEllipsoids.builder().setFovRadiusMm(110).build().generate(seed);
        pw.printf(Locale.ROOT, "scan: %d³ voxels of %.1f mm, %d views over 360°, detector %d×%d, Poisson I0 = %.3g, seed %d%n",
                size, 256.0 / size, views, geometry.detectorRows(), geometry.detectorCols(), i0, seed);
        pw.flush();
        SimulatedScan scan;
        try (ProgressBar bar = Progress.bar("simulate", views, "views")) {
            scan = ScanSimulator.builder().setPhantom(phantom).setGeometry(geometry)
                    .optNoise(NoiseModel.poisson(i0), seed).optProgress(bar::stepTo).build().run();
        }
        Mask mask = BaselineFigures.mask(geometry);
        List<MethodComparison.Result> results = MethodComparison.run(scan.groundTruth(), scan.projections(), geometry, mask,
                recons, new BarPerMethod());

        Files.createDirectories(out);
        Volume truth = scan.groundTruth();
        MetaImage.writeVolume(out.resolve("truth.mha"), truth);
        MetaImage.writeProjections(out.resolve("projections.mha"), scan.projections(), geometry);
        GeometryJson.write(out.resolve("geometry.json"), geometry);
        // The full range of the truth: the default 1–99th percentile window would saturate the denser inserts.
        Previews.Window window = Previews.percentileWindow(truth.data(), 0, 100);
        List<Volume> volumes = new ArrayList<>(List.of(truth));
        List<String> captions = new ArrayList<>(List.of("ground truth"));
        StringBuilder table = new StringBuilder(MethodComparison.MARKDOWN_HEADER).append('\n');
        for (MethodComparison.Result r : results) {
            String name = r.method().name();
            MetaImage.writeVolume(out.resolve(name + ".mha"), r.volume());
            Previews.writeOrthogonalSlices(out.resolve(name + ".png"), r.volume(), window);
            volumes.add(r.volume());
            captions.add(String.format(Locale.ROOT, "%s: PSNR %.2f dB, SSIM %.3f", r.method().describe(),
                    r.metrics().psnrDb(), r.metrics().ssim()));
            table.append(r.markdownRow()).append('\n');
        }
        Previews.writePng(out.resolve("comparison.png"), ComparisonFigure.of(volumes, captions, window));
        String mid = results.isEmpty() ? "" : String.format(Locale.ROOT,
                "mask: %s (%d voxels), range %.4g 1/mm%n", results.get(0).metrics().maskDescription(),
                results.get(0).metrics().maskVoxels(), results.get(0).metrics().dataRange());
        String report = table + "\n" + mid;
        pw.println();
        pw.print(report);
        for (int i = 0; i < modelDirs.size(); i++) report += "\n" + learnedPart(modelDirs.get(i), modelTvLambdas.get(i), pw);
        AtomicFiles.writeString(out.resolve("summary.md"), "# pdrecon demo\n\n" + report);
        pw.printf("wrote %s: truth.mha, <method>.mha/.png, comparison.png, summary.md%s%n", out,
                modelDirs.isEmpty() ? "" : ", <model>/comparison.png");
        pw.flush();
        return 0;
    }

    /**
     * One shipped model's part: a held-out phantom drawn like its training data, on the model's own
     * geometry (the scan above is not what the models were trained for), reconstructed by FDK, TV and the model.
     */
    private String learnedPart(Path modelDir, double tvLambda, PrintWriter pw) throws Exception {
        ModelEvaluation.Report r;
        String name;
        try (LearnedReconstructor learned = LearnedReconstructor.load(modelDir, ai.djl.Device.cpu());
             ProgressBar bar = Progress.bar("learned", 3, "methods")) {
            r = ModelEvaluation.run(modelDir, learned, new ModelEvaluation.Settings(1, seed, 1, List.of(tvLambda), modelTvIterations),
                    (done, total) -> bar.stepTo(done));
            name = learned.name();
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "learned: %s%nscan: %s; held-out phantom, seed %d%n%n", r.model(),
                r.scan(), seed));
        b.append("| method | PSNR (dB) | SSIM | seconds |\n|---|---|---|---|\n");
        for (ModelEvaluation.Score sc : r.scores()) {
            b.append(String.format(Locale.ROOT, "| %s | %.2f | %.4f | %.2f |%n", sc.method(), sc.psnrDb(), sc.ssim(), sc.seconds()));
        }
        Path dir = Files.createDirectories(out.resolve(name));
        Previews.writePng(dir.resolve("comparison.png"), r.figure());
        pw.println();
        pw.print(b);
        return b.toString();
    }

    private ReconstructionSettings settingsFor(String method) {
        ReconstructionSettings d = ReconstructionSettings.defaults();
        switch (method.toLowerCase(Locale.ROOT)) {
            case "sirt": return new ReconstructionSettings(d.filter(), d.cutoff(), 50, d.lambda(), d.relaxation(), 0, true);
            case "cgls": return new ReconstructionSettings(d.filter(), d.cutoff(), 10, d.lambda(), d.relaxation(), 0, false);
            case "tv": return new ReconstructionSettings(d.filter(), d.cutoff(), tvIterations, tvLambda, d.relaxation(), 0, true);
            default: return new ReconstructionSettings(FilterWindow.RAM_LAK, 1.0, d.iterations(), d.lambda(), d.relaxation(), 0, true);
        }
    }

    /** One progress bar per method, closed when the method finishes. */
    private static final class BarPerMethod implements MethodComparison.Listener {
        private ProgressBar bar;

        @Override
        public Reconstructor.Progress starting(Reconstructor method) {
            return (done, total) -> {
                if (bar == null) bar = Progress.bar(method.name(), total, "steps");
                bar.stepTo(done);
            };
        }

        @Override
        public void finished(MethodComparison.Result result) {
            if (bar != null) bar.close();
            bar = null;
        }
    }
}
