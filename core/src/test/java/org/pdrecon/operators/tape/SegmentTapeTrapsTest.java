package org.pdrecon.operators.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.NDArrayConeBeamProjector;

/** One regression test per DJL trap of DESIGN.md that the segment tape could fall into. */
class SegmentTapeTrapsTest {
    private NDManager manager;

    @BeforeEach
    void open() { manager = NDManager.newBaseManager(); }

    @AfterEach
    void close() { manager.close(); }

    /** Collects garbage and reuses freed native memory for other data, as a busy training loop would. */
    private static List<ByteBuffer> provokeGarbageCollection() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            junk.add(ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putDouble(0, 77.0).putFloat(0, 77f));
        }
        return junk;
    }

    private NDArray positives(int n) {
        return manager.randomUniform(1f, 2f, new Shape(n));
    }

    /** Gradient of {@code sum(op(x, c))} through one tape segment, with a GC between forward and backward. */
    private float[] gradientThroughTape(NDArray x, double c, BiFunction<NDArray, NDArray, NDArray> op) throws Exception {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector(); SegmentTape tape = new SegmentTape(SegmentTape.Mode.STORE)) {
            tape.input(x);
            NDArray constant = tape.constant(manager, c, DataType.FLOAT32);
            NDArray loss = tape.segment(new NDList(x), in -> new NDList(op.apply(in.head(), constant).sum())).head();
            List<ByteBuffer> junk = provokeGarbageCollection();
            tape.backward(loss);
            assertTrue(junk.size() > 0);
            return tape.gradient(x).toFloatArray();
        }
    }

    @Test
    void tapeConstantsSurviveGarbageCollectionForEveryScalarOperation() throws Exception {
        NDArray x = positives(1000);
        float[] xs = x.toFloatArray();
        check(x, xs, 3.0, NDArray::mul, v -> 3.0);
        check(x, xs, 4.0, NDArray::div, v -> 0.25);
        check(x, xs, 3.0, NDArray::pow, v -> 3 * v * v);
        check(x, xs, 1.5, NDArray::maximum, v -> v > 1.5 ? 1 : 0);
        check(x, xs, 1.5, NDArray::minimum, v -> v < 1.5 ? 1 : 0);
    }

    private void check(NDArray x, float[] xs, double c, BiFunction<NDArray, NDArray, NDArray> op, DoubleUnaryOperator derivative)
            throws Exception {
        float[] g = gradientThroughTape(x, c, op);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(derivative.applyAsDouble(xs[i]), g[i], 1e-5 * (1 + Math.abs(derivative.applyAsDouble(xs[i]))), "entry " + i);
        }
    }

    @Test
    void theGarbageCollectionProvocationBreaksJavaNumberOperands() throws Exception {
        // Sensitivity of the test above: the same provocation corrupts the gradient of x.mul(3), whose
        // temporary scalar lives in a Java buffer that DJL releases right after the call.
        boolean corrupted = false;
        for (int trial = 0; trial < 10 && !corrupted; trial++) {
            NDArray x = positives(1000);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = x.mul(3).sum();
                List<ByteBuffer> junk = provokeGarbageCollection();
                gc.backward(y);
                assertTrue(junk.size() > 0);
                for (float v : x.getGradient().toFloatArray()) corrupted |= v != 3f;
            }
        }
        // An assumption, not an assertion: whether the freed buffer is reused within 10 trials depends on the
        // JVM's collector; the guarded test above must pass either way.
        Assumptions.assumeTrue(corrupted, "mul(Number) survived garbage collection in 10 trials: the trap may be fixed"
                + " in this DJL, or the provocation no longer reaches it");
    }

    @Test
    void gradientsAccumulateAcrossCollectorsUntilZeroed() {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(1).build();
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 6, 6));
        ParameterStore store = new ParameterStore(manager, false);
        NDArray input = manager.randomNormal(new Shape(1, 1, 6, 6));
        Parameter weight = conv.getParameters().get("weight");

        float[] first = step(conv, store, input, weight);
        float[] second = step(conv, store, input, weight); // a new collector, no zeroing
        for (int i = 0; i < first.length; i++) assertEquals(2 * first[i], second[i], 1e-5 * Math.abs(first[i]) + 1e-6);

        SegmentTape.zeroGradients(conv);
        assertArrayEquals(new float[first.length], weight.getArray().getGradient().toFloatArray(), 0f);
        assertArrayEquals(first, step(conv, store, input, weight), 1e-6f);
    }

    private float[] step(Conv2d conv, ParameterStore store, NDArray input, Parameter weight) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector(); SegmentTape tape = new SegmentTape(SegmentTape.Mode.RECOMPUTE)) {
            NDArray out = tape.segment(new NDList(input), in -> conv.forward(store, in, true)).head();
            NDArray loss = tape.segment(new NDList(out), in -> new NDList(in.head().square().sum())).head();
            tape.backward(loss);
        }
        return weight.getArray().getGradient().toFloatArray();
    }

    @ParameterizedTest
    @EnumSource(SegmentTape.Mode.class)
    void repeatedTrainingStepsKeepTheArrayCountFlat(SegmentTape.Mode mode) {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(8, 1.0)).setSodMm(30).setSddMm(50)
                .setDetector(1, 12, 1.5, 1.5).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(4, 5, 360)).build();
        NDArrayConeBeamProjector a = new NDArrayConeBeamProjector(g);
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(1).build();
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        ParameterStore store = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(1, 1, 8, 8));
        NDArray y = manager.randomNormal(new Shape(1, 1, 4, 1, 12));
        int baseline = manager.getManagedArrays().size(); // x, y, the conv's weight and bias
        int[] counts = new int[12];
        for (int step = 0; step < counts.length; step++) {
            try (NDScope stepScope = new NDScope();
                 GradientCollector gc = Engine.getInstance().newGradientCollector();
                 SegmentTape tape = new SegmentTape(mode)) {
                SegmentTape.zeroGradients(conv);
                NDArray h = tape.segment(new NDList(x), in -> {
                    NDArray t = conv.forward(store, in, true).head();
                    for (int k = 0; k < 20; k++) t = t.add(t.sin()); // many temporaries per segment
                    return new NDList(t.reshape(1, 1, 1, 8, 8));
                }).head();
                NDArray p = tape.apply(a, h);
                NDArray loss = tape.segment(new NDList(p, y), in -> new NDList(in.get(0).sub(in.get(1)).square().sum())).head();
                tape.backward(loss);
            }
            counts[step] = manager.getManagedArrays().size();
        }
        for (int c : counts) assertEquals(baseline, c, mode + ": live arrays per step " + java.util.Arrays.toString(counts));
    }

    @Test
    void withoutScopesTemporariesPileUp() {
        // Sensitivity of the test above: the same count grows when temporaries are left to the manager.
        NDArray x = manager.randomNormal(new Shape(8, 8));
        int before = manager.getManagedArrays().size();
        for (int step = 0; step < 5; step++) {
            NDArray t = x;
            for (int k = 0; k < 20; k++) t = t.add(t.sin());
        }
        assertTrue(manager.getManagedArrays().size() - before >= 5 * 40, "temporaries were freed without a scope");
    }

    @Test
    void storeSegmentsRefuseToRunWithoutAutograd() {
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (SegmentTape tape = new SegmentTape(SegmentTape.Mode.STORE)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tape.segment(new NDList(manager.ones(new Shape(2))), in -> in));
            assertTrue(e.getMessage().contains("GradientCollector"), e.getMessage());
        } finally {
            JniUtils.setGradMode(mode);
        }
    }
}
