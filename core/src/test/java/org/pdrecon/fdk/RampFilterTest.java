package org.pdrecon.fdk;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RampFilterTest {

    /** The FFT path equals the direct linear convolution τ·Σ p_k h(n − k) with Kak & Slaney's kernel. */
    @Test
    void ramLakEqualsDirectSpatialConvolution() {
        int rows = 3, cols = 37;
        double tau = 0.7;
        Random rnd = new Random(1);
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextGaussian();
        float[] orig = data.clone();
        new RampFilter(FilterWindow.RAM_LAK, 1.0).filterRows(data, rows, cols, tau);
        double maxErr = 0, maxRef = 0;
        for (int r = 0; r < rows; r++) {
            for (int n = 0; n < cols; n++) {
                double s = 0;
                for (int k = 0; k < cols; k++) s += orig[r * cols + k] * kernel(n - k, tau);
                s *= tau;
                maxErr = Math.max(maxErr, Math.abs(s - data[r * cols + n]));
                maxRef = Math.max(maxRef, Math.abs(s));
            }
        }
        assertTrue(maxErr < 1e-5 * maxRef, "max error " + maxErr + " vs max value " + maxRef);
    }

    private static double kernel(int n, double tau) {
        if (n == 0) return 1 / (4 * tau * tau);
        if (n % 2 == 0) return 0;
        return -1 / (n * (double) n * Math.PI * Math.PI * tau * tau);
    }

    @Test
    void spectrumIsARampWithSmallPositiveDcAndWindowsApply() {
        int n = 256;
        double[] ramp = new RampFilter(FilterWindow.RAM_LAK, 1).spectrum(n);
        // ramp ≈ |f| in cycles per sample (τ = 1); at k = n/4 that is 0.25.
        assertEquals(0.25, ramp[n / 4], 0.25 * 0.01);
        assertTrue(ramp[0] > 0 && ramp[0] < ramp[1] / 2, "DC " + ramp[0] + " must be small and positive");
        double[] hann = new RampFilter(FilterWindow.HANN, 1).spectrum(n);
        assertEquals(ramp[0], hann[0], 1e-15);
        assertEquals(0, hann[n / 2], 1e-12);
        assertEquals(ramp[n / 4] * 0.5, hann[n / 4], 1e-12); // ½ + ½cos(π/2) = ½
        double[] cut = new RampFilter(FilterWindow.RAM_LAK, 0.5).spectrum(n);
        assertEquals(ramp[n / 4], cut[n / 4], 1e-15); // f = 0.5 of Nyquist: at the cut-off, kept
        assertEquals(0, cut[n / 4 + 1]);
        double[] sl = new RampFilter(FilterWindow.SHEPP_LOGAN, 1).spectrum(n);
        assertEquals(ramp[n / 2] * 2 / Math.PI, sl[n / 2], 1e-12); // sinc(1/2) = 2/π
    }

    @Test
    void paddingIsAPowerOfTwoAtLeastTwiceTheRow() {
        assertEquals(256, RampFilter.paddedLength(128));
        assertEquals(512, RampFilter.paddedLength(129));
        assertEquals(2, RampFilter.paddedLength(1));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RampFilter(FilterWindow.HANN, 0));
        assertThrows(IllegalArgumentException.class, () -> new RampFilter(FilterWindow.HANN, 1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterWindow.parse("gauss"));
        assertTrue(e.getMessage().contains("ram-lak"));
        assertEquals(FilterWindow.SHEPP_LOGAN, FilterWindow.parse("shepp-logan"));
        assertThrows(IllegalArgumentException.class,
                () -> new RampFilter(FilterWindow.HANN, 1).filterRows(new float[10], 2, 4, 1));
    }

    /**
     * Independent check of the filter's absolute scale: 2D parallel-beam FBP of a uniform disc from its
     * analytic projections p(s) = 2μ√(R² − s²), f(x) = Σ_θ Δθ·q_θ(x·θ) over 180°, recovers μ.
     */
    @Test
    void parallelBeamFbpOfADiscRecoversMu() {
        double mu = 0.02, radius = 40, tau = 0.5;
        int cols = 256, views = 180;
        float[] p = new float[views * cols];
        for (int v = 0; v < views; v++) {
            for (int c = 0; c < cols; c++) {
                double s = (c + 0.5 - cols / 2.0) * tau;
                p[v * cols + c] = (float) (s * s < radius * radius ? 2 * mu * Math.sqrt(radius * radius - s * s) : 0);
            }
        }
        new RampFilter(FilterWindow.RAM_LAK, 1).filterRows(p, views, cols, tau);
        double[][] points = {{0, 0}, {10, -5}, {-20, 15}, {0, 60}};
        double[] expected = {mu, mu, mu, 0};
        for (int k = 0; k < points.length; k++) {
            double f = 0;
            for (int v = 0; v < views; v++) {
                double th = Math.PI * v / views;
                double s = points[k][0] * Math.cos(th) + points[k][1] * Math.sin(th);
                double c = s / tau + cols / 2.0 - 0.5;
                int c0 = (int) Math.floor(c);
                double a = c - c0;
                f += (Math.PI / views) * ((1 - a) * p[v * cols + c0] + a * p[v * cols + c0 + 1]);
            }
            // outside the disc the discrete ramp leaves a small negative tail (about 1% of μ here)
            assertEquals(expected[k], f, (k < 3 ? 0.01 : 0.02) * mu, "point " + k);
        }
    }
}
