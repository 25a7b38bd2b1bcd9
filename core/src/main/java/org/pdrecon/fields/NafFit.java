package org.pdrecon.fields;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.learned.TorchRuntime;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.NDArrayKernelOperator;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.EngineArrays;
import org.pdrecon.operators.tape.SegmentTape;
import org.pdrecon.training.Adam;
import org.pdrecon.training.Checkpoint;
import org.pdrecon.training.CosineSchedule;

/**
 * NAF-style reconstruction (Zha et al. 2022): a {@link NeuralField} fitted to one scan, self-supervised,
 * with no training data. Each step renders μ on the volume grid, projects it with the project's own
 * projector {@code A} (a cut of the {@link SegmentTape}, so its gradient is the matched {@code Aᵀ}),
 * and takes an Adam step on the mean squared difference to the measured line integrals, with cosine
 * learning-rate decay. The same data term as every other method, the same operators.
 *
 * <p>Deterministic for a seed and a thread count: the initialisation comes from the seed, the data term
 * uses every ray at every step (no ray sampling), and the optimiser is {@link Adam}. With a checkpoint
 * path the fit saves its parameters and Adam's state every {@code checkpointEvery} steps (atomically)
 * and, if the file already holds a fit of the same scan and settings, continues from it, ending with
 * the same volume as an uninterrupted fit. A checkpoint of another scan or other settings is refused.
 */
public final class NafFit {
    /** Adam's β₁, β₂ and ε for fields (β₂ = 0.99 and a tiny ε as Instant-NGP uses for its grids). */
    static final double BETA1 = 0.9, BETA2 = 0.99, EPSILON = 1e-15;
    /** The learning rate decays to this fraction of its initial value. */
    static final double FINAL_LR_FRACTION = 0.05;

    /**
     * @param field the field's shape
     * @param iterations Adam steps (≥ 1)
     * @param learningRate initial learning rate (> 0)
     * @param seed initialisation seed
     * @param checkpoint where to save and resume the fit, or {@code null}
     * @param checkpointEvery save every this many steps (≥ 1), and at the end
     */
    public record Settings(FieldConfig field, int iterations, double learningRate, long seed, Path checkpoint, int checkpointEvery) {
        public static final int DEFAULT_ITERATIONS = 400;
        public static final double DEFAULT_LEARNING_RATE = 2e-2;

        public Settings {
            Objects.requireNonNull(field, "field");
            if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            if (checkpointEvery < 1) throw new IllegalArgumentException("checkpoint interval must be at least 1, got " + checkpointEvery);
        }

        /** The defaults: {@link FieldConfig#defaults()}, 400 steps at lr 0.02, seed 0, no checkpoint. */
        public static Settings defaults() {
            return new Settings(FieldConfig.defaults(), DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE, 0, null, 50);
        }

        /** What identifies a fit apart from its scan (a checkpoint of other settings is refused). */
        String identity() {
            return String.format(Locale.ROOT, "{\"method\": \"naf\", \"field\": %s, \"iterations\": %d, \"learning_rate\": %s, \"seed\": %d}",
                    field.toJson(), iterations, learningRate, seed);
        }
    }

