package org.pdrecon.operators;

import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * A deliberately plain, slow reference of the Joseph spec (docs/operators.md) for tests: world coordinates, double precision,
 * one ray at a time. {@link #forward} and {@link #adjoint} share {@link #visit} so they are exact
 * transposes of each other.
 */
final class BruteForceJoseph {
    private BruteForceJoseph() {}

    interface Visitor { void sample(int ray, int voxel, double weight); }

    static double[] forward(ConeBeamGeometry g, double[] x) {
        double[] y = new double[g.views() * g.detectorRows() * g.detectorCols()];
        visit(g, (ray, voxel, w) -> y[ray] += w * x[voxel]);
        return y;
    }

    static double[] adjoint(ConeBeamGeometry g, double[] y) {
        double[] x = new double[g.volume().voxelCount()];
        visit(g, (ray, voxel, w) -> x[voxel] += w * y[ray]);
        return x;
    }

    static void visit(ConeBeamGeometry g, Visitor visitor) {
        VolumeGrid grid = g.volume();
        double[] lo = grid.minCornerMm();
        double[] sp = {grid.dxMm(), grid.dyMm(), grid.dzMm()};
        int[] n = {grid.nx(), grid.ny(), grid.nz()};
        int ray = 0;
        for (int view = 0; view < g.views(); view++) {
            double[] s = g.source(view);
            for (int r = 0; r < g.detectorRows(); r++) {
                for (int c = 0; c < g.detectorCols(); c++, ray++) {
                    double[] p = g.pixelCentre(view, r, c);
                    double[] d = {p[0] - s[0], p[1] - s[1], p[2] - s[2]};
                    int m = 0;
                    for (int a = 1; a < 3; a++) if (Math.abs(d[a]) / sp[a] > Math.abs(d[m]) / sp[m]) m = a;
                    int a1 = m == 0 ? 1 : 0, a2 = m == 2 ? 1 : 2;
                    double len = sp[m] * Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) / Math.abs(d[m]);
                    for (int k = 0; k < n[m]; k++) {
                        double plane = lo[m] + (k + 0.5) * sp[m];
                        double t = (plane - s[m]) / d[m];
                        if (t <= 0) continue;
                        double ip = (s[a1] + t * d[a1] - lo[a1]) / sp[a1] - 0.5;
                        double iq = (s[a2] + t * d[a2] - lo[a2]) / sp[a2] - 0.5;
                        int p0 = (int) Math.floor(ip), q0 = (int) Math.floor(iq);
                        double fp = ip - p0, fq = iq - q0;
                        for (int dq = 0; dq <= 1; dq++) {
                            for (int dp = 0; dp <= 1; dp++) {
                                int pi = p0 + dp, qi = q0 + dq;
                                if (pi < 0 || pi >= n[a1] || qi < 0 || qi >= n[a2]) continue;
                                double w = (dp == 0 ? 1 - fp : fp) * (dq == 0 ? 1 - fq : fq) * len;
                                int[] idx = new int[3];
                                idx[m] = k;
                                idx[a1] = pi;
                                idx[a2] = qi;
                                visitor.sample(ray, grid.index(idx[2], idx[1], idx[0]), w);
                            }
                        }
                    }
                }
            }
        }
    }
}
