package org.pdrecon.operators.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.NDArrayConeBeamProjector;

/** The tape's gradient rules on cases with exact answers, and its misuse errors. */
class SegmentTapeTest {
    private NDManager manager;
    private NDArrayConeBeamProjector a;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(6, 1.0)).setSodMm(20).setSddMm(35)
                .setDetector(1, 9, 1.4, 1.4).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(3, 10, 360)).build();
        a = new NDArrayConeBeamProjector(g);
    }

    @AfterEach
    void close() { manager.close(); }

    @ParameterizedTest
    @EnumSource(SegmentTape.Mode.class)
    void cutsPassTheAdjointBack(SegmentTape.Mode mode) {
        // loss = ⟨A x, w⟩ + ⟨Aᵀ y, v⟩, so ∂/∂x = Aᵀ w and ∂/∂y = A v, exactly.
        NDArray x = manager.randomNormal(new Shape(1, 6, 6)).toType(DataType.FLOAT64, false);
        NDArray y = manager.randomNormal(new Shape(3, 1, 9)).toType(DataType.FLOAT64, false);
        NDArray w = manager.randomNormal(new Shape(3, 1, 9)).toType(DataType.FLOAT64, false);
        NDArray v = manager.randomNormal(new Shape(1, 6, 6)).toType(DataType.FLOAT64, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector(); SegmentTape tape = new SegmentTape(mode)) {
            tape.input(x);
            tape.input(y);
            NDArray ax = tape.apply(a, x);
            NDArray aty = tape.apply(a.adjoint(), y);
            NDArray loss = tape.segment(new NDList(ax, w, aty, v),
                    in -> new NDList(in.get(0).mul(in.get(1)).sum().add(in.get(2).mul(in.get(3)).sum()))).head();
            tape.backward(loss);
            assertArrayEquals(a.adjoint().apply(w).toDoubleArray(), tape.gradient(x).toDoubleArray(), 1e-12);
            assertArrayEquals(a.apply(v).toDoubleArray(), tape.gradient(y).toDoubleArray(), 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentTape.Mode.class)
    void multipleOutputsReusedValuesAndConstantOutputs(SegmentTape.Mode mode) {
        // s = (2x, 3x, a constant); loss = Σ s0·s1 + Σ s2 + Σ x·x  ⇒  ∂/∂x = 12x + 2x = 14x.
        NDArray x = manager.randomNormal(new Shape(5)).toType(DataType.FLOAT64, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector(); SegmentTape tape = new SegmentTape(mode)) {
            tape.input(x);
            NDArray two = tape.constant(manager, 2, DataType.FLOAT64), three = tape.constant(manager, 3, DataType.FLOAT64);
            NDList s = tape.segment(new NDList(x), in -> new NDList(in.head().mul(two), in.head().mul(three),
                    manager.ones(new Shape(5), DataType.FLOAT64)));
            NDArray loss = tape.segment(new NDList(s.get(0), s.get(1), s.get(2), x, x),
                    in -> new NDList(in.get(0).mul(in.get(1)).sum().add(in.get(2).sum()).add(in.get(3).mul(in.get(4)).sum()))).head();
            tape.backward(loss);
            double[] xs = x.toDoubleArray(), expected = new double[xs.length];
            for (int i = 0; i < xs.length; i++) expected[i] = 14 * xs[i];
            assertArrayEquals(expected, tape.gradient(x).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void misuseIsReported() {
        NDArray x = manager.ones(new Shape(3));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            SegmentTape tape = new SegmentTape(SegmentTape.Mode.STORE);
            NDArray out = tape.segment(new NDList(tape.input(x)), in -> new NDList(in.head().square())).head();
            assertThrows(IllegalArgumentException.class, () -> tape.backward(out)); // not a scalar
            assertThrows(IllegalArgumentException.class, () -> tape.backward(x.sum())); // not from the tape
            NDArray loss = tape.segment(new NDList(out), in -> new NDList(in.head().sum())).head();
            assertThrows(IllegalStateException.class, () -> tape.gradient(x)); // before backward
            tape.backward(loss);
            assertArrayEquals(new float[] {2, 2, 2}, tape.gradient(x).toFloatArray(), 0f);
            assertThrows(IllegalStateException.class, () -> tape.backward(loss)); // single use
            assertThrows(IllegalStateException.class, () -> tape.apply(a, x));
            tape.close();
            assertThrows(IllegalStateException.class, () -> tape.gradient(x));
        }
    }
}
