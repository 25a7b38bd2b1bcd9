package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The common part of quadric solids: exact chords against numeric integration, membership, box, refusals. */
class SolidIntersectionTest {
    @Test
    void chordsOfIntersectionsEqualNumericIntegrationOfMembership() {
        List<QuadricSolid> s = QuadricSolidTest.shapes();
        double[] c = {12, -7, 5};
        QuadricSolid ball = QuadricSolid.ellipsoid(new double[] {c[0] + 25, c[1], c[2] + 10}, new double[] {30, 30, 30}, QuadricSolid.zRotation(0), 1);
        Random r = new Random(11);
        // ellipsoid ∩ ball, clipped ellipsoid ∩ cylinder ∩ ball, frustum ∩ ellipsoid (two quadrics, one not convex)
        QuadricSolidTest.assertChordsMatchMembership(SolidIntersection.of(0.01, s.get(0), ball), r, 12, 40);
        QuadricSolidTest.assertChordsMatchMembership(SolidIntersection.of(0.01, s.get(1), s.get(2), ball), r, 12, 40);
        QuadricSolidTest.assertChordsMatchMembership(SolidIntersection.of(-0.02, s.get(4), s.get(0)), r, 12, 40);
    }

    @Test
    void membershipIsEveryPartsAndTheBoxIsTheirCommonBox() {
        QuadricSolid a = QuadricSolid.ellipsoid(new double[] {0, 0, 0}, new double[] {10, 10, 10}, QuadricSolid.zRotation(0), 1);
        QuadricSolid b = QuadricSolid.ellipsoid(new double[] {15, 0, 0}, new double[] {10, 10, 10}, QuadricSolid.zRotation(0), 1);
        SolidIntersection lens = SolidIntersection.of(0.5, a, b);
        assertTrue(lens.contains(7.5, 0, 0));
        assertFalse(lens.contains(2, 0, 0)); // in a only
        assertEquals(5, lens.chordLengthMm(-50, 0, 0, 1, 0, 0, 100), 1e-12); // x from 5 to 10
        assertEquals(7.5, lens.centreMm()[0], 1e-12);
        assertEquals(2.5, lens.halfExtentMm()[0], 1e-12);
        assertEquals(0.5, lens.valuePerMm());
        assertEquals(5, lens.translated(0, 3, 0).chordLengthMm(-50, 3, 0, 1, 0, 0, 100), 1e-12);
        QuadricSolid far = a.translated(100, 0, 0);
        assertEquals(0, SolidIntersection.of(1, a, far).chordLengthMm(-50, 0, 0, 1, 0, 0, 300), 0.0); // disjoint: nothing
        assertThrows(IllegalArgumentException.class, () -> new SolidIntersection(1, List.of(a)));
        assertThrows(IllegalArgumentException.class, () -> SolidIntersection.of(Double.NaN, a, b));
    }
}
