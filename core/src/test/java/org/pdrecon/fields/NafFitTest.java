package org.pdrecon.fields;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FDK;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.Masks;
import org.pdrecon.metrics.Psnr;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.Rasteriser;

/** NAF on a 2D fan-beam slice with sparse views: quality against FDK, determinism, resume after a kill, refusals. */
class NafFitTest {
    static final VolumeGrid GRID = VolumeGrid.slice(64, 2.0);
    static final ConeBeamGeometry GEOMETRY = ConeBeamGeometry.circular().setVolume(GRID).setSodMm(500).setSddMm(750)
            .setDetector(1, 128, 2.0, 1.5).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(24, 0, 360)).build();
    static final Phantom PHANTOM = Phantom.of(
            new Ellipsoid(new double[] {0, 0, 0}, new double[] {50, 40, 1000}, 0.3, 0.02),
            new Ellipsoid(new double[] {-15, 10, 0}, new double[] {10, 14, 1000}, 0, 0.02),
            new Ellipsoid(new double[] {20, -5, 0}, new double[] {8, 8, 1000}, 0, -0.01),
            new Ellipsoid(new double[] {5, -25, 0}, new double[] {12, 5, 1000}, 1.0, 0.01));
    static final ProjectionStack SCAN = AnalyticProjector.project(PHANTOM, GEOMETRY, 2);
    static final FieldConfig SMALL = new FieldConfig(3, 8, 32, 4, 16, 2);

    static NafFit.Settings settings(int steps, Path checkpoint) {
        return new NafFit.Settings(SMALL, steps, 0.02, 1, checkpoint, 10);
    }

    @Test
    void beatsFdkOnSparseViewsWithinABoundedNumberOfSteps() {
        Volume truth = Rasteriser.rasterise(PHANTOM, GRID, 4);
        Mask mask = Masks.fullySeenCylinder(GEOMETRY);
        double fdk = Psnr.of(truth, new FDK(FilterWindow.RAM_LAK, 1).reconstruct(SCAN, GEOMETRY), mask);
        double[] losses = new double[300];
        Volume naf = NafFit.fit(SCAN, GEOMETRY, settings(300, null), (done, total, loss) -> losses[(int) done - 1] = loss);
        double psnr = Psnr.of(truth, naf, mask);
        System.out.printf("NAF 2D fan beam, 24 views, 300 steps: %.2f dB against FDK %.2f dB; loss %.3e → %.3e%n", psnr, fdk, losses[0], losses[299]);
        assertTrue(losses[299] < 0.01 * losses[0], "data loss " + losses[0] + " → " + losses[299]);
        assertTrue(psnr >= fdk + 3, "NAF " + psnr + " dB vs FDK " + fdk + " dB");
    }

    @Test
    void aSeedGivesTheSameVolumeBitForBit() {
        float[] a = NafFit.fit(SCAN, GEOMETRY, settings(15, null), null).data();
        float[] b = NafFit.fit(SCAN, GEOMETRY, settings(15, null), null).data();
        assertArrayEquals(a, b);
        float[] other = NafFit.fit(SCAN, GEOMETRY, new NafFit.Settings(SMALL, 15, 0.02, 2, null, 10), null).data();
        assertFalse(java.util.Arrays.equals(a, other), "another seed, another field");
    }

    @Test
    void aKilledFitResumesFromItsCheckpointAndEndsExactlyAsAnUninterruptedOne(@TempDir Path dir) {
        float[] straight = NafFit.fit(SCAN, GEOMETRY, settings(30, null), null).data();
        Path ckpt = dir.resolve("naf.ckpt");
        RuntimeException kill = new RuntimeException("killed");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> NafFit.fit(SCAN, GEOMETRY, settings(30, ckpt), (done, total, loss) -> {
            if (done == 17) throw kill; // after the checkpoint of step 10, before that of step 20
        }));
        assertSame(kill, thrown);
        assertTrue(Files.exists(ckpt));
        long[] first = {-1};
        float[] resumed = NafFit.fit(SCAN, GEOMETRY, settings(30, ckpt), (done, total, loss) -> {
            if (first[0] < 0) first[0] = done;
        }).data();
        assertEquals(11, first[0], "resumed after step 10");
        assertArrayEquals(straight, resumed);
    }

    @Test
    void aCheckpointOfAnotherScanOrOtherSettingsIsRefused(@TempDir Path dir) {
        Path ckpt = dir.resolve("naf.ckpt");
        NafFit.fit(SCAN, GEOMETRY, settings(10, ckpt), null);
        ProjectionStack other = new ProjectionStack(SCAN.views(), SCAN.rows(), SCAN.cols(), SCAN.data().clone());
        other.data()[5] += 0.01f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NafFit.fit(other, GEOMETRY, settings(10, ckpt), null));
        assertTrue(e.getMessage().contains("another scan or other settings"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NafFit.fit(SCAN, GEOMETRY, new NafFit.Settings(SMALL, 10, 0.01, 1, ckpt, 10), null));
    }

    @Test
    void badProjectionsAreRefusedBeforeAnyWork() {
        ProjectionStack nan = new ProjectionStack(SCAN.views(), SCAN.rows(), SCAN.cols(), SCAN.data().clone());
        nan.data()[3] = Float.NaN;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NafFit.fit(nan, GEOMETRY, settings(5, null), null))
                .getMessage().contains("NaN"));
        ProjectionStack zeros = ProjectionStack.zeros(SCAN.views(), SCAN.rows(), SCAN.cols());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NafFit.fit(zeros, GEOMETRY, settings(5, null), null))
                .getMessage().contains("nothing for a field to fit"));
        ProjectionStack wrong = ProjectionStack.zeros(SCAN.views() - 1, SCAN.rows(), SCAN.cols());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NafFit.fit(wrong, GEOMETRY, settings(5, null), null))
                .getMessage().contains("the geometry needs"));
    }
}
