package org.pdrecon.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearFitTest {
    @Test
    void recoversAKnownScaleAndOffsetAndSkipsMaskedAndNonFiniteVoxels() {
        Random r = new Random(3);
        int n = 1000;
        float[] test = new float[n], ref = new float[n];
        boolean[] in = new boolean[n];
        for (int i = 0; i < n; i++) {
            test[i] = 0.005f + 0.01f * r.nextFloat();
            ref[i] = (float) (213.7 * test[i] - 1.25);
            in[i] = i % 10 != 0;
            if (!in[i]) ref[i] = 1e6f; // outliers outside the mask must not count
        }
        test[5] = Float.NaN; // inside the mask but not finite: skipped
        Mask mask = new Mask(1, 1, n, in, "test");
        LinearFit both = LinearFit.fit(ref, test, mask, true);
        assertEquals(213.7, both.scale(), 213.7 * 1e-4);
        assertEquals(-1.25, both.offset(), 1e-3);
        assertEquals(899, both.voxels());
        // Scale only, data through the origin: exact factor.
        float[] ref2 = new float[n];
        for (int i = 0; i < n; i++) ref2[i] = 40f * test[i];
        assertEquals(40, LinearFit.fit(ref2, test, mask, false).scale(), 40 * 1e-6);
        assertEquals(0, LinearFit.fit(ref2, test, mask, false).offset());
    }

    @Test
    void scaleOnlyIsTheLeastSquaresFactorNotARatioOfMeans() {
        float[] test = {1, 2, 3}, ref = {1, 1, 4};
        // s = Σxy/Σx² = (1 + 2 + 12)/14
        assertEquals(15.0 / 14, LinearFit.fit(ref, test, null, false).scale(), 1e-12);
        float[] applied = new LinearFit(2, 1, 3).apply(test);
        assertArrayEquals(new float[] {3, 5, 7}, applied);
    }

    @Test
    void undeterminedFitsFailClearly() {
        float[] zero = new float[4], ref = {1, 2, 3, 4}, constant = {2, 2, 2, 2};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearFit.fit(ref, zero, null, false)).getMessage().contains("zero"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearFit.fit(ref, constant, null, true)).getMessage().contains("constant"));
        assertThrows(IllegalArgumentException.class, () -> LinearFit.fit(ref, new float[3], null, true));
    }
}
