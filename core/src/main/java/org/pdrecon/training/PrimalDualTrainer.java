package org.pdrecon.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.learned.ConvolutionGradientCheck;
import org.pdrecon.learned.LearnedPrimalDual;
import org.pdrecon.learned.ModelEnvelope;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.learned.OperatorNorms;
import org.pdrecon.learned.PrimalDualNetwork;
import org.pdrecon.learned.TorchRuntime;
import org.pdrecon.learned.UpdateCnn;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.Masks;
import org.pdrecon.metrics.Psnr;
import org.pdrecon.metrics.Ssim;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.Numerics;
import org.pdrecon.operators.tape.SegmentTape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link LearnedPrimalDual} network: minimises the mean squared error between the network's
 * reconstruction and the ground truth, both multiplied by the model's {@code value_scale} (so the loss
 * is in the network's working units, of order 1 for μ of order water's), with Adam, cosine learning-rate decay and global-norm gradient
 * clipping (Adler &amp; Öktem's recipe), differentiating through the projector with a
 * {@link SegmentTape}.
 *
 * <p>Step {@code s} (0-based) uses samples {@code s·B … s·B + B − 1} of the {@link TrainingData}; the
 * next step's samples are simulated on a background thread while this one trains. Every
 * {@code checkpoint_every} steps and at the end a {@link Checkpoint} is written atomically to
 * {@code <output>/checkpoint.bin}; with {@code resume} the run continues from it with the same
 * parameters, Adam state and data position, so an interrupted and resumed run ends with the same
 * parameters as an uninterrupted one (bitwise on CPU, checked by a test). With every checkpoint the
 * model is also written to {@code <output>/model/} ({@link ModelFiles}); {@link #exportModel} rebuilds it
 * from the checkpoint alone.
 *
 * <p>Validation: {@code validation.samples} held-out samples are reconstructed every
 * {@code validation.every} steps; mean PSNR and SSIM inside the disc/cylinder the scan covers (the fully seen one
 * unless half fan; range from the
 * reference, DESIGN.md's metrics) go to {@code validation.csv}, next to the initialiser's scores. SSIM is
 * NaN for volumes smaller than its 11-voxel window.
 *
 * <p>Output directory: {@code checkpoint.bin}, {@code train_log.csv} ({@link TrainingLog}), {@code validation.csv},
 * {@code config.json} (the run's config), {@code model/}, {@code curves.png} ({@link TrainingCurves}, redrawn at
 * every checkpoint).
 */
public final class PrimalDualTrainer {
    private static final Logger LOGGER = LoggerFactory.getLogger(PrimalDualTrainer.class);
    public static final String CHECKPOINT = "checkpoint.bin", LOG = "train_log.csv", VALIDATION = "validation.csv";
    static final String VALIDATION_HEADER = "step,psnr_db,ssim,initial_psnr_db,initial_ssim";

    private final TrainingConfig config;
    private final Device device;
    private final TrainingData data;
    private final Path outputDir;
    private boolean checkNumerics;
    private ModelEnvelope envelope; // measured once, at the first save

    /**
     * @param data the sample source; {@code null} for {@link SimulatedTrainingData} from the config
     * @param outputDir where the run's files go; {@code null} for the config's {@code output_dir}
     */
    public PrimalDualTrainer(TrainingConfig config, Device device, TrainingData data, Path outputDir) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.device = Objects.requireNonNull(device, "device");
        this.data = data != null ? data : open(config);
        this.outputDir = outputDir != null ? outputDir : Path.of(config.outputDir());
        for (ConeBeamGeometry g : this.data.geometries()) ModelGeometry.requireCompatible(config.model(), g);
    }

    /** The config's data source: simulated on the fly, or a dataset on disk. */
    public static TrainingData open(TrainingConfig config) throws IOException {
        TrainingConfig.DataConfig d = config.data();
        if (d.source().equals("dataset")) {
            return new DatasetTrainingData(Path.of(d.dataset()), config.validation().samples(), d.initialiser(), config.seed());
        }
        return d.scans().size() == 1 ? new SimulatedTrainingData(d, config.seed()) : new MultiScanTrainingData(d, config.batchSize(), config.seed());
    }

    public Path outputDir() {
        return outputDir;
    }

    /**
     * {@code --check-numerics}: check every segment, operator, layer output and gradient for NaN/Inf as it is
     * made, and stop at the first with a {@link Numerics.NonFiniteException} naming it. Slower; off by default.
     */
    public PrimalDualTrainer setCheckNumerics(boolean on) {
        this.checkNumerics = on;
        return this;
    }

    /**
     * Runs the remaining steps.
     *
     * @param resume continue from {@code checkpoint.bin} if present (a fresh start otherwise); without
     *     it an existing checkpoint is an error, so a finished or running experiment is never overwritten
     * @return the loss of the last step run by this call, NaN if none ran
     */
    public double run(boolean resume, TrainingListener listener) throws IOException {
        TrainingListener out = listener != null ? listener : new TrainingListener() {};
        Path ckptFile = outputDir.resolve(CHECKPOINT);
        Checkpoint ckpt = null;
        if (Files.exists(ckptFile)) {
            if (!resume) {
                throw new IllegalStateException(ckptFile + " exists: pass --resume to continue that run, or choose another output_dir");
            }
            ckpt = Checkpoint.read(ckptFile);
            requireSameRun(ckpt, config);
            long before = RunIdentity.steps(ckpt.identity());
            if (before != config.steps()) {
                if (ckpt.stepsDone() > config.steps()) {
                    throw new IllegalStateException("the checkpoint in " + outputDir + " is at step " + ckpt.stepsDone()
                            + ", past the " + config.steps() + " steps this config asks for");
                }
                LOGGER.warn("steps changed from " + before + " to " + config.steps() + " at step " + ckpt.stepsDone()
                        + ": the learning-rate schedule now spans " + config.steps() + " steps");
            }
        }
        Files.createDirectories(outputDir);
        org.pdrecon.util.AtomicFiles.writeString(outputDir.resolve("config.json"), config.toJsonText() + "\n");

        int b = config.batchSize();
        CosineSchedule schedule = new CosineSchedule(config.optimiser().learningRate(), config.optimiser().minLearningRate(), config.steps(),
                config.optimiser().warmupSteps());
        double last = Double.NaN;
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "training-data");
            t.setDaemon(true);
            return t;
        });
        boolean numericsBefore = Numerics.enabled();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TorchRuntime.configure();
            // Refuse to train on a libtorch whose CPU convolution gradients are wrong here (docs/autodiff.md). On a GPU
            // the convolutions are cuDNN's (TF32 by default on recent cards), which this check's tolerance is not for.
            if (!device.isGpu()) ConvolutionGradientCheck.requireCorrect(manager);
            else LOGGER.info("GPU training: the convolution gradient self-check covers libtorch's CPU kernels only; skipped");
            Engine.getInstance().setRandomSeed((int) config.seed());
            List<ScanOperator> scans = scanOperators(manager);
            Network net = network(manager, scans.get(0).xShape(b), scans.get(0).yShape(b));
            if (checkNumerics) {
                Numerics.setEnabled(true);
                UpdateCnn.labelAll(net.model(), "");
            }
            PrimalDualNetwork model = net.model();
            List<Parameter> params = net.params();
            List<String> names = net.names();
            float[][] values = net.values();
            int[] sizes = Network.sizes(values);
            Adam adam = new Adam(config.optimiser().beta1(), config.optimiser().beta2(), config.optimiser().epsilon(), sizes);
            long stepsDone = 0;
            if (ckpt != null) {
                restore(ckpt, names, values, adam);
                writeBack(params, values);
                stepsDone = ckpt.stepsDone();
                if (ckpt.nextSample() != stepsDone * b) {
                    throw new IllegalStateException("checkpoint's data position " + ckpt.nextSample() + " does not match "
                            + stepsDone + " steps of batch " + b);
                }
            }
            ParameterStore store = new ParameterStore(manager, false);
            int validated = Math.min(config.validation().samples(), scans.size());
            if (validated < scans.size() && config.validation().samples() > 0) {
                LOGGER.warn("validation.samples " + config.validation().samples() + " covers " + validated + " of the " + scans.size()
                        + " scans of data.scans (sample i is on scan i mod " + scans.size() + ")");
            }
            Validation validation = new Validation(scans, store, manager);
            out.onStart(stepsDone, config.steps());
            long keep = ckpt == null ? -1 : stepsDone; // a fresh run starts fresh logs
            try (TrainingLog log = new TrainingLog(outputDir.resolve(LOG), keep);
                 TrainingLog vlog = new TrainingLog(outputDir.resolve(VALIDATION), VALIDATION_HEADER, keep)) {
                if (stepsDone == 0) validation.run(model, 0, vlog, out);
                Future<TrainingSample[]> next = stepsDone < config.steps() ? prefetch.submit(batchTask(stepsDone)) : null;
                for (long s = stepsDone; s < config.steps(); s++) {
                    long t0 = System.nanoTime();
                    TrainingSample[] batch = await(next);
                    next = s + 1 < config.steps() ? prefetch.submit(batchTask(s + 1)) : null;
                    float[][] grads = new float[params.size()][];
                    ScanOperator scan = scans.get(scanOfStep(s));
                    double loss = lossAndGradients(model, store, scan, manager, batch, params, grads);
                    if (checkNumerics) requireFinite(s + 1, loss, names, grads);
                    double norm = GradientClipping.clip(grads, config.optimiser().clipNorm());
                    double lr = schedule.at(s);
                    adam.update(values, grads, lr);
                    writeBack(params, values);
                    StepStats stats = new StepStats(s + 1, config.steps(), loss, lr, norm, (System.nanoTime() - t0) * 1e-9);
                    last = loss;
                    log.append(stats);
                    if ((s + 1) % config.validation().every() == 0 || s + 1 == config.steps()) validation.run(model, s + 1, vlog, out);
                    if ((s + 1) % config.checkpointEvery() == 0 || s + 1 == config.steps()) {
                        new Checkpoint(config.identity().toString(), s + 1, (s + 1) * b, names.toArray(new String[0]), values,
                                adam.state()).write(ckptFile);
                        saveModel(model, norms(scans), s + 1);
                        TrainingCurves.write(outputDir);
                        out.onStep(stats);
                        out.onCheckpoint(s + 1);
                    } else {
                        out.onStep(stats);
                    }
                }
            }
            if (stepsDone == config.steps()) saveModel(model, norms(scans), stepsDone); // resumed a finished run
        } finally {
            prefetch.shutdownNow();
            Numerics.setEnabled(numericsBefore);
        }
        return last;
    }

    /** {@code --check-numerics} after the backward sweep: the loss, then each parameter's gradient by name. */
    private static void requireFinite(long step, double loss, List<String> names, float[][] grads) {
        if (!Double.isFinite(loss)) throw new Numerics.NonFiniteException("step " + step + ": the loss is " + loss);
        for (int i = 0; i < grads.length; i++) {
            for (float g : grads[i]) {
                if (!Float.isFinite(g)) throw new Numerics.NonFiniteException("step " + step + ": first NaN/Inf in the gradient of parameter " + names.get(i));
            }
        }
    }

    /**
     * Writes {@code <output>/model/} from the last checkpoint without training (the model directory is
     * also rewritten at every checkpoint; this recovers it, e.g. from a committed checkpoint) and redraws
     * {@code curves.png}.
     *
     * @return the model directory
     */
    public Path exportModel() throws IOException {
        Path ckptFile = outputDir.resolve(CHECKPOINT);
        if (!Files.exists(ckptFile)) throw new IllegalStateException("no " + CHECKPOINT + " in " + outputDir);
        Checkpoint ckpt = Checkpoint.read(ckptFile);
        requireSameRun(ckpt, config);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            List<ScanOperator> scans = scanOperators(manager);
            Network net = network(manager, scans.get(0).xShape(1), scans.get(0).yShape(1));
            PrimalDualNetwork model = net.model();
            float[][] values = net.values();
            restore(ckpt, net.names(), values, new Adam(config.optimiser().beta1(), config.optimiser().beta2(), config.optimiser().epsilon(),
                    Network.sizes(values)));
            writeBack(net.params(), values);
            saveModel(model, norms(scans), ckpt.stepsDone());
        }
        TrainingCurves.write(outputDir);
        return outputDir.resolve("model");
    }

    /** The config's network, initialised for the given shapes, with its parameters in their fixed order. */
    private record Network(PrimalDualNetwork model, List<String> names, List<Parameter> params) {
        /** The parameters' current values, one flat array each. */
        float[][] values() {
            float[][] v = new float[params.size()][];
            for (int i = 0; i < v.length; i++) v[i] = params.get(i).getArray().toFloatArray();
            return v;
        }

        static int[] sizes(float[][] values) {
            int[] n = new int[values.length];
            for (int i = 0; i < n.length; i++) n[i] = values[i].length;
            return n;
        }
    }

    private Network network(NDManager manager, Shape xShape, Shape yShape) {
        PrimalDualNetwork model = PrimalDualNetwork.create(config.variant(), config.model());
        model.initialize(manager, DataType.FLOAT32, xShape, yShape);
        UpdateCnn.setPatchSlices(model, config.patchSlices());
        List<Parameter> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            names.add(p.getKey());
            params.add(p.getValue());
        }
        return new Network(model, names, params);
    }

    /** A checkpoint may be resumed by its own config, or by one that only changes the number of steps. */
    private void requireSameRun(Checkpoint ckpt, TrainingConfig config) {
        String mine = config.identity().toString();
        if (!RunIdentity.sameApartFromSteps(ckpt.identity(), mine)) {
            throw new IllegalStateException("the checkpoint in " + outputDir + " belongs to another config:\n  checkpoint: "
                    + ckpt.identity() + "\n  this run:   " + mine);
        }
    }

    private void saveModel(PrimalDualNetwork model, double[] opNorms, long steps) throws IOException {
        if (envelope == null) {
            // over several scans, the first sample of steps 0, 1, 2 …, so that every scan is measured alike whatever the batch size
            int b = data.geometries().size() == 1 ? 1 : config.batchSize();
            envelope = ModelEnvelope.measure(data.geometries(), i -> data.scanOf((long) i * b), i -> data.sample((long) i * b).initial(),
                    config.data().noiseI0());
        }
        JsonObject extra = new JsonObject();
        extra.add("envelope", envelope.toJson());
        extra.add("training", config.toJson());
        extra.addProperty("training_steps", steps);
        if (opNorms.length == 1) {
            extra.addProperty("training_operator_norm", opNorms[0]);
        } else {
            com.google.gson.JsonArray a = new com.google.gson.JsonArray();
            for (double n : opNorms) a.add(n);
            extra.add("training_operator_norm", a); // one per scan of data.scans
        }
        ModelFiles.save(outputDir.resolve("model"), model, extra);
    }

    /** One scan geometry of the run with what a step on it needs: its operator, ‖A‖ and the shapes of a batch. */
    private record ScanOperator(ConeBeamGeometry geometry, NDArrayOperator op, double norm, int dims) {
        Shape xShape(int batch) {
            return ModelGeometry.primalShape(batch, geometry, dims);
        }

        Shape yShape(int batch) {
            return ModelGeometry.dualShape(batch, geometry, dims);
        }
    }

    /**
     * Each scan's projector pair on the training device, as tape cuts (the multithreaded Java kernels on CPU,
     * the NDArray path on a GPU: the same Joseph discretisation, tested against each other), split into the
     * model's view subsets, with its norm estimated once.
     */
    private List<ScanOperator> scanOperators(NDManager manager) {
        List<ScanOperator> out = new ArrayList<>();
        for (ConeBeamGeometry g : data.geometries()) {
            NDArrayOperator op = ModelGeometry.operator(g, device, config.model().subsets());
            out.add(new ScanOperator(g, op, OperatorNorms.estimate(op, manager, ModelGeometry.NORM_ITERATIONS), config.model().dimensions()));
        }
        return out;
    }

    private static double[] norms(List<ScanOperator> scans) {
        return scans.stream().mapToDouble(ScanOperator::norm).toArray();
    }

    /** The scan of step {@code s}: that of its first sample, which the rest of its batch must share. */
    private int scanOfStep(long s) {
        long first = s * config.batchSize();
        int k = data.scanOf(first);
        for (int i = 1; i < config.batchSize(); i++) {
            if (data.scanOf(first + i) != k) throw new IllegalStateException("the samples of step " + (s + 1) + " come from different scans");
        }
        return k;
    }

    private java.util.concurrent.Callable<TrainingSample[]> batchTask(long step) {
        return () -> {
            TrainingSample[] batch = new TrainingSample[config.batchSize()];
            for (int i = 0; i < batch.length; i++) batch[i] = data.sample(step * config.batchSize() + i);
            return batch;
        };
    }

    private static TrainingSample[] await(Future<TrainingSample[]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while simulating training data", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            throw new IOException("simulating training data failed: " + c.getMessage(), c);
        }
    }

    /** Forward pass on a tape, MSE loss, backward sweep; fills {@code grads} and returns the loss. */
    private double lossAndGradients(PrimalDualNetwork model, ParameterStore store, ScanOperator scan, NDManager manager,
                                    TrainingSample[] batch, List<Parameter> params, float[][] grads) {
        NDArrayOperator op = scan.op();
        double opNorm = scan.norm();
        try (NDScope scope = new NDScope()) {
            NDArray y = manager.create(concat(batch, TrainingSample::projections), scan.yShape(batch.length));
            NDArray x0 = manager.create(concat(batch, TrainingSample::initial), scan.xShape(batch.length));
            NDArray target = manager.create(concat(batch, TrainingSample::target), scan.xShape(batch.length));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                 SegmentTape tape = new SegmentTape(config.tapeMode())) {
                SegmentTape.zeroGradients(model);
                // MSE in the network's working units (μ·valueScale), so that clip_norm has Adler & Öktem's scale.
                NDArray scale = tape.constant(manager, config.model().valueScale(), DataType.FLOAT32);
                NDArray loss = model.trainingLoss(tape, store, op, opNorm, y, x0, out -> tape.segment(new NDList(out, target),
                        in -> new NDList(in.get(0).sub(in.get(1)).mul(scale).square().mean())).head());
                for (int i = 0; i < params.size(); i++) grads[i] = params.get(i).getArray().getGradient().toFloatArray();
                return loss.getFloat();
            }
        }
    }

    private static float[] concat(TrainingSample[] batch, java.util.function.Function<TrainingSample, float[]> part) {
        int n = part.apply(batch[0]).length;
        float[] all = new float[n * batch.length];
        for (int i = 0; i < batch.length; i++) System.arraycopy(part.apply(batch[i]), 0, all, i * n, n);
        return all;
    }

    /** Copies the Java-side values into the parameters' arrays, outside autograd. */
    private static void writeBack(List<Parameter> params, float[][] values) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < params.size(); i++) params.get(i).getArray().set(values[i]);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static void restore(Checkpoint c, List<String> names, float[][] values, Adam adam) {
        if (c.names().length != names.size()) {
            throw new IllegalStateException("checkpoint has " + c.names().length + " parameters, the model " + names.size());
        }
        for (int i = 0; i < names.size(); i++) {
            if (!c.names()[i].equals(names.get(i)) || c.values()[i].length != values[i].length) {
                throw new IllegalStateException("checkpoint parameter " + i + " is " + c.names()[i] + " (" + c.values()[i].length
                        + " values), the model's is " + names.get(i) + " (" + values[i].length + ")");
            }
            System.arraycopy(c.values()[i], 0, values[i], 0, values[i].length);
        }
        adam.restore(c.adam());
    }

    /**
     * The held-out samples (each on its scan), their baseline (the initialiser's) scores, and the evaluation of the
     * network on them; the means run over all samples, so every scan of {@code data.scans} counts alike.
     */
    private final class Validation {
        private final List<ScanOperator> scans;
        private final ParameterStore store;
        private final NDManager manager;
        private final TrainingSample[] samples;
        private final int[] scanOf;
        private final Mask[] masks;
        private final double[] baseline;

        Validation(List<ScanOperator> scans, ParameterStore store, NDManager manager) {
            this.scans = scans;
            this.store = store;
            this.manager = manager;
            this.samples = new TrainingSample[config.validation().samples()];
            this.scanOf = new int[samples.length];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = data.validationSample(i);
                scanOf[i] = data.validationScanOf(i);
            }
            this.masks = scans.stream().map(sc -> Masks.scannedCylinder(sc.geometry())).toArray(Mask[]::new);
            double[] b = new double[2];
            for (int i = 0; i < samples.length; i++) {
                double[] sc = score(scanOf[i], samples[i].target(), samples[i].initial());
                b[0] += sc[0] / samples.length;
                b[1] += sc[1] / samples.length;
            }
            this.baseline = b;
        }

        void run(PrimalDualNetwork model, long step, TrainingLog vlog, TrainingListener listener) throws IOException {
            if (samples.length == 0) return;
            double psnr = 0, ssim = 0;
            for (int i = 0; i < samples.length; i++) {
                ScanOperator scan = scans.get(scanOf[i]);
                float[] rec;
                try (NDScope scope = new NDScope()) {
                    NDArray y = manager.create(samples[i].projections(), scan.yShape(1)), x0 = manager.create(samples[i].initial(), scan.xShape(1));
                    rec = model.reconstruct(store, scan.op(), scan.norm(), y, x0).toFloatArray();
                }
                double[] sc = score(scanOf[i], samples[i].target(), rec);
                psnr += sc[0] / samples.length;
                ssim += sc[1] / samples.length;
            }
            vlog.appendRow(String.format(java.util.Locale.ROOT, "%d,%.4f,%.5f,%.4f,%.5f", step, psnr, ssim, baseline[0], baseline[1]));
            listener.onValidation(step, psnr, ssim, baseline[0], baseline[1]);
        }

        /** PSNR and SSIM inside the cylinder the scan covers (the fully seen one unless half fan); SSIM is NaN where its Gaussian window (2·RADIUS + 1 voxels per axis, z too unless one slice) does not fit. */
        private double[] score(int scan, float[] reference, float[] test) {
            var grid = scans.get(scan).geometry().volume();
            int w = 2 * Ssim.RADIUS + 1;
            boolean ssimFits = grid.nx() >= w && grid.ny() >= w && (grid.nz() == 1 || grid.nz() >= w);
            Volume ref = new Volume(grid, reference), rec = new Volume(grid, test);
            return new double[] {Psnr.of(ref, rec, masks[scan]), ssimFits ? Ssim.of(ref, rec, masks[scan]) : Double.NaN};
        }
    }

}
