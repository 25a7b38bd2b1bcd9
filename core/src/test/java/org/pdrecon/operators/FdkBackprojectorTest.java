package org.pdrecon.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

class FdkBackprojectorTest {

    /** Constant projections: the centre voxel (depth = SOD in every view) receives Σ w. */
    @Test
    void constantProjectionsGiveSumOfWeightsAtTheCentre() {
        VolumeGrid grid = VolumeGrid.cube(17, 1.0); // odd: a voxel centre sits on the axis
        ConeBeamGeometry g = TestGeometries.circular(grid, 24, 40, 40, 1.0);
        float[] p = new float[24 * 40 * 40];
        Arrays.fill(p, 1f);
        double[] w = new double[24];
        double sum = 0;
        for (int v = 0; v < 24; v++) sum += w[v] = 0.1 + 0.01 * v;
        float[] out = new float[grid.voxelCount()];
        new FdkBackprojector(g).apply(p, w, out);
        assertEquals(sum, out[grid.index(8, 8, 8)], 1e-5 * sum);
        // Off-centre voxel: Σ w·(SOD/depth)² with depth = SOD + y cosθ − x sinθ.
        int i = 12, j = 3, k = 5;
        double want = 0;
        double[] angles = g.orbit().get().anglesDeg();
        for (int v = 0; v < 24; v++) {
            double t = Math.toRadians(angles[v]);
            double depth = 100 + grid.y(j) * Math.cos(t) - grid.x(i) * Math.sin(t);
            want += w[v] * (100 / depth) * (100 / depth);
        }
        assertEquals(want, out[grid.index(k, j, i)], 1e-5 * want);
    }

    /** 2D fan beam (one slice, one detector row): a projection linear in the column is read exactly. */
    @Test
    void fanBeamSliceReadsTheProjectedColumn() {
        VolumeGrid slice = new VolumeGrid(1, 15, 17, 1.0, 1.1, 0.9, new double[] {2, -1, 0});
        ConeBeamGeometry g = TestGeometries.circular(slice, 5, 1, 60, 0.8);
        float[] p = new float[5 * 60];
        for (int v = 0; v < 5; v++) for (int c = 0; c < 60; c++) p[v * 60 + c] = 2f + 0.1f * c + v;
        double[] w = {0.5, 1, 1.5, 2, 2.5};
        float[] out = new float[15 * 17];
        new FdkBackprojector(g).apply(p, w, out);
        double[] angles = g.orbit().get().anglesDeg();
        for (int j = 0; j < 15; j++) {
            for (int i = 0; i < 17; i++) {
                double want = 0;
                for (int v = 0; v < 5; v++) {
                    double[] rc = g.projectPoint(v, new double[] {slice.x(i), slice.y(j), 0});
                    assertEquals(0.0, rc[0], 1e-9, "a slice voxel projects onto the single row");
                    assertTrue(rc[1] > 0 && rc[1] < 59, "test voxel must project inside");
                    double t = Math.toRadians(angles[v]);
                    double depth = 100 + slice.y(j) * Math.cos(t) - slice.x(i) * Math.sin(t);
                    want += w[v] * (100 / depth) * (100 / depth) * (2 + 0.1 * rc[1] + v);
                }
                assertEquals(want, out[j * 17 + i], 2e-5 * want, "voxel " + j + "," + i);
            }
        }
    }

    /**
     * A projection that is linear in (row, col) is interpolated exactly, so every voxel must receive
     * the value at the detector position that {@link ConeBeamGeometry#projectPoint} predicts, times
     * the distance weight: checks the geometry of the voxel-driven map for circular and vector scans.
     */
    @Test
    void voxelsLandWhereProjectPointSays() {
        VolumeGrid grid = new VolumeGrid(6, 7, 8, 1.2, 1.0, 0.9, new double[] {1, -1, 0.5});
        check(TestGeometries.offsetDetector(grid, 3, 60, 70, 0.7), 100);
        check(TestGeometries.randomVectors(grid, 3, 90, 90, 0.5, 3), Double.NaN);
    }

