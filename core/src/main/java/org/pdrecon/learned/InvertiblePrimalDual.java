package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

/**
 * Invertible learned primal-dual (Rudzusika et al., "Invertible learned primal-dual", NeurIPS 2021
 * workshop; the memory-lean building block of LIRE, Rudzusika et al. 2024): the unrolled scheme of
 * {@link LearnedPrimalDual} with each update replaced by an {@link AdditiveCouplingCell}, so the whole
 * network is invertible and its backward pass needs no stored activations:
 * <pre>
 *   f ← [x0, …, x0]   (primal, P channels, P even)        h ← 0   (dual, D channels, D even)
 *   for k = 0 … K−1:
 *     h ← Γ_k(h; [A f⁽¹⁾, y])       dual cell, conditioned on the projection of primal channel 1 and the data
 *     f ← Λ_k(f; Aᵀ h⁽⁰⁾)           primal cell, conditioned on the backprojection of dual channel 0
 *   return f⁽⁰⁾
 * </pre>
 * Each iteration is invertible given {@code y}: from {@code (f_{k+1}, h_{k+1})}, {@code Aᵀ h_{k+1}⁽⁰⁾}
 * is known, so {@code f_k = Λ_k⁻¹(f_{k+1}; ·)}; then {@code A f_k⁽¹⁾} is known, so
 * {@code h_k = Γ_k⁻¹(h_{k+1}; ·)}.
 *
 * <p>Training ({@link #forward} then {@link Pass#backward}): the forward pass runs without autograd and
 * keeps only the final state. The backward sweep goes through the iterations in reverse; for each one it
 * recomputes the iteration's input from its output (the inverse), re-runs that iteration's two cells
 * under autograd from detached leaves, back-propagates the incoming state gradients into the leaves and
 * the parameters, and passes gradients across the operators with their adjoints ({@code A} and
 * {@code Aᵀ} are outside DJL's graph, as on the {@code SegmentTape}). Only one iteration's activations
 * and a constant number of states are alive at any time, whatever {@code K} is; the price is two extra
 * operator applications and one extra cell forward per iteration compared with a stored graph. Gradients
 * are exact up to the round-off of the inversions (checked against finite differences in float64).
 *
 * <p>View subsets ({@code model.subsets} = K) as in {@link LearnedPrimalDual}: iteration k couples the primal state with
 * the dual memory {@code h_s} of subset {@code s = k mod K} only, through {@code A_s}; the other memories pass through
 * the iteration unchanged, so it stays invertible and the backward sweep carries one gradient per memory.
 *
 * <p>Normalisation and scaling as {@link LearnedPrimalDual}: the network sees {@code A / ‖A‖} and
 * {@code y / ‖A‖}, values multiplied by {@code valueScale} on the way in and divided on the way out.
 * Sizes come from a {@link LearnedPrimalDualConfig}; here {@code layers} counts the convolutions of each
 * coupling function F, G (2: {@code conv → PReLU → conv}) and both channel counts must be even
 * ({@link #defaults}: 6 + 6).
 *
 * <p>Shapes as {@link LearnedPrimalDual}: 2D {@code x0 (N, 1, ny, nx)}, {@code y (N, 1, views, cols)};
 * 3D {@code x0 (N, 1, nz, ny, nx)}, {@code y (N, 1, views, rows, cols)}. Children, in this frozen order:
 * {@code dual_0, primal_0, dual_1, …}. {@link #initialize} takes the shapes of {@code x0} and {@code y}.
 */
public final class InvertiblePrimalDual extends AbstractBlock implements PrimalDualNetwork {
    private static final byte VERSION = 1;

    private final LearnedPrimalDualConfig config;
    private final List<AdditiveCouplingCell> dual = new ArrayList<>(), primal = new ArrayList<>();
    private java.util.function.IntConsumer iterationListener = k -> {};

