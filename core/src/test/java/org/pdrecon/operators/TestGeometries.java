package org.pdrecon.operators;

import java.util.Random;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/** Small geometries covering the cases the operators must handle. */
final class TestGeometries {
    private TestGeometries() {}

    /** Full circular orbit, SOD 100 mm, SDD 150 mm. */
    static ConeBeamGeometry circular(VolumeGrid grid, int views, int rows, int cols, double pixelMm) {
        return ConeBeamGeometry.circular().setVolume(grid).setSodMm(100).setSddMm(150)
                .setDetector(rows, cols, pixelMm, pixelMm)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 7, 360)).build();
    }

    /** Short scan: 180° plus a fan angle, irregular start. */
    static ConeBeamGeometry shortScan(VolumeGrid grid, int views, int rows, int cols, double pixelMm) {
        return ConeBeamGeometry.circular().setVolume(grid).setSodMm(100).setSddMm(150)
                .setDetector(rows, cols, pixelMm, pixelMm)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, -33, 180 + 25)).build();
    }

    /** Detector shifted along u and v (half-fan style). */
    static ConeBeamGeometry offsetDetector(VolumeGrid grid, int views, int rows, int cols, double pixelMm) {
        return ConeBeamGeometry.circular().setVolume(grid).setSodMm(100).setSddMm(150)
                .setDetector(rows, cols, pixelMm, pixelMm).optDetectorOffsetMm(0.3 * cols * pixelMm, rows > 1 ? -2.5 : 0)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, 360)).build();
    }

    /**
     * Random per-view vectors: sources anywhere on a sphere of radius 100 mm around the volume centre
     * (so some views look along z), detectors opposite at 50 mm past the centre, rotated and slightly
     * skewed pixel axes.
     */
    static ConeBeamGeometry randomVectors(VolumeGrid grid, int views, int rows, int cols, double pixelMm, long seed) {
        Random rnd = new Random(seed);
        double[] c = grid.centreMm();
        double[][] s = new double[views][], d = new double[views][], u = new double[views][], v = new double[views][];
        for (int i = 0; i < views; i++) {
            double[] dir = unit(new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()});
            if (i == 0) dir = new double[] {0, 0, 1}; // one view straight along z
            double[] a = unit(cross(dir, Math.abs(dir[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0}));
            double[] b = cross(dir, a);
            double phi = rnd.nextDouble() * 2 * Math.PI;
            double[] uu = new double[3], vv = new double[3];
            for (int k = 0; k < 3; k++) {
                uu[k] = (Math.cos(phi) * a[k] + Math.sin(phi) * b[k]) * pixelMm;
                vv[k] = (-Math.sin(phi) * a[k] + Math.cos(phi) * b[k]) * pixelMm * 1.1 + 0.05 * uu[k];
            }
            s[i] = new double[3];
            d[i] = new double[3];
            for (int k = 0; k < 3; k++) {
                s[i][k] = c[k] - 100 * dir[k] + rnd.nextGaussian();
                d[i][k] = c[k] + 50 * dir[k] + 2 * rnd.nextGaussian();
            }
            u[i] = uu;
            v[i] = vv;
        }
        return ConeBeamGeometry.fromVectors(grid, rows, cols, s, d, u, v);
    }

    static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2 - 1;
        return a;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] unit(double[] a) {
        double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        return new double[] {a[0] / n, a[1] / n, a[2] / n};
    }
}
