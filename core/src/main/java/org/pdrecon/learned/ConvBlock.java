package org.pdrecon.learned;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * One level of {@link UNetPostProcessing}: {@code layers} × (convolution → PReLU), {@code filters}
 * channels out of each, zero padding that keeps the spatial size, DJL's default (Xavier) initialisation.
 * Children, in this frozen order: {@code conv_1, prelu_1, …, conv_L, prelu_L}. The input channel count
 * is taken from the shape given to {@code initialize}.
 */
final class ConvBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int filters;

    ConvBlock(int dimensions, int filters, int kernelSize, int layers) {
        super(VERSION);
        TorchRuntime.configure(); // oneDNN off before any convolution exists
        this.filters = filters;
        for (int l = 1; l <= layers; l++) {
            addChildBlock("conv_" + l, convolution(dimensions, filters, kernelSize));
            addChildBlock("prelu_" + l, PRelu.builder().optChannels(filters).build());
        }
    }

    /** A convolution with {@code filters} outputs and size-keeping zero padding. */
    static Block convolution(int dims, int filters, int kernel) {
        int pad = kernel / 2;
        if (dims == 2) {
            return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(pad, pad)).setFilters(filters).build();
        }
        return Conv3d.builder().setKernelShape(new Shape(kernel, kernel, kernel)).optPadding(new Shape(pad, pad, pad)).setFilters(filters).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (Block child : children.values()) x = child.forward(store, x, training);
        return x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        initializeInSequence(children.values(), manager, dataType, inputShapes);
    }

    /** Initialises {@code blocks} as a chain: each one with the output shapes of the one before. */
    static void initializeInSequence(Iterable<Block> blocks, NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : blocks) {
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] out = Arrays.copyOf(inputShapes[0].getShape(), inputShapes[0].dimension());
        out[1] = filters;
        return new Shape[] {new Shape(out)};
    }
}
