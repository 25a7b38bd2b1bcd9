package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The FORBILD head as additive solids against the file's own rule (a later primitive replaces earlier ones), at
 * random points, at points crowded around every primitive, and along rays through its hardest parts; and the
 * values the file states.
 */
class ForbildHeadTest {
    static final double WATER = Tissue.WATER.mu();
    static final List<QuadricSolid> LAYERS = ForbildHead.layers();
    static final Phantom HEAD = ForbildHead.phantom();

    @Test
    void theFileHasItsPrimitives() {
        // 17 labelled primitives, the ear, 317 air cells, 16 groups of 9 bars
        assertEquals(17 + 1 + 317 + 144, LAYERS.size());
    }

    @Test
    void additiveSolidsEqualTheReplacementRuleEverywhere() {
        Random r = new Random(7);
        double[] skull = ForbildHead.skullSemiAxesMm();
        int checked = 0;
        for (int k = 0; k < 200_000; k++) {
            checkPoint((r.nextDouble() * 2 - 1) * (skull[0] + 5), (r.nextDouble() * 2 - 1) * (skull[1] + 5), (r.nextDouble() * 2 - 1) * (skull[2] + 5));
            checked++;
        }
        // Crowd every primitive's box (1.3× wide): where overlaps and thin parts are.
        for (QuadricSolid s : LAYERS) {
            double[] c = s.centreMm(), h = s.halfExtentMm();
            int n = h[0] * h[1] * h[2] > 1000 ? 4000 : 60;
            for (int k = 0; k < n; k++) {
                checkPoint(c[0] + (r.nextDouble() * 2.6 - 1.3) * h[0], c[1] + (r.nextDouble() * 2.6 - 1.3) * h[1],
                        c[2] + (r.nextDouble() * 2.6 - 1.3) * h[2]);
                checked++;
            }
        }
        assertTrue(checked > 230_000);
    }

    private static void checkPoint(double x, double y, double z) {
        double painted = ForbildHead.muPerMmByLayers(LAYERS, x, y, z);
        assertEquals(painted, HEAD.muPerMm(x, y, z), 1e-12, "μ at (" + x + ", " + y + ", " + z + ") mm");
    }

    @Test
    void lineIntegralsEqualNumericIntegrationOfTheReplacementRule() {
        // Rays through the ear's air cells, the protuberances, the resolution pattern, the sinus and eyes, and random ones.
        double[][] targets = {{75, 0, 0}, {75, 3.5, 3.5}, {0, -111.5, 0}, {0, -105, 1}, {-69, -8, 0.5}, {-68, 5, 0}, {0, 96, 0},
                {-47, 43, 8.7}, {19, 54, 0}, {0, 36, 0}};
        Random r = new Random(13);
        for (double[] t : targets) {
            double[] d = QuadricSolidTest.unit(r);
            double[] o = {t[0] - 200 * d[0], t[1] - 200 * d[1], t[2] - 200 * d[2]};
            double tMax = 400;
            double exact = HEAD.lineIntegral(o[0], o[1], o[2], d[0], d[1], d[2], tMax);
            int n = 400_000;
            double numeric = QuadricSolidTest.midpointIntegral((x, y, z) -> ForbildHead.muPerMmByLayers(LAYERS, x, y, z), o, d, tMax, n);
            // Each boundary crossing costs at most one step of the largest jump (bone to air).
            assertEquals(numeric, exact, 60 * tMax / n * 1.8 * WATER, "ray through " + java.util.Arrays.toString(t));
            assertTrue(exact > 1, "the ray through " + java.util.Arrays.toString(t) + " crosses the head");
        }
    }