    public InvertiblePrimalDual(LearnedPrimalDualConfig config) {
        super(VERSION);
        this.config = Objects.requireNonNull(config, "config");
        if (config.primalChannels() % 2 != 0 || config.dualChannels() % 2 != 0) {
            throw new IllegalArgumentException("the invertible variant splits channels in halves: model.primal_channels and "
                    + "model.dual_channels must be even, got " + config.primalChannels() + " and " + config.dualChannels());
        }
        for (int k = 0; k < config.iterations(); k++) {
            dual.add(addChildBlock("dual_" + k, cell(config.dualChannels())));
            primal.add(addChildBlock("primal_" + k, cell(config.primalChannels())));
        }
    }

    @Override
    public void setIterationListener(java.util.function.IntConsumer listener) {
        this.iterationListener = Objects.requireNonNull(listener, "listener");
    }

    /** 10 iterations, 6 primal and 6 dual channels, coupling functions {@code conv(32) → PReLU → conv}, 3-wide kernels. */
    public static LearnedPrimalDualConfig defaults(int dimensions) {
        return new LearnedPrimalDualConfig(dimensions, 10, 6, 6, 32, 3, 2);
    }

    private AdditiveCouplingCell cell(int channels) {
        return new AdditiveCouplingCell(config.dimensions(), channels, config.filters(), config.kernelSize(), config.layers());
    }

    @Override
    public LearnedPrimalDualConfig config() {
        return config;
    }

    @Override
    public String architecture() {
        return "invertible_primal_dual";
    }

    /**
     * {@link #forward} without autograd, the loss on {@code tape} with the reconstruction as its input,
     * {@code tape.backward}, then {@link Pass#backward} with the reconstruction's gradient. The tape only
     * carries the loss; its mode does not matter.
     */
    @Override
    public NDArray trainingLoss(SegmentTape tape, ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0,
                                UnaryOperator<NDArray> loss) {
        try (Pass pass = forward(store, op, operatorNorm, y, x0, true)) {
            NDArray out = tape.input(pass.output());
            NDArray l = loss.apply(out);
            tape.backward(l);
            pass.backward(tape.gradient(out));
            return l;
        }
    }

    /** Inference: the reconstruction, a new array on {@code x0}'s manager, in the units of {@code x0}. */
    @Override
    public NDArray reconstruct(ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0) {
        try (Pass pass = forward(store, op, operatorNorm, y, x0, false)) {
            NDArray out = pass.output().duplicate();
            out.attach(x0.getManager());
            return out;
        }
    }

