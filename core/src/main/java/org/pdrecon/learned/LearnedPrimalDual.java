package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

/**
 * Learned primal-dual reconstruction (Adler &amp; Öktem, "Learned Primal-Dual Reconstruction", IEEE TMI
 * 37(6), 2018, Algorithm 3), unrolled for {@code iterations} steps with residual CNN updates:
 * <pre>
 *   f ← [x0, …, x0] (primal, P channels)      h ← 0 (dual, D channels)
 *   for k = 0 … iterations−1:
 *     h ← h + Γ_k([h, A f⁽¹⁾, y])             dual update, sees the projection of primal channel 1
 *     f ← f + Λ_k([f, Aᵀ h⁽⁰⁾])               primal update, sees the backprojection of dual channel 0
 *   return f⁽⁰⁾
 * </pre>
 * With {@code subsets} K &gt; 1 ({@link ViewSubsets}), iteration k uses only view subset {@code s = k mod K}:
 * {@code A_s}, its data {@code y_s} and its own dual memory {@code h_s} (each starts at 0), so an iteration
 * costs 1/K of the projections, backprojections and dual CNN work of the whole scan; {@code op} must then be
 * split ({@link ModelGeometry#operator(org.pdrecon.geometry.ConeBeamGeometry, ai.djl.Device, int)}).
 * {@code x0} is the initial reconstruction (FDK in pdrecon) and {@code y} the measured line
 * integrals. Γ_k and Λ_k are {@link UpdateCnn}s; {@code A} and {@code Aᵀ} are the matched projector pair,
 * run as cuts of a {@link SegmentTape} (DJL autograd cannot record them), so the same forward pass serves
 * inference and training: the tape's backward sweep differentiates through the operators with
 * {@code Aᵀ} and {@code A}. The operator is normalised, {@code A / ‖A‖}, and values are scaled into
 * working units by {@link LearnedPrimalDualConfig#valueScale} (see {@link #reconstruct}).
 *
 * <p>Shapes (N is the batch): 2D ({@code dimensions = 2}, operator volume {@code (1, ny, nx)}, one
 * detector row): {@code x0 (N, 1, ny, nx)}, {@code y (N, 1, views, cols)}; 3D: {@code x0 (N, 1, nz, ny, nx)},
 * {@code y (N, 1, views, rows, cols)}. Output: shaped as {@code x0}, μ in the units of {@code x0}.
 *
 * <p>Children, in this frozen order (parameter files depend on it): {@code dual_0, primal_0, dual_1,
 * primal_1, …}. {@link #initialize} takes the shapes of {@code x0} and {@code y}. The plain
 * {@code forward} of a DJL block is not available (it has no operator); use {@link #reconstruct}.
 */
public final class LearnedPrimalDual extends AbstractBlock implements PrimalDualNetwork {
    private static final byte VERSION = 1;

    private final LearnedPrimalDualConfig config;
    private final List<UpdateCnn> dual = new ArrayList<>(), primal = new ArrayList<>();
    private java.util.function.IntConsumer iterationListener = k -> {};

    public LearnedPrimalDual(LearnedPrimalDualConfig config) {
        super(VERSION);
        this.config = Objects.requireNonNull(config, "config");
        for (int k = 0; k < config.iterations(); k++) {
            dual.add(addChildBlock("dual_" + k, cnn(config.dualChannels())));
            primal.add(addChildBlock("primal_" + k, cnn(config.primalChannels())));
        }
    }

    private UpdateCnn cnn(int out) {
        return UpdateCnn.builder().setDimensions(config.dimensions()).setOutputChannels(out)
                .optFilters(config.filters()).optKernelSize(config.kernelSize()).optLayers(config.layers()).build();
    }

    @Override
    public LearnedPrimalDualConfig config() {
        return config;
    }

    @Override
    public String architecture() {
        return "learned_primal_dual";
    }

    /** The forward pass on {@code tape} ({@link #reconstruct(SegmentTape, ParameterStore, NDArrayOperator, double, NDArray, NDArray, boolean)}), then {@code tape.backward}. */
    @Override
    public NDArray trainingLoss(SegmentTape tape, ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0,
                                java.util.function.UnaryOperator<NDArray> loss) {
        NDArray l = loss.apply(reconstruct(tape, store, op, operatorNorm, y, x0, true));
        tape.backward(l);
        return l;
    }

    @Override
    public void setIterationListener(java.util.function.IntConsumer listener) {
        this.iterationListener = Objects.requireNonNull(listener, "listener");
    }

    /** The dual update Γ_k of iteration {@code k}. */
    public UpdateCnn dualUpdate(int k) {
        return dual.get(k);
    }

    /** The primal update Λ_k of iteration {@code k}. */
    public UpdateCnn primalUpdate(int k) {
        return primal.get(k);
    }

