package org.pdrecon.preprocessing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pdrecon.data.ProjectionStack;

/**
 * Cumulative (integrated) EPID frames: some acquisitions store, at each gantry angle, the signal
 * integrated since the beam came on, so frame k holds the sum of all exposure up to k. Such frames
 * must be differenced before reconstruction.
 *
 * <p><b>Acquisition order</b> a₀, a₁, …: given by the files (InstanceNumber, acquisition times) or the user
 * (start angle and direction, {@link #fromStart}); otherwise inferred: the view of least signal first,
 * then around the arc in the direction the signal grows, wrapping through 0°/360°. So an arc that starts
 * mid-circle is read as it was acquired, not in angle order.
 *
 * <p><b>Detection rule</b> ({@link Mode#AUTO}), on the mean signal m_k of each view along the acquisition
 * order: the frames are cumulative when there are at least 3 views, every m_k is positive, m_k never
 * decreases (ties allowed: a repeated frame), and the last-to-first ratio is at least
 * {@code max(2, n/4)}. Independent frames of a real scan vary with the patient's thickness but do not
 * grow like the view count; integrated ones grow about linearly (ratio ≈ n).
 *
 * <p><b>Differencing</b> along a₀, a₁, …: D(a₀) = F(a₀), D(aⱼ) = F(aⱼ) − F(aⱼ₋₁). A differenced frame
 * covers the arc between the two angles (the signed step in (−180°, 180°], so a step across 0°/360° is
 * a small one), so its angle becomes their midpoint; the first frame's interval is assumed as wide as
 * the second's. Differenced frames whose mean is ≤ 5 % or
 * ≥ 3× the median differenced mean (repeated, dropped or merged frames), or with more than 1 % of
 * pixels below zero, are reported in {@link Result#problems()} and listed in
 * {@link Result#suspectViews()}; their values are kept as computed, not replaced.
 */
public final class CumulativeFrames {
    /** How to treat the frames. */
    public enum Mode {
        /** apply the detection rule */
        AUTO,
        /** difference regardless of the rule (override) */
        CUMULATIVE,
        /** leave as they are (override) */
        INDEPENDENT
    }

    /**
     * @param frames the (possibly differenced) frames, same view order as the input
     * @param anglesDeg the view angles (midpoints of the covered intervals when differenced)
     * @param differenced whether the frames were differenced
     * @param reason why (the rule's numbers, or the override)
     * @param problems one line per suspect frame
     * @param suspectViews indices of suspect frames (ascending)
     */
    public record Result(ProjectionStack frames, double[] anglesDeg, boolean differenced, String reason,
                         List<String> problems, int[] suspectViews) {}

    private CumulativeFrames() {}

    /** {@link #apply(ProjectionStack, double[], Mode, Order)} with the order inferred from the signal. */
    public static Result apply(ProjectionStack frames, double[] anglesDeg, Mode mode) {
        return apply(frames, anglesDeg, mode, null);
    }

    /**
     * The order the frames were acquired in, when the files or the user say it.
     *
     * @param views indices of the views (into the angle-sorted stack) in acquisition order
     * @param source where the order came from, e.g. "InstanceNumber" or "--start-angle 180.5 --direction decreasing"
     */
    public record Order(int[] views, String source) {}

