package org.pdrecon.reconstruct;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.learned.Initialisers;
import org.pdrecon.learned.ModelEnvelope;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.learned.OperatorNormCache;
import org.pdrecon.learned.OperatorNorms;
import org.pdrecon.learned.PrimalDualNetwork;
import org.pdrecon.learned.UpdateCnn;
import org.pdrecon.operators.NDArrayOperator;

/**
 * Applies a trained model ({@code models/<name>/} or a run's {@code model/}) to a scan: the initialiser
 * the model was trained with gives {@code x0}, ‖A‖ is estimated for the scan's geometry as in training,
 * and the network returns μ in 1/mm on the geometry's grid. A 2D model needs a single-slice volume and
 * one detector row, a 3D model more than one of each; anything else is refused with a message saying
 * which. A {@link Reconstructor}, so commands can use it next to FDK and the iterative methods. Not
 * thread-safe; close it to free the model.
 *
 * <p>A model whose config.json states an {@link ModelEnvelope envelope} refuses a scan outside it (geometry
 * before any work, attenuation scale after the initialiser), in one line naming what is out of range;
 * {@link #setForce} runs anyway and keeps the finding in {@link #warnings()}.
 */
public final class LearnedReconstructor implements Reconstructor, AutoCloseable {
    private final NDManager manager;
    private final PrimalDualNetwork model;
    private final String initialiser;
    private final Device device;
    private final String name;
    private final ModelEnvelope envelope; // null: the model states none
    private String normGeometry;
    private double normForGeometry;
    private boolean force;
    private final java.util.List<String> warnings = new java.util.ArrayList<>();

    private LearnedReconstructor(NDManager manager, PrimalDualNetwork model, String initialiser, Device device, String name,
                                 ModelEnvelope envelope) {
        this.manager = manager;
        this.model = model;
        this.initialiser = initialiser;
        this.device = device;
        this.name = name;
        this.envelope = envelope;
    }

    /** Run on scans outside the model's envelope too (each finding goes to {@link #warnings()}). */
    public LearnedReconstructor setForce(boolean force) {
        this.force = force;
        return this;
    }

    /** Envelope findings of forced runs, one line each, in order. */
    public java.util.List<String> warnings() {
        return java.util.List.copyOf(warnings);
    }

    /** The model's envelope, or {@code null} if its config.json states none. */
    public ModelEnvelope envelope() {
        return envelope;
    }

    /** Loads the model in {@code dir} onto {@code device}. */
    public static LearnedReconstructor load(Path dir, Device device) throws IOException {
        Objects.requireNonNull(device, "device");
        String initialiser = "fdk";
        JsonElement root = JsonParser.parseString(Files.readString(dir.resolve(ModelFiles.CONFIG), StandardCharsets.UTF_8));
        ModelEnvelope envelope = root.isJsonObject() ? ModelEnvelope.fromJson(root.getAsJsonObject()) : null;
        if (root.isJsonObject() && root.getAsJsonObject().has("training")) {
            JsonObject data = root.getAsJsonObject().getAsJsonObject("training").getAsJsonObject("data");
            if (data != null && data.has("initialiser")) initialiser = data.get("initialiser").getAsString();
        }
        if (!Initialisers.NAMES.contains(initialiser)) {
            throw new IllegalArgumentException(dir + " was trained with initialiser \"" + initialiser + "\", which this build lacks");
        }
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new LearnedReconstructor(manager, ModelFiles.loadNetwork(dir, manager), initialiser, device,
                    String.valueOf(dir.toAbsolutePath().normalize().getFileName()), envelope);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Runs the network's 3D CNNs on z-slabs of at most {@code slices} slices (0: whole volume); see {@link UpdateCnn#setPatchSlices(int)}. */
    public LearnedReconstructor setPatchSlices(int slices) {
        UpdateCnn.setPatchSlices(model, slices);
        return this;
    }

    /** The network, plain or invertible (its {@code architecture()} says which). */
    public PrimalDualNetwork model() {
        return model;
    }

    /** The model directory's name, e.g. {@code lpd-fan2d}. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        var c = model.config();
        if (model.architecture().equals(org.pdrecon.learned.UNetPostProcessing.ARCHITECTURE)) {
            return String.format(java.util.Locale.ROOT, "U-Net post-processing %s (%dD, %d levels, %d base filters, on x0 = %s)", name,
                    c.dimensions(), c.iterations(), c.filters(), initialiser);
        }
        return String.format(java.util.Locale.ROOT, "learned primal-dual %s (%dD, %d iterations, %d filters, x0 = %s)", name,
                c.dimensions(), c.iterations(), c.filters(), initialiser);
    }

    /** Reconstructs {@code projections} (line integrals, shaped as the geometry's detector and views). */
    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry) {
        return reconstruct(projections, geometry, Progress.NONE);
    }

