package org.pdrecon.operators.tape;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.pdrecon.operators.NDArrayOperator;

/**
 * A segment tape: reverse-mode differentiation through DJL models that call linear operators (the
 * projector {@code A}, its adjoint {@code Aᵀ}) which DJL autograd cannot record.
 *
 * <p>A forward pass alternates {@link #segment segments} (DJL code, recorded by autograd) and
 * {@link #apply cuts} (an {@link NDArrayOperator}, computed outside the graph). Every array a segment
 * or cut returns is a <em>tape value</em>; when a tape value enters a later segment, the segment sees a
 * detached leaf that requires a gradient, so each segment's autograd graph ends at its own inputs.
 * {@link #backward} sweeps the records in reverse: inside a segment it calls DJL autograd with the
 * incoming gradient of each output ({@code JniUtils.backward(output, grad)}) and reads the gradients of
 * its leaves; across a cut {@code y = A x} it passes {@code Aᵀ g} back to {@code x}. Parameters read
 * inside segments receive their gradients from autograd as usual, accumulating across calls (zero them
 * with {@link #zeroGradients} before each step: opening a {@code GradientCollector} does not).
 *
 * <p>Use, inside one {@code GradientCollector} (a {@link Mode#STORE} segment needs autograd on):
 * <pre>{@code
 * try (GradientCollector gc = engine.newGradientCollector(); SegmentTape tape = new SegmentTape(Mode.RECOMPUTE)) {
 *     SegmentTape.zeroGradients(model);
 *     NDArray h = tape.segment(new NDList(x0), in -> conv1.forward(ps, in, true)).head();
 *     NDArray p = tape.apply(projector, h);                        // A, a cut
 *     NDArray r = tape.segment(new NDList(p, y), in -> conv2.forward(ps, in, true)).head();
 *     NDArray v = tape.apply(projector.adjoint(), r);              // Aᵀ, a cut
 *     NDArray loss = tape.segment(new NDList(v, target), in -> new NDList(mse(in))).head();
 *     tape.backward(loss);                                         // parameter gradients filled
 * }
 * }</pre>
 *
 * <p>Modes: {@link Mode#STORE} keeps each segment's autograd graph (its activations) until the
 * backward sweep; {@link Mode#RECOMPUTE} runs the segment without autograd in the forward pass, keeps
 * only its inputs, and re-runs it with autograd in the backward sweep just before its gradients are
 * needed (checkpointing), so activation memory stays at about one segment.
 *
 * <p>Memory: each segment's forward (and its backward) runs in its own {@link NDScope}, so temporaries
 * are freed when it ends; only its outputs survive. The tape owns every array it returns and every
 * gradient it computes: they stay valid until {@link #close()}. Arrays passed in that are not tape
 * values (data, targets) stay the caller's and must stay open until the backward sweep ends. Constants
 * on a differentiable path must come from {@link #constant}, never from a Java {@code Number} argument
 * (see {@code docs/autodiff.md}: DJL frees such a scalar while autograd still reads it). A tape is
 * single-use: one forward pass, at most one {@link #backward}, then {@link #close()}. Not thread-safe.
 */
public final class SegmentTape implements AutoCloseable {

    /** How a segment's activations are kept for the backward sweep. */
    public enum Mode {
        /** Keep the autograd graph from the forward pass (fast, memory grows with every segment). */
        STORE,
        /** Keep only the inputs; re-run the segment with autograd in the backward sweep. */
        RECOMPUTE
    }

    private final Mode defaultMode;
    private final List<Record> records = new ArrayList<>();
    private final Set<NDArray> values = identitySet();        // arrays whose gradient the tape tracks
    private final Set<NDArray> registeredInputs = identitySet();
    private final Map<NDArray, NDArray> inputGradients = new IdentityHashMap<>();
    private final List<NDArray> owned = new ArrayList<>();      // closed by close()
    private boolean backwardDone;
    private boolean closed;

