package org.pdrecon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/** Hand-computable cases and bad input for PSNR, SSIM and NRMSE. */
class MetricsSanityTest {
    private static final VolumeGrid CUBE = VolumeGrid.cube(16, 1.0);
    private static final VolumeGrid SLICE = VolumeGrid.slice(24, 1.0);

    private static Volume random(VolumeGrid grid, long seed) {
        Random rng = new Random(seed);
        float[] d = new float[grid.voxelCount()];
        for (int i = 0; i < d.length; i++) d[i] = 0.02f * rng.nextFloat();
        return new Volume(grid, d);
    }

    private static Volume constant(VolumeGrid grid, float value) {
        float[] d = new float[grid.voxelCount()];
        Arrays.fill(d, value);
        return new Volume(grid, d);
    }

    @Test
    void identicalImagesGiveSsimOneInfinitePsnrZeroNrmse() {
        for (VolumeGrid g : new VolumeGrid[] {CUBE, SLICE}) {
            Volume a = random(g, 1);
            Volume b = a.copy();
            assertEquals(1.0, Ssim.of(a, b), 1e-12);
            assertEquals(Double.POSITIVE_INFINITY, Psnr.of(a, b));
            assertEquals(0.0, Nrmse.of(a, b));
        }
    }

    @Test
    void constantImagesGiveTheLuminanceTermOnly() {
        // Both images flat: every variance is zero, so S = (2ab + C1) / (a² + b² + C1) at every voxel.
        double a = 0.5, b = 0.3, range = 2.0, c1 = Math.pow(Ssim.K1 * range, 2);
        double expected = (2 * a * b + c1) / (a * a + b * b + c1);
        for (VolumeGrid g : new VolumeGrid[] {CUBE, SLICE}) {
            assertEquals(expected, Ssim.of(constant(g, (float) a), constant(g, (float) b), null, range), 1e-7);
        }
    }

    @Test
    void uniformOffsetGivesPsnrFromTheOffset() {
        Volume ref = random(CUBE, 2);
        float[] d = ref.data().clone();
        double delta = 0.001;
        for (int i = 0; i < d.length; i++) d[i] = (float) (ref.data()[i] + delta);
        double actualDelta = Math.sqrt(Mse.of(ref, new Volume(CUBE, d), null)); // float rounding of the offset
        assertEquals(delta, actualDelta, 1e-8);
        assertEquals(20 * Math.log10(0.5 / actualDelta), Psnr.of(ref, new Volume(CUBE, d), null, 0.5), 1e-9);
    }

    @Test
    void scaledImageGivesNrmseOfTheScale() {
        Volume ref = random(CUBE, 3);
        float[] d = ref.data().clone();
        for (int i = 0; i < d.length; i++) d[i] *= 2f; // exact in float
        assertEquals(1.0, Nrmse.of(ref, new Volume(CUBE, d)), 1e-12);
    }

    @Test
    void psnrAndNrmseIgnoreVoxelsOutsideTheMask() {
        Volume ref = random(CUBE, 4), test = random(CUBE, 5);
        Mask lower = Masks.centralSlices(CUBE, 0.5);
        float[] changed = test.data().clone();
        for (int i = 0; i < changed.length; i++) if (!lower.contains(i)) changed[i] += 10f;
        Volume test2 = new Volume(CUBE, changed);
        assertEquals(Psnr.of(ref, test, lower), Psnr.of(ref, test2, lower), 0);
        assertEquals(Nrmse.of(ref, test, lower), Nrmse.of(ref, test2, lower), 0);
        assertTrue(Psnr.of(ref, test2) < Psnr.of(ref, test) - 10);
    }

