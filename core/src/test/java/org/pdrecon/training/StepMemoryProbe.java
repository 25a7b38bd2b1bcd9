package org.pdrecon.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.learned.InvertiblePrimalDual;
import org.pdrecon.learned.LearnedPrimalDualConfig;
import org.pdrecon.learned.OperatorNorms;
import org.pdrecon.learned.PrimalDualNetwork;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

/**
 * Peak memory of one training step against the number of unrolled iterations (not a test; run by hand,
 * one configuration per JVM because the peak is process-wide; see docs/learned.md, "Memory against
 * unrolled iterations"):
 * <pre>
 *   MALLOC_MMAP_THRESHOLD_=131072 java -cp ... org.pdrecon.training.StepMemoryProbe CONFIG VARIANT ITERATIONS
 * </pre>
 * {@code VARIANT}: {@code store} or {@code recompute} (the plain learned primal-dual on a
 * {@link SegmentTape} in that mode, the config's sizes) or {@code invertible} ({@link InvertiblePrimalDual}:
 * 6 + 6 channels, coupling functions {@code conv(filters) → PReLU → conv}, the config's filters and kernel).
 * Builds the model, simulates training sample 0 of the config (CPU Java kernels as cuts, ‖A‖ by 30 power
 * iterations, as the trainer), runs one warm-up step, resets the kernel's peak-RSS counter
 * ({@code echo 5 > /proc/self/clear_refs}), runs one more step ({@link PrimalDualNetwork#trainingLoss} with the
 * trainer's MSE, gradients read into Java arrays as the trainer does) and prints the process's resident memory before that
 * step ({@code VmRSS}) and its peak during it ({@code VmHWM} from {@code /proc/self/status}).
 * {@code -Dprobe.warmup=false} measures the first step instead (no warm-up).
 */
public final class StepMemoryProbe {
    private StepMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            throw new IllegalArgumentException("usage: StepMemoryProbe CONFIG store|recompute|invertible ITERATIONS [PATCH_SLICES]");
        }
        int patchSlices = args.length == 4 ? Integer.parseInt(args[3]) : 0;
        TrainingConfig config = TrainingConfig.load(Path.of(args[0]));
        String variant = args[1];
        int iterations = Integer.parseInt(args[2]);
        LearnedPrimalDualConfig m = config.model();
        boolean invertible = variant.equals("invertible");
        LearnedPrimalDualConfig sizes = invertible
                ? new LearnedPrimalDualConfig(m.dimensions(), iterations, 6, 6, m.filters(), m.kernelSize(), 2, m.valueScale())
                : new LearnedPrimalDualConfig(m.dimensions(), iterations, m.primalChannels(), m.dualChannels(), m.filters(),
                        m.kernelSize(), m.layers(), m.valueScale(), m.subsets());
        SegmentTape.Mode mode = switch (variant) {
            case "store" -> SegmentTape.Mode.STORE;
            case "recompute", "invertible" -> SegmentTape.Mode.RECOMPUTE; // invertible: only the loss runs on a tape
            default -> throw new IllegalArgumentException("variant must be store, recompute or invertible, got " + variant);
        };
        SimulatedTrainingData data = new SimulatedTrainingData(config.data(), config.seed());
        ConeBeamGeometry g = data.geometry();
        TrainingSample sample = data.sample(0);
        Shape xs = org.pdrecon.learned.ModelGeometry.primalShape(1, g, m.dimensions());
        Shape ys = org.pdrecon.learned.ModelGeometry.dualShape(1, g, m.dimensions());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) config.seed());
            PrimalDualNetwork model = PrimalDualNetwork.create(invertible ? "invertible" : "plain", sizes);
            model.initialize(manager, DataType.FLOAT32, xs, ys);
            org.pdrecon.learned.UpdateCnn.setPatchSlices(model, patchSlices);
            NDArrayOperator op = org.pdrecon.learned.ModelGeometry.operator(g, ai.djl.Device.cpu(), sizes.subsets());
            double norm = OperatorNorms.estimate(op, manager, org.pdrecon.learned.ModelGeometry.NORM_ITERATIONS);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray y = manager.create(sample.projections(), ys), x0 = manager.create(sample.initial(), xs);
            NDArray target = manager.create(sample.target(), xs);
            // -Dprobe.warmup=false skips the warm-up step, halving a probe where one step takes an hour
            // (docs/learned.md compares both at 64³).
            double warm = Boolean.parseBoolean(System.getProperty("probe.warmup", "true"))
                    ? step(model, store, op, norm, y, x0, target, mode, sizes.valueScale(), manager) : Double.NaN;
            Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS
            long before = status("VmRSS");
            long t0 = System.nanoTime();
            double loss = step(model, store, op, norm, y, x0, target, mode, sizes.valueScale(), manager);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            long peak = status("VmHWM");
            System.out.printf(Locale.ROOT, "variant=%s iterations=%d patch_slices=%d params=%d rss_before_MB=%.1f peak_MB=%.1f step_added_MB=%.1f "
                            + "step_s=%.2f loss_warmup=%.6f loss=%.6f%n", variant, iterations, patchSlices, parameterCount(model), before / 1024.0,
                    peak / 1024.0, (peak - before) / 1024.0, seconds, warm, loss);
        }
    }

    /** One training step as the trainer runs it: forward, MSE in working units, backward, gradients to Java. */
    private static double step(PrimalDualNetwork model, ParameterStore store, NDArrayOperator op, double norm, NDArray y, NDArray x0,
                               NDArray target, SegmentTape.Mode mode, double valueScale, NDManager manager) {
        try (NDScope scope = new NDScope();
             GradientCollector gc = Engine.getInstance().newGradientCollector();
             SegmentTape tape = new SegmentTape(mode)) {
            SegmentTape.zeroGradients(model);
            NDArray scale = tape.constant(manager, valueScale, DataType.FLOAT32);
            double loss = model.trainingLoss(tape, store, op, norm, y, x0, out -> tape.segment(new NDList(out, target),
                    in -> new NDList(in.get(0).sub(in.get(1)).mul(scale).square().mean())).head()).getFloat();
            for (Pair<String, Parameter> p : model.getParameters()) p.getValue().getArray().getGradient().toFloatArray();
            return loss;
        }
    }

    private static long parameterCount(PrimalDualNetwork model) {
        long n = 0;
        for (Pair<String, Parameter> p : model.getParameters()) n += p.getValue().getArray().size();
        return n;
    }

    /** A {@code kB} field of {@code /proc/self/status}. */
    private static long status(String field) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }
}