    /**
     * Runs the network as segments and cuts of {@code tape} and returns the reconstruction, a value of
     * the tape (owned by it). For training, call inside a {@code GradientCollector} and then
     * {@code tape.backward(loss)} with a loss computed in a further segment.
     *
     * <p>As in Adler &amp; Öktem's code, the network sees the normalised operator {@code A / ‖A‖} and
     * data {@code y / ‖A‖}; values are multiplied by {@code valueScale} on the way in and divided on
     * the way out, so the result is in the units of {@code x0}.
     *
     * @param op the forward projector {@code A}, whose adjoint is the matched backprojector
     * @param operatorNorm ‖A‖ ({@link OperatorNorms#estimate}); the same value must be used in training and inference
     * @param y measured line integrals, shaped as the class comment says; not a tape value
     * @param x0 initial reconstruction, shaped as the class comment says
     */
    public NDArray reconstruct(SegmentTape tape, ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0,
                               boolean training) {
        if (!(operatorNorm > 0) || !Double.isFinite(operatorNorm)) throw new IllegalArgumentException("operator norm must be positive, got " + operatorNorm);
        NetworkLayout layout = new NetworkLayout(config.dimensions(), op, x0.getShape(), y.getShape());
        ViewSubsets parts = ViewSubsets.require(op, config.subsets());
        int subsets = parts.count();
        // Subset s sees A_s·√K/‖A‖ and its data y_s·√K/‖A‖ alike (K = 1: A/‖A‖ and y/‖A‖ exactly).
        NDArrayOperator[] a = parts.normalisedParts(operatorNorm);
        NetworkLayout[] partLayout = parts.layouts(layout, config.dimensions(), x0.getShape(), y.getShape());
        int pc = config.primalChannels(), dc = config.dualChannels();
        // Constants on differentiable paths are arrays held by the tape, never Java numbers (DESIGN.md).
        NDArray scale = tape.constant(x0.getManager(), config.valueScale(), x0.getDataType());
        NDArray yScale = tape.constant(y.getManager(), config.valueScale() * Math.sqrt(subsets) / operatorNorm, y.getDataType());
        // The initial state is a segment's output, so the tape owns (and frees) all of it: f, A-side f⁽¹⁾,
        // then per subset its data g_s and dual memory h_s.
        NDList state = tape.segment(new NDList(x0, y), in -> {
            NDArray f0 = in.get(0).mul(scale).repeat(1, pc);
            NDList out = new NDList(f0, layout.volumeToOperator(f0.get(":, 1:2")));
            for (int s = 0; s < subsets; s++) {
                NDArray gs = parts.data(in.get(1), s).mul(yScale);
                out.add(gs);
                out.add(gs.zerosLike().repeat(1, dc));
            }
            return out;
        });
        NDArray f = state.get(0), f1 = state.get(1);
        NDArray[] g = new NDArray[subsets], h = new NDArray[subsets];
        for (int s = 0; s < subsets; s++) {
            g[s] = state.get(2 + 2 * s);
            h[s] = state.get(3 + 2 * s);
        }
        for (int k = 0; k < config.iterations(); k++) {
            UpdateCnn gamma = dual.get(k), lambda = primal.get(k);
            int s = k % subsets;
            NetworkLayout pl = partLayout[s];
            NDArray af1 = tape.apply(a[s], f1);
            NDList d = tape.segment(new NDList(h[s], af1, g[s]), in -> {
                NDArray input = NDArrays.concat(new NDList(in.get(0), pl.projectionsFromOperator(in.get(1)), in.get(2)), 1);
                NDArray next = in.get(0).add(gamma.forward(store, new NDList(input), training).head());
                return new NDList(next, pl.projectionsToOperator(next.get(":, 0:1")));
            });
            h[s] = d.get(0);
            NDArray ath0 = tape.apply(a[s].adjoint(), d.get(1));
            NDList p = tape.segment(new NDList(f, ath0), in -> {
                NDArray input = NDArrays.concat(new NDList(in.get(0), layout.volumeFromOperator(in.get(1))), 1);
                NDArray next = in.get(0).add(lambda.forward(store, new NDList(input), training).head());
                return new NDList(next, layout.volumeToOperator(next.get(":, 1:2")));
            });
            f = p.get(0);
            f1 = p.get(1);
            iterationListener.accept(k + 1);
        }
        return tape.segment(new NDList(f), in -> new NDList(in.get(0).get(":, 0:1").div(scale))).head();
    }

    /**
     * Inference: the reconstruction as a new array owned by the caller (on {@code x0}'s manager), with
     * no gradient recorded. Activations are freed segment by segment.
     */
    @Override
    public NDArray reconstruct(ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0) {
        try (SegmentTape tape = new SegmentTape(SegmentTape.Mode.RECOMPUTE)) {
            NDArray out = reconstruct(tape, store, op, operatorNorm, y, x0, false);
            NDArray copy = out.duplicate();
            copy.attach(x0.getManager());
            return copy;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("LearnedPrimalDual needs the projector: call reconstruct(tape, store, op, y, x0, training)");
    }

    /** @param inputShapes the shapes of {@code x0} and {@code y} (only the channel layout matters) */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 2) throw new IllegalArgumentException("initialize with the shapes of x0 and y, got " + inputShapes.length + " shapes");
        Shape x0 = inputShapes[0], y = inputShapes[1];
        int rank = config.dimensions() + 2;
        if (x0.dimension() != rank || y.dimension() != rank) {
            throw new IllegalArgumentException("a " + config.dimensions() + "D model needs rank-" + rank + " x0 and y, got " + x0 + " and " + y);
        }
        for (int k = 0; k < config.iterations(); k++) {
            dual.get(k).initialize(manager, dataType, NetworkLayout.withChannels(y, config.dualChannels() + 2));
            primal.get(k).initialize(manager, dataType, NetworkLayout.withChannels(x0, config.primalChannels() + 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