    /**
     * Runs the network without autograd and keeps what {@link Pass#backward} needs: the final state and the
     * scaled data. The caller closes the pass; {@code y} and {@code x0} may be closed once this returns.
     *
     * @param op the forward projector {@code A}, whose adjoint is the matched backprojector
     * @param operatorNorm ‖A‖, the same value in training and inference
     */
    public Pass forward(ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0, boolean training) {
        if (!(operatorNorm > 0) || !Double.isFinite(operatorNorm)) throw new IllegalArgumentException("operator norm must be positive, got " + operatorNorm);
        NetworkLayout layout = new NetworkLayout(config.dimensions(), op, x0.getShape(), y.getShape());
        ViewSubsets parts = ViewSubsets.require(op, config.subsets());
        int subsets = parts.count();
        // As LearnedPrimalDual: subset s sees A_s·√K/‖A‖ and y_s·√K/‖A‖ (K = 1: A/‖A‖ and y/‖A‖ exactly).
        Context ctx = new Context(store, layout, training, parts.normalisedParts(operatorNorm),
                parts.layouts(layout, config.dimensions(), x0.getShape(), y.getShape()));
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            NDList state = new NDList();
            try (NDScope scope = new NDScope()) {
                NDArray f = x0.mul(config.valueScale()).repeat(1, config.primalChannels());
                NDScope.unregister(f);
                state.add(f);
                for (int s = 0; s < subsets; s++) {
                    NDArray g = parts.data(y, s).mul(config.valueScale() * Math.sqrt(subsets) / operatorNorm);
                    NDArray h = g.zerosLike().repeat(1, config.dualChannels());
                    NDScope.unregister(g, h);
                    ctx.g[s] = g;
                    state.add(h);
                }
            }
            for (int k = 0; k < config.iterations(); k++) {
                NDList next = iterate(k, state, ctx);
                closeReplaced(state, next);
                state = next;
                iterationListener.accept(k + 1);
            }
            return new Pass(ctx, state);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Iteration {@code k} on view subset {@code s = k mod K}: {@code (f, …, h_s, …) → (f', …, h_s', …)}, new arrays
     * for {@code f} and {@code h_s} outside any scope (autograd as the caller set it); the list shares the other dual
     * memories with {@code state}.
     */
    NDList iterate(int k, NDList state, Context ctx) {
        int s = k % ctx.subsets;
        NDArray f = state.get(0), h = state.get(1 + s);
        NDArray hNext, fNext;
        try (NDScope scope = new NDScope()) {
            hNext = dual.get(k).forward(ctx.store, h, dualAux(f, ctx, s), ctx.training);
            NDScope.unregister(hNext);
        }
        try (NDScope scope = new NDScope()) {
            fNext = primal.get(k).forward(ctx.store, f, primalAux(hNext, ctx, s), ctx.training);
            NDScope.unregister(fNext);
        }
        return replaced(state, fNext, s, hNext);
    }

    /** The inverse of {@link #iterate}: {@code (f', …, h_s', …) → (f, …, h_s, …)}, computed without autograd. */
    NDList invert(int k, NDList state, Context ctx) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            int s = k % ctx.subsets;
            NDArray fNext = state.get(0), hNext = state.get(1 + s), f, h;
            try (NDScope scope = new NDScope()) {
                f = primal.get(k).inverse(ctx.store, fNext, primalAux(hNext, ctx, s));
                NDScope.unregister(f);
            }
            try (NDScope scope = new NDScope()) {
                h = dual.get(k).inverse(ctx.store, hNext, dualAux(f, ctx, s));
                NDScope.unregister(h);
            }
            return replaced(state, f, s, h);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** {@code list} with entry 0 set to {@code first} and entry {@code 1 + s} to {@code subsetEntry}; the rest shared. */
    private static NDList replaced(NDList list, NDArray first, int s, NDArray subsetEntry) {
        NDList out = new NDList(list.size());
        out.addAll(list);
        out.set(0, first);
        out.set(1 + s, subsetEntry);
        return out;
    }

    /** Closes the arrays of {@code old} that {@code next} no longer holds. */
    private static void closeReplaced(NDList old, NDList next) {
        for (int i = 0; i < old.size(); i++) if (old.get(i) != next.get(i)) old.get(i).close();
    }

    /** {@code [A_s f⁽¹⁾, y_s]} in the network's projection layout. */
    private static NDArray dualAux(NDArray f, Context ctx, int s) {
        return NDArrays.concat(new NDList(projectChannel1(f, ctx, s), ctx.g[s]), 1);
    }

    private static NDArray projectChannel1(NDArray f, Context ctx, int s) {
        return ctx.partLayout[s].projectionsFromOperator(ctx.a[s].apply(ctx.layout.volumeToOperator(f.get(":, 1:2"))));
    }

    /** {@code A_sᵀ h_s⁽⁰⁾} in the network's volume layout. */
    private static NDArray primalAux(NDArray h, Context ctx, int s) {
        return ctx.layout.volumeFromOperator(ctx.a[s].adjoint().apply(ctx.partLayout[s].projectionsToOperator(h.get(":, 0:1"))));
    }

    /**
     * One forward pass kept for its backward sweep: the final primal and dual states and the scaled data,
     * nothing per iteration. Single use: {@link #backward} at most once, then {@link #close()}.
     */
    public final class Pass implements AutoCloseable {
        private final Context ctx;
        private NDList state;
        private final NDArray output;
        private boolean swept;

        private Pass(Context ctx, NDList state) {
            this.ctx = ctx;
            this.state = state;
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDScope scope = new NDScope()) {
                output = state.get(0).get(":, 0:1").div(config.valueScale());
                NDScope.unregister(output);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }

        /** The reconstruction, shaped as {@code x0}, in its units; owned by the pass. */
        public NDArray output() {
            return output;
        }

        /**
         * The backward sweep: given {@code ∂L/∂output} (shaped as the output), adds {@code ∂L/∂θ} to the
         * gradients of all parameters (zero them first: gradients accumulate). Call inside a
         * {@code GradientCollector}.
         */
        public void backward(NDArray outputGradient) {
            if (swept) throw new IllegalStateException("a pass is swept once");
            if (!outputGradient.getShape().equals(output.getShape())) {
                throw new IllegalArgumentException("output gradient has shape " + outputGradient.getShape() + ", the output " + output.getShape());
            }
            swept = true;
            boolean gradMode = JniUtils.isGradMode();
            NDList grads;
            try (NDScope scope = new NDScope()) {
                JniUtils.setGradMode(false);
                NDArray gf0 = outputGradient.div(config.valueScale()).toType(output.getDataType(), false);
                NDArray gf = NDArrays.concat(new NDList(gf0, state.get(0).get(":, 1:").zerosLike()), 1);
                NDScope.unregister(gf);
                grads = new NDList(gf);
                for (int s = 1; s < state.size(); s++) {
                    NDArray gh = state.get(s).zerosLike();
                    NDScope.unregister(gh);
                    grads.add(gh);
                }
            }
            try {
                for (int k = config.iterations() - 1; k >= 0; k--) {
                    int s = k % ctx.subsets;
                    NDList previous = backwardIteration(k, state, grads); // (f, h_s, ∂L/∂f, ∂L/∂h_s)
                    NDList earlierState = replaced(state, previous.get(0), s, previous.get(1));
                    NDList earlierGrads = replaced(grads, previous.get(2), s, previous.get(3));
                    closeReplaced(state, earlierState);
                    closeReplaced(grads, earlierGrads);
                    state = earlierState;
                    grads = earlierGrads;
                }
            } finally {
                grads.close();
                JniUtils.setGradMode(gradMode);
            }
        }

        /**
         * Iteration {@code k} backwards, from its output {@code (f', h')} and {@code (∂L/∂f', ∂L/∂h')}:
         * recomputes its input {@code (f, h)} by inversion and re-runs each cell under autograd from
         * detached leaves, in reverse order: primal cell, cut {@code Aᵀ} (gradient through {@code A}), dual
         * cell, cut {@code A} (gradient through {@code Aᵀ}). Returns {@code (f, h, ∂L/∂f, ∂L/∂h)}; the
         * parameters' gradients accumulate. Four operator applications per iteration.
         */
        private NDList backwardIteration(int k, NDList output, NDList grads) {
            int s = k % ctx.subsets;
            NDArray fNext = output.get(0), hNext = output.get(1 + s);
            NDArray f, gfPrimal, ghNext;
            // Each cell in a scope of its own, so at most one cell's activations are alive.
            try (NDScope scope = new NDScope()) {
                // Primal cell f' = Λ_k(f; Aᵀh'⁽⁰⁾): its condition is known from h', so f follows by inversion.
                JniUtils.setGradMode(false);
                NDArray ath = primalAux(hNext, ctx, s);
                f = primal.get(k).inverse(ctx.store, fNext, ath);
                JniUtils.setGradMode(true);
                NDArray fLeaf = leaf(f), athLeaf = leaf(ath);
                NDArray fOut = primal.get(k).forward(ctx.store, fLeaf, athLeaf, ctx.training);
                JniUtils.backward((PtNDArray) fOut, (PtNDArray) grads.get(0), false, false);
                gfPrimal = gradient(fLeaf);
                NDArray gAth = gradient(athLeaf);

                // Across the cut Aᵀ: h'⁽⁰⁾ receives A(∂L/∂(Aᵀh'⁽⁰⁾)).
                JniUtils.setGradMode(false);
                NDArray gh0 = ctx.partLayout[s].projectionsFromOperator(ctx.a[s].apply(ctx.layout.volumeToOperator(gAth)));
                NDArray g = grads.get(1 + s);
                ghNext = NDArrays.concat(new NDList(g.get(":, 0:1").add(gh0), g.get(":, 1:")), 1);
                NDScope.unregister(f, gfPrimal, ghNext);
            }
            try (NDScope scope = new NDScope()) {
                // Dual cell h' = Γ_k(h; [A f⁽¹⁾, y]): its condition is known from f, so h follows by inversion.
                NDArray af = projectChannel1(f, ctx, s);
                NDArray h = dual.get(k).inverse(ctx.store, hNext, NDArrays.concat(new NDList(af, ctx.g[s]), 1));
                JniUtils.setGradMode(true);
                NDArray hLeaf = leaf(h), afLeaf = leaf(af);
                NDArray hOut = dual.get(k).forward(ctx.store, hLeaf, NDArrays.concat(new NDList(afLeaf, ctx.g[s]), 1), ctx.training);
                JniUtils.backward((PtNDArray) hOut, (PtNDArray) ghNext, false, false);
                NDArray gh = gradient(hLeaf), gAf = gradient(afLeaf);

                // Across the cut A: f⁽¹⁾ receives Aᵀ(∂L/∂(A f⁽¹⁾)).
                JniUtils.setGradMode(false);
                NDArray gf1 = ctx.layout.volumeFromOperator(ctx.a[s].adjoint().apply(ctx.partLayout[s].projectionsToOperator(gAf)));
                NDArray gf = NDArrays.concat(new NDList(gfPrimal.get(":, 0:1"), gfPrimal.get(":, 1:2").add(gf1), gfPrimal.get(":, 2:")), 1);
                NDScope.unregister(h, gf, gh);
                gfPrimal.close();
                ghNext.close();
                return new NDList(f, h, gf, gh);
            }
        }

        /** The initial state {@code (f_0, h_0)} recomputed by inverting every iteration from the final state (caller closes it). */
        NDList invertAll() {
            NDList s = new NDList();
            for (NDArray a : state) s.add(a.duplicate());
            for (int k = config.iterations() - 1; k >= 0; k--) {
                NDList previous = invert(k, s, ctx);
                closeReplaced(s, previous);
                s = previous;
            }
            return s;
        }

        /** The final state {@code (f, h_0, …, h_{K−1})} (one dual memory per view subset), owned by the pass. */
        NDList finalState() {
            return state;
        }

        private NDArray leaf(NDArray x) {
            NDArray leaf = x.stopGradient(); // shares memory, starts a new graph
            leaf.setRequiresGradient(true);
            return leaf;
        }

        private NDArray gradient(NDArray leaf) {
            NDArray g = JniUtils.getGradient((PtNDArray) leaf);
            return g != null ? g : leaf.zerosLike();
        }

        @Override
        public void close() {
            state.close();
            output.close();
            for (NDArray g : ctx.g) g.close();
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("InvertiblePrimalDual needs the projector: call forward(store, op, norm, y, x0, training)");
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
            dual.get(k).initialize(manager, dataType, NetworkLayout.withChannels(y, config.dualChannels()), NetworkLayout.withChannels(y, 2));
            primal.get(k).initialize(manager, dataType, NetworkLayout.withChannels(x0, config.primalChannels()), NetworkLayout.withChannels(x0, 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** What one pass needs besides the state: parameters, each view subset's normalised operator, layout and scaled data. */
    static final class Context {
        final ParameterStore store;
        final NetworkLayout layout; // the volume side (and the whole scan's projections)
        final boolean training;
        final int subsets;
        final NDArrayOperator[] a; // A_s·√K/‖A‖
        final NetworkLayout[] partLayout;
        final NDArray[] g; // y_s·valueScale·√K/‖A‖, network layout

        Context(ParameterStore store, NetworkLayout layout, boolean training, NDArrayOperator[] a, NetworkLayout[] partLayout) {
            this.store = store;
            this.layout = layout;
            this.training = training;
            this.subsets = a.length;
            this.a = a;
            this.partLayout = partLayout;
            this.g = new NDArray[a.length];
        }
    }
}
