package org.pdrecon.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

class DetectorCorrectionsTest {
    static ConeBeamGeometry geometry(int rows, int cols) {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(16, 2.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(rows, cols, 0.8, 0.6).optDetectorOffsetMm(5, -3).setAnglesDeg(0, 40, 125).build();
    }

    /** A smooth image moving with the view, plus noise, with a dead and a hot pixel fixed to the detector. */
    @Test
    void deadAndHotPixelsAreFoundAndRepaired() {
        int n = 8, rows = 20, cols = 24;
        Random rnd = new Random(11);
        ProjectionStack s = ProjectionStack.zeros(n, rows, cols);
        for (int v = 0; v < n; v++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    s.set(v, r, c, (float) (1000 + 300 * Math.sin(0.3 * (c + 2 * v)) * Math.cos(0.2 * r) + 5 * rnd.nextGaussian()));
                }
            }
        }
        ProjectionStack clean = s.copy();
        for (boolean b : DetectorCorrections.findBadPixels(clean, 6, 0.2)) assertFalse(b, "a defect-free detector has no bad pixels");
        for (int v = 0; v < n; v++) {
            s.set(v, 7, 9, 0);          // dead
            s.set(v, 15, 3, 60000);     // hot
        }
        boolean[] bad = DetectorCorrections.findBadPixels(s, 6, 0.2);
        int count = 0;
        for (boolean b : bad) if (b) count++;
        assertTrue(bad[7 * cols + 9] && bad[15 * cols + 3]);
        assertEquals(2, count, "only the two defects are flagged");
        DetectorCorrections.Repair rep = DetectorCorrections.repairBadPixels(s, bad);
        assertEquals(2, rep.repairedPixels());
        assertEquals(0, rep.unrepairablePixels());
        for (int v = 0; v < n; v++) {
            assertEquals(clean.get(v, 7, 9), rep.projections().get(v, 7, 9), 40, "view " + v);
            assertEquals(clean.get(v, 15, 3), rep.projections().get(v, 15, 3), 40, "view " + v);
            assertEquals(s.get(v, 0, 0), rep.projections().get(v, 0, 0)); // good pixels untouched
        }
    }

    /** A world point must project onto the same physical detector spot before and after crop/bin. */
    @Test
    void cropAndBinKeepEveryRayOnItsPixel() {
        int rows = 30, cols = 40;
        ConeBeamGeometry g = geometry(rows, cols);
        ProjectionStack s = ProjectionStack.zeros(3, rows, cols);
        for (int i = 0; i < s.data().length; i++) s.data()[i] = i;
        double[] point = {7, -4, 3};
        DetectorCorrections.Scan cropped = DetectorCorrections.crop(s, g, 4, 25, 10, 33);
        assertEquals(21, cropped.projections().rows());
        assertEquals(23, cropped.projections().cols());
        assertEquals(s.get(2, 4, 10), cropped.projections().get(2, 0, 0));
        DetectorCorrections.Scan binned = DetectorCorrections.bin(s, g, 3);
        assertEquals(10, binned.projections().rows());
        assertEquals(13, binned.projections().cols()); // 40 = 13·3 + 1: the last column is dropped
        assertEquals((s.get(1, 0, 0) + s.get(1, 0, 1) + s.get(1, 0, 2) + s.get(1, 1, 0) + s.get(1, 1, 1) + s.get(1, 1, 2)
                + s.get(1, 2, 0) + s.get(1, 2, 1) + s.get(1, 2, 2)) / 9, binned.projections().get(1, 0, 0), 1e-3);
        for (int v = 0; v < 3; v++) {
            double[] before = g.projectPoint(v, point);
            double[] afterCrop = cropped.geometry().projectPoint(v, point);
            assertArrayEquals(new double[] {before[0] - 4, before[1] - 10}, afterCrop, 1e-9);
            double[] afterBin = binned.geometry().projectPoint(v, point);
            assertArrayEquals(new double[] {(before[0] + 0.5) / 3 - 0.5, (before[1] + 0.5) / 3 - 0.5}, afterBin, 1e-9);
        }
        assertFalse(binned.geometry().orbit().isEmpty());
    }
}
