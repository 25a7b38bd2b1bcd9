package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.Numerics;
import org.pdrecon.operators.tape.SegmentTape;

/** {@code train --check-numerics}: the first layer, operator or gradient holding NaN/Inf is named. */
class CheckNumericsTest {
    @AfterEach
    void off() {
        Numerics.setEnabled(false);
    }

    @Test
    void namesTheLayerWhoseOutputFirstHoldsNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDual lpd = new LearnedPrimalDual(new LearnedPrimalDualConfig(2, 3, 3, 2, 4, 3, 3));
            Shape x0s = new Shape(1, 1, 6, 5), ys = new Shape(1, 1, 4, 7);
            lpd.initialize(m, DataType.FLOAT32, x0s, ys);
            NDArrayOperator op = new DenseMatrixOperator(m, new int[] {1, 6, 5}, new int[] {4, 1, 7}, 5, DataType.FLOAT32);
            // A NaN weight in the second iteration's primal update, second convolution.
            NDArray w = lpd.primalUpdate(1).getParameters().get("03conv_2_weight").getArray();
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            w.set(new ai.djl.ndarray.index.NDIndex("0, 0, 0, 0"), Float.NaN);
            JniUtils.setGradMode(grad);
            NDArray y = m.randomNormal(ys), x0 = m.randomNormal(x0s);
            UpdateCnn.labelAll(lpd, "");
            Numerics.setEnabled(true);
            var e = assertThrows(Numerics.NonFiniteException.class, () -> lpd.reconstruct(new ParameterStore(m, false), op, 1.0, y, x0));
            assertEquals(true, e.getMessage().startsWith("first NaN/Inf in forward: 04primal_1 03conv_2 output"), e.getMessage());
        }
    }

    @Test
    void namesTheTapeRecordWhoseBackwardFirstMakesInf() {
        try (NDManager m = NDManager.newBaseManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector();
             SegmentTape tape = new SegmentTape(SegmentTape.Mode.RECOMPUTE)) {
            NDArray x = tape.input(m.zeros(new Shape(3)));
            NDArray root = tape.segment(new NDList(x), in -> new NDList(in.get(0).sqrt())).head(); // finite, d/dx = Inf at 0
            NDArray loss = tape.segment(new NDList(root), in -> new NDList(in.get(0).sum())).head();
            Numerics.setEnabled(true);
            var e = assertThrows(Numerics.NonFiniteException.class, () -> tape.backward(loss));
            assertEquals("first NaN/Inf in backward: gradient of input 0 of tape record 0 (a segment): 0 NaN and 3 infinite of 3 values (shape (3))",
                    e.getMessage());
        }
    }
}
