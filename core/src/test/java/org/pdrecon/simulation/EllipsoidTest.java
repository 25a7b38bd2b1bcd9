package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EllipsoidTest {
    private static final double PHI = Math.toRadians(30);
    private final Ellipsoid e = new Ellipsoid(new double[] {1, 2, 3}, new double[] {4, 1, 2}, PHI, 0.5);

    @Test
    void chordAlongXThroughRotatedCentreMatchesHandComputation() {
        // Local direction Rᵀx = (cos30°, −sin30°, 0); chord = 2 / |diag(1/4, 1, 1/2)·(cos30°, −sin30°, 0)|.
        double chord = e.chordLengthMm(-20, 2, 3, 1, 0, 0, 100);
        assertEquals(3.670651741928989, chord, 1e-12);
    }

    @Test
    void chordAlongZAtHalfTheFirstSemiAxisMatchesHandComputation() {
        // Two mm along the first (rotated) axis, then along z: 2·c·√(1 − (2/4)²) = 4·√0.75.
        double x = 1 + 2 * Math.cos(PHI), y = 2 + 2 * Math.sin(PHI);
        assertEquals(3.4641016151377544, e.chordLengthMm(x, y, -10, 0, 0, 1, 100), 1e-12);
        // The segment ends at z = 13 − 10 = 3 (the centre plane): half the chord.
        assertEquals(3.4641016151377544 / 2, e.chordLengthMm(x, y, -10, 0, 0, 1, 13), 1e-12);
        // Starting inside at the centre plane: also half.
        assertEquals(3.4641016151377544 / 2, e.chordLengthMm(x, y, 3, 0, 0, 1, 100), 1e-12);
        // Missing ray.
        assertEquals(0, e.chordLengthMm(x + 5, y, -10, 0, 0, 1, 100));
    }

    @Test
    void containsFollowsTheRotation() {
        double[] axis = {Math.cos(PHI), Math.sin(PHI), 0};
        assertTrue(e.contains(1 + 3.9 * axis[0], 2 + 3.9 * axis[1], 3));
        assertFalse(e.contains(1 + 4.1 * axis[0], 2 + 4.1 * axis[1], 3));
        // Along the unrotated x axis the ellipsoid is thinner than 4.
        assertFalse(e.contains(1 + 3.9, 2, 3));
        assertTrue(e.contains(1, 2, 3 + 1.99));
        assertFalse(e.contains(1, 2, 3 + 2.01));
    }

    @Test
    void fullRotationMatrixAgreesWithAngleForm() {
        double c = Math.cos(PHI), s = Math.sin(PHI);
        Ellipsoid m = Ellipsoid.rotated(new double[] {1, 2, 3}, new double[] {4, 1, 2},
                new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}}, 0.5);
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            double ox = rng.nextDouble(-10, 10), oy = rng.nextDouble(-10, 10), oz = rng.nextDouble(-10, 10);
            double dx = rng.nextGaussian(), dy = rng.nextGaussian(), dz = rng.nextGaussian();
            double n = Math.sqrt(dx * dx + dy * dy + dz * dz);
            assertEquals(e.chordLengthMm(ox, oy, oz, dx / n, dy / n, dz / n, 50),
                    m.chordLengthMm(ox, oy, oz, dx / n, dy / n, dz / n, 50), 1e-12);
            assertEquals(e.contains(ox / 3, oy / 3, oz / 3), m.contains(ox / 3, oy / 3, oz / 3));
        }
    }

    @Test
    void chordLengthAgreesWithPointSampling() {
        // Independent check of the quadratic: count sample points along the ray inside the ellipsoid.
        SplittableRandom rng = new SplittableRandom(11);
        double[][] rot = {{0.36, 0.48, -0.8}, {-0.8, 0.6, 0}, {0.48, 0.64, 0.6}};
        Ellipsoid g = Ellipsoid.rotated(new double[] {0.5, -1, 2}, new double[] {3, 1.5, 2.5}, rot, 1);
        for (int i = 0; i < 20; i++) {
            double ox = -20, oy = rng.nextDouble(-3, 1), oz = rng.nextDouble(0, 4);
            double dx = 1, dy = rng.nextDouble(-0.05, 0.05), dz = rng.nextDouble(-0.05, 0.05);
            double n = Math.sqrt(dx * dx + dy * dy + dz * dz);
            dx /= n;
            dy /= n;
            dz /= n;
            int steps = 400_000, inside = 0;
            double h = 40.0 / steps;
            for (int k = 0; k < steps; k++) {
                double t = (k + 0.5) * h;
                if (g.contains(ox + t * dx, oy + t * dy, oz + t * dz)) inside++;
            }
            assertEquals(inside * h, g.chordLengthMm(ox, oy, oz, dx, dy, dz, 40), 2 * h);
        }
    }

    @Test
    void halfExtentOfQuarterTurnSwapsAxes() {
        Ellipsoid q = new Ellipsoid(new double[3], new double[] {4, 1, 2}, Math.PI / 2, 1);
        double[] h = q.halfExtentMm();
        assertEquals(1, h[0], 1e-12);
        assertEquals(4, h[1], 1e-12);
        assertEquals(2, h[2], 1e-12);
    }

    @Test
    void invalidInputsAreRejectedWithTheirName() {
        var ex = assertThrows(IllegalArgumentException.class,
                () -> new Ellipsoid(new double[3], new double[] {1, 0, 1}, 0, 1));
        assertTrue(ex.getMessage().contains("semi_axes_mm[1]"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> new Ellipsoid(new double[] {0, Double.NaN, 0}, new double[] {1, 1, 1}, 0, 1));
        assertTrue(ex.getMessage().contains("centre_mm[1]"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> Ellipsoid.rotated(new double[3], new double[] {1, 1, 1}, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 2}}, 1));
        assertTrue(ex.getMessage().contains("orthonormal"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> Ellipsoid.rotated(new double[3], new double[] {1, 1, 1}, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, -1}}, 1));
        assertTrue(ex.getMessage().contains("reflection"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> new Ellipsoid(new double[3], new double[] {1, 1, 1}, 0, Double.POSITIVE_INFINITY));
        assertTrue(ex.getMessage().contains("value_per_mm"), ex.getMessage());
    }
}
