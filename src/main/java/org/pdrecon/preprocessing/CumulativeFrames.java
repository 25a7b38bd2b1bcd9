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
 * <p><b>Detection rule</b> ({@link Mode#AUTO}), on the mean signal m_k of each view with views sorted by
 * angle: the frames are cumulative when there are at least 3 views, every m_k is positive, m_k never
 * decreases along one direction of the arc (ties allowed: a repeated frame), and the last-to-first
 * ratio along that direction is at least {@code max(2, n/4)}. Independent frames of a real scan vary
 * with the patient's thickness but do not grow like the view count; integrated ones grow about
 * linearly (ratio ≈ n). The direction of growth is the acquisition direction.
 *
 * <p><b>Differencing</b>, in acquisition order a₀, a₁, …: D(a₀) = F(a₀), D(aⱼ) = F(aⱼ) − F(aⱼ₋₁). A
 * differenced frame covers the arc between the two angles, so its angle becomes their midpoint; the
 * first frame's interval is assumed as wide as the second's. Differenced frames whose mean is ≤ 5 % or
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

    /**
     * @param frames detector signal {@code [view][row][col]}, views sorted by angle
     * @param anglesDeg the angle of each view, ascending
     */
    public static Result apply(ProjectionStack frames, double[] anglesDeg, Mode mode) {
        int n = frames.views();
        if (anglesDeg.length != n) throw new IllegalArgumentException(anglesDeg.length + " angles for " + n + " views");
        for (int i = 1; i < n; i++) {
            if (anglesDeg[i] < anglesDeg[i - 1]) throw new IllegalArgumentException("angles must be sorted ascending (view " + i + ")");
        }
        double[] mean = means(frames);
        // direction of growth: +1 if the signal grows with the angle, −1 if against it
        int direction = n >= 2 && mean[n - 1] < mean[0] ? -1 : 1;
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
                String why = detect(mean, direction);
                cumulative = why.startsWith("cumulative");
                reason = why;
            }
        }
        if (!cumulative || n < 2) {
            return new Result(frames, anglesDeg.clone(), false, reason, List.of(), new int[0]);
        }
        int rows = frames.rows(), cols = frames.cols(), plane = rows * cols;
        float[] in = frames.data(), out = new float[in.length];
        double[] angles = new double[n];
        int[] order = new int[n];
        for (int j = 0; j < n; j++) order[j] = direction > 0 ? j : n - 1 - j;
        for (int j = 0; j < n; j++) {
            int v = order[j];
            if (j == 0) {
                System.arraycopy(in, v * plane, out, v * plane, plane);
                double next = anglesDeg[order[1]];
                angles[v] = anglesDeg[v] - (next - anglesDeg[v]) / 2;
            } else {
                int p = order[j - 1];
                for (int i = 0; i < plane; i++) out[v * plane + i] = in[v * plane + i] - in[p * plane + i];
                angles[v] = (anglesDeg[v] + anglesDeg[p]) / 2;
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
        return new Result(diff, angles, true, reason + "; acquired in " + (direction > 0 ? "increasing" : "decreasing")
                + " angle order, each frame minus the one before", problems, suspects.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String detect(double[] mean, int direction) {
        int n = mean.length;
        if (n < 3) return "independent: fewer than 3 views, the rule needs 3";
        for (int v = 0; v < n; v++) {
            if (!(mean[v] > 0)) return String.format("independent: view %d has mean signal %.4g ≤ 0", v, mean[v]);
        }
        for (int k = 1; k < n; k++) {
            double step = (mean[k] - mean[k - 1]) * direction;
            if (step < 0) {
                return String.format("independent: mean signal runs against its overall trend between views %d and %d (%.4g → %.4g)",
                        k - 1, k, mean[k - 1], mean[k]);
            }
        }
        double first = direction > 0 ? mean[0] : mean[n - 1], last = direction > 0 ? mean[n - 1] : mean[0];
        double ratio = last / first, needed = Math.max(2, n / 4.0);
        if (ratio < needed) {
            return String.format("independent: mean signal grows monotonically but only by %.3g× (rule: ≥ %.3g× for %d views)", ratio, needed, n);
        }
        return String.format("cumulative: mean signal grows monotonically by %.3g× over %d views (rule: ≥ %.3g×)", ratio, n, needed);
    }

    private static double[] means(ProjectionStack s) {
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

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
