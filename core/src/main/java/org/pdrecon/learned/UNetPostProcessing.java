package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

/**
 * Post-processing of the FDK reconstruction by a residual U-Net (FBPConvNet: Jin, McCann, Froustey &amp;
 * Unser, IEEE TIP 26(9), 2017): {@code x = x0 + U(x0)}. It sees only {@code x0}, never the data or the
 * operator, which makes it the standard learned baseline a learned iterative method has to beat.
 *
 * <pre>
 *   level 0 … L−1 down:  h ← ConvBlock_l(h) (F·2^l channels); keep h as skip l; h ← 2× average pooling
 *   level L−2 … 0 up:    h ← 2× nearest upsampling; h ← ConvBlock([h, skip l]) (F·2^l channels)
 *   out:                 1×1 convolution to one channel, zero-initialised (the untrained net returns x0)
 * </pre>
 * Sizes come from {@link LearnedPrimalDualConfig} read for this variant ({@code "variant": "unet"}):
 * {@code levels} (stored as {@code iterations}) resolution levels, {@code filters} = F, {@code layers}
 * convolutions per level, {@code kernel_size}, {@code value_scale}; the channel counts are unused. Every
 * spatial size must be divisible by 2^(L−1). Children, in this frozen order: {@code down_0 … down_{L−1},
 * up_{L−2} … up_0, out}. Shapes as {@link LearnedPrimalDual}'s {@code x0}.
 */
public final class UNetPostProcessing extends AbstractBlock implements PrimalDualNetwork {
    private static final byte VERSION = 1;
    public static final String ARCHITECTURE = "unet_post_processing";

    private final LearnedPrimalDualConfig config;
    private final List<Block> down = new ArrayList<>(), up = new ArrayList<>(); // up.get(l): level l
    private final Block out;

    public UNetPostProcessing(LearnedPrimalDualConfig config) {
        super(VERSION);
        this.config = Objects.requireNonNull(config, "config");
        if (config.subsets() != 1) throw new IllegalArgumentException("model.subsets applies to the primal-dual variants; the U-Net uses no operator");
        int levels = config.iterations(), d = config.dimensions();
        for (int l = 0; l < levels; l++) down.add(addChildBlock("down_" + l, new ConvBlock(d, width(l), config.kernelSize(), config.layers())));
        for (int l = 0; l < levels - 1; l++) up.add(null);
        for (int l = levels - 2; l >= 0; l--) up.set(l, addChildBlock("up_" + l, new ConvBlock(d, width(l), config.kernelSize(), config.layers())));
        out = addChildBlock("out", ConvBlock.convolution(d, 1, 1));
        out.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    }

    private int width(int level) {
        return config.filters() << level;
    }

