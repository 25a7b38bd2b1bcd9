package org.pdrecon.operators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Side-by-side CPU timing of the projector pair's two backends (not a test; run by hand, see
 * docs/autodiff.md): {@code java -cp ... org.pdrecon.operators.NDArrayPathTiming [n] [views] [det] [repeats] [no-device]}.
 * Prints the median wall time of A and Aᵀ for the Java kernels and the NDArray path (samples
 * computed per call on the device or in Java, and cached) after one warm-up.
 */
public final class NDArrayPathTiming {
    private NDArrayPathTiming() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int views = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int det = args.length > 2 ? Integer.parseInt(args[2]) : 96;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        double voxel = 256.0 / n;
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(n, voxel)).setSodMm(1000).setSddMm(1500)
                .setDetector(det, det, 576.0 / det, 576.0 / det).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, 360)).build();
        ConeBeamProjector java = new ConeBeamProjector(g);
        NDArrayConeBeamProjector nd = NDArrayConeBeamProjector.builder(g).optSampleSource(NDArrayConeBeamProjector.SampleSource.DEVICE).build();
        NDArrayConeBeamProjector host = NDArrayConeBeamProjector.builder(g).optSampleSource(NDArrayConeBeamProjector.SampleSource.HOST).build();
        NDArrayConeBeamProjector cached = NDArrayConeBeamProjector.builder(g).optCacheBytes(4L << 30).build();
        float[] x = TestGeometries.random(java.domainSize(), 1), y = TestGeometries.random(java.rangeSize(), 2);
        float[] ax = new float[java.rangeSize()], aty = new float[java.domainSize()];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xa = m.create(x, new Shape(n, n, n)), ya = m.create(y, new Shape(views, det, det));
            double[] tJavaA = time(repeats, () -> java.apply(x, ax));
            double[] tJavaAt = time(repeats, () -> java.adjoint().apply(y, aty));
            boolean device = args.length <= 4 || !args[4].equals("no-device"); // the slow variant on CPU
            double[] tNdA = device ? time(repeats, () -> nd.apply(xa).close()) : new double[] {Double.NaN};
            double[] tNdAt = device ? time(repeats, () -> nd.adjoint().apply(ya).close()) : new double[] {Double.NaN};
            double[] tHA = time(repeats, () -> host.apply(xa).close());
            double[] tHAt = time(repeats, () -> host.adjoint().apply(ya).close());
            NDArrayKernelOperator wrapped = new NDArrayKernelOperator(java);
            double[] tWA = time(repeats, () -> wrapped.apply(xa).close());
            double[] tWAt = time(repeats, () -> wrapped.adjoint().apply(ya).close());
            double[] tCA = time(repeats, () -> cached.apply(xa).close()); // the warm-up fills the cache
            double[] tCAt = time(repeats, () -> cached.adjoint().apply(ya).close());
            cached.close();
            System.out.printf("size %d^3, %d views, %dx%d detector, %d repeats after 1 warm-up, %d CPU threads%n",
                    n, views, det, det, repeats, Runtime.getRuntime().availableProcessors());
            System.out.printf("A : Java kernels %.3f s, NDArray path, samples on device %.3f s, ratio %.1fx%n", median(tJavaA), median(tNdA), median(tNdA) / median(tJavaA));
            System.out.printf("At: Java kernels %.3f s, NDArray path, samples on device %.3f s, ratio %.1fx%n", median(tJavaAt), median(tNdAt), median(tNdAt) / median(tJavaAt));
            System.out.printf("A : NDArray path, samples from Java %.3f s, ratio %.1fx%n", median(tHA), median(tHA) / median(tJavaA));
            System.out.printf("At: NDArray path, samples from Java %.3f s, ratio %.1fx%n", median(tHAt), median(tHAt) / median(tJavaAt));
            System.out.printf("A : Java kernels on NDArrays (NDArrayKernelOperator) %.3f s, ratio %.1fx%n", median(tWA), median(tWA) / median(tJavaA));
            System.out.printf("At: Java kernels on NDArrays (NDArrayKernelOperator) %.3f s, ratio %.1fx%n", median(tWAt), median(tWAt) / median(tJavaAt));
            System.out.printf("A : NDArray path with cached samples %.3f s, ratio to Java kernels %.1fx%n", median(tCA), median(tCA) / median(tJavaA));
            System.out.printf("At: NDArray path with cached samples %.3f s, ratio to Java kernels %.1fx%n", median(tCAt), median(tCAt) / median(tJavaAt));
        }
    }

    private static double[] time(int repeats, Runnable r) {
        r.run();
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return t;
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
