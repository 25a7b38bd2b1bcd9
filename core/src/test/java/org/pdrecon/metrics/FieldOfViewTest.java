package org.pdrecon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * The fully seen cylinder, checked against the geometry's own projection ({@link ConeBeamGeometry#projectPoint}):
 * what the mask keeps lands on the detector in every view, and points just beyond the cylinder miss it in some view.
 */
class FieldOfViewTest {
    private static final int ROWS = 40, COLS = 64;
    private static final double SOD = 500, SDD = 1000;
    private static final VolumeGrid GRID = new VolumeGrid(24, 40, 40, 1, 1, 1, new double[3]);

    private static ConeBeamGeometry scan(VolumeGrid grid, int rows, double offU, double offV, int views) {
        return ConeBeamGeometry.circular().setVolume(grid).setSodMm(SOD).setSddMm(SDD)
                .setDetector(rows, COLS, 1.0, 1.0).optDetectorOffsetMm(offU, offV)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, 360)).build();
    }

    private static boolean onDetector(ConeBeamGeometry g, int view, double[] p, int rows) {
        double[] rc = g.projectPoint(view, p);
        double tol = 1e-9;
        return rc != null && rc[0] >= -0.5 - tol && rc[0] <= rows - 0.5 + tol && rc[1] >= -0.5 - tol && rc[1] <= COLS - 0.5 + tol;
    }

    private static boolean seenByAll(ConeBeamGeometry g, double[] p) {
        for (int v = 0; v < g.views(); v++) if (!onDetector(g, v, p, g.detectorRows())) return false;
        return true;
    }

    @Test
    void radiusAndHeightFollowTheFormulaWithoutOffsets() {
        FieldOfView f = FieldOfView.of(scan(GRID, ROWS, 0, 0, 8));
        double r = SOD * Math.sin(Math.atan(32 / SDD));
        assertEquals(r, f.radiusMm(), 1e-12);
        assertEquals(20 * (SOD - r) / SDD, f.zMaxMm(), 1e-12);
        assertEquals(-f.zMaxMm(), f.zMinMm(), 1e-12);
    }

    @Test
    void theScannedCylinderIsTheFullySeenOneUnlessTheDetectorIsOffsetThenItsWiderSide() {
        assertEquals(FieldOfView.of(scan(GRID, ROWS, 0, 0, 8)), FieldOfView.scanned(scan(GRID, ROWS, 0, 0, 8)));
        FieldOfView half = FieldOfView.scanned(scan(GRID, ROWS, 12, 0, 8)), seen = FieldOfView.of(scan(GRID, ROWS, 12, 0, 8));
        assertEquals(SOD * Math.sin(Math.atan((32 + 12) / SDD)), half.radiusMm(), 1e-12);
        assertEquals(SOD * Math.sin(Math.atan((32 - 12) / SDD)), seen.radiusMm(), 1e-12);
        assertEquals(20 * (SOD - half.radiusMm()) / SDD, half.zMaxMm(), 1e-12);
    }

    @ParameterizedTest(name = "offset u {0} mm, v {1} mm")
    @CsvSource({"0, 0", "5, 0", "-3, 4", "2.5, -6"})
    void maskedVoxelsProjectOntoTheDetectorInEveryView(double offU, double offV) {
        ConeBeamGeometry g = scan(GRID, ROWS, offU, offV, 72);
        Mask m = Masks.fullySeenCylinder(g);
        assertTrue(m.count() > 1000, "mask too small to mean anything: " + m.count());
        for (int k = 0; k < GRID.nz(); k++) {
            for (int j = 0; j < GRID.ny(); j++) {
                for (int i = 0; i < GRID.nx(); i++) {
                    if (!m.contains(GRID.index(k, j, i))) continue;
                    double[] p = {GRID.x(i), GRID.y(j), GRID.z(k)};
                    assertTrue(seenByAll(g, p), "masked voxel (" + k + ", " + j + ", " + i + ") leaves the detector");
                }
            }
        }
    }

    @ParameterizedTest(name = "offset u {0} mm, v {1} mm")
    @CsvSource({"0, 0", "5, 0", "-3, 4", "2.5, -6"})
    void theCylinderIsTight(double offU, double offV) {
        ConeBeamGeometry g = scan(GRID, ROWS, offU, offV, 3600); // 0.1° steps
        FieldOfView f = FieldOfView.of(g);
        double r = f.radiusMm(), zMid = (f.zMinMm() + f.zMaxMm()) / 2;
        for (double phi = 0.1; phi < 2 * Math.PI; phi += 1.1) {
            double c = Math.cos(phi), s = Math.sin(phi);
            assertTrue(seenByAll(g, new double[] {r * (1 - 1e-6) * c, r * (1 - 1e-6) * s, f.zMaxMm() - 1e-6}));
            assertTrue(seenByAll(g, new double[] {r * (1 - 1e-6) * c, r * (1 - 1e-6) * s, f.zMinMm() + 1e-6}));
            assertFalse(seenByAll(g, new double[] {r * (1 + 1e-4) * c, r * (1 + 1e-4) * s, zMid}), "beyond the radius");
            assertFalse(seenByAll(g, new double[] {r * c, r * s, f.zMaxMm() + 1e-3}), "above the top");
            assertFalse(seenByAll(g, new double[] {r * c, r * s, f.zMinMm() - 1e-3}), "below the bottom");
        }
    }

    @Test
    void aSingleSliceGetsTheDiscWhateverItsHeight() {
        VolumeGrid slice = new VolumeGrid(1, 40, 40, 1, 1, 1, new double[] {0, 0, 7});
        ConeBeamGeometry g = scan(slice, 1, 0, 0, 8);
        Mask m = Masks.fullySeenCylinder(g);
        double r = FieldOfView.of(g).radiusMm();
        int expected = 0;
        for (int j = 0; j < 40; j++) {
            for (int i = 0; i < 40; i++) {
                boolean in = Math.hypot(slice.x(i), slice.y(j)) <= r;
                assertEquals(in, m.contains(slice.index(0, j, i)));
                if (in) expected++;
            }
        }
        assertEquals(expected, m.count());
        assertTrue(m.description().startsWith("disc"), m.description());
    }

    @Test
    void unsupportedGeometriesAreRejected() {
        ConeBeamGeometry circ = scan(GRID, ROWS, 0, 0, 4);
        double[][] s = new double[4][], d = new double[4][], u = new double[4][], v = new double[4][];
        for (int i = 0; i < 4; i++) {
            s[i] = circ.source(i);
            d[i] = circ.detectorCentre(i);
            u[i] = circ.u(i);
            v[i] = circ.v(i);
        }
        ConeBeamGeometry vectors = ConeBeamGeometry.fromVectors(GRID, ROWS, COLS, s, d, u, v);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldOfView.of(vectors));
        assertTrue(e.getMessage().contains("defined for circular orbits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FieldOfView.of(scan(GRID, ROWS, 40, 0, 4)));
        assertTrue(e.getMessage().contains("detector u offset 40 mm is at least half the detector width (32 mm)"), e.getMessage());
        // Shifted far up, the detector still sees a band above the orbit plane, but at near and far depth
        // the bands no longer overlap.
        e = assertThrows(IllegalArgumentException.class, () -> FieldOfView.of(scan(GRID, ROWS, 0, 700, 4)));
        assertTrue(e.getMessage().contains("detector v offset 700 mm leaves no height seen by every view"), e.getMessage());
    }

    @Test
    void centralSlicesKeepTheMiddleFraction() {
        VolumeGrid g = new VolumeGrid(128, 2, 3, 1, 1, 1, new double[3]);
        Mask m = Masks.centralSlices(g, 0.8);
        assertEquals(102 * 6, m.count());
        assertFalse(m.contains(g.index(12, 1, 2)));
        assertTrue(m.contains(g.index(13, 0, 0)));
        assertTrue(m.contains(g.index(114, 1, 2)));
        assertFalse(m.contains(g.index(115, 0, 0)));
        assertEquals("central 80% of slices (z index 13..114 of 128)", m.description());
        assertEquals(6, Masks.centralSlices(new VolumeGrid(1, 2, 3, 1, 1, 1, new double[3]), 0.8).count());
        for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Masks.centralSlices(g, bad));
            assertTrue(e.getMessage().contains("central slice fraction must be in (0, 1]"), e.getMessage());
        }
        Mask both = m.and(Masks.all(g));
        assertEquals(m.count(), both.count());
        assertEquals(m.description() + " ∩ all voxels", both.description());
    }
}
