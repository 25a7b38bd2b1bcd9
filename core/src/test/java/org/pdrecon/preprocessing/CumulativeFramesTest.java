package org.pdrecon.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;

class CumulativeFramesTest {
    static final int N = 24, ROWS = 5, COLS = 6;

    /** Independent frames: I = 1000·exp(−p) with p varying by view and pixel (thickness changes with angle). */
    static ProjectionStack independent() {
        Random rnd = new Random(3);
        ProjectionStack s = ProjectionStack.zeros(N, ROWS, COLS);
        for (int v = 0; v < N; v++) {
            double thickness = 1 + 0.5 * Math.sin(Math.toRadians(15 * v)) * Math.sin(Math.toRadians(15 * v));
            for (int i = 0; i < ROWS * COLS; i++) s.data()[v * ROWS * COLS + i] = (float) (1000 * Math.exp(-thickness * rnd.nextDouble()));
        }
        return s;
    }

    static double[] angles() {
        double[] a = new double[N];
        for (int v = 0; v < N; v++) a[v] = 100 + 4 * v;
        return a;
    }

    /** Integrates frames in acquisition order (increasing or decreasing view index). */
    static ProjectionStack integrate(ProjectionStack s, boolean increasing) {
        ProjectionStack c = s.copy();
        int plane = ROWS * COLS;
        for (int j = 1; j < N; j++) {
            int v = increasing ? j : N - 1 - j, p = increasing ? j - 1 : N - j;
            for (int i = 0; i < plane; i++) c.data()[v * plane + i] += c.data()[p * plane + i];
        }
        return c;
    }

    @Test
    void integratedFramesAreDetectedAndDifferencedBack() {
        for (boolean increasing : new boolean[] {true, false}) {
            ProjectionStack truth = independent();
            CumulativeFrames.Result r = CumulativeFrames.apply(integrate(truth, increasing), angles(), CumulativeFrames.Mode.AUTO);
            assertTrue(r.differenced(), r.reason());
            assertTrue(r.reason().startsWith("cumulative: mean signal grows monotonically"), r.reason());
            assertTrue(r.reason().contains(increasing ? "increasing gantry angle" : "decreasing gantry angle"), r.reason());
            assertEquals(0, r.suspectViews().length, r.problems().toString());
            for (int i = 0; i < truth.data().length; i++) assertEquals(truth.data()[i], r.frames().data()[i], 0.05, "pixel " + i);
            // a frame covers the interval since the previous frame in acquisition order: midpoint angles
            double[] a = r.anglesDeg();
            if (increasing) {
                assertEquals(98, a[0], 1e-12);
                assertEquals(102, a[1], 1e-12);
                assertEquals(190, a[N - 1], 1e-12);
            } else {
                assertEquals(194, a[N - 1], 1e-12);
                assertEquals(190, a[N - 2], 1e-12);
                assertEquals(102, a[0], 1e-12);
            }
        }
    }

    @Test
    void independentFramesAreLeftAlone() {
        ProjectionStack s = independent();
        CumulativeFrames.Result r = CumulativeFrames.apply(s, angles(), CumulativeFrames.Mode.AUTO);
        assertFalse(r.differenced());
        assertTrue(r.reason().startsWith("independent: mean signal falls in acquisition order between views"), r.reason());
        assertSame(s, r.frames());
        assertArrayEquals(angles(), r.anglesDeg());
    }

    /**
     * A full circle of 1° steps acquired from 180.5° through 0° to 179.5° (clinical arcs start where the
     * gantry stands): angle-sorted, the cumulative signal jumps down at 180.5°. Read in acquisition order
     * (from the files, from a start angle and direction, or inferred from the signal) the frames are
     * differenced back exactly, and no step is taken across the jump.
     */
    @Test
    void anArcStartingMidCircleIsDifferencedInAcquisitionOrder() {
        int n = 360, plane = ROWS * COLS;
        double[] angles = new double[n];
        for (int v = 0; v < n; v++) angles[v] = 0.5 + v; // angle-sorted stack
        Random rnd = new Random(5);
        ProjectionStack truth = ProjectionStack.zeros(n, ROWS, COLS);
        for (int i = 0; i < truth.data().length; i++) truth.data()[i] = (float) (500 + 500 * rnd.nextDouble());
        for (boolean increasing : new boolean[] {true, false}) {
            CumulativeFrames.Order order = CumulativeFrames.fromStart(angles, 180.5, increasing);
            assertEquals(180, order.views()[0]);
            assertEquals(increasing ? 181 : 179, order.views()[1]);
            assertEquals(increasing ? 179 : 181, order.views()[n - 1]);
            ProjectionStack c = truth.copy();
            for (int j = 1; j < n; j++) {
                int v = order.views()[j], p = order.views()[j - 1];
                for (int i = 0; i < plane; i++) c.data()[v * plane + i] += c.data()[p * plane + i];
            }
            for (CumulativeFrames.Order given : new CumulativeFrames.Order[] {order, null}) {
                CumulativeFrames.Result r = CumulativeFrames.apply(c, angles, CumulativeFrames.Mode.AUTO, given);
                assertTrue(r.differenced(), r.reason());
                assertTrue(r.reason().contains("acquisition starts at 180.500°"), r.reason());
                assertTrue(r.reason().contains(increasing ? "increasing gantry angle, 359.0° in all" : "decreasing gantry angle, 359.0° in all"), r.reason());
                assertEquals(0, r.suspectViews().length, r.problems().toString());
                for (int i = 0; i < truth.data().length; i++) assertEquals(truth.data()[i], r.frames().data()[i], 0.2, "pixel " + i);
                // each frame's angle is the midpoint of the degree it covers; across 0°/360° too
                assertEquals(increasing ? 0.0 : 1.0, r.anglesDeg()[0], 1e-9);
                assertEquals(increasing ? 180.0 : 181.0, r.anglesDeg()[180], 1e-9);
            }
        }
    }

