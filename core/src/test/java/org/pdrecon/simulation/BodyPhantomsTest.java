package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The thorax and pelvis phantoms: the tissue at landmark points, every sampled point holding one tissue (every
 * structure nested where its difference value assumes), exact line integrals against numeric integration of μ,
 * and one phantom per seed.
 */
class BodyPhantomsTest {
    static final double TOL = 1e-12;

    @Test
    void landmarksHoldTheirTissue() {
        for (long seed = 0; seed < 5; seed++) {
            Phantom t = BodyPhantoms.thorax(seed);
            assertEquals(0, t.muPerMm(0, 300, 0), TOL, "outside the body");
            assertEquals(Tissue.LUNG.mu(), lungSample(t), 0.0012, "lung (a nodule may sit there: sampled away from them)");
            Phantom p = BodyPhantoms.pelvis(seed);
            assertEquals(0, p.muPerMm(300, 0, 0), TOL);
        }
        Phantom t = BodyPhantoms.thorax(1);
        // the body's left edge at mid-height: fat just inside the outline, muscle deeper in
        double edge = xEdge(t);
        assertEquals(Tissue.FAT.mu(), t.muPerMm(edge - 3, 0, 0), TOL);
        Phantom p = BodyPhantoms.pelvis(1);
        assertEquals(Tissue.FAT.mu(), p.muPerMm(xEdge(p) - 3, 0, 0), TOL);
    }

    /** A tissue's μ, a rib's, the prostate's, or a lesion's (25–50 HU from soft tissue or blood). */
    static boolean isTissue(double mu) {
        for (Tissue t : Tissue.values()) if (Math.abs(mu - t.mu()) < 1e-9) return true;
        if (Math.abs(mu - BodyPhantoms.RIB) < 1e-9 || Math.abs(mu - BodyPhantoms.PROSTATE) < 1e-9) return true;
        double soft = Math.abs(mu - Tissue.SOFT.mu()), blood = mu - Tissue.BLOOD.mu();
        return (soft >= 0.0005 - 1e-9 && soft <= 0.0010 + 1e-9) || (blood >= 0.0005 - 1e-9 && blood <= 0.0010 + 1e-9);
    }

    @Test
    void everyPointHoldsOneTissue() {
        Random r = new Random(2);
        for (Phantom ph : new Phantom[] {BodyPhantoms.thorax(3), BodyPhantoms.pelvis(3), BodyPhantoms.thorax(8), BodyPhantoms.pelvis(8)}) {
            int bone = 0, lung = 0, air = 0;
            for (int k = 0; k < 200_000; k++) {
                double x = (r.nextDouble() * 2 - 1) * 200, y = (r.nextDouble() * 2 - 1) * 140, z = (r.nextDouble() * 2 - 1) * 190;
                double mu = ph.muPerMm(x, y, z);
                assertTrue(isTissue(mu), "μ " + mu + " at " + x + ", " + y + ", " + z + " is no tissue: structures overlap");
                if (mu > Tissue.TRABECULAR.mu() - 1e-6) bone++;
                if (Math.abs(mu - Tissue.LUNG.mu()) < 1e-9) lung++;
                if (mu > 0 && mu < Tissue.LUNG.mu() - 1e-9) air++;
            }
            assertTrue(bone > 500, "bone voxels: " + bone);
            assertTrue(lung > 0 || air > 0 || bone > 0, "tissue found");
        }
    }

    @Test
    void lineIntegralsAreExact() {
        Random r = new Random(4);
        for (Phantom ph : new Phantom[] {BodyPhantoms.thorax(6), BodyPhantoms.pelvis(6)}) {
            for (int k = 0; k < 12; k++) {
                double angle = r.nextDouble() * 2 * Math.PI;
                double[] o = {600 * Math.cos(angle), 600 * Math.sin(angle), (r.nextDouble() * 2 - 1) * 100};
                double[] to = {(r.nextDouble() * 2 - 1) * 150, (r.nextDouble() * 2 - 1) * 100, (r.nextDouble() * 2 - 1) * 100};
                double[] d = {to[0] - o[0], to[1] - o[1], to[2] - o[2]};
                double n = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                for (int i = 0; i < 3; i++) d[i] /= n;
                double tMax = 1200, exact = ph.lineIntegral(o[0], o[1], o[2], d[0], d[1], d[2], tMax);
                int steps = 240_000;
                double h = tMax / steps, numeric = 0;
                for (int i = 0; i < steps; i++) {
                    double t = (i + 0.5) * h;
                    numeric += ph.muPerMm(o[0] + t * d[0], o[1] + t * d[1], o[2] + t * d[2]) * h;
                }
                // each crossing of a surface costs at most one step of the largest μ
                assertEquals(numeric, exact, 60 * h * Tissue.CORTICAL.mu(), "ray " + k + " of " + ph);
                assertTrue(exact > 1, "a ray through the body attenuates: " + exact);
            }
        }
    }

    @Test
    void oneSeedOnePhantom() {
        assertEquals(BodyPhantoms.thorax(7).lineIntegral(-500, 3, 1, 1, 0, 0, 1000), BodyPhantoms.thorax(7).lineIntegral(-500, 3, 1, 1, 0, 0, 1000));
        assertNotEquals(BodyPhantoms.thorax(7).lineIntegral(-500, 3, 1, 1, 0, 0, 1000), BodyPhantoms.thorax(8).lineIntegral(-500, 3, 1, 1, 0, 0, 1000));
        assertNotEquals(BodyPhantoms.pelvis(7).size(), 0);
    }

    /** μ at the centre of the right lung's lower half, at a point away from any nodule (median over a few points). */
    private static double lungSample(Phantom t) {
        double[] v = new double[9];
        for (int i = 0; i < 9; i++) v[i] = t.muPerMm(-60 - 3 * i, -10, 60 + 4 * i);
        java.util.Arrays.sort(v);
        return v[4];
    }

    private static double xEdge(Phantom p) {
        double x = 250;
        while (p.muPerMm(x, 0, 0) == 0) x -= 0.05;
        return x;
    }
}
