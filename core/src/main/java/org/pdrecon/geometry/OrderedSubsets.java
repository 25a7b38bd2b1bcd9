package org.pdrecon.geometry;

import java.util.ArrayList;
import java.util.List;

/**
 * A scan's views split into ordered subsets, as OS-SART and ordered-subset learned primal-dual use them:
 * subset s holds views s, s + K, s + 2K, … (interleaved, so each spans the whole arc), and subsets are
 * visited in bit-reversal order of their index (0, K/2, K/4, 3K/4, … for K a power of two; other K skip
 * the indices ≥ K), so consecutive subsets are far apart in angle, as TIGRE's "angularDistance" ordering
 * intends. Never more subsets than views.
 */
public final class OrderedSubsets {
    private OrderedSubsets() {}

    /** Views of each of {@code k} subsets of {@code views} views, in visiting order. */
    public static List<int[]> of(int views, int k) {
        int kk = Math.min(k, views);
        List<int[]> out = new ArrayList<>();
        for (int s : visitingOrder(kk)) {
            int n = (views - s + kk - 1) / kk;
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = s + i * kk;
            out.add(v);
        }
        return out;
    }

    /** 0 … k−1 in bit-reversal order of the next power of two. */
    public static int[] visitingOrder(int k) {
        int bits = 0;
        while ((1 << bits) < k) bits++;
        int[] order = new int[k];
        int j = 0;
        for (int i = 0; i < (1 << bits); i++) {
            int r = Integer.reverse(i) >>> (32 - Math.max(bits, 1));
            if (bits == 0) r = 0;
            if (r < k) order[j++] = r;
        }
        return order;
    }
}
