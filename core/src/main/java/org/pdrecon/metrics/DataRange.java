package org.pdrecon.metrics;

import org.pdrecon.data.Volume;

/**
 * The data range that PSNR and SSIM are scaled by: max − min of the reference over the masked voxels
 * (DESIGN.md), or a range the caller states explicitly.
 */
public final class DataRange {
    private DataRange() {}

    /**
     * max − min of {@code reference} over the voxels of {@code mask} (all voxels if {@code mask} is null),
     * in the reference's units. Fails if the reference is constant there, since PSNR and SSIM would then
     * be undefined: state a range explicitly in that case.
     */
    public static double of(Volume reference, Mask mask) {
        float[] d = reference.data();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < d.length; i++) {
            if (mask != null && !mask.contains(i)) continue;
            lo = Math.min(lo, d[i]);
            hi = Math.max(hi, d[i]);
        }
        double range = hi - lo;
        if (!(range > 0) || !Double.isFinite(range)) {
            throw new IllegalArgumentException("data range is " + range + ": the reference is constant (" + lo
                    + ") " + (mask == null ? "everywhere" : "inside mask '" + mask.description() + "'")
                    + "; give the range explicitly");
        }
        return range;
    }

    /** Checks an explicitly given range. */
    static double requireValid(String metric, double range) {
        if (!Double.isFinite(range) || range <= 0) {
            throw new IllegalArgumentException(metric + ": data range must be a positive finite number, got " + range);
        }
        return range;
    }
}