    private static void check(ConeBeamGeometry g, double sod) {
        int rows = g.detectorRows(), cols = g.detectorCols(), views = g.views();
        VolumeGrid grid = g.volume();
        for (int view = 0; view < views; view++) {
            float[] p = new float[views * rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) p[(view * rows + r) * cols + c] = 3f + 0.25f * r - 0.125f * c;
            }
            double[] w = new double[views];
            w[view] = 1.0;
            float[] out = new float[grid.voxelCount()];
            new FdkBackprojector(g).apply(p, w, out);
            double[] s = g.source(view), u = g.u(view), v = g.v(view);
            double[] n = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
            double nn = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
            double[] d = g.detectorCentre(view);
            double sign = Math.signum((d[0] - s[0]) * n[0] + (d[1] - s[1]) * n[1] + (d[2] - s[2]) * n[2]) / nn;
            double[] c = grid.centreMm();
            double ref = Double.isNaN(sod) ? sign * ((c[0] - s[0]) * n[0] + (c[1] - s[1]) * n[1] + (c[2] - s[2]) * n[2]) : sod;
            for (int k = 0; k < grid.nz(); k++) {
                for (int j = 0; j < grid.ny(); j++) {
                    for (int i = 0; i < grid.nx(); i++) {
                        double[] x = {grid.x(i), grid.y(j), grid.z(k)};
                        double[] rc = g.projectPoint(view, x);
                        assertTrue(rc[0] > 0 && rc[0] < rows - 1 && rc[1] > 0 && rc[1] < cols - 1, "test voxel must project inside");
                        double depth = sign * ((x[0] - s[0]) * n[0] + (x[1] - s[1]) * n[1] + (x[2] - s[2]) * n[2]);
                        double want = (ref / depth) * (ref / depth) * (3 + 0.25 * rc[0] - 0.125 * rc[1]);
                        assertEquals(want, out[grid.index(k, j, i)], 2e-5 * Math.abs(want), "view " + view + " voxel " + k + "," + j + "," + i);
                    }
                }
            }
        }
    }

    /** A single bright pixel lights the voxels whose centres project within one pixel of it. */
    @Test
    void deltaProjectionLightsVoxelsOnItsRay() {
        VolumeGrid grid = VolumeGrid.cube(16, 1.0);
        ConeBeamGeometry g = TestGeometries.circular(grid, 1, 30, 30, 1.0);
        float[] p = new float[30 * 30];
        p[12 * 30 + 17] = 1f;
        float[] out = new float[grid.voxelCount()];
        new FdkBackprojector(g).apply(p, new double[] {1}, out);
        int lit = 0;
        for (int k = 0; k < 16; k++) {
            for (int j = 0; j < 16; j++) {
                for (int i = 0; i < 16; i++) {
                    double[] rc = g.projectPoint(0, new double[] {grid.x(i), grid.y(j), grid.z(k)});
                    boolean near = Math.abs(rc[0] - 12) < 1 && Math.abs(rc[1] - 17) < 1;
                    float got = out[grid.index(k, j, i)];
                    if (near) {
                        lit++;
                        assertTrue(got > 0, "voxel projecting near the pixel must be lit");
                    } else {
                        assertEquals(0f, got, "voxel projecting away from the pixel must stay dark");
                    }
                }
            }
        }
        assertTrue(lit > 0);
    }

    @Test
    void deterministicAcrossThreadCountsAnd2D() {
        VolumeGrid slice = VolumeGrid.slice(24, 1.0);
        ConeBeamGeometry g2 = TestGeometries.circular(slice, 20, 1, 40, 1.0);
        float[] p = TestGeometries.random(20 * 40, 1);
        double[] w = new double[20];
        Arrays.fill(w, Math.PI / 20);
        float[] a = new float[24 * 24], b = new float[24 * 24];
        new FdkBackprojector(g2, new KernelPool(1)).apply(p, w, a);
        new FdkBackprojector(g2, new KernelPool(3)).apply(p, w, b);
        assertArrayEquals(a, b);
        assertTrue(TestGeometries.dot(a, a) > 0);
        ConeBeamGeometry g3 = TestGeometries.randomVectors(VolumeGrid.cube(12, 1.0), 6, 20, 20, 1.2, 4);
        float[] p3 = TestGeometries.random(6 * 20 * 20, 2);
        double[] w3 = {1, 2, 3, 4, 5, 6};
        float[] c = new float[12 * 12 * 12], d = new float[12 * 12 * 12];
        new FdkBackprojector(g3, new KernelPool(1)).apply(p3, w3, c);
        new FdkBackprojector(g3, new KernelPool(2)).apply(p3, w3, d);
        assertArrayEquals(c, d);
    }

    @Test
    void rejectsWrongWeightCount() {
        ConeBeamGeometry g = TestGeometries.circular(VolumeGrid.cube(4, 1.0), 3, 5, 5, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FdkBackprojector(g).apply(new float[75], new double[2], new float[64]));
        assertTrue(e.getMessage().contains("3 views"), e.getMessage());
    }
}
