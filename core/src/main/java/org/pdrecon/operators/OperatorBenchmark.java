package org.pdrecon.operators;

import java.util.Arrays;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Times the CPU operators on a circular scan: {@code A}, {@code Aᵀ} and the FDK backprojection, each
 * after warm-up runs, reporting the median of the timed repeats. The volume is a centred ball
 * (μ = 0.02/mm, radius 40 % of the cube) and the backprojected data is its projection plus a small
 * constant, so no pixel is zero (zero pixels are skipped by {@code Aᵀ}).
 */
public final class OperatorBenchmark {
    /** Which operators to time. */
    public enum Op { A, AT, FDK }

    /** Median seconds per operator (NaN when not timed) and the sizes for throughput. */
    public record Result(ConeBeamGeometry geometry, int threads, double secondsA, double secondsAT, double secondsFdk,
                         double cpuA, double cpuAT, double cpuFdk) {
        long voxels() { return geometry.volume().voxelCount(); }

        /** Voxel updates per second, in units of 10⁹ (N³·views / s / 1e9). */
        public double gvups(double seconds) {
            return voxels() * (double) geometry.views() / seconds / 1e9;
        }

        /** Nominal ray samples per second, 10⁹: rays × nx (planes along the dominant axis) / s / 1e9. */
        public double gsamples(double seconds) {
            return (double) geometry.views() * geometry.detectorRows() * geometry.detectorCols()
                    * geometry.volume().nx() / seconds / 1e9;
        }
    }

    private OperatorBenchmark() {}

    /**
     * The peer setup scaled to {@code size}: SOD 1000 mm, SDD 1500 mm, a 256 mm cube of size³ voxels,
     * {@code views} over 360°, a rows × cols detector of {@code pixelMm} pixels.
     */
    public static ConeBeamGeometry peerGeometry(int size, int views, int rows, int cols, double pixelMm) {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(size, 256.0 / size))
                .setSodMm(1000).setSddMm(1500).setDetector(rows, cols, pixelMm, pixelMm)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, 360)).build();
    }

    public static Result run(ConeBeamGeometry g, int warmup, int repeats, Op... ops) {
        if (repeats < 1) throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        if (warmup < 0) throw new IllegalArgumentException("warmup must be non-negative, got " + warmup);
        ConeBeamProjector a = new ConeBeamProjector(g);
        FdkBackprojector fdk = new FdkBackprojector(g);
        VolumeGrid grid = g.volume();
        float[] x = ball(grid);
        float[] y = new float[a.rangeSize()];
        if (Arrays.asList(ops).contains(Op.AT) || Arrays.asList(ops).contains(Op.FDK)) a.apply(x, y);
        for (int i = 0; i < y.length; i++) y[i] += 0.01f;
        float[] px = new float[a.rangeSize()], vx = new float[a.domainSize()];
        double[] w = new double[g.views()];
        Arrays.fill(w, Math.PI / g.views());
        double tA = Double.NaN, tAT = Double.NaN, tF = Double.NaN, cA = Double.NaN, cAT = Double.NaN, cF = Double.NaN;
        for (Op op : ops) {
            Runnable job = switch (op) {
                case A -> () -> a.apply(x, px);
                case AT -> () -> a.adjoint().apply(y, vx);
                case FDK -> () -> fdk.apply(y, w, vx);
            };
            double[] t = median(job, warmup, repeats);
            switch (op) {
                case A -> { tA = t[0]; cA = t[1]; }
                case AT -> { tAT = t[0]; cAT = t[1]; }
                case FDK -> { tF = t[0]; cF = t[1]; }
            }
        }
        return new Result(g, KernelPool.shared().threads(), tA, tAT, tF, cA, cAT, cF);
    }

    /** Median wall seconds and median process CPU seconds (all threads, -1 if unavailable). */
    private static double[] median(Runnable job, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) job.run();
        double[] t = new double[repeats], c = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long c0 = processCpuNanos(), t0 = System.nanoTime();
            job.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
            c[i] = c0 < 0 ? -1 : (processCpuNanos() - c0) / 1e9;
        }
        return new double[] {median(t), median(c)};
    }

    private static double median(double[] a) {
        double[] t = a.clone();
        Arrays.sort(t);
        int n = t.length;
        return n % 2 == 1 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }

    private static float[] ball(VolumeGrid grid) {
        float[] v = new float[grid.voxelCount()];
        double r = 0.4 * grid.nx() * grid.dxMm();
        for (int k = 0; k < grid.nz(); k++) {
            for (int j = 0; j < grid.ny(); j++) {
                for (int i = 0; i < grid.nx(); i++) {
                    double x = grid.x(i), y = grid.y(j), z = grid.z(k);
                    if (x * x + y * y + z * z <= r * r) v[grid.index(k, j, i)] = 0.02f;
                }
            }
        }
        return v;
    }
}
