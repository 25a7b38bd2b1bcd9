package org.pdrecon.fdk;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Per-view angular weights {@code Δθ_i} (radians) for the backprojection integral {@code ∫ … dθ},
 * from each view's neighbours, so irregular angle spacing is integrated correctly: an interior view
 * gets half the gap to each neighbour, {@code (θ_{i+1} − θ_{i−1}) / 2}. On a full circle (the views
 * cover 360° to within half a mean spacing) the first and last views are neighbours across the wrap;
 * on a shorter arc each end view gets a full gap to its only neighbour (half on each side), so evenly
 * spaced views all get the same weight. An over-scan (arc longer than 360°) is scaled by 360°/arc
 * because its extra rays are redundant. Views may come in any order.
 */
public final class AngularWeights {
    private AngularWeights() {}

    /** @return Δθ per view, radians, in the views' own order */
    public static double[] compute(double[] anglesDeg) {
        int n = anglesDeg.length;
        if (n < 2) throw new IllegalArgumentException("FDK needs at least 2 views, got " + n);
        Integer[] order = sortedOrder(anglesDeg);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = anglesDeg[order[i]];
        double span = t[n - 1] - t[0];
        if (span <= 0) throw new IllegalArgumentException("all " + n + " views have the same angle " + t[0] + "°");
        double mean = span / (n - 1);
        double arc = span + mean;
        boolean fullCircle = isFullCircleSorted(t);
        double[] wSorted = new double[n];
        for (int i = 0; i < n; i++) {
            double prev, next;
            if (i > 0) prev = t[i - 1];
            else prev = fullCircle ? t[n - 1] - 360 : t[0] - (t[1] - t[0]);
            if (i < n - 1) next = t[i + 1];
            else next = fullCircle ? t[0] + 360 : t[n - 1] + (t[n - 1] - t[n - 2]);
            wSorted[i] = (next - prev) / 2;
        }
        double scale = (!fullCircle && arc > 360) ? 360 / arc : 1;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[order[i]] = Math.toRadians(wSorted[i] * scale);
        return w;
    }

    /**
     * The arc the views cover in degrees: the span from the first to the last angle plus one mean
     * spacing (each view stands for half a spacing on each side).
     */
    public static double arcDeg(double[] anglesDeg) {
        int n = anglesDeg.length;
        if (n < 2) throw new IllegalArgumentException("at least 2 views are needed to define an arc, got " + n);
        double lo = Arrays.stream(anglesDeg).min().getAsDouble(), hi = Arrays.stream(anglesDeg).max().getAsDouble();
        return (hi - lo) * n / (n - 1);
    }

    /**
     * Whether the views close a full circle: they span less than 360° and the gap across the wrap
     * (from the last view round to the first) is at most 1.5 times the largest gap between views.
     */
    public static boolean isFullCircle(double[] anglesDeg) {
        if (anglesDeg.length < 2) return false;
        double[] t = anglesDeg.clone();
        Arrays.sort(t);
        return isFullCircleSorted(t);
    }

    private static boolean isFullCircleSorted(double[] t) {
        int n = t.length;
        double span = t[n - 1] - t[0], maxGap = 0;
        for (int i = 1; i < n; i++) maxGap = Math.max(maxGap, t[i] - t[i - 1]);
        return span < 360 && 360 - span <= 1.5 * maxGap;
    }

    private static Integer[] sortedOrder(double[] a) {
        Integer[] idx = IntStream.range(0, a.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingDouble(i -> a[i]));
        return idx;
    }
}
