package org.pdrecon.fields;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.util.StrictJson;
import org.pdrecon.learned.TorchRuntime;
import org.pdrecon.metrics.Masks;
import org.pdrecon.metrics.Psnr;
import org.pdrecon.operators.tape.EngineArrays;
import org.pdrecon.training.Adam;
import org.pdrecon.training.Checkpoint;
import org.pdrecon.training.CosineSchedule;
import org.pdrecon.learned.ModelEnvelope;
import org.pdrecon.training.SimulatedTrainingData;
import org.pdrecon.training.TrainingConfig;
import org.pdrecon.training.TrainingSample;
import org.pdrecon.util.AtomicFiles;

/**
 * Trains a {@link ConditionedField}'s backbone (the MLP) and template grid across many simulated scans,
 * with the same phantoms and data pipeline as learned primal-dual ({@link SimulatedTrainingData}).
 *
 * <p>Each step is first-order meta-learning: a fresh scan's conditioning starts from the template and
 * is fitted for {@code inner_steps} Adam steps to the scan's projections with the MLP frozen (exactly
 * what {@code reconstruct --method condcbnt} does); then the supervised error of the fitted field
 * against the phantom, {@code mean((μ − μ_true)²)}, gives gradients for the MLP and, taking the fitted
 * grid's gradient as the template's (the first-order approximation, no differentiation through the
 * inner fit), for the template; one Adam step with cosine decay updates both. The backbone thus learns to
 * decode grids that a short fit produces into the phantom, and the template to be a good start.
 *
 * <p>Outputs in the run folder: {@code checkpoint.bin} (parameters, Adam, step; resumed with
 * {@code resume}, refused if the config changed), {@code train_log.csv}, {@code config.json} (the
 * training config) and {@code model/} (a {@link ConditionedField} with its envelope and validation).
 */
public final class ConditionedFieldTrainer {
    /**
     * @param name run name
     * @param field the field's shape
     * @param steps outer steps (one scan each)
     * @param seed phantoms, noise and initialisation
     * @param innerSteps conditioning fit per scan, in training and by default at reconstruction
     * @param innerLearningRate the conditioning fit's learning rate
     * @param learningRate the backbone's Adam learning rate (cosine decay to 5 %)
     * @param checkpointEvery checkpoint and model every this many steps
     * @param validationSamples held-out samples fitted at the end (PSNR in the model)
     * @param data the simulated scans
     */
    public record Config(String name, FieldConfig field, String prior, long steps, long seed, int innerSteps, double innerLearningRate, double learningRate,
                         int checkpointEvery, int validationSamples, TrainingConfig.DataConfig data, String text) {
        public Config {
            if (!ConditionedField.PRIORS.contains(prior)) throw new IllegalArgumentException("prior must be one of " + ConditionedField.PRIORS + ", got \"" + prior + "\"");
            if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            if (innerSteps < 1) throw new IllegalArgumentException("inner_steps must be at least 1, got " + innerSteps);
            if (!(innerLearningRate > 0) || !(learningRate > 0)) throw new IllegalArgumentException("learning rates must be positive");
            if (checkpointEvery < 1) throw new IllegalArgumentException("checkpoint_every must be at least 1, got " + checkpointEvery);
            if (validationSamples < 0) throw new IllegalArgumentException("validation_samples must be ≥ 0, got " + validationSamples);
            if (!"simulated".equals(data.source())) throw new IllegalArgumentException("a conditioned field trains on simulated data (data.source \"simulated\")");
            data.scan("a conditioned field (kind \"condcbnt\")"); // one geometry: a list (data.scans) is refused here, before any file is written
        }

        /** Reads a config with {@code "kind": "condcbnt"}; unknown keys are refused. */
        public static Config parse(String text, String what) {
            StrictJson j = StrictJson.parse(text, what);
            String kind = j.requireString("kind");
            if (!ConditionedField.KIND.equals(kind)) throw new IllegalArgumentException(what + ": kind must be \"condcbnt\", got \"" + kind + "\"");
            Config c = new Config(j.requireString("name"), FieldConfig.fromJson(j.object("field")), j.optString("prior", "none"), j.optLong("steps", 300), j.optLong("seed", 0),
                    j.optInt("inner_steps", 60), j.optDouble("inner_learning_rate", 0.05), j.optDouble("learning_rate", 2e-3),
                    j.optInt("checkpoint_every", 10), j.optInt("validation_samples", 4), TrainingConfig.DataConfig.fromJson(j.object("data")), text);
            j.finish();
            return c;
        }

        /** True if {@code text} is a conditioned-field config (a JSON object with {@code "kind": "condcbnt"}). */
        public static boolean isConditioned(String text) {
            try {
                var o = com.google.gson.JsonParser.parseString(text).getAsJsonObject();
                return o.has("kind") && ConditionedField.KIND.equals(o.get("kind").getAsString());
            } catch (RuntimeException e) {
                return false;
            }
        }

        String identity() {
            return String.format(Locale.ROOT, "{\"kind\": \"condcbnt\", \"field\": %s, \"prior\": \"%s\", \"steps\": %d, \"seed\": %d, \"inner_steps\": %d, "
                    + "\"inner_learning_rate\": %s, \"learning_rate\": %s, \"data\": %s}", field.toJson(), prior, steps, seed, innerSteps, innerLearningRate,
                    learningRate, data.toJson());
        }
    }

