package org.pdrecon.preprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;

class LineIntegralsTest {
    static final int N = 3, ROWS = 4, COLS = 5, PLANE = ROWS * COLS;

    /** Known line integrals, zero in column 0 (the air region). */
    static float[] truth() {
        Random rnd = new Random(5);
        float[] p = new float[N * PLANE];
        for (int i = 0; i < p.length; i++) p[i] = i % COLS == 0 ? 0 : (float) (3 * rnd.nextDouble());
        return p;
    }

    @Test
    void givenI0() {
        float[] p = truth(), signal = new float[p.length];
        for (int i = 0; i < p.length; i++) signal[i] = (float) (5000 * Math.exp(-p[i]));
        LineIntegrals.Result r = LineIntegrals.fromSignal(new ProjectionStack(N, ROWS, COLS, signal), LineIntegrals.givenI0(5000), null);
        for (int i = 0; i < p.length; i++) assertEquals(p[i], r.lineIntegrals().data()[i], 1e-5);
        assertEquals(0, r.clampedPixels());
    }

    @Test
    void airRegionFollowsPerViewOutput() {
        float[] p = truth(), signal = new float[p.length];
        double[] output = {900, 1000, 1150}; // beam output differs between views
        for (int i = 0; i < p.length; i++) signal[i] = (float) (output[i / PLANE] * Math.exp(-p[i]));
        LineIntegrals.Result r = LineIntegrals.fromSignal(new ProjectionStack(N, ROWS, COLS, signal), LineIntegrals.airRegion(0, ROWS, 0, 1), null);
        for (int i = 0; i < p.length; i++) assertEquals(p[i], r.lineIntegrals().data()[i], 1e-5);
        assertTrue(r.description().contains("per-view mean of rows [0, 4) columns [0, 1)"), r.description());
    }

    @Test
    void detectorEdgesFollowPerViewOutputWhenTheEdgeIsAir() {
        float[] p = truth(), signal = new float[p.length];
        double[] output = {900, 1000, 1150};
        for (int i = 0; i < p.length; i++) signal[i] = (float) (output[i / PLANE] * Math.exp(-p[i])); // column 0 is air
        LineIntegrals.Result r = LineIntegrals.fromSignal(new ProjectionStack(N, ROWS, COLS, signal), LineIntegrals.detectorEdges(1), null);
        for (int i = 0; i < p.length; i++) assertEquals(p[i], r.lineIntegrals().data()[i], 1e-5);
        assertTrue(r.description().contains("automatic"), r.description());
    }

    /**
     * Clean air edges at I0 = 5000 with Poisson noise (σ ≈ 71): the view's 99th percentile sits about
     * 2.3 σ above the air level, which the plain 97 % rule refused; the noise allowance accepts it, while
     * an object covering half of the edge band is still refused.
     */
    @Test
    void noisyAirEdgesAreAcceptedAndAHalfCoveredEdgeIsNot() {
        int rows = 64, cols = 64, n = 2;
        Random rnd = new Random(11);
        float[] air = new float[n * rows * cols], half = new float[air.length];
        for (int i = 0; i < air.length; i++) {
            int col = i % cols, row = (i / cols) % rows;
            double p = col >= 8 && col < cols - 8 ? 0.5 : 0; // object in the middle, air at both edges
            air[i] = (float) poisson(rnd, 5000 * Math.exp(-p));
            double q = (col < 8 || col >= cols - 8) && row < rows / 2 ? 0.7 : p; // object over half of each edge band
            half[i] = (float) poisson(rnd, 5000 * Math.exp(-q));
        }
        LineIntegrals.Result r = LineIntegrals.fromSignal(new ProjectionStack(n, rows, cols, air), LineIntegrals.detectorEdges(2), null);
        double mean = 0;
        for (int i = 0; i < rows * cols; i++) if (i % cols == 0) mean += r.lineIntegrals().data()[i] / rows;
        assertEquals(0, mean, 0.005, "air reads as p = 0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LineIntegrals.fromSignal(new ProjectionStack(n, rows, cols, half), LineIntegrals.detectorEdges(2), null));
        assertTrue(e.getMessage().contains("so the object reaches the edges"), e.getMessage());
    }

    /** A Poisson draw (normal approximation, fine at these means). */
    private static double poisson(Random rnd, double mean) {
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
    }

    @Test
    void detectorEdgesAreRefusedWhenTheObjectReachesThem() {
        float[] signal = new float[N * PLANE];
        for (int i = 0; i < signal.length; i++) {
            int col = i % COLS;
            boolean edge = col == 0 || col == COLS - 1;
            signal[i] = edge ? 600 : 1000; // the edges are darker than the middle: attenuated, not air
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LineIntegrals.fromSignal(new ProjectionStack(N, ROWS, COLS, signal), LineIntegrals.detectorEdges(1), null));
        assertTrue(e.getMessage().contains("I0 cannot be found automatically: in view 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LineIntegrals.fromSignal(new ProjectionStack(N, ROWS, COLS, signal), LineIntegrals.detectorEdges(COLS), null));
    }

    @Test
    void floodFieldAndDarkFieldCorrectGainAndOffset() {
        float[] p = truth(), signal = new float[p.length], flood = new float[PLANE], dark = new float[PLANE];
        Random rnd = new Random(9);
        for (int i = 0; i < PLANE; i++) {
            double gain = 0.8 + 0.4 * rnd.nextDouble();
            dark[i] = (float) (50 + 10 * rnd.nextDouble());
            flood[i] = (float) (dark[i] + gain * 4000);
        }
        for (int i = 0; i < p.length; i++) {
            int px = i % PLANE;
            signal[i] = (float) (dark[px] + (flood[px] - dark[px]) * Math.exp(-p[i]));
        }
        LineIntegrals.Result r = LineIntegrals.fromSignal(new ProjectionStack(N, ROWS, COLS, signal), LineIntegrals.floodField(flood), dark);
        for (int i = 0; i < p.length; i++) assertEquals(p[i], r.lineIntegrals().data()[i], 1e-4);
    }

    @Test
    void nonPositiveSignalIsClampedAndCounted() {
        float[] signal = {100, 0, -3, Float.NaN};
        LineIntegrals.Result r = LineIntegrals.fromSignal(new ProjectionStack(1, 1, 4, signal), LineIntegrals.givenI0(100), null);
        assertEquals(3, r.clampedPixels());
        assertEquals(0, r.lineIntegrals().data()[0], 0);
        assertEquals(-Math.log(LineIntegrals.MIN_RATIO), r.lineIntegrals().data()[1], 1e-5);
        assertTrue(r.description().contains("3 pixel(s) clamped"), r.description());
        assertThrows(IllegalArgumentException.class, () -> LineIntegrals.fromSignal(new ProjectionStack(1, 1, 4, signal), LineIntegrals.airRegion(0, 2, 0, 1), null));
    }
}
