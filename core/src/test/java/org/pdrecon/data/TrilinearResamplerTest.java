package org.pdrecon.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.VolumeGrid;

class TrilinearResamplerTest {
    static Volume random(VolumeGrid g, long seed) {
        Random r = new Random(seed);
        float[] d = new float[g.voxelCount()];
        for (int i = 0; i < d.length; i++) d[i] = r.nextFloat() * 10 - 5;
        return new Volume(g, d);
    }

    static Volume ramp(VolumeGrid g, double a, double b, double c, double d0) {
        Volume v = Volume.zeros(g);
        for (int k = 0; k < g.nz(); k++) for (int j = 0; j < g.ny(); j++) for (int i = 0; i < g.nx(); i++) {
            v.set(k, j, i, (float) (a * g.x(i) + b * g.y(j) + c * g.z(k) + d0));
        }
        return v;
    }

    @Test
    void identityResampleIsExact() {
        VolumeGrid g = new VolumeGrid(5, 7, 9, 1.3, 0.7, 2.1, new double[] {3.3, -1.7, 12.5});
        Volume v = random(g, 1);
        assertArrayEquals(v.data(), TrilinearResampler.resample(v, g, Float.NaN).data());
    }

    @Test
    void shiftedAndRefinedGridInterpolatesALinearRampExactly() {
        VolumeGrid src = new VolumeGrid(8, 9, 10, 2.0, 1.5, 1.0, new double[] {1, 2, 3});
        Volume v = ramp(src, 0.3, -0.7, 0.11, 5);
        // Finer, shifted by a non-integer number of voxels, lying inside the source's centre hull.
        VolumeGrid dst = new VolumeGrid(6, 7, 8, 1.1, 0.9, 0.7, new double[] {1.37, 1.61, 3.29});
        Volume out = TrilinearResampler.resample(v, dst, Float.NaN);
        for (int k = 0; k < dst.nz(); k++) for (int j = 0; j < dst.ny(); j++) for (int i = 0; i < dst.nx(); i++) {
            double want = 0.3 * dst.x(i) - 0.7 * dst.y(j) + 0.11 * dst.z(k) + 5;
            assertEquals(want, out.get(k, j, i), 2e-5, "voxel " + k + "," + j + "," + i);
        }
    }

    @Test
    void halfVoxelBorderTakesTheFaceValueAndOutsideTheBoxGetsTheOutsideValue() {
        VolumeGrid src = new VolumeGrid(1, 1, 4, 1, 1, 1.0, new double[3]); // x centres −1.5, −0.5, 0.5, 1.5; box −2..2
        Volume v = new Volume(src, new float[] {10, 20, 30, 40});
        VolumeGrid dst = new VolumeGrid(1, 1, 6, 1, 1, 0.9, new double[3]); // x centres −2.25 … 2.25 step 0.9
        float[] out = TrilinearResampler.resample(v, dst, Float.NaN).data();
        assertTrue(Float.isNaN(out[0]), "x = −2.25 lies outside the box");
        assertEquals(11.5, out[1], 1e-5); // x = −1.35: 0.15 of the way from centre −1.5 (10) to −0.5 (20)
        assertTrue(Float.isNaN(out[5]), "x = +2.25 lies outside the box");
        VolumeGrid border = new VolumeGrid(1, 1, 2, 1, 1, 3.8, new double[3]); // x centres ±1.9: in the half-voxel border
        float[] b = TrilinearResampler.resample(v, border, 0f).data();
        assertArrayEquals(new float[] {10, 40}, b);
        assertEquals(0f, TrilinearResampler.resample(v, new VolumeGrid(1, 1, 1, 1, 1, 1, new double[] {9, 0, 0}), 0f).data()[0]);
    }
}