    @Test
    void worseImageScoresWorse() {
        Volume ref = random(CUBE, 6);
        Random rng = new Random(7);
        float[] small = ref.data().clone(), large = ref.data().clone();
        for (int i = 0; i < small.length; i++) {
            double n = rng.nextGaussian();
            small[i] += (float) (0.001 * n);
            large[i] += (float) (0.004 * n);
        }
        Volume s = new Volume(CUBE, small), l = new Volume(CUBE, large);
        assertTrue(Ssim.of(ref, s) > Ssim.of(ref, l));
        assertTrue(Psnr.of(ref, s) > Psnr.of(ref, l));
        assertTrue(Nrmse.of(ref, s) < Nrmse.of(ref, l));
    }

    @Test
    void shapeMismatchIsRejected() {
        Volume a = random(CUBE, 1), b = random(new VolumeGrid(16, 16, 15, 1, 1, 1, new double[3]), 1);
        for (Runnable r : new Runnable[] {() -> Psnr.of(a, b), () -> Ssim.of(a, b), () -> Nrmse.of(a, b)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("shape mismatch, reference is 16×16×16 but test is 16×16×15"), e.getMessage());
        }
    }

    @Test
    void nonFiniteValuesAreRejected() {
        Volume a = random(CUBE, 1), b = random(CUBE, 2);
        b.set(3, 4, 5, Float.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ssim.of(a, b));
        assertTrue(e.getMessage().contains("test image has a non-finite value (NaN) at voxel (z, y, x) = (3, 4, 5)"), e.getMessage());
        a.set(0, 0, 1, Float.POSITIVE_INFINITY);
        e = assertThrows(IllegalArgumentException.class, () -> Psnr.of(a, b));
        assertTrue(e.getMessage().contains("reference image has a non-finite value (Infinity) at voxel (z, y, x) = (0, 0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nrmse.of(b, a));
    }

    @Test
    void maskOfAnotherShapeOrEmptyIsRejected() {
        Volume a = random(CUBE, 1), b = random(CUBE, 2);
        Mask other = Masks.all(VolumeGrid.cube(8, 1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Psnr.of(a, b, other));
        assertTrue(e.getMessage().contains("mask shape 8×8×8 does not match image shape 16×16×16"), e.getMessage());
        Mask empty = new Mask(16, 16, 16, new boolean[CUBE.voxelCount()], "nothing");
        e = assertThrows(IllegalArgumentException.class, () -> Nrmse.of(a, b, empty));
        assertTrue(e.getMessage().contains("mask 'nothing' contains no voxels"), e.getMessage());
    }

    @Test
    void ssimMaskOutsideTheCroppedRegionIsRejected() {
        Volume a = random(CUBE, 1), b = random(CUBE, 2);
        boolean[] corner = new boolean[CUBE.voxelCount()];
        corner[0] = true;
        Mask m = new Mask(16, 16, 16, corner, "corner voxel");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ssim.of(a, b, m, 1.0));
        assertTrue(e.getMessage().contains("mask 'corner voxel' has no voxels at least 5 voxels away"), e.getMessage());
    }

    @Test
    void imagesSmallerThanTheWindowAreRejected() {
        VolumeGrid thin = new VolumeGrid(10, 32, 32, 1, 1, 1, new double[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ssim.of(random(thin, 1), random(thin, 2)));
        assertTrue(e.getMessage().contains("image 10×32×32 (z×y×x) is too small"), e.getMessage());
    }

    @Test
    void constantReferenceNeedsAnExplicitRange() {
        Volume flat = constant(CUBE, 0.02f), other = random(CUBE, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Psnr.of(flat, other));
        assertTrue(e.getMessage().contains("the reference is constant (0.0199"), e.getMessage());
        assertTrue(Double.isFinite(Psnr.of(flat, other, null, 0.02)));
        e = assertThrows(IllegalArgumentException.class, () -> Ssim.of(flat, other, null, Double.NaN));
        assertTrue(e.getMessage().contains("data range must be a positive finite number, got NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nrmse.of(constant(CUBE, 0f), other));
        assertTrue(e.getMessage().contains("the reference is zero on every voxel"), e.getMessage());
    }
}
