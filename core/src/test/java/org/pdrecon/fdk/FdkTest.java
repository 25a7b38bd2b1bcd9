package org.pdrecon.fdk;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;

/** FDK against analytic projections of a uniform ball: the reconstruction is in μ (1/mm), not only in shape. */
class FdkTest {
    static final double MU = 0.02, RADIUS = 40;
    static final VolumeGrid GRID = VolumeGrid.cube(64, 2.0);
    static final Phantom BALL = Phantom.of(Ellipsoid.ball(new double[3], RADIUS, MU));
    static ConeBeamGeometry full;
    static ProjectionStack fullProjections;

    static ConeBeamGeometry geometry(double[] anglesDeg, double offsetUMm) {
        return ConeBeamGeometry.circular().setVolume(GRID).setSodMm(500).setSddMm(1000)
                .setDetector(96, 96, 2.0, 2.0).optDetectorOffsetMm(offsetUMm, 0).setAnglesDeg(anglesDeg).build();
    }

    @BeforeAll
    static void projectFullScan() {
        full = geometry(ConeBeamGeometry.evenAnglesDeg(360, 0, 360), 0);
        fullProjections = AnalyticProjector.project(BALL, full, 1);
    }

    /** Mean of the voxels within 20 mm of the centre (half the ball's radius). */
    static double centralMean(Volume v) {
        VolumeGrid g = v.grid();
        double s = 0;
        int n = 0;
        for (int k = 0; k < g.nz(); k++)
            for (int j = 0; j < g.ny(); j++)
                for (int i = 0; i < g.nx(); i++) {
                    double x = g.x(i), y = g.y(j), z = g.z(k);
                    if (x * x + y * y + z * z <= 20 * 20) {
                        s += v.get(k, j, i);
                        n++;
                    }
                }
        assertTrue(n > 1000);
        return s / n;
    }

    @Test
    void uniformBallFromFullScanHasTheRightMu() {
        List<int[]> calls = new ArrayList<>();
        Volume v = new FDK().reconstruct(fullProjections, full, (stage, done, total) -> calls.add(new int[] {stage.ordinal(), done, total}));
        assertEquals(MU, centralMean(v), 0.01 * MU, "central mean");
        // outside the ball (radius 40 mm) but inside the scanned field (radius 48 mm): close to 0
        assertEquals(0, v.get(32, 32, 9), 0.05 * MU, "at x = −45 mm");
        assertEquals(0, v.get(32, 9, 32), 0.05 * MU, "at y = −45 mm");
        int[] last = calls.get(calls.size() - 1);
        assertEquals(FdkProgress.Stage.BACKPROJECTION.ordinal(), last[0]);
        assertEquals(360, last[1]);
        Volume quiet = new FDK().reconstruct(fullProjections, full);
        for (int i = 0; i < v.data().length; i += 997) assertEquals(quiet.data()[i], v.data()[i], 1e-6);
    }

    @Test
    void everyWindowKeepsTheMeanAndInputIsUntouched() {
        float[] before = fullProjections.data().clone();
        for (FilterWindow w : FilterWindow.values()) {
            Volume v = new FDK(w, 0.8).reconstruct(fullProjections, full);
            assertEquals(MU, centralMean(v), 0.01 * MU, w.cliName());
        }
        assertArrayEquals(before, fullProjections.data());
    }

    @Test
    void shortScanWithParkerWeights() {
        ConeBeamGeometry g = geometry(ConeBeamGeometry.evenAnglesDeg(200, 30, 200), 0);
        Volume v = new FDK().reconstruct(AnalyticProjector.project(BALL, g, 1), g);
        assertEquals(MU, centralMean(v), 0.02 * MU, "short-scan central mean");
        // 185° < 180° + fan (10.97°): still right within SOD·sin 2.5° = 21.8 mm of the axis
        ConeBeamGeometry shorter = geometry(ConeBeamGeometry.evenAnglesDeg(185, 30, 185), 0);
        Volume s = new FDK().reconstruct(AnalyticProjector.project(BALL, shorter, 1), shorter);
        assertEquals(MU, s.get(32, 32, 32), 0.03 * MU, "centre of a 185° scan");
        ConeBeamGeometry tooShort = geometry(ConeBeamGeometry.evenAnglesDeg(170, 0, 170), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FDK().reconstruct(ProjectionStack.zeros(170, 96, 96), tooShort));
        assertTrue(e.getMessage().contains("less than 180°"), e.getMessage());
    }

    @Test
    void offsetDetectorIsCompleted() {
        ConeBeamGeometry g = geometry(ConeBeamGeometry.evenAnglesDeg(360, 0, 360), 30);
        FdkWeighting weighting = new FdkWeighting(g);
        assertTrue(weighting.offsetDetector());
        assertThrows(IllegalStateException.class, () -> weighting.apply(ProjectionStack.zeros(360, 96, 96)),
                "an offset scan's own views are not weighted as if centred");
        Volume v = new FDK().reconstruct(AnalyticProjector.project(BALL, g, 1), g);
        assertEquals(MU, centralMean(v), 0.01 * MU, "offset-detector central mean");
    }

    @Test
    void irregularAngleSpacing() {
        Random r = new Random(5);
        double[] a = new double[240];
        for (int i = 0; i < a.length; i++) a[i] = 360.0 * i / a.length + (r.nextDouble() - 0.5) * 1.2;
        ConeBeamGeometry g = geometry(a, 0);
        Volume v = new FDK().reconstruct(AnalyticProjector.project(BALL, g, 1), g);
        assertEquals(MU, centralMean(v), 0.01 * MU, "irregular-spacing central mean");
    }

    @Test
    void mismatchedProjectionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FDK().reconstruct(ProjectionStack.zeros(360, 96, 95), full));
        assertTrue(e.getMessage().contains("geometry describes"), e.getMessage());
    }

    /** Streaming a chunk of views at a time gives the in-memory result up to the float sum order, from memory or a file. */
    @Test
    void streamedChunksGiveTheSameVolume(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Volume whole = new FDK().reconstruct(fullProjections, full);
        int perView = fullProjections.rows() * fullProjections.cols();
        Volume oneByOne = new FDK().reconstruct(ViewSource.of(fullProjections), full, null, 4L * perView);
        Volume sevens = new FDK().reconstruct(ViewSource.of(fullProjections), full, null, 7 * 4L * perView);
        double scale = 0;
        for (float f : whole.data()) scale = Math.max(scale, Math.abs(f));
        for (int i = 0; i < whole.data().length; i++) {
            assertEquals(whole.data()[i], oneByOne.data()[i], 1e-5 * scale);
            assertEquals(oneByOne.data()[i], sevens.data()[i], 1e-5 * scale);
        }
        java.nio.file.Path file = dir.resolve("p.mha");
        org.pdrecon.io.MetaImage.writeProjections(file, fullProjections);
        try (var stream = org.pdrecon.io.MetaImage.openProjections(file)) {
            ViewSource fromFile = new ViewSource() {
                @Override public int views() { return stream.views(); }
                @Override public int rows() { return stream.rows(); }
                @Override public int cols() { return stream.cols(); }
                @Override public void read(int first, int count, float[] into) throws java.io.IOException { stream.read(first, count, into); }
            };
            Volume streamed = new FDK().reconstruct(fromFile, full, null, 7 * 4L * perView);
            assertArrayEquals(sevens.data(), streamed.data());
        }
    }
}
