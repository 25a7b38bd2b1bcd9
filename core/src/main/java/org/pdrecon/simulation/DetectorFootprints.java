package org.pdrecon.simulation;

import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Which solids a view's detector pixels can see: each solid's box is projected from the source onto the detector,
 * and a pixel is handed only the solids whose footprint (widened by a pixel) covers it. Rays of other pixels miss the
 * box, so their chords are zero; skipping them changes no sum, only the time: a phantom of many small solids (the
 * FORBILD head's 317 air cells) no longer costs every ray a test of every solid.
 *
 * <p>Solids are listed per detector row in their phantom order, so sums run in the same order as without culling.
 */
final class DetectorFootprints {
    private final int[] c0, c1;     // per solid: first and last pixel column that may see it
    private final int[] rowStart;   // CSR: the solids of row r are solids[rowStart[r] .. rowStart[r + 1])
    private final int[] solids;

    DetectorFootprints(Solid[] es, ConeBeamGeometry g, int view) {
        int rows = g.detectorRows(), cols = g.detectorCols(), n = es.length;
        double[] s = g.source(view), d = g.detectorCentre(view), u = g.u(view), v = g.v(view);
        double[] normal = cross(u, v);
        // Dual basis of (u, v) in the detector plane: a = (X' − D)·uDual, b = (X' − D)·vDual for X' = D + a·u + b·v.
        double uu = dot(u, u), vv = dot(v, v), uv = dot(u, v), det = uu * vv - uv * uv;
        double[] uD = new double[3], vD = new double[3];
        for (int k = 0; k < 3; k++) {
            uD[k] = (u[k] * vv - v[k] * uv) / det;
            vD[k] = (v[k] * uu - u[k] * uv) / det;
        }
        double planeDepth = dot(normal, d) - dot(normal, s);
        c0 = new int[n];
        c1 = new int[n];
        int[] r0 = new int[n], r1 = new int[n];
        int[] perRow = new int[rows + 1];
        for (int e = 0; e < n; e++) {
            double aMin = Double.POSITIVE_INFINITY, aMax = Double.NEGATIVE_INFINITY, bMin = aMin, bMax = aMax;
            double[] c = es[e].centreMm(), h = es[e].halfExtentMm();
            boolean behind = false;
            for (int corner = 0; corner < 8; corner++) {
                double[] x = {c[0] + ((corner & 1) == 0 ? -h[0] : h[0]), c[1] + ((corner & 2) == 0 ? -h[1] : h[1]),
                        c[2] + ((corner & 4) == 0 ? -h[2] : h[2])};
                double depth = dot(normal, x) - dot(normal, s);
                if (!(depth * Math.signum(planeDepth) > 1e-9)) { // at or behind the source: no finite footprint
                    behind = true;
                    break;
                }
                double t = planeDepth / depth;
                double[] hit = {s[0] + t * (x[0] - s[0]) - d[0], s[1] + t * (x[1] - s[1]) - d[1], s[2] + t * (x[2] - s[2]) - d[2]};
                double a = dot(hit, uD), b = dot(hit, vD);
                aMin = Math.min(aMin, a);
                aMax = Math.max(aMax, a);
                bMin = Math.min(bMin, b);
                bMax = Math.max(bMax, b);
            }
            // Pixel (r, c) spans a ∈ [c − cols/2, c + 1 − cols/2] and b ∈ [r − rows/2, r + 1 − rows/2]; one pixel of margin.
            if (behind) {
                c0[e] = 0;
                c1[e] = cols - 1;
                r0[e] = 0;
                r1[e] = rows - 1;
            } else {
                c0[e] = clamp(Math.floor(aMin + cols / 2.0) - 1, cols);
                c1[e] = clamp(Math.floor(aMax + cols / 2.0) + 1, cols);
                r0[e] = clamp(Math.floor(bMin + rows / 2.0) - 1, rows);
                r1[e] = clamp(Math.floor(bMax + rows / 2.0) + 1, rows);
                if (aMax + cols / 2.0 < -1 || aMin + cols / 2.0 > cols + 1 || bMax + rows / 2.0 < -1 || bMin + rows / 2.0 > rows + 1) {
                    r0[e] = 1; // off the detector: in no row
                    r1[e] = 0;
                }
            }
            for (int r = r0[e]; r <= r1[e]; r++) perRow[r + 1]++;
        }
        rowStart = new int[rows + 1];
        for (int r = 0; r < rows; r++) rowStart[r + 1] = rowStart[r] + perRow[r + 1];
        solids = new int[rowStart[rows]];
        int[] fill = rowStart.clone();
        for (int e = 0; e < n; e++) for (int r = r0[e]; r <= r1[e]; r++) solids[fill[r]++] = e;
    }

    /** First index into {@link #solid} of row {@code r}'s solids. */
    int rowStart(int r) {
        return rowStart[r];
    }

    /** One past the last index of row {@code r}'s solids. */
    int rowEnd(int r) {
        return rowStart[r + 1];
    }

    /** The solid at list position {@code i}. */
    int solid(int i) {
        return solids[i];
    }

    /** Whether pixel column {@code c} may see solid {@code e}. */
    boolean columnSees(int e, int c) {
        return c >= c0[e] && c <= c1[e];
    }

    private static int clamp(double index, int size) {
        return (int) Math.max(0, Math.min(size - 1, index));
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