    /** After each step: steps done, the inner fit's last data loss, the supervised loss. */
    @FunctionalInterface
    public interface Listener {
        void step(long done, long total, double dataLoss, double supervisedLoss);
    }

    /** Samples from which the output scale is taken (mean of their {@link NafFit#outputScale}). */
    static final int SCALE_SAMPLES = 8;

    private final Config config;
    private final Path out;

    public ConditionedFieldTrainer(Config config, Path out) {
        this.config = Objects.requireNonNull(config, "config");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Trains (resuming from the run folder's checkpoint if {@code resume}) and returns the model. */
    public ConditionedField run(boolean resume, Listener listener) throws IOException {
        TorchRuntime.configure();
        Files.createDirectories(out);
        Path ckpt = out.resolve("checkpoint.bin");
        if (!resume && Files.exists(ckpt)) throw new IllegalArgumentException(out + " already holds a run: add --resume or choose another --out");
        AtomicFiles.write(out.resolve("config.json"), o -> o.write(config.text().getBytes(StandardCharsets.UTF_8)));
        SimulatedTrainingData data = new SimulatedTrainingData(config.data(), config.seed());
        ConeBeamGeometry geometry = data.geometry();
        config.field().requireFits(geometry.volume(), Runtime.getRuntime().maxMemory(), NafFit.availableNativeBytes());
        double scale = 0;
        for (int i = 0; i < SCALE_SAMPLES; i++) scale += NafFit.outputScale(projections(data.sample(i), geometry), geometry.volume()) / SCALE_SAMPLES;
        int inputs = ConditionedField.priorInputs(config.prior());
        NeuralField model = NeuralField.initialise(config.field(), geometry.volume(), scale, config.seed(), inputs);
        float[][] values = model.values();
        int levels = config.field().levels();
        Adam adam = new Adam(NafFit.BETA1, NafFit.BETA2, 1e-8, Arrays.stream(values).mapToInt(v -> v.length).toArray());
        long start = 0;
        if (resume && Files.exists(ckpt)) {
            Checkpoint c = Checkpoint.read(ckpt);
            if (!c.identity().equals(config.identity())) throw new IllegalArgumentException(ckpt + " belongs to another config; start a new run folder");
            for (int i = 0; i < values.length; i++) System.arraycopy(c.values()[i], 0, values[i], 0, values[i].length);
            adam.restore(c.adam());
            start = c.stepsDone();
        }
        CosineSchedule schedule = new CosineSchedule(config.learningRate(), config.learningRate() * NafFit.FINAL_LR_FRACTION, config.steps());
        Path log = out.resolve("train_log.csv");
        if (start == 0) Files.writeString(log, "step,data_loss,supervised_loss,seconds\n");
        for (long step = start; step < config.steps(); step++) {
            long t0 = System.nanoTime();
            TrainingSample s = data.sample(step);
            ProjectionStack y = projections(s, geometry);
            NeuralField f = NeuralField.of(config.field(), geometry.volume(), scale, withTemplateCopies(values, levels), inputs);
            ConditionedField.withPrior(f, config.prior(), scale, y, geometry);
            double dataLoss = NafFit.optimise(f, levels, y, geometry, config.innerSteps(), config.innerLearningRate(), null, 1, "",
                    NafFit.Listener.NONE);
            float[][] grads = new float[values.length][];
            double supervised;
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                NDArray truth = EngineArrays.copyOf(m, s.target(), new Shape(geometry.volume().nz(), geometry.volume().ny(), geometry.volume().nx()), DataType.FLOAT32);
                NDArray scaleArray = EngineArrays.copyOf(m, new float[] {(float) scale}, new Shape(), DataType.FLOAT32);
                supervised = NafFit.step(m, f, null, truth, scaleArray, grads) / (scale * scale); // in units of s², of order one
            }
            if (!Double.isFinite(supervised)) throw new IllegalStateException("the supervised loss became " + supervised + " at step " + step);
            adam.update(values, grads, schedule.at(step));
            long done = step + 1;
            Files.writeString(log, String.format(Locale.ROOT, "%d,%.6e,%.6e,%.3f%n", done, dataLoss, supervised, (System.nanoTime() - t0) / 1e9),
                    java.nio.file.StandardOpenOption.APPEND);
            if (done % config.checkpointEvery() == 0 || done == config.steps()) {
                new Checkpoint(config.identity(), done, done, model.names().toArray(new String[0]), values, adam.state()).write(ckpt);
                model(values, scale, null).save(out.resolve("model"));
            }
            if (listener != null) listener.step(done, config.steps(), dataLoss, supervised);
        }
        ConditionedField trained = model(values, scale, null);
        JsonObject extra = new JsonObject();
        extra.add("training", com.google.gson.JsonParser.parseString(config.text()));
        extra.add("envelope", ModelEnvelope.measure(data.geometry(), i -> data.sample(i).initial(), config.data().noiseI0()).toJson());
        if (config.validationSamples() > 0) extra.add("validation", validate(trained, data, geometry));
        trained = model(values, scale, extra);
        trained.save(out.resolve("model"));
        return trained;
    }

    private ConditionedField model(float[][] values, double scale, JsonObject extra) {
        float[][] copy = new float[values.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = values[i].clone();
        return new ConditionedField(config.field(), scale, config.prior(), config.innerSteps(), config.innerLearningRate(), copy, extra);
    }

    /** The template grids copied (the fit changes them), the MLP shared (the fit leaves it alone). */
    private static float[][] withTemplateCopies(float[][] values, int levels) {
        float[][] v = values.clone();
        for (int i = 0; i < levels; i++) v[i] = values[i].clone();
        return v;
    }

    private JsonObject validate(ConditionedField trained, SimulatedTrainingData data, ConeBeamGeometry geometry) {
        JsonObject v = new JsonObject();
        double sum = 0;
        com.google.gson.JsonArray each = new com.google.gson.JsonArray();
        for (int i = 0; i < config.validationSamples(); i++) {
            TrainingSample s = data.sample(TrainingConfig.ValidationConfig.FIRST_INDEX + i);
            Volume fitted = trained.fit(projections(s, geometry), geometry, 0, null).field().toVolume();
            double psnr = Psnr.of(new Volume(geometry.volume(), s.target()), fitted, Masks.scannedCylinder(geometry));
            each.add(psnr);
            sum += psnr;
        }
        v.add("psnr_db", each);
        v.addProperty("mean_psnr_db", sum / config.validationSamples());
        v.addProperty("how", "held-out samples (indices from 2^60) of the training distribution, fitted with the model's own steps; fully seen cylinder");
        return v;
    }

    private static ProjectionStack projections(TrainingSample s, ConeBeamGeometry g) {
        return new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections());
    }
}
