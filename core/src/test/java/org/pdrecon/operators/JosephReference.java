package org.pdrecon.operators;

import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * A deliberately plain, single-threaded implementation of the Joseph discretisation written straight
 * from the spec (world coordinates, every plane, every neighbour checked, double precision), used to
 * check the optimised kernels' clipping and fast paths.
 */
final class JosephReference {
    private JosephReference() {}

    static double[] project(ConeBeamGeometry g, float[] x) {
        VolumeGrid grid = g.volume();
        int[] n = {grid.nx(), grid.ny(), grid.nz()};
        double[] sp = {grid.dxMm(), grid.dyMm(), grid.dzMm()};
        double[] lo = grid.minCornerMm();
        double[] out = new double[g.views() * g.detectorRows() * g.detectorCols()];
        int idx = 0;
        for (int v = 0; v < g.views(); v++) {
            double[] s = g.source(v);
            for (int r = 0; r < g.detectorRows(); r++) {
                for (int c = 0; c < g.detectorCols(); c++) {
                    double[] p = g.pixelCentre(v, r, c);
                    double[] d = {p[0] - s[0], p[1] - s[1], p[2] - s[2]};
                    int m = 0;
                    for (int a = 1; a < 3; a++) if (Math.abs(d[a]) / sp[a] > Math.abs(d[m]) / sp[m]) m = a;
                    int pa = m == 0 ? 1 : 0, qa = m == 2 ? 1 : 2;
                    double len = sp[m] * Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) / Math.abs(d[m]);
                    double sum = 0;
                    for (int k = 0; k < n[m]; k++) {
                        double xm = lo[m] + (k + 0.5) * sp[m];
                        double t = (xm - s[m]) / d[m];
                        if (!(t > 0)) continue;
                        double fp = (s[pa] + t * d[pa] - lo[pa]) / sp[pa] - 0.5;
                        double fq = (s[qa] + t * d[qa] - lo[qa]) / sp[qa] - 0.5;
                        int p0 = (int) Math.floor(fp), q0 = (int) Math.floor(fq);
                        double wp = fp - p0, wq = fq - q0;
                        for (int dq = 0; dq < 2; dq++) {
                            for (int dp = 0; dp < 2; dp++) {
                                int ip = p0 + dp, iq = q0 + dq;
                                if (ip < 0 || ip >= n[pa] || iq < 0 || iq >= n[qa]) continue;
                                int[] ijk = new int[3];
                                ijk[m] = k;
                                ijk[pa] = ip;
                                ijk[qa] = iq;
                                double w = (dp == 0 ? 1 - wp : wp) * (dq == 0 ? 1 - wq : wq);
                                sum += w * x[grid.index(ijk[2], ijk[1], ijk[0])];
                            }
                        }
                    }
                    out[idx++] = sum * len;
                }
            }
        }
        return out;
    }
}
