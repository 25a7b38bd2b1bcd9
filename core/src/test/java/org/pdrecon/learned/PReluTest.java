package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PReLU written with relu, against its definition and hand-derived gradients. */
class PReluTest {
    private NDManager manager;

    @BeforeEach
    void open() { manager = NDManager.newBaseManager(); }

    @AfterEach
    void close() { manager.close(); }

    @Test
    void perChannelValuesAndGradientsFollowTheDefinition() throws Exception {
        int n = 2, c = 3, w = 4;
        PRelu block = PRelu.builder().optChannels(c).build();
        block.initialize(manager, DataType.FLOAT64, new Shape(n, c, w));
        double[] slopes = {0.25, -0.5, 1.5};
        // Copy values in (index_put_); set(Buffer) would make the parameter borrow a Java buffer's memory.
        block.getParameters().get("alpha").getArray().set(new NDIndex(":"), manager.create(slopes));
        double[] xs = new double[n * c * w];
        for (int i = 0; i < xs.length; i++) xs[i] = (i % 5 - 2) * 0.7 + 0.1 * i; // both signs
        NDArray x = manager.create(xs, new Shape(n, c, w));
        x.setRequiresGradient(true);
        ParameterStore store = new ParameterStore(manager, false);
        double[] upstream = new double[xs.length];
        for (int i = 0; i < xs.length; i++) upstream[i] = 1 + 0.01 * i;
        NDArray g = manager.create(upstream, new Shape(n, c, w));
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = block.forward(store, new NDList(x), true).head();
            gc.backward(y.mul(g).sum());
        }
        double[] expected = new double[xs.length], dx = new double[xs.length], dAlpha = new double[c];
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / w) % c;
            expected[i] = xs[i] > 0 ? xs[i] : slopes[ch] * xs[i];
            dx[i] = upstream[i] * (xs[i] > 0 ? 1 : slopes[ch]);
            if (xs[i] < 0) dAlpha[ch] += upstream[i] * xs[i];
        }
        assertArrayEquals(expected, y.toDoubleArray(), 1e-12);
        assertArrayEquals(dx, x.getGradient().toDoubleArray(), 1e-12);
        assertArrayEquals(dAlpha, block.getParameters().get("alpha").getArray().getGradient().toDoubleArray(), 1e-12);

        // Save and load keep the slopes.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.saveParameters(new DataOutputStream(bytes));
        PRelu copy = PRelu.builder().optChannels(c).build();
        copy.initialize(manager, DataType.FLOAT64, new Shape(n, c, w));
        copy.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertArrayEquals(slopes, copy.getParameters().get("alpha").getArray().toDoubleArray(), 0);
    }

    @Test
    void sharedSlopeStartsAtAQuarter() {
        PRelu block = PRelu.builder().build();
        block.initialize(manager, DataType.FLOAT32, new Shape(5));
        NDArray y = block.forward(new ParameterStore(manager, false),
                new NDList(manager.create(new float[] {-4, -1, 0, 1, 4})), false).head();
        assertArrayEquals(new float[] {-1, -0.25f, 0, 1, 4}, y.toFloatArray(), 0f);
    }

    @Test
    void wrongChannelCountIsNamed() {
        PRelu block = PRelu.builder().optChannels(3).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> block.forward(
                new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(1, 2, 2))), false));
        assertEquals("PRelu with 3 channels got input shape (1, 2, 2); expected (N, 3, ...)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PRelu.builder().optChannels(0));
    }

    @Test
    void djlPreluBlockStillFailsOnPyTorch() {
        // The trap this class exists for (DESIGN.md). If this starts passing, DJL fixed it upstream.
        Block djl = Activation.preluBlock();
        assertThrows(RuntimeException.class, () -> {
            djl.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            djl.forward(new ParameterStore(manager, false), new NDList(manager.ones(new Shape(2, 3)).neg()), false);
        });
    }
}
