package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each primitive's exact chord against numeric integration of its own membership test along random rays,
 * and its box against the points it contains: clipped ellipsoids, elliptic cylinders, cone frusta, turned.
 */
class QuadricSolidTest {
    static final double[] TURN = rotation(0.4, -0.7, 1.1);

    static List<QuadricSolid> shapes() {
        double[] c = {12, -7, 5};
        return List.of(
                QuadricSolid.ellipsoid(c, new double[] {40, 25, 30}, TURN, 0.02),
                QuadricSolid.ellipsoid(c, new double[] {40, 25, 30}, TURN, 0.02, new QuadricSolid.Plane(1, 0.5, -0.2, 20),
                        new QuadricSolid.Plane(0, -1, 0, 0)),
                QuadricSolid.cylinder(c, 20, 12, 70, TURN, 0.03),
                QuadricSolid.cylinder(c, 20, 12, 70, QuadricSolid.Z_TO_Y, 0.03, new QuadricSolid.Plane(1, 0, 0, 15)),
                QuadricSolid.frustum(c, 25, 15, 0.4, 60, TURN, -0.01),
                QuadricSolid.frustum(c, 10, 10, 2.5, 40, QuadricSolid.Z_TO_X, 0.05),
                QuadricSolid.frustum(c, 18, 9, 0, 50, QuadricSolid.zRotation(0.3), 0.01)); // a full cone, apex included
    }

    @Test
    void chordsEqualNumericIntegrationOfMembership() {
        Random r = new Random(3);
        for (QuadricSolid s : shapes()) assertChordsMatchMembership(s, r, 8, 100);
    }

    /**
     * 300 rays from 200 mm away towards random points of the solid's box: the exact chord equals the midpoint-rule
     * integral of the solid's membership test to one step per boundary crossing (at most {@code crossings}), and more
     * than {@code minHits} rays meet the solid.
     */
    static void assertChordsMatchMembership(Solid s, Random r, int crossings, int minHits) {
        int hits = 0;
        for (int k = 0; k < 300; k++) {
            double[] o = unit(r), target = s.centreMm();
            double[] h = s.halfExtentMm();
            for (int i = 0; i < 3; i++) {
                o[i] = target[i] + 200 * o[i];
                target[i] += (r.nextDouble() * 2 - 1) * h[i];
            }
            double[] d = {target[0] - o[0], target[1] - o[1], target[2] - o[2]};
            double len = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            for (int i = 0; i < 3; i++) d[i] /= len;
            double tMax = 400;
            double exact = s.chordLengthMm(o[0], o[1], o[2], d[0], d[1], d[2], tMax);
            int n = 40_000;
            double numeric = midpointIntegral((x, y, z) -> s.contains(x, y, z) ? 1 : 0, o, d, tMax, n);
            assertEquals(numeric, exact, crossings * tMax / n, s + " ray " + k); // each boundary crossing costs at most one step
            if (exact > 0) hits++;
        }
        assertTrue(hits > minHits, s + ": only " + hits + " of 300 rays met the solid");
    }

    @Test
    void aChordIsClippedToTheSegmentAndTheBoxHoldsTheSolid() {
        QuadricSolid ball = QuadricSolid.ellipsoid(new double[] {0, 0, 0}, new double[] {10, 10, 10}, QuadricSolid.zRotation(0), 1);
        assertEquals(20, ball.chordLengthMm(-50, 0, 0, 1, 0, 0, 100), 1e-12);
        assertEquals(5, ball.chordLengthMm(-50, 0, 0, 1, 0, 0, 45), 1e-12); // the segment ends inside
        assertEquals(10, ball.chordLengthMm(0, 0, 0, 1, 0, 0, 100), 1e-12); // starts at the centre
        QuadricSolid tube = QuadricSolid.cylinder(new double[] {0, 0, 0}, 5, 5, 30, QuadricSolid.zRotation(0), 1);
        assertEquals(30, tube.chordLengthMm(0, 0, -100, 0, 0, 1, 200), 1e-12); // along the axis: the caps bound it
        assertEquals(10, tube.chordLengthMm(-100, 0, 0, 1, 0, 0, 200), 1e-12);
        Random r = new Random(5);
        for (QuadricSolid s : shapes()) {
            double[] c = s.centreMm(), h = s.halfExtentMm();
            int inside = 0;
            for (int k = 0; k < 200_000; k++) {
                double x = c[0] + (r.nextDouble() * 2.4 - 1.2) * h[0], y = c[1] + (r.nextDouble() * 2.4 - 1.2) * h[1], z = c[2] + (r.nextDouble() * 2.4 - 1.2) * h[2];
                if (!s.contains(x, y, z)) continue;
                inside++;
                assertTrue(Math.abs(x - c[0]) <= h[0] + 1e-9 && Math.abs(y - c[1]) <= h[1] + 1e-9 && Math.abs(z - c[2]) <= h[2] + 1e-9, s + " at " + x + "," + y + "," + z);
            }
            assertTrue(inside > 1000, s.toString());
        }
    }

    @Test
    void aMovedSolidIsTheSameSolidElsewhere() {
        for (QuadricSolid s : shapes()) {
            QuadricSolid t = s.translated(30, -20, 10);
            assertEquals(s.chordLengthMm(-100, 3, 2, 1, 0, 0, 300), t.chordLengthMm(-70, -17, 12, 1, 0, 0, 300), 1e-9, s.toString());
        }
    }

    /** A function of a world point. */
    interface Integrand {
        double at(double x, double y, double z);
    }

    /** The midpoint rule with {@code n} steps for ∫ f(o + t·d) dt over {@code [0, tMax]}. */
    static double midpointIntegral(Integrand f, double[] o, double[] d, double tMax, int n) {
        double step = tMax / n, sum = 0;
        for (int i = 0; i < n; i++) {
            double t = (i + 0.5) * step;
            sum += f.at(o[0] + t * d[0], o[1] + t * d[1], o[2] + t * d[2]);
        }
        return sum * step;
    }

    static double[] unit(Random r) {
        double[] v;
        double n;
        do {
            v = new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        } while (n < 1e-6);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    /** R = Rz(c)·Ry(b)·Rx(a), row-major. */
    static double[] rotation(double a, double b, double c) {
        double[][] x = {{1, 0, 0}, {0, Math.cos(a), -Math.sin(a)}, {0, Math.sin(a), Math.cos(a)}};
        double[][] y = {{Math.cos(b), 0, Math.sin(b)}, {0, 1, 0}, {-Math.sin(b), 0, Math.cos(b)}};
        double[][] z = {{Math.cos(c), -Math.sin(c), 0}, {Math.sin(c), Math.cos(c), 0}, {0, 0, 1}};
        double[][] zy = mul(z, y), r = mul(zy, x);
        return new double[] {r[0][0], r[0][1], r[0][2], r[1][0], r[1][1], r[1][2], r[2][0], r[2][1], r[2][2]};
    }

    static double[][] mul(double[][] p, double[][] q) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) o[i][j] += p[i][k] * q[k][j];
        return o;
    }
}
