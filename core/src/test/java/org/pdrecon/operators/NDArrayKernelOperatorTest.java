package org.pdrecon.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.tape.SegmentTape;

/** The Java kernels as an NDArrayOperator: same results as the NDArray path, usable as tape cuts. */
class NDArrayKernelOperatorTest {
    private NDManager manager;
    private ConeBeamGeometry g;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        g = TestGeometries.circular(new VolumeGrid(5, 8, 9, 1.0, 1.0, 1.0, new double[3]), 6, 7, 12, 1.4);
    }

    @AfterEach
    void close() { manager.close(); }

    @Test
    void matchesTheNDArrayPathWithBatchesAndBothTypes() {
        NDArrayKernelOperator k = new NDArrayKernelOperator(new ConeBeamProjector(g));
        NDArrayConeBeamProjector nd = new NDArrayConeBeamProjector(g);
        assertSame(k, k.adjoint().adjoint());
        NDArray x = manager.randomNormal(new Shape(2, 5, 8, 9));
        NDArray y = manager.randomNormal(new Shape(2, 6, 7, 12));
        assertTrue(relativeL2(k.apply(x), nd.apply(x)) < 1e-5);
        assertTrue(relativeL2(k.adjoint().apply(y), nd.adjoint().apply(y)) < 1e-5);
        NDArray x64 = x.toType(DataType.FLOAT64, false);
        NDArray kx64 = k.apply(x64);
        assertEquals(DataType.FLOAT64, kx64.getDataType());
        assertEquals(new Shape(2, 6, 7, 12), kx64.getShape());
        assertTrue(relativeL2(kx64, nd.apply(x64)) < 1e-5);
        assertThrows(IllegalArgumentException.class, () -> k.apply(manager.zeros(new Shape(5, 8, 8))));
    }

    @Test
    void servesAsTapeCut() {
        // loss = ⟨A x, w⟩ ⇒ ∂/∂x = Aᵀ w, with the Java kernels on both sides of the cut.
        NDArrayKernelOperator a = new NDArrayKernelOperator(new ConeBeamProjector(g));
        NDArray x = manager.randomNormal(new Shape(5, 8, 9));
        NDArray w = manager.randomNormal(new Shape(6, 7, 12));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector();
             SegmentTape tape = new SegmentTape(SegmentTape.Mode.STORE)) {
            tape.input(x);
            NDArray ax = tape.apply(a, x);
            NDArray loss = tape.segment(new NDList(ax, w), in -> new NDList(in.get(0).mul(in.get(1)).sum())).head();
            tape.backward(loss);
            assertTrue(relativeL2(tape.gradient(x), a.adjoint().apply(w)) < 1e-6);
        }
    }

    private static double relativeL2(NDArray a, NDArray ref) {
        double[] x = a.toType(DataType.FLOAT64, false).toDoubleArray(), r = ref.toType(DataType.FLOAT64, false).toDoubleArray();
        double num = 0, den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - r[i]) * (x[i] - r[i]);
            den += r[i] * r[i];
        }
        return Math.sqrt(num / den);
    }
}
