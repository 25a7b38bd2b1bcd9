package org.pdrecon.reconstruct;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;

class ReconstructorsTest {
    @Test
    void builtInMethodsAreFoundByNameAndDescribeTheirSettings() {
        assertTrue(Reconstructors.names().containsAll(java.util.List.of("fdk", "sirt", "cgls", "tv")));
        ReconstructionSettings s = new ReconstructionSettings(FilterWindow.HANN, 0.8, 7, 0.01, 1.5, 0, true);
        assertEquals("FDK hann, cut-off 0.80", Reconstructors.create("FDK", s).describe());
        assertEquals("TV, 7 iterations, λ 0.0100, μ ≥ 0", Reconstructors.create("tv", s).describe());
        assertEquals("SIRT, 7 iterations, relaxation 1.50, μ ≥ 0", Reconstructors.create("sirt", s).describe());
        assertEquals("OS-SART, 7 iterations, 10 subsets (at most one per view), relaxation 1.50, μ ≥ 0", Reconstructors.create("os-sart", s).describe());
        assertEquals("OS-SART, 7 iterations, 4 subsets (at most one per view), relaxation 1.50, μ ≥ 0", Reconstructors.create("os-sart",
                new ReconstructionSettings(FilterWindow.HANN, 0.8, 7, 0.01, 1.5, 0, true, 4)).describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reconstructors.create("art", s));
        assertTrue(e.getMessage().startsWith("unknown method 'art'; known: fdk, sirt, cgls, os-sart, tv"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reconstructors.create("sirt",
                new ReconstructionSettings(FilterWindow.RAM_LAK, 1, 5, 0, 2.5, 0, true)));
    }

    @Test
    void iterativeAdapterReportsProgressPerIterationAndTheSolverOutcome() {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(16, 5.0)).setSodMm(500).setSddMm(1000)
                .setDetector(24, 24, 7.0, 7.0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(24, 0, 360)).build();
        ProjectionStack p = AnalyticProjector.project(Phantom.of(Ellipsoid.ball(new double[3], 25, 0.02)), g, 1);
        IterativeReconstructor cgls = (IterativeReconstructor) Reconstructors.create("cgls",
                new ReconstructionSettings(FilterWindow.RAM_LAK, 1, 6, 0, 1, 0, true));
        long[] seen = new long[7];
        Volume v = cgls.reconstruct(p, g, (done, total) -> {
            assertEquals(6, total);
            seen[(int) done]++;
        });
        assertArrayEquals(new long[] {0, 1, 1, 1, 1, 1, 1}, seen);
        assertEquals(6, cgls.lastResult().iterations());
        assertTrue(cgls.describe().contains("(ran 6, stop: iterations"), cgls.describe());
        assertEquals(0.02, v.get(8, 8, 8), 0.02 * 0.1);
        // FDK streams the views once (weight, filter, backproject per chunk) and reports views done.
        long[] last = new long[2];
        Reconstructors.create("fdk", ReconstructionSettings.defaults()).reconstruct(p, g, (done, total) -> {
            last[0] = done;
            last[1] = total;
        });
        assertArrayEquals(new long[] {24, 24}, last);
    }

    @Test
    void aRegisteredMethodIsUsableThroughTheRegistry() {
        Reconstructors.register("test-constant", s -> new Reconstructor() {
            @Override public String name() { return "test-constant"; }
            @Override public String describe() { return "constant " + s.iterations(); }
            @Override public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, Progress progress) {
                float[] d = new float[geometry.volume().voxelCount()];
                Arrays.fill(d, s.iterations());
                progress.update(1, 1);
                return new Volume(geometry.volume(), d);
            }
        });
        assertTrue(Reconstructors.names().contains("test-constant"));
        ReconstructionSettings s = new ReconstructionSettings(FilterWindow.RAM_LAK, 1, 3, 0, 1, 0, true);
        Reconstructor r = Reconstructors.create("Test-Constant", s);
        assertEquals("constant 3", r.describe());
    }
}
