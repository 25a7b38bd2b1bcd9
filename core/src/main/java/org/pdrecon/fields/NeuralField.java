package org.pdrecon.fields;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.tape.EngineArrays;

/**
 * A neural field on a volume grid: μ(v) = s · softplus(MLP(features(v))) at every voxel centre v, with
 * the features from a {@link DenseGridEncoding}, an MLP of ReLU hidden layers and one linear output, and
 * a fixed scale {@code s} in 1/mm that makes the network's output of order one. μ ≥ 0 by construction.
 *
 * <p>The parameters live in Java float arrays ({@link #values()}), in a fixed order with names and
 * shapes, so that an optimiser, a checkpoint and a saved model all see the same list; {@link #render}
 * takes them as NDArrays (the caller's, e.g. tape inputs), so gradients flow to whatever the caller
 * passes. Initialisation is deterministic for a seed.
 */
public final class NeuralField {
    private final FieldConfig config;
    private final DenseGridEncoding encoding;
    private final double scale;
    private final List<String> names = new ArrayList<>();
    private final List<Shape> shapes = new ArrayList<>();
    private final float[][] values;
    private final int extraInputs;
    private float[] extra; // (voxels, extraInputs) row-major, or null

    /**
     * Sets the per-voxel values the MLP reads besides the grid (a conditioned field's prior), shaped
     * {@code (voxels, extraInputs)} row-major with voxels in {@code [z][y][x]} order; returns this field.
     */
    public NeuralField withInputs(float[] values) {
        if (values.length != (long) encoding.grid().voxelCount() * extraInputs) {
            throw new IllegalArgumentException("expected " + encoding.grid().voxelCount() + " × " + extraInputs + " input values, got " + values.length);
        }
        this.extra = values;
        return this;
    }

    /** Values per voxel the MLP reads besides the grid (0 for NAF). */
    public int extraInputs() {
        return extraInputs;
    }

    private NeuralField(FieldConfig config, VolumeGrid grid, double scale, float[][] values, int extraInputs) {
        this.config = config;
        this.encoding = new DenseGridEncoding(config, grid);
        this.scale = scale;
        for (int l = 0; l < config.levels(); l++) add("grid" + l, encoding.levelShape(l));
        if (extraInputs < 0) throw new IllegalArgumentException("extra inputs must be ≥ 0, got " + extraInputs);
        this.extraInputs = extraInputs;
        int in = config.encodedFeatures() + extraInputs;
        for (int k = 0; k < config.hiddenLayers(); k++) {
            add("w" + k, new Shape(config.hidden(), in));
            add("b" + k, new Shape(config.hidden(), 1));
            in = config.hidden();
        }
        add("w_out", new Shape(1, in));
        add("b_out", new Shape(1, 1));
        if (values == null) {
            values = new float[names.size()][];
            for (int i = 0; i < values.length; i++) values[i] = new float[Math.toIntExact(shapes.get(i).size())];
        } else if (values.length != names.size()) {
            throw new IllegalArgumentException("a field of this config has " + names.size() + " parameters, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != shapes.get(i).size()) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " needs " + shapes.get(i).size() + " values, got " + values[i].length);
            }
        }
        this.values = values;
    }

    private void add(String name, Shape shape) {
        names.add(name);
        shapes.add(shape);
    }

    /**
     * A fresh field: grid features uniform in ±10⁻⁴ (as Instant-NGP), hidden weights He-uniform, biases
     * zero, output weights uniform in ±1/√width and an output bias giving softplus = ½, i.e. μ = s/2
     * everywhere before fitting.
     *
     * @param scale {@code s} in 1/mm, positive
     */
    public static NeuralField initialise(FieldConfig config, VolumeGrid grid, double scale, long seed) {
        return initialise(config, grid, scale, seed, 0);
    }

