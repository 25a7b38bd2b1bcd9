package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomEllipsoidsTest {
    private static final double RADIUS = 60, HALF_HEIGHT = 40;

    private static RandomEllipsoids generator() {
        return RandomEllipsoids.builder().setFovRadiusMm(RADIUS).optFovHalfHeightMm(HALF_HEIGHT).optCount(12).build();
    }

    @Test
    void sameSeedSamePhantomOtherSeedOtherPhantom() {
        Phantom a = generator().generate(42), b = generator().generate(42), c = generator().generate(43);
        assertEquals(13, a.size()); // body + 12
        for (int i = 0; i < a.size(); i++) {
            Ellipsoid x = a.ellipsoids().get(i), y = b.ellipsoids().get(i);
            assertArrayEquals(x.centreMm(), y.centreMm(), 0.0);
            assertArrayEquals(x.semiAxesMm(), y.semiAxesMm(), 0.0);
            for (int r = 0; r < 3; r++) assertArrayEquals(x.rotation()[r], y.rotation()[r], 0.0);
            assertEquals(x.valuePerMm(), y.valuePerMm(), 0.0);
        }
        assertFalse(java.util.Arrays.equals(a.ellipsoids().get(3).centreMm(), c.ellipsoids().get(3).centreMm()));
    }

    @Test
    void everySurfacePointIsInsideTheFieldOfViewAndTheBody() {
        for (long s = 0; s < 20; s++) {
            long seed = s;
            List<Ellipsoid> es = generator().generate(seed).ellipsoids();
            Ellipsoid body = es.get(0);
            for (Ellipsoid e : es) {
                for (double[] p : surface(e)) {
                    assertTrue(Math.hypot(p[0], p[1]) <= RADIUS + 1e-9, () -> "seed " + seed + ": " + e);
                    assertTrue(Math.abs(p[2]) <= HALF_HEIGHT + 1e-9, () -> "seed " + seed + ": " + e);
                    if (e != body) {
                        double[] c = e.centreMm();
                        double k = 1 - 1e-9; // pull the point a hair inside to ignore round-off on the surface
                        assertTrue(body.contains(c[0] + k * (p[0] - c[0]), c[1] + k * (p[1] - c[1]), c[2] + k * (p[2] - c[2])),
                                () -> "seed " + seed + ": " + e + " leaves the body");
                    }
                }
            }
        }
    }

    @Test
    void withoutBodyEllipsoidsStayInTheCylinderAndMuIsNonNegative() {
        RandomEllipsoids g = RandomEllipsoids.builder().setFovRadiusMm(RADIUS).optNoBody().optCount(15)
                .optValueRangePerMm(0.001, 0.03).optFullRotations(false).build();
        Phantom p = g.generate(7);
        assertEquals(15, p.size());
        for (Ellipsoid e : p.ellipsoids()) {
            assertArrayEquals(new double[] {0, 0, 1}, new double[] {e.rotation()[0][2], e.rotation()[1][2], e.rotation()[2][2]}, 1e-15);
            for (double[] q : surface(e)) {
                assertTrue(Math.hypot(q[0], q[1]) <= RADIUS + 1e-9);
                assertTrue(Math.abs(q[2]) <= RADIUS + 1e-9);
            }
        }
    }

    @Test
    void muIsNeverNegativeWithNegativeInserts() {
        RandomEllipsoids g = RandomEllipsoids.builder().setFovRadiusMm(RADIUS).optCount(25)
                .optValueRangePerMm(-0.02, 0.01).optSemiAxisRangeMm(5, 20).build();
        SplittableRandom rng = new SplittableRandom(3);
        for (long seed = 0; seed < 5; seed++) {
            Phantom p = g.generate(seed);
            for (int i = 0; i < 20_000; i++) {
                double mu = p.muPerMm(rng.nextDouble(-RADIUS, RADIUS), rng.nextDouble(-RADIUS, RADIUS), rng.nextDouble(-RADIUS, RADIUS));
                if (mu < -1e-12) fail("μ = " + mu + " for seed " + seed);
            }
        }
    }

    @Test
    void impossibleSettingsFailClearly() {
        var ex = assertThrows(IllegalArgumentException.class,
                () -> RandomEllipsoids.builder().setFovRadiusMm(10).optNoBody().optValueRangePerMm(-0.01, 0.01).build());
        assertTrue(ex.getMessage().contains("negative"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> RandomEllipsoids.builder().setFovRadiusMm(10).optSemiAxisRangeMm(11, 12).build().generate(1));
        assertTrue(ex.getMessage().contains("could not place"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> RandomEllipsoids.builder().build());
        assertTrue(ex.getMessage().contains("fov_radius_mm"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> RandomEllipsoids.builder().setFovRadiusMm(10).optSemiAxisRangeMm(3, 2).build());
        assertTrue(ex.getMessage().contains("min_semi_axis_mm"), ex.getMessage());
    }

    /** Points c + R·diag(a)·n on the surface for a Fibonacci set of unit vectors n. */
    private static double[][] surface(Ellipsoid e) {
        int n = 1500;
        double[] c = e.centreMm(), a = e.semiAxesMm();
        double[][] r = e.rotation();
        double[][] out = new double[n][3];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < n; i++) {
            double z = 1 - 2 * (i + 0.5) / n, rho = Math.sqrt(1 - z * z), t = golden * i;
            double[] local = {a[0] * rho * Math.cos(t), a[1] * rho * Math.sin(t), a[2] * z};
            for (int k = 0; k < 3; k++) out[i][k] = c[k] + r[k][0] * local[0] + r[k][1] * local[1] + r[k][2] * local[2];
        }
        return out;
    }
}
