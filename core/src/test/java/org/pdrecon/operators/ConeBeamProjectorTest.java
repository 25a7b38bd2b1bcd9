package org.pdrecon.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

class ConeBeamProjectorTest {

    static Stream<Arguments> geometries() {
        VolumeGrid even = VolumeGrid.cube(16, 1.0);
        VolumeGrid odd = new VolumeGrid(13, 15, 17, 1.1, 0.9, 1.0, new double[] {1.5, -2.0, 0.7});
        VolumeGrid slice = VolumeGrid.slice(32, 0.8);
        VolumeGrid oddSlice = new VolumeGrid(1, 31, 29, 1.0, 0.9, 1.0, new double[] {0.3, -0.4, 0});
        return Stream.of(
                Arguments.of("circular even 3D", TestGeometries.circular(even, 12, 22, 26, 1.1)),
                Arguments.of("circular odd 3D", TestGeometries.circular(odd, 11, 21, 27, 1.2)),
                Arguments.of("short scan odd 3D", TestGeometries.shortScan(odd, 10, 19, 25, 1.3)),
                Arguments.of("offset detector even 3D", TestGeometries.offsetDetector(even, 9, 20, 20, 1.2)),
                Arguments.of("random vectors even 3D", TestGeometries.randomVectors(even, 9, 24, 24, 1.2, 5)),
                Arguments.of("random vectors odd 3D", TestGeometries.randomVectors(odd, 9, 23, 25, 1.3, 6)),
                Arguments.of("circular 2D", TestGeometries.circular(slice, 16, 1, 48, 0.9)),
                Arguments.of("short scan odd 2D", TestGeometries.shortScan(oddSlice, 15, 1, 45, 1.0)),
                Arguments.of("offset detector 2D", TestGeometries.offsetDetector(slice, 13, 1, 40, 0.9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void adjointMatchesForwardInDotProducts(String name, ConeBeamGeometry g) {
        ConeBeamProjector a = new ConeBeamProjector(g);
        float[] x = TestGeometries.random(a.domainSize(), 1);
        float[] y = TestGeometries.random(a.rangeSize(), 2);
        double lhs = TestGeometries.dot(a.apply(x), y);
        double rhs = TestGeometries.dot(x, a.adjoint().apply(y));
        double rel = Math.abs(lhs - rhs) / Math.abs(lhs);
        assertTrue(rel < 1e-5, name + ": <Ax,y> = " + lhs + ", <x,ATy> = " + rhs + ", relative error " + rel);
        assertTrue(Math.abs(lhs) > 1e-3, name + ": the test data must produce a nonzero projection");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void forwardMatchesPlainReferenceImplementation(String name, ConeBeamGeometry g) {
        ConeBeamProjector a = new ConeBeamProjector(g);
        float[] x = TestGeometries.random(a.domainSize(), 3);
        float[] got = a.apply(x);
        double[] ref = JosephReference.project(g, x);
        double err = 0, norm = 0;
        for (int i = 0; i < ref.length; i++) {
            err += (got[i] - ref[i]) * (got[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        assertTrue(norm > 0, name + ": reference projection is zero");
        assertTrue(Math.sqrt(err / norm) < 1e-6, name + ": relative L2 difference " + Math.sqrt(err / norm));
    }

    @Test
    void shapesAndAdjointPairing() {
        ConeBeamGeometry g = TestGeometries.circular(new VolumeGrid(5, 6, 7, 1, 1, 1, new double[3]), 3, 4, 9, 1.5);
        ConeBeamProjector a = new ConeBeamProjector(g);
        assertArrayEquals(new int[] {5, 6, 7}, a.domainShape());
        assertArrayEquals(new int[] {3, 4, 9}, a.rangeShape());
        assertArrayEquals(a.rangeShape(), a.adjoint().domainShape());
        assertArrayEquals(a.domainShape(), a.adjoint().rangeShape());
        assertSame(a, a.adjoint().adjoint());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.apply(new float[5], new float[108]));
        assertTrue(e.getMessage().contains("volume has 5 values"), e.getMessage());
    }

    /** A ball of radius r and attenuation μ: the ray through its centre integrates to 2rμ. */
    @Test
    void centralRayThroughUniformBallIsTwoRMu() {
        int n = 64;
        double voxel = 2.0, radius = 40.0;
        float mu = 0.02f;
        VolumeGrid grid = VolumeGrid.cube(n, voxel);
        float[] ball = rasteriseBall(grid, radius, mu, 4);
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(grid).setSodMm(400).setSddMm(600)
                .setDetector(33, 33, 4, 4).setAnglesDeg(0, 37, 90, 151.5).build();
        ConeBeamProjector a = new ConeBeamProjector(g);
        float[] p = a.apply(ball);
        for (int v = 0; v < 4; v++) {
            double got = p[(v * 33 + 16) * 33 + 16];
            double want = 2 * radius * mu;
            assertEquals(want, got, 0.01 * want, "view " + v);
        }
    }

    @Test
    void resultsAreBitwiseReproducibleForAnyThreadCount() {
        ConeBeamGeometry g = TestGeometries.circular(VolumeGrid.cube(20, 1.0), 10, 24, 30, 1.1);
        float[] x = TestGeometries.random(20 * 20 * 20, 7);
        float[] y = TestGeometries.random(10 * 24 * 30, 8);
        ConeBeamProjector one = new ConeBeamProjector(g, new KernelPool(1));
        ConeBeamProjector three = new ConeBeamProjector(g, new KernelPool(3));
        float[] ax = one.apply(x), aty = one.adjoint().apply(y);
        assertArrayEquals(ax, one.apply(x));
        assertArrayEquals(aty, one.adjoint().apply(y));
        assertArrayEquals(ax, three.apply(x));
        assertArrayEquals(aty, three.adjoint().apply(y));
        ConeBeamProjector shared = new ConeBeamProjector(g);
        assertArrayEquals(aty, shared.adjoint().apply(y));
        assertArrayEquals(aty, shared.adjoint().apply(y));
        // Odd sizes: the source's z index and the central row's rays (zero z slope) fall on exact integers,
        // the edge of a sample's support; the adjoint's slabs must keep such samples alike for any split.
        ConeBeamGeometry odd = TestGeometries.circular(VolumeGrid.cube(5, 1.0), 6, 7, 9, 1.0);
        float[] yOdd = TestGeometries.random(6 * 7 * 9, 9);
        float[] oneSlab = new ConeBeamProjector(odd, new KernelPool(1)).adjoint().apply(yOdd);
        for (int threads = 2; threads <= 3; threads++) {
            assertArrayEquals(oneSlab, new ConeBeamProjector(odd, new KernelPool(threads)).adjoint().apply(yOdd), threads + " threads");
        }
    }

    @Test
    void bufferOverloadsMatchArrays() {
        ConeBeamGeometry g = TestGeometries.randomVectors(VolumeGrid.cube(10, 1.0), 5, 12, 14, 1.2, 9);
        ConeBeamProjector a = new ConeBeamProjector(g);
        float[] x = TestGeometries.random(a.domainSize(), 10);
        float[] y = TestGeometries.random(a.rangeSize(), 11);
        FloatBuffer xd = direct(x), yd = direct(y);
        FloatBuffer outP = direct(new float[a.rangeSize()]), outV = direct(new float[a.domainSize()]);
        a.apply(xd, outP);
        a.adjoint().apply(yd, outV);
        float[] p = new float[a.rangeSize()], v = new float[a.domainSize()];
        outP.get(0, p);
        outV.get(0, v);
        assertArrayEquals(a.apply(x), p);
        assertArrayEquals(a.adjoint().apply(y), v);
        FloatBuffer heapOut = FloatBuffer.allocate(a.rangeSize());
        a.apply(FloatBuffer.wrap(x), heapOut);
        assertArrayEquals(a.apply(x), heapOut.array());
    }

    @Test
    void normIsLargestSingularValueAndCached() {
        ConeBeamGeometry g = TestGeometries.circular(VolumeGrid.cube(12, 1.0), 8, 16, 18, 1.2);
        ConeBeamProjector a = new ConeBeamProjector(g);
        double norm = a.norm();
        assertTrue(norm > 0);
        // No vector may be stretched more than ‖A‖ (up to the power method's tolerance).
        for (int s = 0; s < 3; s++) {
            float[] x = TestGeometries.random(a.domainSize(), 100 + s);
            double ratio = Math.sqrt(TestGeometries.dot(a.apply(x), a.apply(x)) / TestGeometries.dot(x, x));
            assertTrue(ratio <= norm * (1 + 1e-3), "‖Ax‖/‖x‖ = " + ratio + " > ‖A‖ = " + norm);
        }
        // A long run of the power method agrees with the cached estimate.
        double tight = OperatorNorm.estimate(a, 400, 1e-9, 1);
        assertEquals(tight, norm, 2e-3 * tight);
        assertEquals(norm, new ConeBeamProjector(g).norm(), 0.0, "cached per geometry");
    }

    static float[] rasteriseBall(VolumeGrid grid, double radius, float mu, int sub) {
        float[] v = new float[grid.voxelCount()];
        double[] c = grid.centreMm();
        for (int k = 0; k < grid.nz(); k++) {
            for (int j = 0; j < grid.ny(); j++) {
                for (int i = 0; i < grid.nx(); i++) {
                    int inside = 0;
                    for (int a = 0; a < sub; a++) {
                        double z = grid.z(k) + ((a + 0.5) / sub - 0.5) * grid.dzMm() - c[2];
                        for (int b = 0; b < sub; b++) {
                            double y = grid.y(j) + ((b + 0.5) / sub - 0.5) * grid.dyMm() - c[1];
                            for (int e = 0; e < sub; e++) {
                                double x = grid.x(i) + ((e + 0.5) / sub - 0.5) * grid.dxMm() - c[0];
                                if (x * x + y * y + z * z <= radius * radius) inside++;
                            }
                        }
                    }
                    v[grid.index(k, j, i)] = mu * inside / (sub * sub * sub);
                }
            }
        }
        return v;
    }

    private static FloatBuffer direct(float[] a) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * a.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(a).flip();
        return b;
    }
}