    /** Called after each step, on the calling thread. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (done, total, loss) -> {};

        /** @param loss the step's data loss, mean squared line-integral error */
        void step(long done, long total, double loss);
    }

    private NafFit() {}

    /**
     * Fits a field to {@code projections} and returns it rendered on {@code geometry}'s grid.
     *
     * @throws IllegalArgumentException for projections that do not match the geometry, that hold
     *     non-finite values or no positive line integral, or a field that would not fit in memory
     * @throws UncheckedIOException if the checkpoint cannot be read or written
     */
    public static Volume fit(ProjectionStack projections, ConeBeamGeometry geometry, Settings settings, Listener listener) {
        return fitField(projections, geometry, settings, listener).field().toVolume();
    }

    /** A fitted field, its step count and its last data loss. */
    public record Fitted(NeuralField field, long steps, double lastLoss) {}

    /** {@link #fit}, returning the field itself. */
    public static Fitted fitField(ProjectionStack projections, ConeBeamGeometry geometry, Settings settings, Listener listener) {
        Objects.requireNonNull(settings, "settings");
        Listener progress = listener == null ? Listener.NONE : listener;
        VolumeGrid grid = geometry.volume();
        checkProjections(projections, geometry);
        settings.field().requireFits(grid, Runtime.getRuntime().maxMemory(), availableNativeBytes());
        String identity = settings.identity() + "\n" + scanFingerprint(projections, geometry);

        TorchRuntime.configure();
        NeuralField field = NeuralField.initialise(settings.field(), grid, outputScale(projections, grid), settings.seed());
        double loss = optimise(field, field.values().length, projections, geometry, settings.iterations(), settings.learningRate(),
                settings.checkpoint(), settings.checkpointEvery(), identity, progress);
        return new Fitted(field, settings.iterations(), loss);
    }

    /**
     * Adam on the first {@code trainable} parameters of {@code field} (all of them for NAF, the grid
     * levels for a conditioned field whose MLP stays fixed), minimising the mean squared line-integral
     * error, with cosine decay over {@code iterations} steps; checkpointed and resumed as described
     * above when {@code checkpoint} is not null. Updates {@code field}'s values in place.
     *
     * @return the last step's data loss
     */
    static double optimise(NeuralField field, int trainable, ProjectionStack projections, ConeBeamGeometry geometry, int iterations,
                           double learningRate, Path checkpoint, int checkpointEvery, String identity, Listener progress) {
        float[][] values = java.util.Arrays.copyOf(field.values(), trainable); // the live arrays, not copies
        Adam adam = new Adam(BETA1, BETA2, EPSILON, sizes(values));
        long start = resume(checkpoint, identity, field, trainable, adam);
        CosineSchedule schedule = new CosineSchedule(learningRate, learningRate * FINAL_LR_FRACTION, iterations);
        NDArrayOperator a = new NDArrayKernelOperator(new ConeBeamProjector(geometry));
        double loss = Double.NaN;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray y = EngineArrays.copyOf(manager, projections.data(), new Shape(geometry.views(), geometry.detectorRows(), geometry.detectorCols()), DataType.FLOAT32);
            NDArray scale = EngineArrays.copyOf(manager, new float[] {(float) field.scale()}, new Shape(), DataType.FLOAT32);
            for (long step = start; step < iterations; step++) {
                float[][] grads = new float[trainable][];
                loss = step(manager, field, a, y, scale, grads);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("the field's data loss became " + loss + " at step " + step + "; try a lower learning rate");
                }
                adam.update(values, grads, schedule.at(step));
                long done = step + 1;
                if (checkpoint != null && (done % checkpointEvery == 0 || done == iterations)) save(checkpoint, identity, field, trainable, adam, done);
                progress.step(done, iterations, loss);
            }
        }
        return loss;
    }

    /**
     * One forward/backward pass: the mean squared difference between {@code A μ} and {@code y} (or, with
     * {@code a == null}, between μ and the volume {@code y}); fills the gradients of the first
     * {@code grads.length} parameters and returns the loss.
     */
    static double step(NDManager manager, NeuralField field, NDArrayOperator a, NDArray y, NDArray scale, float[][] grads) {
        try (NDScope scope = new NDScope();
             GradientCollector gc = Engine.getInstance().newGradientCollector();
             SegmentTape tape = new SegmentTape(SegmentTape.Mode.STORE)) {
            List<NDArray> params = field.parameterArrays(manager, DataType.FLOAT32);
            for (NDArray p : params) tape.input(p);
            NDList in = new NDList(params);
            in.add(scale);
            NDArray mu = tape.segment(in, x -> new NDList(field.render(manager, x.subList(0, params.size()), x.get(params.size())))).head();
            NDArray compared = a == null ? mu : tape.apply(a, mu); // a == null: y is a volume (supervised)
            NDArray loss = tape.segment(new NDList(compared, y), x -> new NDList(x.get(0).sub(x.get(1)).square().mean())).head();
            tape.backward(loss);
            for (int i = 0; i < grads.length; i++) grads[i] = tape.gradient(params.get(i)).toFloatArray();
            double value = loss.getFloat();
            for (NDArray p : params) p.close();
            return value;
        }
    }

    /** A scale of μ from the data: the largest line integral over the longest side of the volume's box. */
    static double outputScale(ProjectionStack projections, VolumeGrid grid) {
        double max = 0;
        for (float v : projections.data()) max = Math.max(max, v);
        double extent = Math.max(grid.nx() * grid.dxMm(), Math.max(grid.ny() * grid.dyMm(), grid.nz() * grid.dzMm()));
        return max / extent;
    }

    static void checkProjections(ProjectionStack p, ConeBeamGeometry g) {
        if (p.views() != g.views() || p.rows() != g.detectorRows() || p.cols() != g.detectorCols()) {
            throw new IllegalArgumentException("projections are " + p.views() + "×" + p.rows() + "×" + p.cols()
                    + " (views×rows×cols), the geometry needs " + g.views() + "×" + g.detectorRows() + "×" + g.detectorCols());
        }
        boolean positive = false;
        float[] d = p.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) throw new IllegalArgumentException("projection value " + i + " is " + d[i] + ": a field cannot fit non-finite data");
            positive |= d[i] > 0;
        }
        if (!positive) throw new IllegalArgumentException("no line integral is positive: there is nothing for a field to fit (are these line integrals, not raw intensities?)");
    }

    /** CRC-32 of the projections and the geometry, so a checkpoint is only continued on the scan it belongs to. */
    static String scanFingerprint(ProjectionStack p, ConeBeamGeometry g) {
        CRC32 crc = new CRC32();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * p.data().length);
        b.asFloatBuffer().put(p.data());
        crc.update(b.array());
        crc.update(GeometryJson.toJson(g).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "scan crc32 %08x", crc.getValue());
    }

    private static int[] sizes(float[][] values) {
        int[] s = new int[values.length];
        for (int i = 0; i < s.length; i++) s[i] = values[i].length;
        return s;
    }

    private static long resume(Path checkpoint, String identity, NeuralField field, int trainable, Adam adam) {
        if (checkpoint == null || !Files.exists(checkpoint)) return 0;
        Checkpoint c;
        try {
            c = Checkpoint.read(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume the field fit from " + checkpoint + ": " + e.getMessage(), e);
        }
        if (!c.identity().equals(identity)) {
            throw new IllegalArgumentException(checkpoint + " holds a fit of another scan or other settings (" + c.identity().replace('\n', ' ')
                    + "); this fit is " + identity.replace('\n', ' ') + ". Delete it or give another --checkpoint");
        }
        List<String> names = field.names().subList(0, trainable);
        if (!List.of(c.names()).equals(names)) throw new IllegalArgumentException(checkpoint + " has parameters " + List.of(c.names()) + ", the fit " + names);
        for (int i = 0; i < c.values().length; i++) {
            if (c.values()[i].length != field.values()[i].length) throw new IllegalArgumentException(checkpoint + ": parameter " + c.names()[i] + " has the wrong size");
            System.arraycopy(c.values()[i], 0, field.values()[i], 0, c.values()[i].length);
        }
        adam.restore(c.adam());
        return c.stepsDone();
    }

    private static void save(Path checkpoint, String identity, NeuralField field, int trainable, Adam adam, long done) {
        try {
            Path parent = checkpoint.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            new Checkpoint(identity, done, 0, field.names().subList(0, trainable).toArray(new String[0]),
                    java.util.Arrays.copyOf(field.values(), trainable), adam.state()).write(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the field checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** MemAvailable from /proc/meminfo, or the JVM's idea of free physical memory where that file is absent. */
    static long availableNativeBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getFreeMemorySize();
        return Long.MAX_VALUE;
    }
}
