package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.benchmark.ModelEvaluation;
import org.pdrecon.io.Previews;
import org.pdrecon.reconstruct.LearnedReconstructor;
import org.pdrecon.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon evaluate}: a trained model against FDK and validation-tuned TV on held-out phantoms. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a trained model against FDK and TV on held-out phantoms simulated like its training data",
                "(same geometry, phantoms and noise; another seed). TV's λ is chosen on the training run's validation samples.",
                "Writes evaluation.md (table), evaluation.csv (every phantom) and evaluation.png (the first test phantom).",
                "A model trained over several scans (data.scans) is scored on each, in scan-K/ folders, with envelope.md: one row per scan."})
public final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory (models/<name> or a run's model/)")
    Path model;

    @Option(names = "--phantoms", paramLabel = "N", defaultValue = "100", description = "test phantoms (default: ${DEFAULT-VALUE})")
    int phantoms;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "20261121",
            description = "seed of the test phantoms; must differ from the training seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tuning-phantoms", paramLabel = "N", defaultValue = "10",
            description = "validation samples on which TV's λ is chosen (default: ${DEFAULT-VALUE})")
    int tuningPhantoms;

    @Option(names = "--tv-lambdas", paramLabel = "L", split = ",", defaultValue = "0.1,0.2,0.4,0.8,1.6,3.2",
            description = "λ grid for TV (default: ${DEFAULT-VALUE})")
    List<Double> tvLambdas;

    @Option(names = "--tv-iterations", paramLabel = "N", defaultValue = "200", description = "TV iterations (default: ${DEFAULT-VALUE})")
    int tvIterations;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output directory (default: out/evaluate/<model name>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelEvaluation.Settings settings;
        try {
            settings = new ModelEvaluation.Settings(phantoms, seed, tuningPhantoms, tvLambdas, tvIterations);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Files.isDirectory(model)) throw new CommandLine.ParameterException(spec.commandLine(), "--model " + model + " is not a directory");
        Path dir = out != null ? out : Path.of("out", "evaluate", model.toAbsolutePath().normalize().getFileName().toString());
        PrintWriter pw = spec.commandLine().getOut();
        List<org.pdrecon.training.TrainingConfig.ScanConfig> scans = ModelEvaluation.scans(model);
        List<ModelEvaluation.Report> reports = new java.util.ArrayList<>();
        List<String> skipped = new java.util.ArrayList<>();
        try (LearnedReconstructor learned = LearnedReconstructor.load(model, ai.djl.Device.cpu())) {
            for (int k = 0; k < scans.size(); k++) {
                // a training scan the model's envelope no longer covers (restricted after training) is reported, not run
                List<String> outside = scans.size() == 1 || learned.envelope() == null ? List.of()
                        : learned.envelope().geometryViolations(scans.get(k).geometry());
                if (!outside.isEmpty()) {
                    skipped.add("scan " + (k + 1) + ": outside the model's envelope (" + String.join("; ", outside) + "), not scored");
                    reports.add(null);
                    continue;
                }
                String label = scans.size() == 1 ? "evaluate" : "evaluate scan " + (k + 1) + "/" + scans.size();
                ModelEvaluation.Report report;
                try (ProgressBar bar = Progress.bar(label, 1, "reconstructions")) {
                    report = ModelEvaluation.run(model, learned, settings, k, (done, total) -> {
                        bar.maxHint(total);
                        bar.stepTo(done);
                    });
                }
                write(scans.size() == 1 ? dir : dir.resolve("scan-" + (k + 1)), report, pw);
                reports.add(report);
            }
        }
        if (scans.size() > 1) {
            String table = ModelEvaluation.envelopeMarkdown(scans, reports)
                    + (skipped.isEmpty() ? "" : "\n" + String.join("\n", skipped) + "\n");
            AtomicFiles.writeString(dir.resolve("envelope.md"), "# pdrecon evaluate: across the training scans\n\n" + table);
            pw.print(table);
            pw.printf("wrote %s: envelope.md and scan-1 … scan-%d%n", dir, scans.size());
        }
        pw.flush();
        return 0;
    }

    private static void write(Path dir, ModelEvaluation.Report report, PrintWriter pw) throws java.io.IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("evaluation.md"), "# pdrecon evaluate\n\n" + report.markdown());
        AtomicFiles.writeString(dir.resolve("evaluation.csv"), report.csv());
        Previews.writePng(dir.resolve("evaluation.png"), report.figure());
        pw.print(report.markdown());
        pw.printf("wrote %s: evaluation.md, evaluation.csv, evaluation.png%n", dir);
    }
}
