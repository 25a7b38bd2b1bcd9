package org.pdrecon.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.operators.NDArrayConeBeamProjector.SampleSource;

/** The NDArray projector pair against a plain Java reference of the Joseph spec, and its adjointness. */
class NDArrayConeBeamProjectorTest {
    private static NDManager manager;

    @BeforeAll
    static void open() { manager = NDManager.newBaseManager(); }

    @AfterAll
    static void close() { manager.close(); }

    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("fan2d", SmallGeometries.fan2d()),
                Arguments.of("cone3d", SmallGeometries.cone3d()),
                Arguments.of("shortScanOffset", SmallGeometries.shortScanOffset()),
                Arguments.of("randomVectors", SmallGeometries.randomVectors(7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void matchesReferenceAndIsAdjoint(String name, ConeBeamGeometry g) {
        Random rnd = new Random(name.hashCode());
        int n = g.volume().voxelCount(), m = g.views() * g.detectorRows() * g.detectorCols();
        double[] x = gaussian(rnd, n), y = gaussian(rnd, m);
        // Small chunks (a few rays each) exercise the chunk boundaries inside views.
        for (NDArrayConeBeamProjector a : new NDArrayConeBeamProjector[] {
                new NDArrayConeBeamProjector(g),
                NDArrayConeBeamProjector.builder(g).optMaxChunkEntries(400).optSampleSource(SampleSource.HOST).build(),
                NDArrayConeBeamProjector.builder(g).optMaxChunkEntries(400).optSampleSource(SampleSource.DEVICE).build()}) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                NDArray xa = manager.create(x, new Shape(toLong(g.volume().shape()))).toType(type, false);
                NDArray ya = manager.create(y, new Shape(toLong(a.rangeShape()))).toType(type, false);
                double[] ax = a.apply(xa).toType(DataType.FLOAT64, false).toDoubleArray();
                double[] aty = a.adjoint().apply(ya).toType(DataType.FLOAT64, false).toDoubleArray();
                double tol = type == DataType.FLOAT64 ? 1e-12 : 1e-5;
                assertTrue(relativeL2(ax, BruteForceJoseph.forward(g, x)) < tol, name + " A vs reference " + type);
                assertTrue(relativeL2(aty, BruteForceJoseph.adjoint(g, y)) < tol, name + " Aᵀ vs reference " + type);
                double lhs = dot(ax, y), rhs = dot(x, aty);
                assertTrue(Math.abs(lhs - rhs) / Math.abs(lhs) < tol, name + " dot test " + lhs + " vs " + rhs + " " + type);
            }
        }
    }

    @Test
    void raysCrossTheVolume() {
        // Guard against a vacuous pass: the geometries must actually produce non-zero projections.
        ConeBeamGeometry g = SmallGeometries.cone3d();
        double[] ones = new double[g.volume().voxelCount()];
        java.util.Arrays.fill(ones, 1);
        double[] y = BruteForceJoseph.forward(g, ones);
        long hit = java.util.Arrays.stream(y).filter(v -> v > 0).count();
        assertTrue(hit > y.length / 3, "only " + hit + " of " + y.length + " rays hit the volume");
    }

    @Test
    void centralRayThroughUniformSliceHasItsChordLength() {
        // A uniform 8×8 slice of 1 mm pixels, μ = 1: the central ray of view 0 runs along y through
        // 8 mm of material; Joseph's samples at plane centres sum to exactly 8.
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(org.pdrecon.geometry.VolumeGrid.slice(8, 1.0))
                .setSodMm(30).setSddMm(50).setDetector(1, 11, 1.0, 1.0).setAnglesDeg(0).build();
        NDArray ones = manager.ones(new Shape(1, 8, 8), DataType.FLOAT64);
        double[] y = new NDArrayConeBeamProjector(g).apply(ones).toDoubleArray();
        assertEquals(8.0, y[5], 1e-12);
    }