    @Test
    void theStatedMaterials() {
        assertEquals(1.8 * WATER, HEAD.muPerMm(0, 0, 121), 1e-12);        // skull, above the brain
        assertEquals(1.05 * WATER, HEAD.muPerMm(0, 30, 0), 1e-12);       // brain
        assertEquals(1.045 * WATER, HEAD.muPerMm(0, -36, 0), 1e-12);     // ventricle
        assertEquals(0, HEAD.muPerMm(0, 84, 25), 1e-12);                 // frontal sinus (air)
        assertEquals(1.8 * WATER, HEAD.muPerMm(0, 96, 0), 1e-12);        // its septum
        assertEquals(1.06 * WATER, HEAD.muPerMm(-47, 43, 8.72), 1e-12);  // an eye
        assertEquals(1.0525 * WATER, HEAD.muPerMm(-10.8, -90, 0), 1e-12); // the low-contrast pair
        assertEquals(1.0475 * WATER, HEAD.muPerMm(10.8, -90, 0), 1e-12);
        assertEquals(1.055 * WATER, HEAD.muPerMm(63.94, -63.94, 0), 1e-12);
        assertEquals(0, HEAD.muPerMm(88, 0, 0), 1e-12);                  // an air cell of the ear
        assertEquals(1.8 * WATER, HEAD.muPerMm(86, 0, 0), 1e-12);        // the ear's bone between cells
        assertEquals(1.8 * WATER, HEAD.muPerMm(0, -109, 0), 1e-12);      // a protuberance, inside the brain's outline
        assertEquals(1.8 * WATER, HEAD.muPerMm(-70, -10, 0), 1e-12);     // a resolution bar
        assertEquals(0, HEAD.muPerMm(100, 0, 0), 1e-12);                 // outside
    }

    @Test
    void aShiftedHeadIsTheSameHeadMovedBySeededAmounts() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double sx = r.nextDouble(-10, 10), sy = r.nextDouble(-10, 10), sz = r.nextDouble(-10, 10);
        Phantom moved = ForbildHead.shifted(5, 10);
        assertTrue(Math.abs(sx) + Math.abs(sy) + Math.abs(sz) > 1, "seed 5 moves the head");
        Random points = new Random(3);
        for (int k = 0; k < 20_000; k++) {
            double x = points.nextDouble() * 200 - 100, y = points.nextDouble() * 250 - 125, z = points.nextDouble() * 260 - 130;
            assertEquals(HEAD.muPerMm(x, y, z), moved.muPerMm(x + sx, y + sy, z + sz), 1e-12);
        }
        Phantom other = ForbildHead.shifted(6, 10);
        boolean differs = false;
        for (int k = 0; k < 2000 && !differs; k++) {
            double x = points.nextDouble() * 200 - 100, y = points.nextDouble() * 250 - 125;
            differs = moved.muPerMm(x, y, 0) != other.muPerMm(x, y, 0);
        }
        assertTrue(differs, "two seeds place the head differently");
    }

    @Test
    void itsSectionAtZeroIsThePublished2dPhantom() {
        // The 2D FORBILD head (Yu, Noo et al., Phys. Med. Biol. 57, 2012; its table in cm): centre, semi-axes a, b,
        // and the angle (degrees) of a's direction. These are the z = 0 sections of the 3D primitives.
        Object[][] published = {
                {4, -4.7, 4.3, 1.79989, 1.79989, 0.0},        // eye "1"
                {5, 4.7, 4.3, 1.79989, 1.79989, 0.0},         // eye "2"
                {10, -1.9, 5.4, 0.41633, 1.17425, 31.07698},  // plate "8"
                {12, -4.3, 6.8, 1.8, 0.24, -30.0},            // plate "10"
                {13, 4.3, 6.8, 1.8, 0.24, 30.0},              // plate "11"
                {14, 6.39395, -6.39395, 1.2, 0.42, 58.1},     // "13"
                {0, 0.0, 0.0, 9.6, 12.0, 0.0},                // skull "5"
                {3, 0.0, 8.4, 1.8, 3.0, 0.0}};                // sinus "7"
        Random r = new Random(17);
        for (Object[] e : published) {
            QuadricSolid layer = LAYERS.get((Integer) e[0]);
            double cx = (Double) e[1] * 10, cy = (Double) e[2] * 10, a = (Double) e[3] * 10, b = (Double) e[4] * 10;
            double phi = Math.toRadians((Double) e[5]);
            int compared = 0;
            for (int k = 0; k < 20_000; k++) {
                double x = cx + (r.nextDouble() * 2.4 - 1.2) * Math.max(a, b), y = cy + (r.nextDouble() * 2.4 - 1.2) * Math.max(a, b);
                double along = (x - cx) * Math.cos(phi) + (y - cy) * Math.sin(phi), across = -(x - cx) * Math.sin(phi) + (y - cy) * Math.cos(phi);
                double f = along * along / (a * a) + across * across / (b * b);
                if (Math.abs(f - 1) < 2e-4) continue; // the table's five digits
                assertEquals(f < 1, layer.contains(x, y, 0), "primitive " + e[0] + " at (" + x + ", " + y + ", 0) mm");
                compared++;
            }
            assertTrue(compared > 19_000);
        }
    }
}
