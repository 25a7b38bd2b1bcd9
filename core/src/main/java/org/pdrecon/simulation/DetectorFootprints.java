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
        c0 = new int[n];
        c1 = new int[n];
        int[] r0 = new int[n], r1 = new int[n];
        int[] perRow = new int[rows + 1];
        for (int e = 0; e < n; e++) {
            // The box's corners seen from the source: their (row, col) span holds the footprint of the whole box,
            // which lies in front of the source, as a segment's projection lies between its ends'.
            double colMin = Double.POSITIVE_INFINITY, colMax = Double.NEGATIVE_INFINITY, rowMin = colMin, rowMax = colMax;
            double[] c = es[e].centreMm(), h = es[e].halfExtentMm();
            boolean behind = false;
            for (int corner = 0; corner < 8 && !behind; corner++) {
                double[] x = {c[0] + ((corner & 1) == 0 ? -h[0] : h[0]), c[1] + ((corner & 2) == 0 ? -h[1] : h[1]),
                        c[2] + ((corner & 4) == 0 ? -h[2] : h[2])};
                double[] hit = g.projectPoint(view, x); // null at or behind the source: no finite footprint
                if (hit == null) {
                    behind = true;
                    continue;
                }
                rowMin = Math.min(rowMin, hit[0]);
                rowMax = Math.max(rowMax, hit[0]);
                colMin = Math.min(colMin, hit[1]);
                colMax = Math.max(colMax, hit[1]);
            }
            if (behind) {
                c0[e] = 0;
                c1[e] = cols - 1;
                r0[e] = 0;
                r1[e] = rows - 1;
            } else if (colMax < -1.5 || colMin > cols + 0.5 || rowMax < -1.5 || rowMin > rows + 0.5) {
                r0[e] = 1; // off the detector (beyond the margin): in no row
                r1[e] = 0;
            } else {
                // Pixel c spans col ∈ [c − ½, c + ½] (centres at integers); one pixel of margin.
                c0[e] = clamp(Math.floor(colMin + 0.5) - 1, cols);
                c1[e] = clamp(Math.floor(colMax + 0.5) + 1, cols);
                r0[e] = clamp(Math.floor(rowMin + 0.5) - 1, rows);
                r1[e] = clamp(Math.floor(rowMax + 0.5) + 1, rows);
            }
            for (int r = r0[e]; r <= r1[e]; r++) perRow[r + 1]++;
        }
        rowStart = new int[rows + 1];
        for (int r = 0; r < rows; r++) rowStart[r + 1] = rowStart[r] + perRow[r + 1];
        solids = new int[rowStart[rows]];
        int[] fill = rowStart.clone();
        for (int e = 0; e < n; e++) for (int r = r0[e]; r <= r1[e]; r++) solids[fill[r]++] = e;
    }

    /** The solids pixel {@code (r, c)} may see, in phantom order, into {@code out}; returns how many. */
    int seenBy(int r, int c, int[] out) {
        int k = 0;
        for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
            int e = solids[i];
            if (c >= c0[e] && c <= c1[e]) out[k++] = e;
        }
        return k;
    }

    /** The most solids one pixel can be handed. */
    int maxPerPixel() {
        int most = 0;
        for (int r = 0; r + 1 < rowStart.length; r++) most = Math.max(most, rowStart[r + 1] - rowStart[r]);
        return most;
    }

    private static int clamp(double index, int size) {
        return (int) Math.max(0, Math.min(size - 1, index));
    }
}