    /**
     * An arc of more than a full turn (400 frames of 1°, from 0.5°): the importer sorts by wrapped angle, so
     * each of the first 40 angles holds two frames a turn apart; differenced in acquisition order (as
     * InstanceNumber gives it) every frame comes back.
     */
    @Test
    void anArcOfMoreThanOneTurnIsDifferencedInAcquisitionOrder() {
        int n = 400, plane = ROWS * COLS;
        Integer[] byAngle = new Integer[n]; // stack position → acquisition index
        for (int k = 0; k < n; k++) byAngle[k] = k;
        java.util.Arrays.sort(byAngle, java.util.Comparator.comparingDouble((Integer k) -> (k + 0.5) % 360).thenComparingInt(k -> k));
        double[] angles = new double[n];
        int[] acquisition = new int[n]; // acquisition index → stack position
        for (int v = 0; v < n; v++) {
            angles[v] = (byAngle[v] + 0.5) % 360 + (v > 0 && (byAngle[v] + 0.5) % 360 < angles[v - 1] % 360 ? 360 : 0);
            acquisition[byAngle[v]] = v;
        }
        for (int v = 1; v < n; v++) angles[v] = Math.max(angles[v], angles[v - 1]); // unwrapped, ties allowed
        Random rnd = new Random(9);
        ProjectionStack truth = ProjectionStack.zeros(n, ROWS, COLS), c = ProjectionStack.zeros(n, ROWS, COLS);
        for (int i = 0; i < truth.data().length; i++) truth.data()[i] = (float) (500 + 500 * rnd.nextDouble());
        double[] sum = new double[plane];
        for (int k = 0; k < n; k++) {
            int v = acquisition[k];
            for (int i = 0; i < plane; i++) c.data()[v * plane + i] = (float) (sum[i] += truth.data()[v * plane + i]);
        }
        CumulativeFrames.Result r = CumulativeFrames.apply(c, angles, CumulativeFrames.Mode.AUTO,
                new CumulativeFrames.Order(acquisition, "InstanceNumber"));
        assertTrue(r.differenced(), r.reason());
        assertTrue(r.reason().contains("399.0° in all"), r.reason());
        assertEquals(0, r.suspectViews().length, r.problems().toString());
        for (int i = 0; i < truth.data().length; i++) assertEquals(truth.data()[i], r.frames().data()[i], 0.5, "pixel " + i);
    }

