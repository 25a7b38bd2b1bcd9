package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/** The documented μ of each region (SheppLogan3D Javadoc, docs/simulation.md), analytic and rasterised. */
class SheppLogan3DTest {
    private static final double H = 100; // half-width, mm
    private final Phantom phantom = SheppLogan3D.withHalfWidth(H, 0.02);

    // {x, y, z} in mm, documented μ in 1/mm
    private static final double[][] REGIONS = {
            {0, 0, 0, 0.02},          // brain
            {0, 89.7, 0, 0.10},       // skull shell (between y = 87.4 and 92)
            {-22, 0, -25, 0.0},       // ventricle c
            {22, 0, -25, 0.0},        // ventricle d
            {0, 35, -25, 0.04},       // e
            {0, 7, -25, 0.04},        // f, below e
            {0, 12, -25, 0.06},       // e and f overlap
            {-8, -65, -25, 0.03},     // g
            {6, -65, -25, 0.03},      // h
            {6, -10.5, 62.5, 0.04},   // i
            {0, 10, 62.5, 0.0},       // j
            {0, 0, 95, 0.0},          // outside, above
            {80, 0, 0, 0.0},          // outside, beside
    };

    @Test
    void analyticValuesMatchTheDocumentedRegions() {
        for (double[] r : REGIONS) {
            assertEquals(r[3], phantom.muPerMm(r[0], r[1], r[2]), 1e-12, "at " + r[0] + ", " + r[1] + ", " + r[2]);
        }
    }

    @Test
    void rasterisedVoxelsInsideEachRegionHaveItsValue() {
        // A small 3×3×3 grid of 0.5 mm voxels centred on each point lies wholly inside the region.
        for (double[] r : REGIONS) {
            VolumeGrid local = new VolumeGrid(3, 3, 3, 0.5, 0.5, 0.5, new double[] {r[0], r[1], r[2]});
            Volume v = Rasteriser.rasterise(phantom, local, 3, 1);
            for (float f : v.data()) assertEquals(r[3], f, 1e-7, "near " + r[0] + ", " + r[1] + ", " + r[2]);
        }
    }

    @Test
    void wholeHeadRasterisationHasTheRightValuesMassAndIsThreadIndependent() {
        VolumeGrid grid = VolumeGrid.cube(41, 5.0); // the centre voxel is centred on the origin
        Volume one = Rasteriser.rasterise(phantom, grid, 2, 1);
        Volume three = Rasteriser.rasterise(phantom, grid, 2, 3);
        assertArrayEquals(one.data(), three.data());
        assertEquals(0.02, one.get(20, 20, 20), 1e-7);              // brain
        assertEquals(0.04, one.get(20 - 5, 20 + 7, 20), 1e-7);      // e at (0, 35, −25)
        assertEquals(0.0, one.get(40, 40, 40), 0.0);                // corner, outside
        assertEquals(0.0, one.get(20 - 5, 20, 20 - 4), 1e-7);       // ventricle c near (−20, 0, −25)
        // Total attenuation ∫μ dV against the exact Σ value·(4/3)π·abc.
        double exact = 0;
        for (Ellipsoid e : phantom.ellipsoids()) {
            double[] s = e.semiAxesMm();
            exact += e.valuePerMm() * 4.0 / 3.0 * Math.PI * s[0] * s[1] * s[2];
        }
        double sum = 0;
        for (float f : one.data()) sum += f;
        sum *= 125.0;
        assertEquals(exact, sum, 0.005 * exact);
    }

    @Test
    void fittingRadiusPutsTheOuterSemiAxisOnTheRadius() {
        Phantom p = SheppLogan3D.fittingRadius(46);
        double[] outer = p.ellipsoids().get(0).semiAxesMm();
        assertEquals(46, outer[1], 1e-12);
        assertEquals(46 / 0.92 * 0.69, outer[0], 1e-12);
        assertEquals(0.02, p.muPerMm(0, 0, 0), 1e-12);
        for (Ellipsoid e : p.ellipsoids()) {
            double[] c = e.centreMm(), h = e.halfExtentMm();
            for (int k = 0; k < 3; k++) assertTrue(Math.abs(c[k]) + h[k] <= 46 + 1e-9);
        }
        var ex = assertThrows(IllegalArgumentException.class, () -> SheppLogan3D.fittingRadius(-1));
        assertTrue(ex.getMessage().contains("radius_mm"));
    }
}