    /**
     * {@link #initialise(FieldConfig, VolumeGrid, double, long)} for an MLP that also reads
     * {@code extraInputs} per-voxel values given at {@link #render} (a conditioned field's prior).
     */
    public static NeuralField initialise(FieldConfig config, VolumeGrid grid, double scale, long seed, int extraInputs) {
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("field scale must be positive, got " + scale);
        NeuralField f = new NeuralField(config, grid, scale, null, extraInputs);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < f.values.length; i++) {
            String n = f.names.get(i);
            float[] v = f.values[i];
            double bound;
            if (n.startsWith("grid")) bound = 1e-4;
            else if (n.equals("w_out")) bound = 1 / Math.sqrt(f.shapes.get(i).get(1));
            else if (n.startsWith("w")) bound = Math.sqrt(6.0 / f.shapes.get(i).get(1));
            else bound = 0;
            for (int j = 0; j < v.length; j++) v[j] = (float) (bound * (2 * random.nextDouble() - 1));
        }
        f.values[f.values.length - 1][0] = (float) Math.log(Math.expm1(0.5)); // softplus⁻¹(½)
        return f;
    }

    /** A field with the given parameter values (e.g. read from a checkpoint); the arrays are used, not copied. */
    public static NeuralField of(FieldConfig config, VolumeGrid grid, double scale, float[][] values) {
        return new NeuralField(config, grid, scale, values, 0);
    }

    /** A field with given values whose MLP also reads {@code extraInputs} per-voxel values. */
    public static NeuralField of(FieldConfig config, VolumeGrid grid, double scale, float[][] values, int extraInputs) {
        return new NeuralField(config, grid, scale, values, extraInputs);
    }

    public FieldConfig config() { return config; }

    public VolumeGrid grid() { return encoding.grid(); }

    /** The output scale {@code s} in 1/mm. */
    public double scale() { return scale; }

    public List<String> names() { return List.copyOf(names); }

    public List<Shape> shapes() { return List.copyOf(shapes); }

    /** The live parameter values, in {@link #names()} order (not copies). */
    public float[][] values() { return values; }

    /** The parameters as new arrays on {@code manager}, in {@link #names()} order. */
    public List<NDArray> parameterArrays(NDManager manager, DataType type) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) out.add(EngineArrays.copyOf(manager, values[i], shapes.get(i), type));
        return out;
    }

    /**
     * μ at every voxel centre, shaped {@code (nz, ny, nx)}, differentiable in {@code params}.
     *
     * @param params arrays shaped as {@link #shapes()}, in order
     * @param scale the scale {@code s} as a scalar array of the params' type (an engine-owned array, never
     *     a Java number: see docs/autodiff.md)
     */
    public NDArray render(NDManager manager, List<NDArray> params, NDArray scale) {
        if (extraInputs > 0 && extra == null) throw new IllegalStateException("this field's MLP reads " + extraInputs + " inputs per voxel besides the grid: give them with withInputs");
        if (params.size() != values.length) throw new IllegalArgumentException("expected " + values.length + " parameter arrays, got " + params.size());
        NDArray h = encoding.encode(manager, params.subList(0, config.levels())).transpose(); // (voxels, features)
        if (extraInputs > 0) h = h.concat(EngineArrays.copyOf(manager, extra, new Shape(encoding.grid().voxelCount(), extraInputs), h.getDataType()), 1);
        int p = config.levels();
        for (int k = 0; k < config.hiddenLayers(); k++, p += 2) h = Activation.relu(linear(h, params.get(p), params.get(p + 1)));
        NDArray out = linear(h, params.get(p), params.get(p + 1));
        VolumeGrid g = encoding.grid();
        return Activation.softPlus(out).mul(scale).reshape(g.nz(), g.ny(), g.nx());
    }

    /** {@code h·Wᵀ + b} in one engine call (fused, so no separate pass over the activations for the bias). */
    private static NDArray linear(NDArray h, NDArray w, NDArray b) {
        return h.getNDArrayInternal().linear(h, w, b.reshape(b.getShape().get(0))).head();
    }

    /** The field rendered as a volume on the CPU (no gradients recorded). */
    public Volume toVolume() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu()); NDScope scope = new NDScope()) {
            List<NDArray> p = parameterArrays(m, DataType.FLOAT32);
            NDArray s = EngineArrays.copyOf(m, new float[] {(float) scale}, new Shape(), DataType.FLOAT32);
            return new Volume(encoding.grid(), render(m, p, s).toFloatArray());
        }
    }
}