    /** 900 views at 0.4° (a common CBCT arc): the start is the view at the given angle, not one just before it. */
    @Test
    void theStartAngleSelectsTheNearestViewAtAnyStep() {
        double[] angles = new double[900];
        for (int v = 0; v < 900; v++) angles[v] = 0.4 * v;
        CumulativeFrames.Order up = CumulativeFrames.fromStart(angles, 180, true), down = CumulativeFrames.fromStart(angles, 180.1, false);
        assertEquals(450, up.views()[0]);
        assertEquals(451, up.views()[1]);
        assertEquals(449, up.views()[899]);
        assertEquals(450, down.views()[0]);
        assertEquals(449, down.views()[1]);
        double[] twoTurns = {0, 90, 180, 270, 0, 90};
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CumulativeFrames.fromStart(twoTurns, 0, true));
        assertTrue(e.getMessage().contains("views share gantry angles"), e.getMessage());
    }

    /** Without an order from the files, repeated angles leave cumulative frames undecidable: a problem, never a guess. */
    @Test
    void repeatedAnglesWithoutAnOrderAreAProblemNotAGuess() {
        double[] angles = {0, 0, 90, 90, 180, 180, 270, 270};
        ProjectionStack s = ProjectionStack.zeros(8, 1, 2);
        for (int i = 0; i < s.data().length; i++) s.data()[i] = 100 * (1 + i / 2); // grows 8×: could be cumulative
        CumulativeFrames.Result r = CumulativeFrames.apply(s, angles, CumulativeFrames.Mode.AUTO, null);
        assertFalse(r.differenced());
        assertTrue(r.problems().get(0).contains("cumulative frames cannot be told apart"), r.problems().toString());
        assertTrue(CumulativeFrames.apply(s, angles, CumulativeFrames.Mode.INDEPENDENT, null).problems().isEmpty());
        ProjectionStack flat = ProjectionStack.zeros(8, 1, 2);
        for (int i = 0; i < flat.data().length; i++) flat.data()[i] = 100 + i; // grows 1.14×: no order makes it cumulative
        CumulativeFrames.Result f = CumulativeFrames.apply(flat, angles, CumulativeFrames.Mode.AUTO, null);
        assertFalse(f.differenced());
        assertTrue(f.problems().isEmpty(), f.problems().toString());
    }

    /** Files whose order contradicts a signal that grows like cumulative frames are flagged, not reconstructed as independent. */
    @Test
    void aFileOrderThatContradictsTheSignalIsAProblem() {
        ProjectionStack c = integrate(independent(), true);
        int[] shuffled = new int[N];
        for (int j = 0; j < N; j++) shuffled[j] = (j * 7) % N; // a wrong order (7 is prime to 24)
        CumulativeFrames.Result r = CumulativeFrames.apply(c, angles(), CumulativeFrames.Mode.AUTO, new CumulativeFrames.Order(shuffled, "InstanceNumber"));
        assertFalse(r.differenced());
        assertEquals(1, r.problems().size(), r.reason());
        assertTrue(r.problems().get(0).startsWith("the files' order (InstanceNumber) says independent frames, but in angle order from 100.000°"),
                r.problems().get(0));
        assertTrue(CumulativeFrames.apply(independent(), angles(), CumulativeFrames.Mode.AUTO,
                new CumulativeFrames.Order(shuffled, "InstanceNumber")).problems().isEmpty(), "truly independent frames raise nothing");
    }

    @Test
    void slowMonotoneGrowthIsNotEnough() {
        ProjectionStack s = ProjectionStack.zeros(N, 1, 1);
        for (int v = 0; v < N; v++) s.data()[v] = 100 + 5 * v; // grows 2.15×, rule needs 6× for 24 views
        CumulativeFrames.Result r = CumulativeFrames.apply(s, angles(), CumulativeFrames.Mode.AUTO);
        assertFalse(r.differenced());
        assertTrue(r.reason().contains("only by 2.15×") && r.reason().contains("≥ 6.00× for 24 views"), r.reason());
    }

    @Test
    void overridesWinOverTheRule() {
        ProjectionStack s = independent();
        assertTrue(CumulativeFrames.apply(s, angles(), CumulativeFrames.Mode.CUMULATIVE).differenced());
        ProjectionStack c = integrate(s, true);
        CumulativeFrames.Result r = CumulativeFrames.apply(c, angles(), CumulativeFrames.Mode.INDEPENDENT);
        assertFalse(r.differenced());
        assertSame(c, r.frames());
    }

    @Test
    void repeatedAndMergedFramesAreReportedNotReplaced() {
        ProjectionStack c = integrate(independent(), true);
        int plane = ROWS * COLS;
        System.arraycopy(c.data(), 4 * plane, c.data(), 5 * plane, plane); // frame 5 repeats frame 4
        // frames 9 and 10 lost (they repeat frame 8), so frame 11's difference spans three intervals
        System.arraycopy(c.data(), 8 * plane, c.data(), 9 * plane, plane);
        System.arraycopy(c.data(), 8 * plane, c.data(), 10 * plane, plane);
        CumulativeFrames.Result r = CumulativeFrames.apply(c, angles(), CumulativeFrames.Mode.AUTO);
        assertTrue(r.differenced(), r.reason());
        assertArrayEquals(new int[] {5, 9, 10, 11}, r.suspectViews(), r.problems().toString());
        String problems = String.join("\n", r.problems());
        assertTrue(problems.contains("view 5 (120.000°): mean 0.000 is ≤ 5% of the median"), problems);
        assertTrue(problems.contains("view 11 (144.000°): mean") && problems.contains("≥ 3× the median"), problems);
        assertEquals(0f, r.frames().get(5, 2, 2)); // kept as computed
    }
}
