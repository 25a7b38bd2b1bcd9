package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

class AnalyticProjectorTest {
    private static final double SOD = 500, SDD = 800;

    private static ConeBeamGeometry circular(int rows, int cols, double rowMm, double colMm, double offU, double offV, double... anglesDeg) {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(16, 4.0)).setSodMm(SOD).setSddMm(SDD)
                .setDetector(rows, cols, rowMm, colMm).optDetectorOffsetMm(offU, offV).setAnglesDeg(anglesDeg).build();
    }

    @Test
    void centralRayThroughBallIsTwiceRadiusTimesMu() {
        double r = 10, mu = 0.02;
        Phantom ball = Phantom.of(Ellipsoid.ball(new double[3], r, mu));
        ConeBeamGeometry g = circular(5, 7, 0.8, 0.8, 0, 0, 0, 37, 90, 211.5);
        ProjectionStack p = AnalyticProjector.project(ball, g, 1, 2, null);
        for (int view = 0; view < g.views(); view++) {
            double central = p.get(view, 2, 3);
            assertEquals(2 * r * mu, central, 1e-6 * 2 * r * mu, "view " + view);
            // Every other pixel: 2·√(r² − d²)·μ with d the ray's distance from the centre.
            double[] s = g.source(view);
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 7; col++) {
                    double[] q = g.pixelCentre(view, row, col);
                    double[] dir = {q[0] - s[0], q[1] - s[1], q[2] - s[2]};
                    double n = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
                    double along = -(s[0] * dir[0] + s[1] * dir[1] + s[2] * dir[2]) / n;
                    double d2 = s[0] * s[0] + s[1] * s[1] + s[2] * s[2] - along * along;
                    assertEquals(2 * Math.sqrt(r * r - d2) * mu, p.get(view, row, col), 1e-6);
                }
            }
        }
    }

    @Test
    void markerAtXLandsWhereMagnificationSaysFromFirstPrinciples() {
        // θ = 0: source (0, −SOD, 0), detector plane y = SDD − SOD, u = +x, v = +z. A point (x, 0, z)
        // projects to detector coordinates (x, z)·SDD/SOD; the detector offset moves the pixel grid.
        int rows = 61, cols = 101;
        double colMm = 1.0, rowMm = 0.8, offU = 6.5, offV = -3.2, x = 20, z = 8;
        ConeBeamGeometry g = circular(rows, cols, rowMm, colMm, offU, offV, 0, 90);
        double expectCol = (cols - 1) / 2.0 + (x * SDD / SOD - offU) / colMm;
        double expectRow = (rows - 1) / 2.0 + (z * SDD / SOD - offV) / rowMm;
        Phantom marker = Phantom.of(Ellipsoid.ball(new double[] {x, 0, z}, 1.5, 1));
        double[] c = centroid(AnalyticProjector.project(marker, g, 3, 2, null), 0);
        assertEquals(expectRow, c[0], 0.02);
        assertEquals(expectCol, c[1], 0.02);
        double[] predicted = g.projectPoint(0, new double[] {x, 0, z});
        assertEquals(expectRow, predicted[0], 1e-9);
        assertEquals(expectCol, predicted[1], 1e-9);
        // θ = 90°: source (SOD, 0, 0), u = +y. A point (0, y, z) lands at column offset y·SDD/SOD.
        Phantom markerY = Phantom.of(Ellipsoid.ball(new double[] {0, x, z}, 1.5, 1));
        double[] c90 = centroid(AnalyticProjector.project(markerY, g, 3, 2, null), 1);
        assertEquals(expectRow, c90[0], 0.02);
        assertEquals(expectCol, c90[1], 0.02);
    }

    @Test
    void offCentreMarkerProjectsWhereTheCircularGeometryPredicts() {
        ConeBeamGeometry g = circular(64, 128, 0.9, 1.0, 7.3, -4.1, 0, 33, 90, 147, 200, 301.5);
        double[] centre = {25, -15, 10};
        checkMarker(g, centre);
    }

    @Test
    void offCentreMarkerProjectsWhereAVectorGeometryWithTiltedDetectorPredicts() {
        ConeBeamGeometry base = circular(64, 128, 0.9, 1.0, 0, 0, 0, 60, 135, 250);
        int n = base.views();
        double[][] s = new double[n][], d = new double[n][], u = new double[n][], v = new double[n][];
        double gamma = Math.toRadians(10), tilt = Math.toRadians(6);
        for (int i = 0; i < n; i++) {
            double[] uh = unit(base.u(i)), vh = unit(base.v(i));
            double[] nh = unit(sub(base.detectorCentre(i), base.source(i)));
            // Rotate the detector in its plane by γ, then tilt the row axis towards the beam by τ.
            double[] u1 = lin(Math.cos(gamma), uh, Math.sin(gamma), vh);
            double[] v1 = lin(-Math.sin(gamma), uh, Math.cos(gamma), vh);
            double[] v2 = lin(Math.cos(tilt), v1, Math.sin(tilt), nh);
            u[i] = scale(1.0, u1);
            v[i] = scale(0.9, v2);
            s[i] = lin(1, base.source(i), 1, new double[] {2.0 * i, -1.5, 3.0}); // gantry flex
            d[i] = lin(1, base.detectorCentre(i), 1, lin(4.0, uh, -2.5, vh));
        }
        ConeBeamGeometry g = ConeBeamGeometry.fromVectors(base.volume(), 64, 128, s, d, u, v);
        checkMarker(g, new double[] {-18, 22, -9});
        checkMarker(g, new double[] {10, 5, 12});
    }

    private static void checkMarker(ConeBeamGeometry g, double[] centre) {
        Phantom marker = Phantom.of(Ellipsoid.ball(centre, 2.0, 1));
        ProjectionStack p = AnalyticProjector.project(marker, g, 3, 2, null);
        for (int view = 0; view < g.views(); view++) {
            double[] predicted = g.projectPoint(view, centre);
            assertNotNull(predicted);
            double[] c = centroid(p, view);
            assertEquals(predicted[0], c[0], 0.02, "row, view " + view);
            assertEquals(predicted[1], c[1], 0.02, "col, view " + view);
        }
    }

    @Test
    void rotatedEllipsoidEqualsUnrotatedOneSeenFromARotatedGantry() {
        double phi = Math.toRadians(25);
        double[] c = {20, -10, 5};
        Ellipsoid rotated = new Ellipsoid(c, new double[] {30, 12, 8}, phi, 0.02);
        double[] cBack = {Math.cos(-phi) * c[0] - Math.sin(-phi) * c[1], Math.sin(-phi) * c[0] + Math.cos(-phi) * c[1], c[2]};
        Ellipsoid plain = new Ellipsoid(cBack, new double[] {30, 12, 8}, 0, 0.02);
        double[] angles = {0, 40, 95, 180, 260};
        double[] shifted = new double[angles.length];
        for (int i = 0; i < angles.length; i++) shifted[i] = angles[i] - 25;
        ProjectionStack a = AnalyticProjector.project(Phantom.of(rotated), circular(24, 40, 2, 2, 3, -1, angles), 2, 2, null);
        ProjectionStack b = AnalyticProjector.project(Phantom.of(plain), circular(24, 40, 2, 2, 3, -1, shifted), 2, 2, null);
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            assertEquals(a.data()[i], b.data()[i], 1e-5);
            max = Math.max(max, a.data()[i]);
        }
        assertTrue(max > 0.5, "the ellipsoid must be in view, max " + max);
    }

    @Test
    void resultDoesNotDependOnThreadCountAndProgressCountsViews() {
        Phantom p = SheppLogan3D.fittingRadius(25);
        ConeBeamGeometry g = circular(12, 16, 4, 4, 0, 0, ConeBeamGeometry.evenAnglesDeg(7, 0, 360));
        List<Integer> seen = new ArrayList<>();
        ProjectionStack one = AnalyticProjector.project(p, g, 2, 1, null);
        ProjectionStack three = AnalyticProjector.project(p, g, 2, 3, seen::add);
        assertArrayEquals(one.data(), three.data());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), seen);
    }

    @Test
    void sheppLoganRaysMatchNumericalIntegrationOfMu() {
        // Independent of the chord formula: midpoint-rule integration of μ(p) along the same rays.
        Phantom p = SheppLogan3D.fittingRadius(60);
        ConeBeamGeometry g = circular(9, 11, 9, 9, 2.5, -3, 17, 123);
        ProjectionStack proj = AnalyticProjector.project(p, g, 1, 2, null);
        for (int view = 0; view < g.views(); view++) {
            double[] s = g.source(view);
            for (int row = 0; row < 9; row++) {
                for (int col = 0; col < 11; col++) {
                    double[] q = g.pixelCentre(view, row, col);
                    double[] dir = sub(q, s);
                    double len = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
                    int steps = 40_000;
                    double h = len / steps, sum = 0;
                    for (int k = 0; k < steps; k++) {
                        double t = (k + 0.5) / steps;
                        sum += p.muPerMm(s[0] + t * dir[0], s[1] + t * dir[1], s[2] + t * dir[2]);
                    }
                    // Each boundary crossing costs at most one step: ≤ 20 crossings × 0.1 /mm × h.
                    assertEquals(sum * h, proj.get(view, row, col), 20 * 0.1 * h + 1e-6, "view " + view + " pixel " + row + "," + col);
                }
            }
        }
    }

    @Test
    void eachPixelSeesEverySolidItsRaysMeet() {
        // The FORBILD head's 484 solids, most of them millimetre-sized: every pixel equals the mean of the phantom's
        // own line integrals along its rays, which test every solid, so the per-view footprints drop no solid a ray
        // meets: a circular scan; a skewed (u·v ≠ 0), tilted, shifted detector with a source 100 mm from the centre,
        // so that boxes straddle the plane through the source (no finite footprint); a 2D fan (one row); 2×2 rays.
        Phantom head = ForbildHead.phantom();
        ConeBeamGeometry base = circular(40, 48, 6, 6, 0, 0, 0, 7, 200, 260);
        int n = base.views();
        double[][] s = new double[n][], d = new double[n][], u = new double[n][], v = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] uh = unit(base.u(i)), vh = unit(base.v(i)), nh = unit(sub(base.detectorCentre(i), base.source(i)));
            u[i] = scale(6, lin(Math.cos(0.3), uh, Math.sin(0.3), vh));
            v[i] = scale(5, lin(Math.cos(0.2), lin(-Math.sin(0.1), uh, Math.cos(0.1), vh), Math.sin(0.2), nh)); // not ⟂ u
            s[i] = lin(0.2, base.source(i), 0, nh); // 100 mm from the centre: inside the skull's reach
            d[i] = lin(1, base.detectorCentre(i), 1, lin(30.0, uh, -12, vh)); // off centre: some solids fall off the panel
        }
        ConeBeamGeometry near = ConeBeamGeometry.fromVectors(base.volume(), 40, 48, s, d, u, v);
        ConeBeamGeometry fan = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(16, 4.0)).setSodMm(SOD).setSddMm(SDD)
                .setDetector(1, 64, 4, 4).setAnglesDeg(0, 33, 90, 200).build();
        for (ConeBeamGeometry g : List.of(base, near, fan)) {
            for (int sub : new int[] {1, 2}) {
                ProjectionStack proj = AnalyticProjector.project(head, g, sub, 2, null);
                for (int view = 0; view < g.views(); view++) {
                    double[] src = g.source(view);
                    for (int row = 0; row < g.detectorRows(); row++) {
                        for (int col = 0; col < g.detectorCols(); col++) {
                            double sum = 0;
                            for (int m = 0; m < sub; m++) {
                                for (int k = 0; k < sub; k++) {
                                    double[] q = g.pixelCentre(view, row + (m + 0.5) / sub - 0.5, col + (k + 0.5) / sub - 0.5);
                                    double[] dir = sub(q, src);
                                    double len = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
                                    sum += head.lineIntegral(src[0], src[1], src[2], dir[0] / len, dir[1] / len, dir[2] / len, len);
                                }
                            }
                            float expected = (float) (sum / (sub * sub));
                            assertEquals(expected, proj.get(view, row, col), sub == 1 ? 0f : 1e-6f * Math.max(1, expected),
                                    "view " + view + " pixel " + row + "," + col + ", " + sub + "×" + sub + " rays");
                        }
                    }
                }
            }
        }
    }

    @Test
    void supersampledDetectorConservesTheBallsIntegral() {
        // Σ p · pixel area / M² ≈ ∫μ dV = (4/3)πr³μ for a small ball at the isocentre (M = SDD/SOD);
        // the cone-beam deviation is of order (r/SOD)² ≈ 1e-4. Measured: 1.4e-3 at s = 1, 1.5e-4 at s = 4.
        double r = 10, mu = 0.02, sod = 1000, sdd = 1500;
        Phantom ball = Phantom.of(Ellipsoid.ball(new double[3], r, mu));
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 4)).setSodMm(sod).setSddMm(sdd)
                .setDetector(40, 40, 1.0, 1.0).setAnglesDeg(0).build();
        double exact = 4.0 / 3.0 * Math.PI * r * r * r * mu;
        double m2 = (sdd / sod) * (sdd / sod);
        for (int s : new int[] {1, 4}) {
            double sum = 0;
            for (float v : AnalyticProjector.project(ball, g, s, 1, null).data()) sum += v;
            double estimate = sum * 1.0 / m2;
            assertEquals(exact, estimate, (s == 1 ? 3e-3 : 3e-4) * exact, "supersampling " + s);
        }
    }

    /** Line-integral-weighted centroid {@code (row, col)} of one view. */
    private static double[] centroid(ProjectionStack p, int view) {
        double w = 0, r = 0, c = 0;
        for (int row = 0; row < p.rows(); row++) {
            for (int col = 0; col < p.cols(); col++) {
                double v = p.get(view, row, col);
                w += v;
                r += v * row;
                c += v * col;
            }
        }
        assertTrue(w > 0, "marker not on the detector in view " + view);
        return new double[] {r / w, c / w};
    }

    private static double[] sub(double[] a, double[] b) { return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
    private static double[] scale(double k, double[] a) { return new double[] {k * a[0], k * a[1], k * a[2]}; }
    private static double[] lin(double p, double[] a, double q, double[] b) {
        return new double[] {p * a[0] + q * b[0], p * a[1] + q * b[1], p * a[2] + q * b[2]};
    }
    private static double[] unit(double[] a) { return scale(1 / Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]), a); }
}