    /** A tape whose segments use {@code defaultMode} unless a call says otherwise. */
    public SegmentTape(Mode defaultMode) {
        this.defaultMode = Objects.requireNonNull(defaultMode, "defaultMode");
    }

    /**
     * Marks an array (for example the network's input) as differentiable, so that after
     * {@link #backward} its gradient can be read with {@link #gradient}. The array stays the caller's.
     */
    public NDArray input(NDArray x) {
        checkForward();
        values.add(Objects.requireNonNull(x, "x"));
        registeredInputs.add(x);
        return x;
    }

    /** Runs a segment in the tape's default mode; see {@link #segment(NDList, Segment, Mode)}. */
    public NDList segment(NDList inputs, Segment code) {
        return segment(inputs, code, defaultMode);
    }

    /**
     * Runs {@code code} on {@code inputs} as one segment. Tape values among the inputs reach
     * {@code code} as detached leaves (gradient boundaries); other inputs are passed unchanged.
     *
     * @return the segment's outputs, now tape values owned by the tape
     * @throws IllegalStateException for a {@link Mode#STORE} segment outside a {@code GradientCollector}
     */
    public NDList segment(NDList inputs, Segment code, Mode mode) {
        checkForward();
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(mode, "mode");
        NDList outputs;
        NDArray[] leaves = null;
        if (mode == Mode.STORE) {
            if (!JniUtils.isGradMode()) {
                throw new IllegalStateException("a STORE segment must run inside a GradientCollector: autograd is off, nothing would be recorded");
            }
            leaves = new NDArray[inputs.size()];
            outputs = runScoped(code, withLeaves(inputs, leaves));
            for (NDArray leaf : leaves) if (leaf != null) own(leaf); // freed early by backward, else by close()
        } else {
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false); // no graph now; the backward sweep recomputes it
            try {
                outputs = runScoped(code, inputs);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }
        Set<NDArray> passedIn = identitySet();
        passedIn.addAll(inputs);
        for (NDArray o : outputs) {
            values.add(o);
            if (!passedIn.contains(o)) own(o);
        }
        records.add(new SegmentRecord(code, mode, new NDList(inputs), leaves, outputs));
        if (Numerics.enabled()) {
            for (int i = 0; i < outputs.size(); i++) Numerics.check("forward: output " + i + " of tape record " + (records.size() - 1) + " (a segment)", outputs.get(i));
        }
        return outputs;
    }

    /**
     * Applies a linear operator as a cut: {@code y = op(x)} computed outside the autograd graph. In the
     * backward sweep {@code x} receives {@code op.adjoint()} applied to {@code y}'s gradient.
     *
     * @return {@code y}, a tape value owned by the tape
     */
    public NDArray apply(NDArrayOperator op, NDArray x) {
        checkForward();
        Objects.requireNonNull(op, "op");
        NDArray y = op.apply(Objects.requireNonNull(x, "x"));
        values.add(y);
        own(y);
        records.add(new CutRecord(op, values.contains(x) ? x : null, y));
        Numerics.check("forward: output of tape record " + (records.size() - 1) + " (operator " + op.getClass().getSimpleName() + ")", y);
        return y;
    }

    /**
     * A scalar constant for differentiable code, held by the tape until {@link #close()}. Its memory
     * is allocated by the engine (a copy), not borrowed from a Java buffer, so a garbage collection
     * cannot free it while autograd still reads it.
     */
    public NDArray constant(NDManager manager, double value, DataType type) {
        checkOpen();
        NDArray c;
        try (NDArray javaBacked = manager.create(value)) {
            NDArray typed = javaBacked.toType(type, false);
            c = typed.duplicate();
            if (typed != javaBacked) typed.close();
        }
        own(c);
        return c;
    }

