package org.pdrecon.operators.hough;

import java.util.Arrays;

/**
 * The Brady–Yong fast Hough transform of one "mostly vertical" family of lines, and its exact transpose
 * (shared/seeds/001: summation-based transposition).
 *
 * <p>The input is a {@code p × 2p} array ({@code p} a power of two): image rows, each padded with {@code p}
 * zero columns on the left, so that cyclic column shifts never wrap image content onto itself. The output
 * {@code H[t][x]} ({@code t, x} in {@code [0, p) × [0, 2p)}) is the sum, one pixel per row, along the dyadic
 * pattern that starts at column {@code x} in row 0 and drifts right to column {@code x + t} in row
 * {@code p − 1}: the digital line of slope {@code t/(p − 1)} pixels per row.
 *
 * <p>Patterns are built by doubling: a strip of {@code 2h} rows and slope {@code t} joins the upper half's
 * pattern of slope {@code ⌊t/2⌋} at {@code x} with the lower half's of the same slope at
 * {@code x + ⌈t/2⌉}. That is {@code log₂ p} levels of {@code 2p²} additions, against {@code p} additions
 * per line for direct summation. Only the slopes a caller asks for, and the lower-level slopes they
 * depend on, are computed ("termination" in the seed): few views cost less than all of them.
 *
 * <p>{@link #transpose} runs the same levels backwards, each addition {@code d = a + b} becoming two
 * accumulations {@code a += d, b += d}, so {@code ⟨H f, g⟩ = ⟨f, Hᵀ g⟩} holds to float round-off.
 */
final class DyadicHough {
    private final int p, width, levels;
    /** needed[k][t]: slope t of strips of height 2^k is used by a requested top-level slope. */
    private final boolean[][] needed;

    /** @param slopes the top-level slopes wanted ({@code slopes[t]}, length {@code p}, a power of two) */
    DyadicHough(boolean[] slopes) {
        this.p = slopes.length;
        if (p < 1 || Integer.bitCount(p) != 1) throw new IllegalArgumentException("the size must be a power of two, got " + p);
        this.width = 2 * p;
        this.levels = Integer.numberOfTrailingZeros(p);
        this.needed = new boolean[levels + 1][];
        needed[levels] = slopes.clone();
        for (int k = levels - 1; k >= 0; k--) {
            needed[k] = new boolean[1 << k];
            for (int t = 0; t < needed[k + 1].length; t++) if (needed[k + 1][t]) needed[k][t >> 1] = true;
        }
    }

    int size() { return p; }
    int width() { return width; }

    /**
     * Transforms {@code a} (padded image rows, overwritten) using {@code b} as scratch; returns the buffer
     * that holds {@code H} (either {@code a} or {@code b}). Rows of slopes not asked for are undefined.
     */
    float[] forward(float[] a, float[] b) {
        float[] src = a, dst = b;
        for (int k = 0; k < levels; k++) {
            int h = 1 << k;
            boolean[] want = needed[k + 1];
            for (int strip = 0; strip < p / (2 * h); strip++) {
                int top = 2 * strip * h, bottom = top + h, out = 2 * strip * h;
                for (int t = 0; t < 2 * h; t++) {
                    if (!want[t]) continue;
                    int half = t >> 1, shift = (t + 1) >> 1;
                    int d = (out + t) * width, u = (top + half) * width, l = (bottom + half) * width;
                    int straight = width - shift;
                    for (int x = 0; x < straight; x++) dst[d + x] = src[u + x] + src[l + x + shift];
                    for (int x = straight; x < width; x++) dst[d + x] = src[u + x] + src[l + x - straight];
                }
            }
            float[] swap = src;
            src = dst;
            dst = swap;
        }
        return src;
    }

    /**
     * The transpose: {@code g} holds {@code H}-shaped values (rows of slopes not asked for are ignored; it
     * is overwritten), {@code b} is scratch. Returns the buffer holding the padded image rows.
     */
    float[] transpose(float[] g, float[] b) {
        float[] src = g, dst = b;
        for (int k = levels - 1; k >= 0; k--) {
            int h = 1 << k;
            boolean[] want = needed[k + 1], made = needed[k];
            for (int strip = 0; strip < p / (2 * h); strip++) {
                int top = 2 * strip * h, bottom = top + h, out = 2 * strip * h;
                for (int t = 0; t < h; t++) {
                    if (!made[t]) continue;
                    Arrays.fill(dst, (top + t) * width, (top + t + 1) * width, 0f);
                    Arrays.fill(dst, (bottom + t) * width, (bottom + t + 1) * width, 0f);
                }
                for (int t = 0; t < 2 * h; t++) {
                    if (!want[t]) continue;
                    int half = t >> 1, shift = (t + 1) >> 1;
                    int d = (out + t) * width, u = (top + half) * width, l = (bottom + half) * width;
                    int straight = width - shift;
                    for (int x = 0; x < width; x++) dst[u + x] += src[d + x];
                    for (int x = 0; x < straight; x++) dst[l + x + shift] += src[d + x];
                    for (int x = straight; x < width; x++) dst[l + x - straight] += src[d + x];
                }
            }
            float[] swap = src;
            src = dst;
            dst = swap;
        }
        return src;
    }
}
