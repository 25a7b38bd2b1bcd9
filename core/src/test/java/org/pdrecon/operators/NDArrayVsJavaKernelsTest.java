package org.pdrecon.operators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * The two backends of the projector pair implement the same map: the NDArray path (GPU path, run on
 * CPU here) against the Java kernels ({@link ConeBeamProjector}, {@link ConeBeamBackprojector}), in
 * float32, relative L2 < 1e-5, on the geometries of the kernels' own tests.
 */
class NDArrayVsJavaKernelsTest {
    private static NDManager manager;

    @BeforeAll
    static void open() { manager = NDManager.newBaseManager(); }

    @AfterAll
    static void close() { manager.close(); }

    static Stream<Arguments> geometries() {
        VolumeGrid even = VolumeGrid.cube(10, 1.0);
        VolumeGrid odd = new VolumeGrid(7, 9, 11, 1.1, 0.9, 1.0, new double[] {1.5, -2.0, 0.7});
        VolumeGrid slice = VolumeGrid.slice(16, 0.8);
        return Stream.of(
                Arguments.of("circular even 3D", TestGeometries.circular(even, 6, 12, 14, 1.1)),
                Arguments.of("short scan odd 3D", TestGeometries.shortScan(odd, 5, 11, 13, 1.3)),
                Arguments.of("offset detector even 3D", TestGeometries.offsetDetector(even, 5, 10, 10, 1.2)),
                Arguments.of("random vectors odd 3D (one view along z)", TestGeometries.randomVectors(odd, 5, 13, 15, 1.3, 6)),
                Arguments.of("circular 2D", TestGeometries.circular(slice, 8, 1, 24, 0.9)),
                Arguments.of("offset detector 2D", TestGeometries.offsetDetector(slice, 7, 1, 20, 0.9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void bothBackendsComputeTheSamePair(String name, ConeBeamGeometry g) {
        for (NDArrayConeBeamProjector.SampleSource source : new NDArrayConeBeamProjector.SampleSource[] {
                NDArrayConeBeamProjector.SampleSource.HOST, NDArrayConeBeamProjector.SampleSource.DEVICE}) {
            NDArrayConeBeamProjector nd = NDArrayConeBeamProjector.builder(g)
                    .optMaxChunkEntries(2000).optSampleSource(source).build(); // several chunks
            compare(name + ", samples " + source, g, nd);
        }
    }

    private static void compare(String name, ConeBeamGeometry g, NDArrayConeBeamProjector nd) {
        ConeBeamProjector java = new ConeBeamProjector(g);
        float[] x = TestGeometries.random(java.domainSize(), 11);
        float[] y = TestGeometries.random(java.rangeSize(), 12);
        NDArray xa = manager.create(x, shape(java.domainShape()));
        NDArray ya = manager.create(y, shape(java.rangeShape()));
        float[] axNd = nd.apply(xa).toFloatArray();
        float[] atyNd = nd.adjoint().apply(ya).toFloatArray();
        float[] axJava = java.apply(x);
        float[] atyJava = java.adjoint().apply(y);
        double errA = relativeL2(axNd, axJava), errAt = relativeL2(atyNd, atyJava);
        System.err.printf("backend agreement %s: A %.2e, Aᵀ %.2e (relative L2)%n", name, errA, errAt);
        assertTrue(errA < 1e-5, name + ": A differs between backends, relative L2 " + errA);
        assertTrue(errAt < 1e-5, name + ": Aᵀ differs between backends, relative L2 " + errAt);
        double lhs = TestGeometries.dot(axNd, y), rhs = TestGeometries.dot(x, atyNd);
        assertTrue(Math.abs(lhs - rhs) < 1e-5 * Math.abs(lhs), name + ": NDArray dot test " + lhs + " vs " + rhs);
        assertTrue(Math.abs(lhs) > 1e-3, name + ": the test data must produce a nonzero projection");
    }

    private static Shape shape(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) l[i] = s[i];
        return new Shape(l);
    }

    private static double relativeL2(float[] a, float[] ref) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - ref[i];
            num += d * d;
            den += (double) ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }
}
