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
 *   <li>more than {@value #MAX_NEGATIVE_FRACTION} of the line integrals below {@value #NEGATIVE_LIMIT}
 *       (signal brighter than I0 by more than 5 %): I0 is below the unattenuated signal;</li>
 *   <li>any view left suspect by the cumulative-frame differencing (repeated, dropped or merged frames).</li>
 * </ul>
 * {@code --force} writes anyway; the failures are then kept in the report.
 */
public final class QualityGate {
    public static final double MAX_CLAMPED_FRACTION = 0.001, NEGATIVE_LIMIT = -0.05, MAX_NEGATIVE_FRACTION = 0.01;

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
        for (float p : lineIntegrals.data()) if (p < NEGATIVE_LIMIT) negative++;
        if (clampedPixels > MAX_CLAMPED_FRACTION * total) {
            f.add(String.format(Locale.ROOT, "%.2f%% of the pixels were clamped (no signal above the dark level; limit %.1f%%): check I0, the dark field and the frames",
                    100.0 * clampedPixels / total, 100 * MAX_CLAMPED_FRACTION));
        }
        if (negative > MAX_NEGATIVE_FRACTION * total) {
            f.add(String.format(Locale.ROOT, "%.2f%% of the line integrals are below %.2f (limit %.0f%%): the signal is brighter than I0, so I0 is too low",
                    100.0 * negative / total, NEGATIVE_LIMIT, 100 * MAX_NEGATIVE_FRACTION));
        }
        for (String s : suspects) f.add("suspect " + s);
        return f;
    }

    /** Throws {@link Refused} unless {@code failures} is empty or {@code force}. */
    public static void require(List<String> failures, boolean force) {
        if (failures.isEmpty() || force) return;
        throw new Refused("refusing to reconstruct: the projections fail the quality gate (docs/preprocessing.md):\n  - "
                + String.join("\n  - ", failures) + "\nfix the input, or pass --force to reconstruct anyway");
    }
}