    /**
     * {@link #reconstruct(ProjectionStack, ConeBeamGeometry)} with progress in steps: the initialiser (1), the
     * ‖A‖ power iterations ({@value ModelGeometry#NORM_ITERATIONS}; passed at once when the norm is known) and the
     * network's unrolled iterations, each with a status word.
     */
    @Override
    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        ModelGeometry.requireCompatible(model.config(), geometry);
        if (projections.views() != geometry.views() || projections.rows() != geometry.detectorRows()
                || projections.cols() != geometry.detectorCols()) {
            throw new IllegalArgumentException("projections are " + projections.views() + "×" + projections.rows() + "×"
                    + projections.cols() + " (views×rows×cols), the geometry needs " + geometry.views() + "×"
                    + geometry.detectorRows() + "×" + geometry.detectorCols());
        }
        NDArrayOperator op = ModelGeometry.operator(geometry, device, model.config().subsets());
        int dims = model.config().dimensions();
        Shape xs = ModelGeometry.primalShape(1, geometry, dims), ys = ModelGeometry.dualShape(1, geometry, dims);
        java.util.List<String> outside = envelope == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(envelope.geometryViolations(geometry));
        if (!outside.isEmpty() && !force) throw outsideEnvelope(outside);
        boolean usesOperator = !model.architecture().equals(org.pdrecon.learned.UNetPostProcessing.ARCHITECTURE);
        int normSteps = usesOperator ? ModelGeometry.NORM_ITERATIONS : 0, iterations = usesOperator ? model.config().iterations() : 1;
        long total = 1 + normSteps + iterations;
        p.update(0, total);
        p.status("initialiser " + initialiser);
        float[] x0 = Initialisers.initialise(initialiser, geometry, ModelGeometry.cpuOperator(geometry), manager, projections.data());
        p.update(1, total);
        if (envelope != null) {
            String mu = envelope.attenuationViolation(ModelEnvelope.muScale(x0, ModelEnvelope.scaleMask(geometry)));
            if (mu != null) outside.add(mu);
            if (!outside.isEmpty() && !force) throw outsideEnvelope(outside);
            for (String o : outside) warnings.add("outside the envelope of model " + name + " (run with --force): " + o);
        }
        try (NDScope scope = new NDScope()) {
            NDArray y = manager.create(projections.data(), ys), x = manager.create(x0, xs);
            p.status("‖A‖");
            double norm = usesOperator ? operatorNorm(op, geometry, i -> p.update(1 + i, total)) : 1;
            p.update(1 + normSteps, total);
            p.status("network");
            model.setIterationListener(k -> p.update(1 + normSteps + k, total));
            try {
                NDArray out = model.reconstruct(new ParameterStore(manager, false), op, norm, y, x);
                p.update(total, total);
                return new Volume(geometry.volume(), out.toFloatArray());
            } finally {
                model.setIterationListener(k -> {});
            }
        }
    }

    /** The words every envelope refusal contains, so callers can tell it from other bad input. */
    public static final String OUTSIDE_ENVELOPE = "lies outside what model";

    private IllegalArgumentException outsideEnvelope(java.util.List<String> outside) {
        return refusal(name, outside);
    }

    /** The one-line refusal of a scan outside model {@code name}'s envelope, shared by every learned method. */
    public static IllegalArgumentException refusal(String name, java.util.List<String> outside) {
        return new IllegalArgumentException("the scan " + OUTSIDE_ENVELOPE + " " + name + " was trained on: " + String.join("; ", outside)
                + " (its results there are unmeasured and may be quantitatively wrong; --force runs it anyway)");
    }

    /**
     * ‖A‖ for {@code geometry}, kept for the last geometry seen and on disk ({@link OperatorNormCache}): its 30
     * power iterations apply A and Aᵀ more often than the network itself does, and evaluation and clinics
     * reconstruct many scans of one geometry.
     */
    private double operatorNorm(NDArrayOperator op, ConeBeamGeometry geometry, java.util.function.IntConsumer afterIteration) {
        String key = GeometryJson.toJson(geometry);
        if (!key.equals(normGeometry)) {
            normForGeometry = OperatorNormCache.normFor(geometry, "joseph-" + (device.isGpu() ? "gpu" : "cpu"),
                    () -> OperatorNorms.estimate(op, manager, ModelGeometry.NORM_ITERATIONS, afterIteration));
            normGeometry = key;
        }
        return normForGeometry;
    }

    @Override
    public void close() {
        manager.close();
    }
}