    /**
     * The backward sweep from a scalar tape value: fills the gradients of every parameter read in a
     * segment (accumulating into existing gradients) and of every {@link #input registered input}.
     * Runs with autograd on; call it inside the same {@code GradientCollector} as the forward pass.
     */
    public void backward(NDArray loss) {
        checkOpen();
        if (backwardDone) throw new IllegalStateException("backward already ran: a tape records one forward pass and is swept once");
        if (!values.contains(loss)) throw new IllegalArgumentException("loss is not a value of this tape (it must be returned by a segment)");
        if (loss.getShape().size() != 1) throw new IllegalArgumentException("loss must be a scalar, got shape " + loss.getShape());
        backwardDone = true;
        Map<NDArray, NDArray> grads = new IdentityHashMap<>();
        grads.put(loss, loss.onesLike());
        NDScope.unregister(grads.get(loss));
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            for (int i = records.size() - 1; i >= 0; i--) {
                Record r = records.get(i);
                try (NDScope scope = new NDScope()) {
                    if (r instanceof CutRecord) backwardCut((CutRecord) r, grads);
                    else backwardSegment((SegmentRecord) r, grads);
                    if (Numerics.enabled()) checkGradients(r, i, grads);
                }
                records.set(i, null); // its leaves and graph are gone; nothing more to keep
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        for (NDArray x : registeredInputs) {
            NDArray g = grads.remove(x);
            if (g != null) inputGradients.put(x, own(g));
        }
        for (NDArray g : grads.values()) g.close(); // gradients of external arrays: nobody asked
    }

    /**
     * The gradient of the loss with respect to a {@link #input registered input}, after
     * {@link #backward}; zeros if the loss does not depend on it. Owned by the tape.
     */
    public NDArray gradient(NDArray input) {
        checkOpen();
        if (!registeredInputs.contains(input)) throw new IllegalArgumentException("the array was not registered with input()");
        if (!backwardDone) throw new IllegalStateException("backward has not run yet");
        return inputGradients.computeIfAbsent(input, x -> own(x.zerosLike()));
    }

    /** Sets the gradients of all of a block's parameters to zero, in place (no-op for those without one yet). */
    public static void zeroGradients(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.isInitialized()) continue;
            NDArray a = parameter.getArray();
            if (a.hasGradient()) JniUtils.zeroGrad((PtNDArray) a);
        }
    }

    /** Frees every array the tape returned or computed. The tape cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (NDArray a : owned) a.close();
        owned.clear();
        records.clear();
        values.clear();
        inputGradients.clear();
    }

    // ---- backward steps ----

    /** {@code --check-numerics}: the gradients record {@code i} has just passed back to its inputs. */
    private static void checkGradients(Record r, int i, Map<NDArray, NDArray> grads) {
        List<NDArray> inputs = r instanceof CutRecord c ? (c.input == null ? List.of() : List.of(c.input)) : ((SegmentRecord) r).inputs;
        String what = r instanceof CutRecord c ? "the adjoint of operator " + c.op.getClass().getSimpleName() : "a segment";
        for (int k = 0; k < inputs.size(); k++) {
            Numerics.check("backward: gradient of input " + k + " of tape record " + i + " (" + what + ")", grads.get(inputs.get(k)));
        }
    }

    private void backwardCut(CutRecord r, Map<NDArray, NDArray> grads) {
        NDArray g = grads.remove(r.output);
        if (g == null) return;
        if (r.input != null) accumulate(grads, r.input, r.op.adjoint().apply(g));
        g.close();
    }

    private void backwardSegment(SegmentRecord r, Map<NDArray, NDArray> grads) {
        List<Integer> index = new ArrayList<>();
        List<NDArray> incoming = new ArrayList<>();
        Set<NDArray> seen = identitySet();
        for (int k = 0; k < r.outputs.size(); k++) {
            NDArray o = r.outputs.get(k);
            if (!seen.add(o)) continue; // the same array twice: its gradient is counted once
            NDArray g = grads.remove(o);
            if (g != null) {
                index.add(k);
                incoming.add(g);
            }
        }
        if (incoming.isEmpty()) return; // nothing downstream depends on this segment
        NDList graphOutputs;
        NDArray[] leaves;
        if (r.mode == Mode.STORE) {
            graphOutputs = r.outputs;
            leaves = r.leaves;
        } else {
            leaves = new NDArray[r.inputs.size()];
            graphOutputs = r.code.forward(withLeaves(r.inputs, leaves)); // temporaries die with this record's scope
            if (graphOutputs.size() != r.outputs.size()) {
                throw new IllegalStateException("a RECOMPUTE segment returned " + graphOutputs.size()
                        + " outputs on recomputation, " + r.outputs.size() + " in the forward pass");
            }
        }
        for (int j = 0; j < index.size(); j++) {
            PtNDArray out = (PtNDArray) graphOutputs.get(index.get(j));
            boolean keepGraph = j < index.size() - 1; // the outputs share one graph
            backwardIfDifferentiable(out, (PtNDArray) incoming.get(j), keepGraph);
        }
        for (NDArray g : incoming) g.close();
        for (int i = 0; i < leaves.length; i++) {
            if (leaves[i] == null) continue;
            PtNDArray g = JniUtils.getGradient((PtNDArray) leaves[i]);
            if (g != null) accumulate(grads, r.inputs.get(i), g);
            leaves[i].close();
        }
    }

    /**
     * Runs autograd from {@code out} with incoming gradient {@code g}. An output that depends on no
     * differentiable array has no graph; libtorch refuses it, and it passes no gradient. (DJL's
     * {@code JniUtils.requiresGrad} cannot tell: it is false for every non-leaf tensor, and asking for
     * the gradient function of a tensor without one crashes the JVM.)
     */
    private static void backwardIfDifferentiable(PtNDArray out, PtNDArray g, boolean keepGraph) {
        try {
            JniUtils.backward(out, g, keepGraph, false);
        } catch (EngineException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("does not require grad")) throw e;
        }
    }

    /** Adds a gradient contribution for a tape value; the contribution survives the current scope. */
    private static void accumulate(Map<NDArray, NDArray> grads, NDArray value, NDArray contribution) {
        NDArray sum = grads.get(value);
        if (sum == null) {
            NDScope.unregister(contribution);
            grads.put(value, contribution);
        } else {
            sum.addi(contribution);
        }
    }

    // ---- forward helpers ----

    /** The arguments a segment sees: tape values replaced by fresh detached leaves (stored in {@code leaves}). */
    private NDList withLeaves(NDList inputs, NDArray[] leaves) {
        NDList args = new NDList(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            NDArray x = inputs.get(i);
            if (values.contains(x)) {
                NDArray leaf = x.stopGradient(); // shares memory, starts a new graph
                leaf.setRequiresGradient(true);
                leaves[i] = leaf;
                args.add(leaf);
            } else {
                args.add(x);
            }
        }
        return args;
    }

    private static NDList runScoped(Segment code, NDList args) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            out = code.forward(args);
            if (out == null || out.isEmpty()) throw new IllegalStateException("a segment must return at least one output");
            NDScope.unregister(out);
        }
        for (NDArray o : out) NDScope.register(o); // also freed by the caller's step scope, if any
        return out;
    }

    private NDArray own(NDArray a) {
        owned.add(a);
        return a;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the tape is closed");
    }

    private void checkForward() {
        checkOpen();
        if (backwardDone) throw new IllegalStateException("backward already ran: start a new tape for the next forward pass");
    }

    private static Set<NDArray> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private interface Record {}

    private static final class SegmentRecord implements Record {
        final Segment code;
        final Mode mode;
        final NDList inputs;
        final NDArray[] leaves; // STORE: the leaves the forward pass used; RECOMPUTE: null
        final NDList outputs;

        SegmentRecord(Segment code, Mode mode, NDList inputs, NDArray[] leaves, NDList outputs) {
            this.code = code;
            this.mode = mode;
            this.inputs = inputs;
            this.leaves = leaves;
            this.outputs = outputs;
        }
    }

    private static final class CutRecord implements Record {
        final NDArrayOperator op;
        final NDArray input;  // null when the input is not a tape value (no gradient wanted)
        final NDArray output;

        CutRecord(NDArrayOperator op, NDArray input, NDArray output) {
            this.op = op;
            this.input = input;
            this.output = output;
        }
    }
}
