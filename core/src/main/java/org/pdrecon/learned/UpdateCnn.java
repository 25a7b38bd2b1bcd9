package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Arrays;
import org.pdrecon.operators.tape.Numerics;

/**
 * One learned update of {@link LearnedPrimalDual}: a plain CNN of {@code layers} convolutions,
 * {@code conv → PReLU → … → conv}, with {@code filters} channels between layers and zero padding that
 * keeps the spatial size. It returns the increment only; the residual sum is taken by the caller.
 *
 * <p>Shapes: input {@code (N, inChannels, H, W)} in 2D or {@code (N, inChannels, D, H, W)} in 3D;
 * output {@code (N, outChannels, same spatial size)}. Children, in this frozen order (checkpoint names
 * depend on it): {@code conv_1, prelu_1, conv_2, prelu_2, …, conv_L}; each PReLU has one slope per
 * channel. The number of input channels is taken from the shape given to {@code initialize}.
 *
 * <p>Initialisation: DJL's defaults (Xavier weights, zero biases, PReLU slope 0.25), except that the last
 * convolution's weights start at zero (a zero-initialised residual branch, as in Goyal et al. 2017), so
 * the untrained update adds nothing.
 */
public final class UpdateCnn extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int dimensions, outChannels, halo;
    private int patchSlices; // 0: the whole input at once
    private String label = "update CNN"; // where --check-numerics says a NaN appeared

    private UpdateCnn(Builder b) {
        super(VERSION);
        TorchRuntime.configure(); // oneDNN off before any convolution exists (TorchRuntime says why)
        this.dimensions = b.dimensions;
        this.outChannels = b.outChannels;
        this.halo = b.layers * (b.kernelSize / 2);
        for (int l = 1; l <= b.layers; l++) {
            boolean last = l == b.layers;
            int filters = last ? b.outChannels : b.filters;
            Block conv = addChildBlock("conv_" + l, ConvBlock.convolution(b.dimensions, filters, b.kernelSize));
            // The last layer starts at zero, so an untrained update is the identity on its memory and the
            // untrained network returns x0; a random last layer makes the 10-iteration unroll blow up
            // (measured in docs/learned.md). A parent's setInitializer still overrides this.
            if (last) conv.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            if (!last) addChildBlock("prelu_" + l, PRelu.builder().optChannels(filters).build());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Shape in = inputs.singletonOrThrow().getShape();
        if (in.dimension() != dimensions + 2) {
            throw new IllegalArgumentException("a " + dimensions + "D update CNN needs input (N, C, "
                    + (dimensions == 2 ? "H, W" : "D, H, W") + "), got " + in);
        }
        if (patchSlices == 0 || dimensions != 3 || in.get(2) <= patchSlices) return layers(store, inputs, training);
        NDArray x = inputs.singletonOrThrow();
        long depth = in.get(2);
        NDList parts = new NDList();
        for (long z0 = 0; z0 < depth; z0 += patchSlices) {
            long z1 = Math.min(depth, z0 + patchSlices), a = Math.max(0, z0 - halo), b = Math.min(depth, z1 + halo);
            NDArray centre;
            try (NDScope scope = new NDScope()) { // only the slab's centre outlives its intermediates
                NDArray out = layers(store, new NDList(x.get(":, :, " + a + ":" + b)), training).singletonOrThrow();
                centre = out.get(":, :, " + (z0 - a) + ":" + (z1 - a));
                NDScope.unregister(centre);
            }
            NDScope.register(centre);
            parts.add(centre);
        }
        return new NDList(NDArrays.concat(parts, 2));
    }

    private NDList layers(ParameterStore store, NDList inputs, boolean training) {
        NDList x = inputs;
        for (int i = 0; i < children.size(); i++) {
            x = children.get(i).getValue().forward(store, x, training);
            if (Numerics.enabled()) Numerics.check("forward: " + label + " " + children.get(i).getKey() + " output", x.head());
        }
        return x;
    }

    /** Names every update CNN inside {@code root} by its path of child names, for {@code --check-numerics}. */
    public static void labelAll(Block root, String path) {
        if (root instanceof UpdateCnn u) u.label = path;
        var kids = root.getChildren();
        for (int i = 0; i < kids.size(); i++) labelAll(kids.get(i).getValue(), path.isEmpty() ? kids.get(i).getKey() : path + "." + kids.get(i).getKey());
    }

    /**
     * Patch-wise execution for volumes whose activations do not fit: a 3D CNN then runs on z-slabs of
     * at most {@code slices} output slices, each with a halo of {@code layers·⌊kernel/2⌋} slices of real
     * input on either side, so every output voxel sees exactly what it sees on the whole volume (results
     * equal up to float round-off) while only one slab's activations are alive at a time. Pays off in
     * inference; under autograd the graph still holds every slab. 0 (the default) runs the whole input;
     * 2D CNNs ignore it.
     */
    public void setPatchSlices(int slices) {
        if (slices < 0) throw new IllegalArgumentException("patch slices must be ≥ 0 (0: whole volume), got " + slices);
        this.patchSlices = slices;
    }

    /** {@link #setPatchSlices} on every update CNN inside {@code root} (a whole network). */
    public static void setPatchSlices(Block root, int slices) {
        if (root instanceof UpdateCnn u) u.setPatchSlices(slices);
        for (Block child : root.getChildren().values()) setPatchSlices(child, slices);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        ConvBlock.initializeInSequence(children.values(), manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] s = inputShapes[0].getShape();
        long[] out = Arrays.copyOf(s, s.length);
        out[1] = outChannels;
        return new Shape[] {new Shape(out)};
    }

    /** Builder: {@code set*} required, {@code opt*} optional (defaults 32 filters, kernel 3, 3 layers). */
    public static final class Builder {
        private int dimensions, outChannels, filters = 32, kernelSize = 3, layers = 3;

        /** 2 for {@code Conv2d}, 3 for {@code Conv3d}. */
        public Builder setDimensions(int dims) { this.dimensions = dims; return this; }
        public Builder setOutputChannels(int channels) { this.outChannels = channels; return this; }
        public Builder optFilters(int filters) { this.filters = filters; return this; }
        public Builder optKernelSize(int kernel) { this.kernelSize = kernel; return this; }
        public Builder optLayers(int layers) { this.layers = layers; return this; }

        public UpdateCnn build() {
            if (dimensions != 2 && dimensions != 3) throw new IllegalArgumentException("dimensions must be 2 or 3, got " + dimensions);
            if (outChannels < 1) throw new IllegalArgumentException("output channels must be at least 1, got " + outChannels);
            if (filters < 1) throw new IllegalArgumentException("filters must be at least 1, got " + filters);
            if (kernelSize < 1 || kernelSize % 2 == 0) throw new IllegalArgumentException("kernel size must be odd and positive, got " + kernelSize);
            if (layers < 2) throw new IllegalArgumentException("layers must be at least 2, got " + layers);
            return new UpdateCnn(this);
        }
    }
}
