package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An invertible cell with additive coupling (Dinh et al., NICE, 2015; as in Rudzusika et al.'s
 * invertible learned primal-dual / LIRE): the state's channels are split into halves {@code x = [x1, x2]}
 * and, with a conditioning input {@code aux} that the cell does not change,
 * <pre>
 *   y1 = x1 + F([x2, aux])          x2 = y2 − G([y1, aux])
 *   y2 = x2 + G([y1, aux])          x1 = y1 − F([x2, aux])      (inverse, exact up to round-off)
 * </pre>
 * F and G are {@link UpdateCnn}s ({@code conv → PReLU → conv} with 2 layers). Because the inverse
 * recomputes the input from the output, a training sweep need not keep the cell's input.
 *
 * <p>Shapes: state {@code x (N, C, spatial)} with {@code C} even, {@code aux (N, A, spatial)}; output
 * {@code (N, C, spatial)}. {@link #initialize} takes the shapes of {@code x} and {@code aux}. Children, in
 * this frozen order: {@code f, g}. The last convolution of F and G starts at zero, so an untrained cell
 * is the identity.
 */
public final class AdditiveCouplingCell extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int channels;
    private final UpdateCnn f, g;

    /**
     * @param channels state channels, even and ≥ 2
     * @param layers convolutions in F and G, ≥ 2
     */
    public AdditiveCouplingCell(int dimensions, int channels, int filters, int kernelSize, int layers) {
        super(VERSION);
        if (channels < 2 || channels % 2 != 0) {
            throw new IllegalArgumentException("an additive coupling cell splits its channels in halves: need an even count ≥ 2, got " + channels);
        }
        this.channels = channels;
        this.f = addChildBlock("f", half(dimensions, filters, kernelSize, layers));
        this.g = addChildBlock("g", half(dimensions, filters, kernelSize, layers));
    }

    private UpdateCnn half(int dimensions, int filters, int kernelSize, int layers) {
        return UpdateCnn.builder().setDimensions(dimensions).setOutputChannels(channels / 2)
                .optFilters(filters).optKernelSize(kernelSize).optLayers(layers).build();
    }

    public int channels() {
        return channels;
    }

    /**
     * {@code y = cell(x; aux)}. Recorded by autograd when it is on. Each coupling function's temporaries are
     * released when it returns (an autograd graph keeps what it needs by itself), so at most one
     * function's intermediate arrays are referenced at a time.
     */
    public NDArray forward(ParameterStore store, NDArray x, NDArray aux, boolean training) {
        check(x);
        int c = channels / 2;
        NDArray x1 = x.get(":, 0:" + c), x2 = x.get(":, " + c + ":");
        NDArray y1 = coupled(x1, f, x2, aux, store, training, false);
        NDArray y2 = coupled(x2, g, y1, aux, store, training, false);
        return NDArrays.concat(new NDList(y1, y2), 1);
    }

    /** The {@code x} with {@code forward(x, aux) = y}, recomputed from {@code y} (call with autograd off). */
    public NDArray inverse(ParameterStore store, NDArray y, NDArray aux) {
        check(y);
        int c = channels / 2;
        NDArray y1 = y.get(":, 0:" + c), y2 = y.get(":, " + c + ":");
        NDArray x2 = coupled(y2, g, y1, aux, store, false, true);
        NDArray x1 = coupled(y1, f, x2, aux, store, false, true);
        return NDArrays.concat(new NDList(x1, x2), 1);
    }

    /** {@code base ± fn([other, aux])} in a scope of its own; only the result survives it. */
    private static NDArray coupled(NDArray base, UpdateCnn fn, NDArray other, NDArray aux, ParameterStore store, boolean training,
                                   boolean subtract) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            NDArray t = fn.forward(store, new NDList(NDArrays.concat(new NDList(other, aux), 1)), training).head();
            out = subtract ? base.sub(t) : base.add(t);
            NDScope.unregister(out);
        }
        NDScope.register(out); // unregister took it out of every scope: hand it to the caller's
        return out;
    }

    private void check(NDArray x) {
        if (x.getShape().dimension() < 3 || x.getShape().get(1) != channels) {
            throw new IllegalArgumentException("the cell's state must be (N, " + channels + ", spatial), got " + x.getShape());
        }
    }

    /** Inputs {@code [x, aux]}, output {@code [y]}. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) throw new IllegalArgumentException("a coupling cell takes [state, aux], got " + inputs.size() + " arrays");
        return new NDList(forward(store, inputs.get(0), inputs.get(1), training));
    }

    /** @param inputShapes the shapes of the state and of {@code aux} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 2) throw new IllegalArgumentException("initialize with the shapes of the state and aux, got " + inputShapes.length);
        long[] s = inputShapes[0].getShape().clone();
        s[1] = channels / 2 + inputShapes[1].get(1);
        f.initialize(manager, dataType, new Shape(s));
        g.initialize(manager, dataType, new Shape(s));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
