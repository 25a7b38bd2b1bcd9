package org.pdrecon.fdk;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class WeightsTest {
    private static final double SOD = 500, SDD = 1000;

    @Test
    void angularWeightsOfEvenFullAndShortScans() {
        double[] w = AngularWeights.compute(evenly(360, 0, 360));
        for (double x : w) assertEquals(2 * Math.PI / 360, x, 1e-12);
        double[] s = AngularWeights.compute(evenly(100, 10, 200));
        for (double x : s) assertEquals(Math.toRadians(2), x, 1e-12);
        assertEquals(200, AngularWeights.arcDeg(evenly(100, 10, 200)), 1e-9);
    }

    @Test
    void irregularFullCircleIntegratesToTwoPiAndOrderDoesNotMatter() {
        double[] a = {0, 5, 7, 30, 100, 180, 181, 270, 300, 355};
        double[] w = AngularWeights.compute(a);
        assertEquals(Math.toRadians((5 + 5) / 2.0), w[0], 1e-12); // neighbours 355 (−5) and 5
        assertEquals(Math.toRadians((7 - 0) / 2.0), w[1], 1e-12);
        double[] shuffled = {300, 0, 181, 7, 5, 355, 30, 270, 100, 180};
        double[] ws = AngularWeights.compute(shuffled);
        assertEquals(w[8], ws[0], 1e-15);
        assertEquals(w[1], ws[4], 1e-15);
        // an irregular set that does not close the circle: neighbour rule, sum = span + end gaps
        double[] b = {0, 10, 15, 40};
        double sum = 0;
        for (double x : AngularWeights.compute(b)) sum += x;
        assertEquals(Math.toRadians(40 + 10 / 2.0 + 25 / 2.0), sum, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> AngularWeights.compute(new double[] {3}));
    }

    @Test
    void fullCircleDetectionAndOverScan() {
        assertTrue(AngularWeights.isFullCircle(evenly(360, 0, 360)));
        assertTrue(AngularWeights.isFullCircle(new double[] {0, 5, 7, 30, 100, 180, 181, 270, 300, 355}));
        assertFalse(AngularWeights.isFullCircle(evenly(350, 0, 350)));
        // 400 views over 400°: each ray is covered 400/360 times on average, so weights shrink by 360/400
        double sum = 0;
        for (double x : AngularWeights.compute(evenly(400, 0, 400))) sum += x;
        assertEquals(2 * Math.PI, sum, 1e-9);
    }

    @Test
    void cosineWeightsIncludeOffsets() {
        float[] w = CosineWeights.compute(SDD, 2, 2, 1, 1, 0, 0);
        assertEquals(SDD / Math.sqrt(SDD * SDD + 0.5), w[0], 1e-6);
        float[] o = CosineWeights.compute(SDD, 1, 1, 1, 1, 30, -40);
        assertEquals(SDD / Math.sqrt(SDD * SDD + 2500), o[0], 1e-6);
    }

    /**
     * Parker weights of a ray and of its conjugate sum to 1. The conjugate is found geometrically (the
     * second intersection of the ray's line with the source circle), which checks the sign convention
     * of γ against DESIGN.md's geometry rather than against the formula.
     */
    @Test
    void parkerWeightsOfConjugateRaysSumToOne() {
        for (double dir : new double[] {1, -1}) {
            double halfFan = Math.atan(150 / SDD);
            double arc = Math.PI + 2 * halfFan + 0.1;
            double d = (arc - Math.PI) / 2;
            int checked = 0;
            for (double beta = 0.01; beta < arc; beta += 0.037) {
                for (double u = -150; u <= 150; u += 13.7) {
                    double theta = dir * beta; // start angle 0
                    double[] conj = conjugate(theta, u);
                    double beta2 = dir * conj[0];
                    while (beta2 < 0) beta2 += 2 * Math.PI;
                    while (beta2 >= 2 * Math.PI) beta2 -= 2 * Math.PI;
                    double w1 = ParkerWeights.weight(beta, -dir * Math.atan(u / SDD), d);
                    double w2 = beta2 <= arc ? ParkerWeights.weight(beta2, -dir * Math.atan(conj[1] / SDD), d) : 0;
                    // rays seen only once must have weight 1; rays seen twice must sum to 1
                    assertEquals(1.0, w1 + w2, 1e-9, "beta " + beta + " u " + u + " dir " + dir);
                    checked++;
                }
            }
            assertTrue(checked > 1000);
        }
    }

    /** The other source angle and detector u measuring the same line as the ray (θ, u). */
    private static double[] conjugate(double theta, double u) {
        double c = Math.cos(theta), s = Math.sin(theta);
        double[] src = {SOD * s, -SOD * c};
        double px = u * c - (SDD - SOD) * s, py = u * s + (SDD - SOD) * c; // R(θ)(u, SDD − SOD)
        double dx = px - src[0], dy = py - src[1];
        double t = -2 * (src[0] * dx + src[1] * dy) / (dx * dx + dy * dy);
        double sx = src[0] + t * dx, sy = src[1] + t * dy;
        double theta2 = Math.atan2(sx, -sy);
        double c2 = Math.cos(theta2), s2 = Math.sin(theta2);
        double ex = -dx, ey = -dy; // travelling back along the line
        double along = ex * (-s2) + ey * c2;  // · R(θ')(0,1)
        double across = ex * c2 + ey * s2;    // · R(θ')(1,0)
        return new double[] {theta2, SDD * across / along};
    }

    @Test
    void parkerRefusesArcsUnderAHalfTurnAndStaysBoundedOnShortOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParkerWeights.compute(evenly(175, 0, 175), SDD, 200, 1, 0));
        assertTrue(e.getMessage().contains("less than 180°"), e.getMessage());
        // detector ±100 mm at SDD 1000: fan angle 2·atan(0.1) = 11.42°; 190° is complete within SOD·sin 5°
        float[] shortArc = ParkerWeights.compute(evenly(190, 0, 190), SDD, 200, 1, 0);
        for (float x : shortArc) assertTrue(x >= 0 && x <= 2, "weight " + x);
        assertEquals(SOD * Math.sin(Math.toRadians(5)), ParkerWeights.completeRadiusMm(190, SOD), 1e-9);
        float[] w = ParkerWeights.compute(evenly(200, 0, 200), SDD, 200, 1, 0);
        assertEquals(2.0, w[100 * 200 + 100], 1e-6); // mid-arc, central column: doubled weight 1
        assertTrue(w[100] < 0.01 && w[0] < 0.05, w[100] + " " + w[0]); // the arc fades in at its start
        assertThrows(IllegalArgumentException.class,
                () -> ParkerWeights.compute(new double[] {0, 10, 5, 300}, SDD, 10, 1, 0));
    }

    @Test
    void wangWeightsOfMirroredColumnsSumToTwo() {
        int cols = 100;
        double du = 1, off = 30; // detector spans u = −20..80
        float[] w = WangWeights.compute(cols, du, off);
        for (int c = 0; c < cols; c++) {
            double u = (c + 0.5 - cols / 2.0) * du + off;
            if (u > 20) assertEquals(2.0, w[c], 1e-6);
            else {
                int mirror = (int) Math.round(-u - off - 0.5 + cols / 2.0);
                assertEquals(2.0, w[c] + w[mirror], 1e-5, "u " + u);
            }
        }
        float[] neg = WangWeights.compute(cols, du, -off);
        for (int c = 0; c < cols; c++) assertEquals(w[c], neg[cols - 1 - c], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> WangWeights.compute(cols, du, 60));
    }

    private static double[] evenly(int n, double start, double arc) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = start + arc * i / n;
        return a;
    }
}
