package org.pdrecon.operators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.Rasteriser;
import org.pdrecon.simulation.SheppLogan3D;

/**
 * The discrete projector applied to finely rasterised phantoms against the exact analytic line
 * integrals of the same phantoms (independent code: simulation.AnalyticProjector). Geometry: the peer
 * setup scaled to n³ voxels (256 mm cube, SOD 1000 mm, SDD 1500 mm, views over 360°, a 576 mm
 * detector of 1.5n × 1.5n pixels, so a pixel at the isocentre is one voxel); phantoms fit a ball of
 * radius 120 mm, rasterised with 4³ sub-samples per voxel; analytic rays through pixel centres.
 * Run {@link #main} for the figures in docs/operators.md.
 */
class SheppLoganProjectionTest {

    /** A smooth object (the head's outer ellipsoid, uniform): the projector is within 2 %. */
    @Test
    void uniformEllipsoidWithin2PercentAt64With96Views() {
        Phantom ellipsoid = Phantom.of(new Ellipsoid(new double[3], new double[] {90, 120, 117.4}, 0, 0.02));
        double rel = relativeError(ellipsoid, geometry(64, 96));
        assertTrue(rel < 0.02, "relative L2 error " + rel);
    }

    /**
     * Shepp–Logan's skull is thinner than a 4 mm voxel, so at 64³ the voxel model itself is ~7 % off
     * the analytic projections (exact integration of the rasterised volume is): Joseph's error must be
     * no larger than that of integrating the same voxel volume exactly, and below 8 %.
     */
    @Test
    void sheppLoganErrorAt64IsThatOfTheVoxelModel() {
        Phantom phantom = SheppLogan3D.fittingRadius(120);
        double rel = relativeError(phantom, geometry(64, 96));
        assertTrue(rel < 0.08, "relative L2 error " + rel);
        ConeBeamGeometry few = geometry(64, 4);
        double joseph = relativeError(phantom, few);
        double voxelModel = voxelModelError(phantom, few);
        assertTrue(joseph <= 1.02 * voxelModel, "Joseph " + joseph + " vs exact integration of the voxel volume " + voxelModel);
    }

    static ConeBeamGeometry geometry(int n, int views) {
        int det = n * 3 / 2;
        return OperatorBenchmark.peerGeometry(n, views, det, det, 576.0 / det);
    }

    static double relativeError(Phantom phantom, ConeBeamGeometry g) {
        float[] volume = Rasteriser.rasterise(phantom, g.volume(), 4).data();
        float[] exact = AnalyticProjector.project(phantom, g, 1).data();
        float[] discrete = new ConeBeamProjector(g).apply(volume);
        return relL2(discrete, exact);
    }

    /**
     * The error of the voxel model alone: the rasterised volume, trilinearly interpolated, integrated
     * along each pixel-centre ray with steps of a quarter voxel (midpoint rule), against the analytic
     * projections.
     */
    static double voxelModelError(Phantom phantom, ConeBeamGeometry g) {
        VolumeGrid grid = g.volume();
        float[] vol = Rasteriser.rasterise(phantom, grid, 4).data();
        float[] exact = AnalyticProjector.project(phantom, g, 1).data();
        int n = grid.nx();
        double vx = grid.dxMm(), lo = grid.minCornerMm()[0], half = Math.sqrt(3) * n * vx / 2, step = vx / 4;
        float[] marched = new float[exact.length];
        int idx = 0;
        for (int v = 0; v < g.views(); v++) {
            double[] s = g.source(v);
            double dist = Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
            for (int r = 0; r < g.detectorRows(); r++) {
                for (int c = 0; c < g.detectorCols(); c++) {
                    double[] p = g.pixelCentre(v, r, c);
                    double[] d = {p[0] - s[0], p[1] - s[1], p[2] - s[2]};
                    double len = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                    double sum = 0;
                    for (double t = dist - half + step / 2; t < dist + half; t += step) {
                        double fx = (s[0] + d[0] / len * t - lo) / vx - 0.5;
                        double fy = (s[1] + d[1] / len * t - lo) / vx - 0.5;
                        double fz = (s[2] + d[2] / len * t - lo) / vx - 0.5;
                        sum += trilinear(vol, n, fx, fy, fz) * step;
                    }
                    marched[idx++] = (float) sum;
                }
            }
        }
        return relL2(marched, exact);
    }

    private static double trilinear(float[] vol, int n, double fx, double fy, double fz) {
        int ix = (int) Math.floor(fx), iy = (int) Math.floor(fy), iz = (int) Math.floor(fz);
        double wx = fx - ix, wy = fy - iy, wz = fz - iz, val = 0;
        for (int dz = 0; dz < 2; dz++) {
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    int x = ix + dx, y = iy + dy, z = iz + dz;
                    if (x < 0 || y < 0 || z < 0 || x >= n || y >= n || z >= n) continue;
                    val += (dx == 0 ? 1 - wx : wx) * (dy == 0 ? 1 - wy : wy) * (dz == 0 ? 1 - wz : wz) * vol[(z * n + y) * n + x];
                }
            }
        }
        return val;
    }

    private static double relL2(float[] a, float[] ref) {
        double err = 0, norm = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = a[i] - ref[i];
            err += d * d;
            norm += (double) ref[i] * ref[i];
        }
        return Math.sqrt(err / norm);
    }

    /** Prints the relative L2 errors for each size given (default 64 and 128), 96 views. */
    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {64, 128} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Phantom sl = SheppLogan3D.fittingRadius(120);
        Phantom ellipsoid = Phantom.of(new Ellipsoid(new double[3], new double[] {90, 120, 117.4}, 0, 0.02));
        for (int n : sizes) {
            ConeBeamGeometry g = geometry(n, 96);
            System.out.printf("n=%d views=96: Shepp-Logan %.2f %%, uniform ellipsoid %.2f %%; 4 views: voxel model (exact integration of the raster) %.2f %%, Joseph %.2f %%%n",
                    n, 100 * relativeError(sl, g), 100 * relativeError(ellipsoid, g),
                    100 * voxelModelError(sl, geometry(n, 4)), 100 * relativeError(sl, geometry(n, 4)));
        }
    }
}