    @Test
    void batchesAreProjectedSliceBySlice() {
        ConeBeamGeometry g = SmallGeometries.fan2d();
        NDArrayConeBeamProjector a = new NDArrayConeBeamProjector(g);
        NDArray x = manager.randomNormal(new Shape(2, 3, 1, 8, 8));
        NDArray ax = a.apply(x);
        assertEquals(new Shape(2, 3, 5, 1, 12), ax.getShape());
        assertArrayEquals(a.apply(x.get(1, 2)).toFloatArray(), ax.get(1, 2).toFloatArray(), 0f);
        NDArray back = a.adjoint().apply(ax);
        assertEquals(x.getShape(), back.getShape());
        assertArrayEquals(a.adjoint().apply(ax.get(0, 1)).toFloatArray(), back.get(0, 1).toFloatArray(), 0f);
    }

    @Test
    void cachedSamplesGiveIdenticalResults() {
        ConeBeamGeometry g = SmallGeometries.cone3d();
        NDArrayConeBeamProjector plain = new NDArrayConeBeamProjector(g, 300);
        try (NDArrayConeBeamProjector cached = NDArrayConeBeamProjector.builder(g).optMaxChunkEntries(300).optCacheBytes(1L << 30).build()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray x = manager.randomNormal(new Shape(5, 6, 7)).toType(type, false);
                NDArray y = manager.randomNormal(new Shape(4, 6, 9)).toType(type, false);
                for (int pass = 0; pass < 2; pass++) { // the first pass fills the cache, the second reads it
                    assertArrayEquals(plain.apply(x).toType(DataType.FLOAT64, false).toDoubleArray(),
                            cached.apply(x).toType(DataType.FLOAT64, false).toDoubleArray(), 0);
                    assertArrayEquals(plain.adjoint().apply(y).toType(DataType.FLOAT64, false).toDoubleArray(),
                            cached.adjoint().apply(y).toType(DataType.FLOAT64, false).toDoubleArray(), 0);
                }
            }
            cached.close(); // frees the cache; the projector refills it on demand
            NDArray x = manager.randomNormal(new Shape(5, 6, 7));
            assertArrayEquals(plain.apply(x).toFloatArray(), cached.apply(x).toFloatArray(), 0f);
        }
    }

    @Test
    void deterministicOnCpu() {
        ConeBeamGeometry g = SmallGeometries.cone3d();
        NDArrayConeBeamProjector a = new NDArrayConeBeamProjector(g, 600);
        NDArray y = manager.randomNormal(new Shape(4, 6, 9));
        float[] first = a.adjoint().apply(y).toFloatArray();
        for (int i = 0; i < 3; i++) assertArrayEquals(first, a.adjoint().apply(y).toFloatArray(), 0f);
    }

    @Test
    void neverRecordedByAutograd() {
        ConeBeamGeometry g = SmallGeometries.fan2d();
        NDArrayConeBeamProjector a = new NDArrayConeBeamProjector(g);
        NDArray x = manager.randomNormal(new Shape(1, 8, 8));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray ax = a.apply(x);
            assertFalse(JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) ax), "A's output must not join the graph");
            assertTrue(JniUtils.isGradMode(), "grad mode restored after the operator");
        }
    }

    @Test
    void rejectsWrongShapesAndTypes() {
        NDArrayConeBeamProjector a = new NDArrayConeBeamProjector(SmallGeometries.fan2d());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.apply(manager.zeros(new Shape(1, 8, 7))));
        assertTrue(e.getMessage().contains("(..., 1, 8, 8)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.apply(manager.zeros(new Shape(1, 8, 8), DataType.INT32)));
        assertThrows(IllegalArgumentException.class, () -> a.adjoint().apply(manager.zeros(new Shape(8, 8))));
    }

    static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
        return v;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double relativeL2(double[] a, double[] ref) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - ref[i]) * (a[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    static long[] toLong(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) l[i] = s[i];
        return l;
    }
}
