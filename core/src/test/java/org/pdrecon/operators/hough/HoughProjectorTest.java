package org.pdrecon.operators.hough;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.benchmark.HoughComparison;
import org.pdrecon.geometry.GeometryException;
import org.pdrecon.operators.KernelPool;

class HoughProjectorTest {
    private static final KernelPool POOL = new KernelPool(2);

    /** Row offsets of the dyadic pattern of slope t over p rows, built from the definition. */
    private static int offset(int t, int row, int p) {
        if (p == 1) return 0;
        int h = p / 2;
        return row < h ? offset(t >> 1, row, h) : ((t + 1) >> 1) + offset(t >> 1, row - h, h);
    }

    private static float[] random(int size, long seed) {
        Random r = new Random(seed);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    @Test
    void dyadicPatternsEndAtTheirSlopeAndStayNearTheIdealLine() {
        for (int p : new int[] {2, 16, 256, 1024}) {
            double worst = 0;
            for (int t = 0; t < p; t++) {
                assertEquals(0, offset(t, 0, p));
                assertEquals(t, offset(t, p - 1, p), "pattern " + t + " of " + p + " rows");
                for (int r = 0; r < p; r++) worst = Math.max(worst, Math.abs(offset(t, r, p) - t * r / (double) (p - 1)));
            }
            // Brady–Yong patterns stray from the ideal line by at most log2(p)/6 pixels (reached at these p).
            double log2 = Math.log(p) / Math.log(2);
            assertTrue(worst <= log2 / 6 + 1e-9, "p = " + p + ": worst deviation " + worst);
        }
    }

    @Test
    void fastTransformEqualsDirectSumsAlongThePatterns() {
        int p = 16, width = 2 * p;
        float[] image = random(p * p, 1);
        float[] a = new float[p * width], b = new float[a.length];
        for (int r = 0; r < p; r++) System.arraycopy(image, r * p, a, r * width + p, p);
        float[] padded = a.clone();
        boolean[] all = new boolean[p];
        java.util.Arrays.fill(all, true);
        float[] h = new DyadicHough(all).forward(a, b);
        for (int t = 0; t < p; t++) {
            for (int x = 0; x < width; x++) {
                double direct = 0;
                for (int r = 0; r < p; r++) direct += padded[r * width + Math.floorMod(x + offset(t, r, p), width)];
                assertEquals(direct, h[t * width + x], 1e-4, "slope " + t + ", start " + x);
            }
        }
    }

    @Test
    void transposedTransformIsTheExactTranspose() {
        int p = 32, width = 2 * p;
        boolean[] some = new boolean[p];
        for (int t : new int[] {0, 3, 17, 30, 31}) some[t] = true;
        DyadicHough hough = new DyadicHough(some);
        float[] f = random(p * width, 2), g = random(p * width, 3);
        float[] hf = hough.forward(f.clone(), new float[f.length]);
        float[] htg = hough.transpose(g.clone(), new float[g.length]);
        double lhs = 0;
        for (int t = 0; t < p; t++) {
            if (!some[t]) continue;
            for (int x = 0; x < width; x++) lhs += (double) hf[t * width + x] * g[t * width + x];
        }
        double rhs = dot(f, htg);
        assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs));
    }

    @Test
    void projectorPairPassesTheAdjointTestAtAnyAngleAndSize() {
        double[] angles = {0, 45, 90, 135, 180, 270, -30, 200.5, 12.3, 359, 89.9, 44.99};
        for (int n : new int[] {32, 45}) {
            HoughProjector a = new HoughProjector(new ParallelBeam2D(n, 0.8, angles, 70, 0.7), POOL);
            float[] x = random(a.domainSize(), 4), y = random(a.rangeSize(), 5);
            double lhs = dot(a.apply(x), y), rhs = dot(x, a.adjoint().apply(y));
            assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs), "n = " + n);
            assertTrue(a.adjoint().adjoint() == a);
        }
    }

    @Test
    void axisAlignedViewsAreExactColumnAndRowSums() {
        int n = 16;
        double pixel = 0.5;
        float[] image = random(n * n, 6);
        float[] y = new HoughProjector(new ParallelBeam2D(n, pixel, new double[] {0, 90}, n, pixel), POOL).apply(image);
        for (int c = 0; c < n; c++) {
            double column = 0, row = 0;
            for (int k = 0; k < n; k++) {
                column += image[k * n + c]; // θ = 0: rays run along y, column c sees x = x(c)
                row += image[c * n + k];    // θ = 90°: rays run along −x, column c sees y = y(c)
            }
            assertEquals(pixel * column, y[c], 1e-5);
            assertEquals(pixel * row, y[n + c], 1e-5);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        ParallelBeam2D beam = ParallelBeam2D.halfTurn(40, 1, 33);
        float[] x = random(40 * 40, 7), y = random(beam.views() * beam.cols(), 8);
        HoughProjector one = new HoughProjector(beam, new KernelPool(1)), two = new HoughProjector(beam, POOL);
        assertArrayEquals(one.apply(x), two.apply(x));
        assertArrayEquals(one.adjoint().apply(y), two.adjoint().apply(y));
    }

    /** Figures from `pdrecon bench hough --sizes 128 --sirt 30` (docs/operators.md), with margin. */
    @Test
    void approximatesJosephAndTheAnalyticIntegralsAt128() {
        HoughComparison.Row r = HoughComparison.run(128, 128, 1, 30, POOL);
        assertTrue(r.houghVsAnalytic() < 0.05, "Hough vs analytic " + r.houghVsAnalytic());
        assertTrue(r.houghVsJoseph() < 0.035, "Hough vs Joseph " + r.houghVsJoseph());
        assertTrue(r.transposeVsJoseph() < 0.015, "transposes " + r.transposeVsJoseph());
        assertTrue(r.josephVsAnalytic() < r.houghVsAnalytic(), "Joseph is the more accurate");
        assertTrue(r.houghSirtPsnr() > r.josephSirtPsnr() - 1.0,
                "SIRT through Hough " + r.houghSirtPsnr() + " dB vs Joseph " + r.josephSirtPsnr() + " dB");
    }

    @Test
    void impossibleGeometriesAreRefused() {
        assertThrows(GeometryException.class, () -> new ParallelBeam2D(1, 1, new double[] {0}, 4, 1));
        assertThrows(GeometryException.class, () -> new ParallelBeam2D(8, 0, new double[] {0}, 4, 1));
        assertThrows(GeometryException.class, () -> new ParallelBeam2D(8, 1, new double[0], 4, 1));
        assertThrows(GeometryException.class, () -> new ParallelBeam2D(8, 1, new double[] {Double.NaN}, 4, 1));
        assertThrows(GeometryException.class, () -> new ParallelBeam2D(8, 1, new double[] {0}, 0, 1));
        HoughProjector a = new HoughProjector(ParallelBeam2D.halfTurn(8, 1, 4), POOL);
        assertThrows(IllegalArgumentException.class, () -> a.apply(new float[63], new float[a.rangeSize()]));
    }
}
