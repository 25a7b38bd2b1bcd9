package org.pdrecon.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.learned.Initialisers;
import org.pdrecon.learned.LearnedPrimalDualConfig;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.learned.PrimalDualNetwork;
import org.pdrecon.learned.UpdateCnn;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.preprocessing.DetectorCorrections;

/**
 * What learned inference costs on a large scan, phase by phase (not a test; run by hand, one JVM per
 * configuration; docs/learned.md, "Inference at clinical size"):
 * <pre>
 *   java -cp ... org.pdrecon.training.InferenceProbe CONFIG SCAN_DIR BINNING PATCH_SLICES
 * </pre>
 * {@code CONFIG} is a training config whose {@code model} gives the network's sizes, variant and view subsets;
 * the weights are the untrained ones (the cost of a pass does not depend on their values). {@code SCAN_DIR} is a
 * {@code pdrecon simulate} dataset (its {@code geometry.json} and sample 0000's projections), binned
 * {@code BINNING}× on the detector first as {@code import --bin} would. Prints the seconds of: the FDK
 * initialiser, one power iteration of ‖A‖ (the estimate runs {@value ModelGeometry#NORM_ITERATIONS}), and the
 * network; and the process's peak resident memory ({@code VmHWM}).
 */
public final class InferenceProbe {
    private InferenceProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) throw new IllegalArgumentException("usage: InferenceProbe CONFIG SCAN_DIR BINNING PATCH_SLICES");
        TrainingConfig config = TrainingConfig.load(Path.of(args[0]));
        Path scan = Path.of(args[1]);
        int binning = Integer.parseInt(args[2]), patch = Integer.parseInt(args[3]);
        ConeBeamGeometry g = GeometryJson.read(scan.resolve("geometry.json"));
        ProjectionStack p = MetaImage.readProjections(scan.resolve("samples/0000/projections.mha"));
        if (binning > 1) {
            DetectorCorrections.Scan b = DetectorCorrections.bin(p, g, binning);
            p = b.projections();
            g = b.geometry();
        }
        LearnedPrimalDualConfig m = config.model();
        System.out.printf(Locale.ROOT, "scan %d views of %d×%d, volume %s; model %s, %d iterations, %d filters, %d subsets, patch slices %d%n",
                g.views(), g.detectorRows(), g.detectorCols(), g.volume(), config.variant(), m.iterations(), m.filters(), m.subsets(), patch);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            Shape xs = ModelGeometry.primalShape(1, g, m.dimensions()), ys = ModelGeometry.dualShape(1, g, m.dimensions());
            PrimalDualNetwork model = PrimalDualNetwork.create(config.variant(), m);
            model.initialize(manager, DataType.FLOAT32, xs, ys);
            UpdateCnn.setPatchSlices(model, patch);
            NDArrayOperator op = ModelGeometry.operator(g, Device.cpu(), m.subsets());

            long t0 = System.nanoTime();
            float[] x0 = Initialisers.initialise("fdk", g, ModelGeometry.cpuOperator(g), manager, p.data());
            long t1 = System.nanoTime();
            NDArray ones = manager.ones(new Shape(op.domainShape()[0], op.domainShape()[1], op.domainShape()[2]));
            NDArray back = op.adjoint().apply(op.apply(ones));
            double norm = Math.sqrt(back.norm().getFloat() / ones.norm().getFloat()); // one power step: a stand-in value
            back.close();
            long t2 = System.nanoTime();
            NDArray out = model.reconstruct(new ParameterStore(manager, false), op, norm, manager.create(p.data(), ys), manager.create(x0, xs));
            float[] result = out.toFloatArray();
            long t3 = System.nanoTime();
            boolean finite = true;
            for (float v : result) finite &= Float.isFinite(v);
            System.out.printf(Locale.ROOT, "fdk_s=%.1f one_power_iteration_s=%.1f network_s=%.1f peak_rss_MB=%.0f finite=%b%n",
                    (t1 - t0) * 1e-9, (t2 - t1) * 1e-9, (t3 - t2) * 1e-9, status("VmHWM") / 1024.0, finite);
        }
    }

    private static long status(String field) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }
}
