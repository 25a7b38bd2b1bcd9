package org.pdrecon.operators;

import java.util.Random;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/** Small geometries for operator tests: 2D fan, 3D circular, short scan with offsets, random vectors. */
final class SmallGeometries {
    private SmallGeometries() {}

    /** 2D fan beam: an 8×8 slice, 5 views over 360°, one detector row of 12 pixels. */
    static ConeBeamGeometry fan2d() {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(8, 1.0)).setSodMm(30).setSddMm(50)
                .setDetector(1, 12, 1.5, 1.5).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(5, 7, 360)).build();
    }

    /** 3D, odd and anisotropic: 5×6×7 voxels, 4 views, a 6×9 detector. */
    static ConeBeamGeometry cone3d() {
        VolumeGrid grid = new VolumeGrid(5, 6, 7, 1.2, 1.0, 0.9, new double[] {0.3, -0.2, 0.1});
        return ConeBeamGeometry.circular().setVolume(grid).setSodMm(25).setSddMm(45)
                .setDetector(6, 9, 2.0, 1.8).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(4, 10, 360)).build();
    }

    /** Short scan (200°) with a detector offset, even sizes. */
    static ConeBeamGeometry shortScanOffset() {
        VolumeGrid grid = VolumeGrid.cube(6, 1.0);
        return ConeBeamGeometry.circular().setVolume(grid).setSodMm(20).setSddMm(35)
                .setDetector(7, 8, 1.7, 1.6).optDetectorOffsetMm(2.5, -1.0)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(6, -30, 200)).build();
    }

    /** Random per-view vectors: jittered source, tilted and shifted detector. */
    static ConeBeamGeometry randomVectors(long seed) {
        Random rnd = new Random(seed);
        ConeBeamGeometry base = cone3d();
        int n = 5;
        double[][] s = new double[n][], d = new double[n][], u = new double[n][], v = new double[n][];
        for (int i = 0; i < n; i++) {
            double t = rnd.nextDouble() * 2 * Math.PI, c = Math.cos(t), sn = Math.sin(t);
            s[i] = new double[] {25 * sn + rnd.nextGaussian(), -25 * c + rnd.nextGaussian(), 3 * rnd.nextGaussian()};
            d[i] = new double[] {-20 * sn + rnd.nextGaussian(), 20 * c + rnd.nextGaussian(), rnd.nextGaussian()};
            double tilt = 0.2 * rnd.nextGaussian();
            u[i] = new double[] {1.8 * c, 1.8 * sn, 1.8 * tilt};
            v[i] = new double[] {-0.3 * tilt * sn, 0.3 * tilt * c, 2.0};
        }
        return ConeBeamGeometry.fromVectors(base.volume(), 6, 9, s, d, u, v);
    }
}
