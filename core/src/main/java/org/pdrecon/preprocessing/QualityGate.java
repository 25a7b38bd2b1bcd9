package org.pdrecon.preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.data.ProjectionStack;

/**
 * The last check before a clinical scan is reconstructed: line integrals that cannot be right are
 * refused, with the reason and the figure, instead of becoming a plausible-looking wrong volume.
 *
 * <ul>
 *   <li>more than {@value #MAX_CLAMPED_FRACTION} of the pixels clamped (no signal, or signal at or below
 *       the dark level): a wrong I0, dark field or frame;</li>
 *   <li>more than {@value #MAX_NEGATIVE_FRACTION} of the line integrals below {@code −max(0.05, 4σ)}
 *       (signal brighter than I0 by more than noise explains; σ is the line integrals' pixel noise where
 *       they are near zero, from neighbour differences): I0 is below the unattenuated signal;</li>
 *   <li>any view left suspect by the cumulative-frame differencing (repeated, dropped or merged frames).</li>
 * </ul>
 * {@code --force} writes anyway; the failures are then kept in the report.
 */
public final class QualityGate {
    /** Neighbour pairs sampled (evenly) for the noise estimate. */
    private static final long SAMPLED_PAIRS = 1_000_000;

    public static final double MAX_CLAMPED_FRACTION = 0.001, NEGATIVE_LIMIT = -0.05, MAX_NEGATIVE_FRACTION = 0.01, NOISE_MULTIPLE = 4;

    private QualityGate() {}

    /** Raised when the gate refuses a scan; the message lists every failure and says how to override. */
    public static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * @param clampedPixels pixels {@link LineIntegrals} clamped
     * @param suspects one line per suspect view
     * @return the failures, empty when the scan passes
     */
    public static List<String> failures(ProjectionStack lineIntegrals, long clampedPixels, List<String> suspects) {
        List<String> f = new ArrayList<>();
        long total = lineIntegrals.data().length, negative = 0;
        double limit = -Math.max(-NEGATIVE_LIMIT, NOISE_MULTIPLE * airNoise(lineIntegrals));
        for (float p : lineIntegrals.data()) if (p < limit) negative++;
        if (clampedPixels > MAX_CLAMPED_FRACTION * total) {
            f.add(String.format(Locale.ROOT, "%.2f%% of the pixels were clamped (no signal above the dark level; limit %.1f%%): check I0, the dark field and the frames",
                    100.0 * clampedPixels / total, 100 * MAX_CLAMPED_FRACTION));
        }
        if (negative > MAX_NEGATIVE_FRACTION * total) {
            f.add(String.format(Locale.ROOT, "%.2f%% of the line integrals are below %.3g (limit %.0f%%): the signal is brighter than I0, so I0 is too low",
                    100.0 * negative / total, limit, 100 * MAX_NEGATIVE_FRACTION));
        }
        for (String s : suspects) f.add("suspect " + s);
        return f;
    }

    /**
     * Pixel noise σ of the line integrals where they are near zero (|p| < 0.3, air and thin parts): 1.4826·MAD of
     * the differences of vertical neighbours / √2; 0 when too few such pairs.
     */
    static double airNoise(ProjectionStack p) {
        int rows = p.rows(), cols = p.cols(), plane = rows * cols;
        float[] d = p.data();
        long pairs = (long) p.views() * Math.max(0, rows - 1) * cols;
        int stride = (int) Math.max(1, pairs / SAMPLED_PAIRS); // bounded memory on clinical-size stacks
        double[] diffs = new double[(int) Math.min(pairs, SAMPLED_PAIRS + 1)];
        int k = 0;
        long at = 0;
        for (int v = 0; v < p.views(); v++) {
            for (int r = 1; r < rows; r++) {
                for (int c = 0; c < cols; c++, at++) {
                    if (at % stride != 0 || k == diffs.length) continue;
                    float a = d[v * plane + r * cols + c], b = d[v * plane + (r - 1) * cols + c];
                    if (Math.abs(a) < 0.3f && Math.abs(b) < 0.3f) diffs[k++] = a - b;
                }
            }
        }
        if (k < 100) return 0;
        return LineIntegrals.neighbourNoise(java.util.Arrays.copyOf(diffs, k));
    }

    /** Throws {@link Refused} unless {@code failures} is empty or {@code force}. */
    public static void require(List<String> failures, boolean force) {
        if (failures.isEmpty() || force) return;
        throw new Refused("refusing to reconstruct: the projections fail the quality gate (docs/preprocessing.md):\n  - "
                + String.join("\n  - ", failures) + "\nfix the input, or pass --force to reconstruct anyway");
    }
}