    /**
     * The acquisition order given by a start angle and a direction: the view nearest {@code startDeg} (circular
     * distance) first, then the others by the angle travelled from it in increasing (or decreasing) gantry
     * angle, wrapping through 0°/360°.
     *
     * @throws IllegalArgumentException when two views share a gantry angle (an arc over 360°, or repeats): a
     *     start and a direction cannot order them
     */
    public static Order fromStart(double[] anglesDeg, double startDeg, boolean increasing) {
        int n = anglesDeg.length;
        requireDistinctWrappedAngles(anglesDeg, "--start-angle/--direction cannot order them");
        int first = 0;
        for (int i = 1; i < n; i++) if (circularDistance(anglesDeg[i], startDeg) < circularDistance(anglesDeg[first], startDeg)) first = i;
        double from = anglesDeg[first];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, java.util.Comparator.comparingDouble(i -> wrap360(increasing ? anglesDeg[i] - from : from - anglesDeg[i])));
        return new Order(Arrays.stream(idx).mapToInt(Integer::intValue).toArray(),
                String.format(java.util.Locale.ROOT, "--start-angle %.3f --direction %s", startDeg, increasing ? "increasing" : "decreasing"));
    }

    private static double circularDistance(double a, double b) {
        double d = wrap360(a - b);
        return Math.min(d, 360 - d);
    }

    /** Whether two views share a gantry angle modulo 360° (to 1e-6°). */
    static boolean wrappedAnglesRepeat(double[] anglesDeg) {
        double[] w = new double[anglesDeg.length];
        for (int i = 0; i < w.length; i++) w[i] = wrap360(anglesDeg[i]);
        Arrays.sort(w);
        for (int i = 1; i < w.length; i++) if (w[i] - w[i - 1] < 1e-6) return true;
        return w.length > 1 && w[0] + 360 - w[w.length - 1] < 1e-6;
    }

    private static void requireDistinctWrappedAngles(double[] anglesDeg, String what) {
        if (wrappedAnglesRepeat(anglesDeg)) {
            throw new IllegalArgumentException("views share gantry angles (an arc over 360°, or repeated frames): " + what
                    + "; the files' InstanceNumber or acquisition times must give the order");
        }
    }

    /**
     * @param frames detector signal {@code [view][row][col]}, views sorted by angle
     * @param anglesDeg the angle of each view, ascending (unwrapped)
     * @param order the acquisition order, or {@code null} to infer it from the signal (cumulative frames grow
     *     from the first acquired view on, around the arc in one direction)
     */
    public static Result apply(ProjectionStack frames, double[] anglesDeg, Mode mode, Order order) {
        int n = frames.views();
        if (anglesDeg.length != n) throw new IllegalArgumentException(anglesDeg.length + " angles for " + n + " views");
        for (int i = 1; i < n; i++) {
            if (anglesDeg[i] < anglesDeg[i - 1]) throw new IllegalArgumentException("angles must be sorted ascending (view " + i + ")");
        }
        if (order != null && (order.views().length != n || Arrays.stream(order.views()).distinct().count() != n
                || Arrays.stream(order.views()).anyMatch(v -> v < 0 || v >= n))) {
            throw new IllegalArgumentException("the acquisition order must list each of the " + n + " views once");
        }
        double[] mean = means(frames);
        if (order == null && wrappedAnglesRepeat(anglesDeg) && mode == Mode.AUTO && !couldBeCumulative(mean)) {
            return new Result(frames, anglesDeg.clone(), false, "independent: the mean signal never grows enough to be cumulative"
                    + " (some view ≤ 0, or max/min below the rule's ratio)", List.of(), new int[0]);
        }
        if (order == null && wrappedAnglesRepeat(anglesDeg) && mode != Mode.INDEPENDENT) {
            // A signal-inferred order is ambiguous when angles repeat: refuse to guess (the quality gate stops the scan).
            if (mode == Mode.CUMULATIVE) requireDistinctWrappedAngles(anglesDeg, "cumulative frames cannot be differenced");
            return new Result(frames, anglesDeg.clone(), false, "not decided: views share gantry angles and the files give no acquisition order",
                    List.of("views share gantry angles (an arc over 360°, or repeats) and the files give no acquisition order, so cumulative"
                            + " frames cannot be told apart: pass --cumulative no if the frames are independent"), new int[0]);
        }
        Order seq = order != null ? order : inferOrder(mean);
        String reason;
        boolean cumulative;
        switch (mode) {
            case CUMULATIVE:
                cumulative = true;
                reason = "treated as cumulative by request";
                break;
            case INDEPENDENT:
                cumulative = false;
                reason = "treated as independent by request";
                break;
            default: {
                String why = detect(mean, seq.views());
                cumulative = why.startsWith("cumulative");
                reason = why;
                if (!cumulative && order != null && n >= CONTRADICTION_MIN_VIEWS && !wrappedAnglesRepeat(anglesDeg)) {
                    // The files' order says independent; if the signal itself grows like cumulative frames, one of
                    // them is wrong: refuse to guess (the quality gate stops the scan).
                    Order inferred = inferOrder(mean);
                    String signal = detect(mean, inferred.views());
                    if (signal.startsWith("cumulative")) {
                        return new Result(frames, anglesDeg.clone(), false, reason, List.of("the files' order (" + order.source()
                                + ") says independent frames, but in angle order from " + String.format(java.util.Locale.ROOT, "%.3f°", anglesDeg[inferred.views()[0]])
                                + " the signal grows like cumulative frames (" + signal + "): "
                                + (order.source().startsWith("--start-angle") ? "check --start-angle/--direction" : "give --start-angle/--direction")
                                + ", or --cumulative no"), new int[0]);
                    }
                }
            }
        }
        if (!cumulative || n < 2) {
            return new Result(frames, anglesDeg.clone(), false, reason, List.of(), new int[0]);
        }
        int rows = frames.rows(), cols = frames.cols(), plane = rows * cols;
        int[] o = seq.views();
        float[] in = frames.data(), out = new float[in.length];
        double[] angles = new double[n];
        for (int j = 0; j < n; j++) {
            int v = o[j];
            if (j == 0) {
                System.arraycopy(in, v * plane, out, v * plane, plane);
                angles[v] = anglesDeg[v] - step(anglesDeg[o[1]] - anglesDeg[v]) / 2; // as wide as the next interval
            } else {
                int p = o[j - 1];
                for (int i = 0; i < plane; i++) out[v * plane + i] = in[v * plane + i] - in[p * plane + i];
                angles[v] = anglesDeg[v] - step(anglesDeg[v] - anglesDeg[p]) / 2; // midpoint, in this view's unwrapped frame
            }
        }
        ProjectionStack diff = new ProjectionStack(n, rows, cols, out);
        List<String> problems = new ArrayList<>();
        List<Integer> suspects = new ArrayList<>();
        double[] dm = means(diff);
        double median = median(dm);
        for (int v = 0; v < n; v++) {
            int negative = 0;
            for (int i = 0; i < plane; i++) if (out[v * plane + i] < 0) negative++;
            String why = dm[v] <= 0.05 * median ? String.format("mean %.4g is ≤ 5%% of the median %.4g (repeated or dropped frame?)", dm[v], median)
                    : dm[v] >= 3 * median ? String.format("mean %.4g is ≥ 3× the median %.4g (frames merged or missing before it?)", dm[v], median)
                    : negative > 0.01 * plane ? String.format("%.1f%% of pixels are negative after differencing", 100.0 * negative / plane)
                    : null;
            if (why != null) {
                problems.add(String.format("view %d (%.3f°): %s", v, anglesDeg[v], why));
                suspects.add(v);
            }
        }
        double travel = 0;
        for (int j = 1; j < n; j++) travel += step(anglesDeg[o[j]] - anglesDeg[o[j - 1]]);
        String how = String.format(java.util.Locale.ROOT, "; acquisition starts at %.3f° and runs %s (%s gantry angle, %.1f° in all; order from %s), each frame minus the one before",
                wrap360(anglesDeg[o[0]]), travel >= 0 ? "counter-clockwise" : "clockwise", travel >= 0 ? "increasing" : "decreasing",
                Math.abs(travel), seq.source());
        return new Result(diff, angles, true, reason + how, problems, suspects.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * With no order from the files: cumulative frames grow around the arc from the first acquired view, so
     * the sequence starts at the view of least signal and runs in the direction in which the signal grows
     * (of the two neighbours of that view, towards the smaller).
     */
    private static Order inferOrder(double[] mean) {
        int n = mean.length, start = 0;
        for (int v = 1; v < n; v++) if (mean[v] < mean[start]) start = v;
        int up = 0, down = 0; // how often the signal falls along each direction from the start
        for (int j = 1; j < n; j++) {
            if (mean[(start + j) % n] < mean[(start + j - 1) % n]) up++;
            if (mean[(start - j + n) % n] < mean[(start - j + 1 + n) % n]) down++;
        }
        boolean increasing = up <= down;
        int[] views = new int[n];
        for (int j = 0; j < n; j++) views[j] = increasing ? (start + j) % n : (start - j + n) % n;
        return new Order(views, "the signal (no InstanceNumber or acquisition time): it grows from the view of least signal");
    }

    /** Below this many views the growth rule (≥ 2×) is too weak to call a file order wrong. */
    static final int CONTRADICTION_MIN_VIEWS = 8;

    /** Whether any order could pass the rule: every mean positive and max/min at least the needed ratio. */
    private static boolean couldBeCumulative(double[] mean) {
        int n = mean.length;
        if (n < 3) return false;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double m : mean) {
            if (!(m > 0)) return false;
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
        }
        return hi / lo >= Math.max(2, n / 4.0);
    }

    /** A gantry step as the signed angle in (−180°, 180°]. */
    private static double step(double deg) {
        double d = wrap360(deg);
        return d > 180 ? d - 360 : d;
    }

    private static double wrap360(double deg) {
        return org.pdrecon.io.dicom.RtImageGeometry.wrapDeg(deg);
    }

    private static String detect(double[] mean, int[] order) {
        int n = mean.length;
        if (n < 3) return "independent: fewer than 3 views, the rule needs 3";
        for (int v = 0; v < n; v++) {
            if (!(mean[v] > 0)) return String.format("independent: view %d has mean signal %.4g ≤ 0", v, mean[v]);
        }
        for (int k = 1; k < n; k++) {
            if (mean[order[k]] < mean[order[k - 1]]) {
                return String.format("independent: mean signal falls in acquisition order between views %d and %d (%.4g → %.4g)",
                        order[k - 1], order[k], mean[order[k - 1]], mean[order[k]]);
            }
        }
        double ratio = mean[order[n - 1]] / mean[order[0]], needed = Math.max(2, n / 4.0);
        if (ratio < needed) {
            return String.format("independent: mean signal grows monotonically but only by %.3g× (rule: ≥ %.3g× for %d views)", ratio, needed, n);
        }
        return String.format("cumulative: mean signal grows monotonically by %.3g× over %d views (rule: ≥ %.3g×)", ratio, n, needed);
    }

    /** Mean value of each view. */
    static double[] means(ProjectionStack s) {
        int plane = s.rows() * s.cols();
        double[] m = new double[s.views()];
        float[] d = s.data();
        for (int v = 0; v < m.length; v++) {
            double sum = 0;
            for (int i = 0; i < plane; i++) sum += d[v * plane + i];
            m[v] = sum / plane;
        }
        return m;
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
