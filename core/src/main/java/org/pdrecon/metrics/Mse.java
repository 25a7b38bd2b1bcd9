package org.pdrecon.metrics;

import org.pdrecon.data.Volume;

/** Mean squared error over a mask, accumulated in double. Inputs are validated by the callers. */
final class Mse {
    private Mse() {}

    static double of(Volume reference, Volume test, Mask mask) {
        float[] a = reference.data(), b = test.data();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            if (mask != null && !mask.contains(i)) continue;
            double e = (double) a[i] - b[i];
            sum += e * e;
            n++;
        }
        return sum / n;
    }
}
