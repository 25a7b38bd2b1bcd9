package org.pdrecon.iterative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryException;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.KernelPool;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;

/**
 * The symmetric split of shared/seeds/003 against the unsplit system: the halves' operators are matched and
 * reproduce A exactly (to float round-off), and SIRT, CGLS (at convergence) and the direct pseudo-solution give
 * the unsplit answer. Tolerances are relative (‖split − unsplit‖ / ‖unsplit‖).
 */
class SymmetricSplitTest {
    private static ConeBeamGeometry fan(int n, int views, double startDeg) {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(n, 1.0)).setSodMm(4.0 * n).setSddMm(8.0 * n)
                .setDetector(1, 3 * n / 2, 1, 2.0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, startDeg, 360)).build();
    }

    private static ConeBeamGeometry cone(double startDeg) {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(9, 2.0)).setSodMm(60).setSddMm(100)
                .setDetector(6, 15, 3, 2.5).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(10, startDeg, 360)).build();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static double relDiff(float[] a, float[] ref) {
        double d = 0, n = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) (a[i] - ref[i]) * (a[i] - ref[i]);
            n += (double) ref[i] * ref[i];
        }
        return Math.sqrt(d / n);
    }

    private static float[] phantomData(ConeBeamGeometry g) {
        Phantom p = Phantom.of(Ellipsoid.ball(new double[] {3, -2, 0}, 7, 0.02), Ellipsoid.ball(new double[] {-4, 4, 0}, 4, 0.01));
        return AnalyticProjector.project(p, g, 1).data();
    }

    @Test
    void findsTheMirrorOfEvenOrbitsAndRefusesABrokenOne() {
        MirrorSymmetry s = MirrorSymmetry.of(fan(16, 24, 0));
        assertEquals(2, s.selfMirroredViews(), "views at 0° and 180° lie on the mirror plane");
        assertEquals(0, MirrorSymmetry.of(fan(16, 24, 7.5)).selfMirroredViews(), "half a step off: all views pair up");
        for (int v = 0; v < 24; v++) assertEquals(v, s.partner(s.partner(v)));
        double[] angles = ConeBeamGeometry.evenAnglesDeg(24, 0, 360);
        angles[5] += 0.5;
        ConeBeamGeometry broken = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(16, 1.0)).setSodMm(64).setSddMm(128)
                .setDetector(1, 24, 1, 2.0).setAnglesDeg(angles).build();
        GeometryException e = assertThrows(GeometryException.class, () -> MirrorSymmetry.of(broken));
        assertTrue(e.getMessage().contains("not mirror-symmetric") && e.getMessage().contains("no mirror partner"), e.getMessage());
    }

    /** Both halves are matched pairs, and A·x = Q_s·B_s·Q_sᵀ·x + Q_a·B_a·Q_aᵀ·x: the Joseph projector is mirror-equivariant. */
    @Test
    void halvesAreMatchedAndReassembleA() {
        for (ConeBeamGeometry g : new ConeBeamGeometry[] {fan(17, 20, 0), fan(16, 24, 7.5), cone(0), cone(18)}) {
            ConeBeamProjector a = new ConeBeamProjector(g);
            MirrorSymmetry s = MirrorSymmetry.of(g);
            float[] x = random(a.domainSize(), 1);
            float[] ax = a.apply(x);
            double energy = 0;
            for (boolean anti : new boolean[] {false, true}) {
                MirrorHalfOperator b = new MirrorHalfOperator(g, s, anti, KernelPool.shared());
                float[] h = random(b.domainSize(), 2), y = random(b.rangeSize(), 3);
                double lhs = Vectors.dot(b.apply(h), y), rhs = Vectors.dot(h, b.adjoint().apply(y));
                assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs), "adjoint of the " + (anti ? "anti" : "") + "symmetric half");
                float[] bx = b.apply(b.encodeImage(x)), want = b.encodeData(ax);
                assertTrue(relDiff(bx, want) < 1e-6, "B·Qᵀx = Qᵀ·A·x: " + relDiff(bx, want));
                energy += Vectors.dot(want, want);
            }
            assertEquals(Vectors.dot(ax, ax), energy, 1e-5 * energy, "the two ray bases together are orthonormal and complete (Parseval)");
            float[] back = new float[x.length];
            for (boolean anti : new boolean[] {false, true}) {
                MirrorHalfOperator b = new MirrorHalfOperator(g, s, anti, KernelPool.shared());
                b.addImage(b.encodeImage(x), back);
            }
            assertTrue(relDiff(back, x) < 1e-6, "the two voxel bases together are orthonormal and complete");
        }
    }

    @Test
    void splitSirtEqualsSirtAtEveryIterate() {
        for (ConeBeamGeometry g : new ConeBeamGeometry[] {fan(32, 36, 0), cone(18)}) {
            ConeBeamProjector a = new ConeBeamProjector(g);
            float[] b = phantomData(g);
            SolverSettings s = SolverSettings.builder().setIterations(20).optNonNegative(false).build();
            float[] whole = new float[a.domainSize()], split = new float[a.domainSize()];
            new Sirt().solve(a, b, whole, s);
            new SymmetricSplit(new Sirt()).solve(a, b, split, s);
            assertTrue(relDiff(split, whole) < 1e-6, "split SIRT vs SIRT: " + relDiff(split, whole));
        }
    }

    /** The seed's Theorem 2: the normal pseudo-solution is the sum of the halves'. */
    @Test
    void splitPseudoSolutionEqualsThePseudoSolution() {
        ConeBeamGeometry g = fan(20, 30, 0);
        ConeBeamProjector a = new ConeBeamProjector(g);
        float[] b = phantomData(g);
        SolverSettings s = SolverSettings.builder().setIterations(1).optNonNegative(false).build();
        float[] whole = new float[a.domainSize()], split = new float[a.domainSize()];
        SolverResult rw = new DirectPseudoInverse().solve(a, b, whole, s);
        SolverResult rs = new SymmetricSplit(new DirectPseudoInverse()).solve(a, b, split, s);
        assertTrue(relDiff(split, whole) < 2e-5, "split pinv vs pinv: " + relDiff(split, whole));
        assertEquals(rw.residualNorm(), rs.residualNorm(), 1e-4 * rw.residualNorm());
        assertTrue(rw.relativeResidual() < 0.05, "analytic data are nearly consistent: " + rw.relativeResidual());
    }

    /** CGLS's iterates differ (its step lengths couple the halves) but its limit is the same least-squares solution. */
    @Test
    void splitCglsReachesTheSameLeastSquaresSolution() {
        ConeBeamGeometry g = fan(16, 32, 0);
        ConeBeamProjector a = new ConeBeamProjector(g);
        float[] b = phantomData(g);
        float[] reference = new float[a.domainSize()];
        new DirectPseudoInverse().solve(a, b, reference, SolverSettings.builder().setIterations(1).optNonNegative(false).build());
        SolverSettings s = SolverSettings.builder().setIterations(400).optNonNegative(false).build();
        float[] whole = new float[a.domainSize()], split = new float[a.domainSize()];
        new Cgls().solve(a, b, whole, s);
        new SymmetricSplit(new Cgls()).solve(a, b, split, s);
        assertTrue(relDiff(whole, reference) < 2e-3, "CGLS vs pinv: " + relDiff(whole, reference));
        assertTrue(relDiff(split, reference) < 2e-3, "split CGLS vs pinv: " + relDiff(split, reference));
    }

    @Test
    void refusesWhatDoesNotSplit() {
        ConeBeamProjector a = new ConeBeamProjector(fan(16, 24, 0));
        float[] b = new float[a.rangeSize()], x = new float[a.domainSize()];
        IllegalArgumentException nonNeg = assertThrows(IllegalArgumentException.class, () -> new SymmetricSplit(new Sirt())
                .solve(a, b, x, SolverSettings.builder().setIterations(2).optNonNegative(true).build()));
        assertTrue(nonNeg.getMessage().contains("--no-non-negative"), nonNeg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SymmetricSplit(new OsSart(4, 1)));
        ConeBeamProjector big = new ConeBeamProjector(fan(128, 180, 0));
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> new DirectPseudoInverse()
                .solve(big, new float[big.rangeSize()], new float[big.domainSize()], SolverSettings.builder().setIterations(1).build()));
        assertTrue(tooBig.getMessage().contains("small 2D problems"), tooBig.getMessage());
    }
}
