package org.pdrecon.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

public class VolumeComparisonTest {
    /** A smooth blob so that trilinear resampling is accurate. */
    public static Volume blob(VolumeGrid g, double peak) {
        Volume v = Volume.zeros(g);
        for (int k = 0; k < g.nz(); k++) for (int j = 0; j < g.ny(); j++) for (int i = 0; i < g.nx(); i++) {
            double r2 = g.x(i) * g.x(i) + g.y(j) * g.y(j) + g.z(k) * g.z(k);
            v.set(k, j, i, (float) (peak * Math.exp(-r2 / (2 * 8.0 * 8.0))));
        }
        return v;
    }

    @Test
    void scaledVolumeOnAnotherGridIsRecoveredByTheScaleFit() {
        VolumeGrid refGrid = new VolumeGrid(20, 24, 24, 2.5, 2.0, 2.0, new double[3]);
        VolumeGrid volGrid = VolumeGrid.cube(40, 1.0); // finer, smaller: covers −20..20 mm
        Volume ref = blob(refGrid, 2.0);           // e.g. Gy
        Volume vol = blob(volGrid, 2.0 / 250);     // e.g. 1/mm, 250 times smaller
        VolumeComparison.Result r = VolumeComparison.compare(ref, vol, VolumeComparison.Fit.SCALE, null);
        assertEquals(250, r.fit().scale(), 250 * 0.01);
        assertTrue(r.metrics().psnrDb() > 40, "PSNR " + r.metrics().psnrDb());
        assertTrue(r.metrics().nrmse() < 0.01, "NRMSE " + r.metrics().nrmse());
        // Only reference voxels inside the volume's box (−20..20 mm) count: x,y 24·2 = 48 mm wide → 20 of 24 columns.
        assertEquals(16 * 20 * 20, r.mask().count());
        assertTrue(Float.isNaN(r.resampled().get(0, 0, 0)));
        VolumeComparison.Result none = VolumeComparison.compare(ref, vol, VolumeComparison.Fit.NONE, null);
        assertEquals(1, none.fit().scale());
        assertTrue(none.metrics().nrmse() > 0.99, "unfitted 1/mm vs Gy differ by almost all of the reference");
    }

    @Test
    void disjointVolumesAreRejected() {
        VolumeGrid a = VolumeGrid.cube(4, 1.0);
        VolumeGrid b = new VolumeGrid(4, 4, 4, 1, 1, 1, new double[] {100, 0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VolumeComparison.compare(Volume.zeros(a), Volume.zeros(b), VolumeComparison.Fit.NONE, null));
        assertTrue(e.getMessage().contains("does not overlap"), e.getMessage());
    }
}
