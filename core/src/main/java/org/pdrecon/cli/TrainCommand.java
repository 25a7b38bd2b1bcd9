package org.pdrecon.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pdrecon.fields.ConditionedField;
import org.pdrecon.fields.ConditionedFieldTrainer;
import org.pdrecon.training.PrimalDualTrainer;
import org.pdrecon.training.StepStats;
import org.pdrecon.training.TrainingConfig;
import org.pdrecon.training.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon train}: trains a learned primal-dual network, or a conditioned neural field, from a JSON config. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a learned primal-dual network (docs/learned.md) or, for a config with \"kind\": \"condcbnt\", a conditioned neural field"
                        + " (docs/neural-fields.md) on simulated data.",
                "Writes checkpoint.bin, train_log.csv, config.json and model/ to the output directory."})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "training config JSON (training-configs/<name>.json)")
    Path config;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu", description = "where to train (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--resume", description = "continue from the output directory's checkpoint (after a stop or a kill)")
    boolean resume;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: the config's output_dir)")
    Path out;

    @Option(names = "--export-model", description = "only write <output>/model/ from the last checkpoint (no training)")
    boolean exportModel;

    @Option(names = "--check-numerics", description = "check every layer, operator and gradient for NaN/Inf as it is made and name the first (slower)")
    boolean checkNumerics;

    @Option(names = "--no-progress", description = "no progress bar, log lines at every checkpoint instead (the default when standard error is not a terminal)")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        Device dev = switch (device) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (Engine.getEngine("PyTorch").getGpuCount() == 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--device gpu: DJL sees no GPU (build with PDRECON_GPU=1 on a machine with CUDA)");
                }
                yield Device.gpu();
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--device must be cpu or gpu, got " + device);
        };
        if (!java.nio.file.Files.isRegularFile(config)) throw new CommandLine.ParameterException(spec.commandLine(), "--config: no such file: " + config);
        String text = java.nio.file.Files.readString(config);
        if (ConditionedFieldTrainer.Config.isConditioned(text)) return trainConditioned(ConditionedFieldTrainer.Config.parse(text, config.toString()));
        TrainingConfig cfg = TrainingConfig.load(config);
        PrimalDualTrainer trainer = new PrimalDualTrainer(cfg, dev, null, out).setCheckNumerics(checkNumerics);
        PrintWriter pw = spec.commandLine().getOut();
        if (exportModel) {
            pw.printf("model written to %s%n", trainer.exportModel());
            pw.flush();
            return 0;
        }
        pw.printf("training %s on %s for %d steps → %s%n", cfg.name(), dev, cfg.steps(), trainer.outputDir());
        pw.flush();
        // The bar only on a terminal (or PDRECON_PROGRESS=1), as the other commands; plain lines otherwise.
        boolean bar = !noProgress && (System.console() != null || "1".equals(System.getenv("PDRECON_PROGRESS")));
        Listener listener = new Listener(pw, bar);
        try {
            double last = trainer.run(resume, listener);
            listener.close();
            pw.printf(Locale.ROOT, "done: last loss %.4e; model in %s%n", last, trainer.outputDir().resolve("model"));
        } finally {
            listener.close();
        }
        pw.flush();
        return 0;
    }

    /** A conditioned neural field (config {@code "kind": "condcbnt"}): CPU only, progress as for learned primal-dual. */
    private int trainConditioned(ConditionedFieldTrainer.Config cfg) throws java.io.IOException {
        if (!device.equals("cpu")) throw new CommandLine.ParameterException(spec.commandLine(), "a conditioned field trains on the CPU only (--device cpu)");
        if (exportModel || checkNumerics) throw new CommandLine.ParameterException(spec.commandLine(), "--export-model and --check-numerics are for learned primal-dual configs");
        Path dir = out != null ? out : Path.of("training-runs", cfg.name());
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("training conditioned field %s on cpu() for %d steps (%d conditioning steps each) → %s%n", cfg.name(), cfg.steps(), cfg.innerSteps(), dir);
        pw.flush();
        boolean bar = !noProgress && (System.console() != null || "1".equals(System.getenv("PDRECON_PROGRESS")));
        ProgressBar progress = bar ? new ProgressBarBuilder().setTaskName("train").setInitialMax(cfg.steps()).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setUnit(" steps", 1).setConsumer(new ConsoleProgressBarConsumer(System.err)).build() : null;
        try {
            ConditionedField model = new ConditionedFieldTrainer(cfg, dir).run(resume, (done, total, dataLoss, supervised) -> {
                if (progress != null) {
                    progress.stepTo(done);
                    progress.setExtraMessage(String.format(Locale.ROOT, " fit loss %.2e, supervised %.3f", dataLoss, supervised));
                } else if (done % cfg.checkpointEvery() == 0 || done == total) {
                    pw.printf(Locale.ROOT, "step %d/%d: fit loss %.3e, supervised loss %.4f%n", done, total, dataLoss, supervised);
                    pw.flush();
                }
            });
            if (progress != null) progress.close();
            pw.printf("done: model in %s (validation: %s)%n", dir.resolve("model"), model.extra().get("validation"));
        } finally {
            if (progress != null) progress.close();
        }
        pw.flush();
        return 0;
    }

    /** Progress bar with loss, learning rate, step time and ETA; or plain lines at each checkpoint. */
    private static final class Listener implements TrainingListener, AutoCloseable {
        private final PrintWriter out;
        private final boolean bar;
        private ProgressBar progress;
        private StepStats last;

        Listener(PrintWriter out, boolean bar) {
            this.out = out;
            this.bar = bar;
        }

        @Override
        public void onStart(long stepsDone, long totalSteps) {
            if (stepsDone > 0) out.printf("resuming after step %d%n", stepsDone);
            out.flush();
            if (bar) {
                progress = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(500).startsFrom(stepsDone, Duration.ZERO).setUnit(" steps", 1)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            }
        }

        @Override
        public void onStep(StepStats s) {
            last = s;
            if (progress != null) {
                progress.stepTo(s.step());
                progress.setExtraMessage(String.format(Locale.ROOT, "loss %.3e lr %.2e %.2fs/step", s.loss(), s.learningRate(), s.stepSeconds()));
            }
        }

        @Override
        public void onValidation(long step, double psnrDb, double ssim, double initialPsnrDb, double initialSsim) {
            out.printf(Locale.ROOT, "%svalidation after step %d: PSNR %.2f dB, SSIM %.4f (initialiser %.2f dB, %.4f)%n",
                    progress != null ? System.lineSeparator() : "", step, psnrDb, ssim, initialPsnrDb, initialSsim);
            out.flush();
        }

        @Override
        public void onCheckpoint(long stepsDone) {
            if (!bar && last != null) {
                out.printf(Locale.ROOT, "step %d/%d loss %.4e lr %.3e grad %.3e %.2fs/step (checkpoint written)%n", stepsDone,
                        last.totalSteps(), last.loss(), last.learningRate(), last.gradientNorm(), last.stepSeconds());
                out.flush();
            }
        }

        @Override
        public void close() {
            if (progress != null) {
                progress.close();
                progress = null;
            }
        }
    }
}