    @Override
    public LearnedPrimalDualConfig config() {
        return config;
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    /** The residual correction {@code U(x)} of {@code x} (working units). */
    private NDArray correction(ParameterStore store, NDArray x, boolean training) {
        List<NDArray> skips = new ArrayList<>();
        NDArray h = x;
        for (int l = 0; l < down.size(); l++) {
            h = down.get(l).forward(store, new NDList(h), training).head();
            if (l < down.size() - 1) {
                skips.add(h);
                h = halve(h);
            }
        }
        for (int l = up.size() - 1; l >= 0; l--) {
            h = NDArrays.concat(new NDList(doubleSize(h), skips.get(l)), 1);
            h = up.get(l).forward(store, new NDList(h), training).head();
        }
        return out.forward(store, new NDList(h), training).head();
    }

    /** 2× average pooling along every spatial axis, as a reshape and a mean (sizes are even: checked at initialisation). */
    private static NDArray halve(NDArray h) {
        long[] s = h.getShape().getShape();
        int spatial = s.length - 2;
        long[] split = new long[2 + 2 * spatial];
        int[] axes = new int[spatial];
        split[0] = s[0];
        split[1] = s[1];
        for (int i = 0; i < spatial; i++) {
            split[2 + 2 * i] = s[2 + i] / 2;
            split[3 + 2 * i] = 2;
            axes[i] = 3 + 2 * i;
        }
        NDArray r = h.reshape(new Shape(split));
        for (int i = spatial - 1; i >= 0; i--) r = r.mean(new int[] {axes[i]}); // libtorch's mean in DJL takes one axis at a time
        return r;
    }

    /** 2× nearest-neighbour upsampling along every spatial axis. */
    private static NDArray doubleSize(NDArray h) {
        NDArray u = h;
        for (int axis = 2; axis < h.getShape().dimension(); axis++) u = u.repeat(axis, 2);
        return u;
    }

    /** The forward pass as one segment of {@code tape}, then {@code tape.backward}; {@code op} and {@code y} are unused. */
    @Override
    public NDArray trainingLoss(SegmentTape tape, ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0,
                                UnaryOperator<NDArray> loss) {
        NDArray l = loss.apply(reconstruct(tape, store, x0, true));
        tape.backward(l);
        return l;
    }

    /** {@code x0 + U(x0)} as a value of {@code tape}; values pass through the network scaled by {@code value_scale}. */
    public NDArray reconstruct(SegmentTape tape, ParameterStore store, NDArray x0, boolean training) {
        NDArray scale = tape.constant(x0.getManager(), config.valueScale(), x0.getDataType());
        return tape.segment(new NDList(x0), in -> {
            NDArray x = in.get(0);
            return new NDList(x.add(correction(store, x.mul(scale), training).div(scale)));
        }).head();
    }

    @Override
    public NDArray reconstruct(ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0) {
        try (SegmentTape tape = new SegmentTape(SegmentTape.Mode.RECOMPUTE)) {
            NDArray r = reconstruct(tape, store, x0, false);
            NDArray copy = r.duplicate();
            copy.attach(x0.getManager());
            return copy;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray scale = x.getManager().create(new float[] {(float) config.valueScale()}); // an array, never mul(Number) (DESIGN.md)
        return new NDList(x.add(correction(store, x.mul(scale), training).div(scale)));
    }

    /** @param inputShapes the shape of {@code x0} (a second shape, of {@code y}, is accepted and ignored) */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x0 = inputShapes[0];
        int rank = config.dimensions() + 2, levels = config.iterations();
        if (x0.dimension() != rank) throw new IllegalArgumentException("a " + config.dimensions() + "D U-Net needs a rank-" + rank + " x0, got " + x0);
        long factor = 1L << (levels - 1);
        for (int i = 2; i < rank; i++) {
            if (x0.get(i) % factor != 0) {
                throw new IllegalArgumentException("a U-Net of " + levels + " levels needs every image size divisible by " + factor + ", got " + x0
                        + " (choose fewer levels or another grid)");
            }
        }
        long[] s = x0.getShape().clone();
        List<Shape> skipShapes = new ArrayList<>();
        Shape h = new Shape(withChannels(s, 1));
        for (int l = 0; l < levels; l++) {
            down.get(l).initialize(manager, dataType, h);
            h = down.get(l).getOutputShapes(new Shape[] {h})[0];
            if (l < levels - 1) {
                skipShapes.add(h);
                long[] half = h.getShape().clone();
                for (int i = 2; i < rank; i++) half[i] /= 2;
                h = new Shape(half);
            }
        }
        for (int l = levels - 2; l >= 0; l--) {
            Shape skip = skipShapes.get(l);
            Shape in = new Shape(withChannels(skip.getShape(), h.get(1) + skip.get(1)));
            up.get(l).initialize(manager, dataType, in);
            h = up.get(l).getOutputShapes(new Shape[] {in})[0];
        }
        out.initialize(manager, dataType, h);
    }

    private static long[] withChannels(long[] shape, long channels) {
        long[] s = shape.clone();
        s[1] = channels;
        return s;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
