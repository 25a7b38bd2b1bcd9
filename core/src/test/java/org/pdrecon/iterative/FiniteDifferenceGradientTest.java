package org.pdrecon.iterative;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FiniteDifferenceGradientTest {
    @Test
    void adjointMatchesAndNormBoundHolds() {
        for (int[] shape : new int[][] {{4, 5, 6}, {1, 7, 9}}) {
            FiniteDifferenceGradient g = new FiniteDifferenceGradient(shape, new double[] {2, 0.5, 1});
            Random r = new Random(3);
            float[] x = new float[g.domainSize()], y = new float[g.rangeSize()];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
            double lhs = Vectors.dot(g.apply(x), y), rhs = Vectors.dot(x, g.adjoint().apply(y));
            assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs), "shape " + shape[0]);
            assertEquals(shape[0] == 1 ? 2 : 3, g.components());
            double est = org.pdrecon.operators.OperatorNorm.estimate(g, 300, 0, 1);
            assertTrue(est <= g.normBound() && est > 0.8 * g.normBound(), est + " vs bound " + g.normBound());
        }
    }

    @Test
    void gradientOfARampIsItsSlope() {
        FiniteDifferenceGradient g = new FiniteDifferenceGradient(new int[] {1, 2, 3}, new double[] {1, 1, 0.5});
        float[] out = g.apply(new float[] {0, 1, 2, 0, 1, 2});
        // components (y, x); x-difference (1)/0.5 = 2 except the last column
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 2, 2, 0, 2, 2, 0}, out, 1e-6f);
    }
}
