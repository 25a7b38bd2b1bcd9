package org.pdrecon.iterative;

import java.util.SplittableRandom;
import org.pdrecon.operators.LinearOperator;

/**
 * Estimates ‖A‖₂ = √λ_max(AᵀA) by power iteration on AᵀA from a seeded random start. The estimate
 * approaches the norm from below; callers needing an upper bound add a margin.
 */
public final class PowerIteration {
    private PowerIteration() {}

    public static double norm(LinearOperator a, int iterations, long seed) {
        int n = a.domainSize();
        float[] x = new float[n], ax = new float[a.rangeSize()], y = new float[n];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() - 0.5);
        double est = 0;
        for (int k = 0; k < iterations; k++) {
            double nx = Vectors.norm(x);
            if (nx == 0) return 0;
            for (int i = 0; i < n; i++) x[i] /= (float) nx;
            a.apply(x, ax);
            a.adjoint().apply(ax, y);
            est = Math.sqrt(Vectors.dot(x, y)); // xᵀAᵀAx with ‖x‖ = 1
            float[] t = x;
            x = y;
            y = t;
        }
        return est;
    }
}
