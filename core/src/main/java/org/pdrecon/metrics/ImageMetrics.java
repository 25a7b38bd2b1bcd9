package org.pdrecon.metrics;

import org.pdrecon.data.Volume;

/** PSNR, SSIM and NRMSE of a test image against a reference over one mask, with one data range. */
public final class ImageMetrics {
    private ImageMetrics() {}

    /** All three metrics over the mask, range = max − min of the reference inside the mask. */
    public static MetricValues compare(Volume reference, Volume test, Mask mask) {
        ImageChecks.validate("metrics", reference, test, mask);
        return compare(reference, test, mask, DataRange.of(reference, mask));
    }

    /** All three metrics over the mask with an explicit data range in the images' units. */
    public static MetricValues compare(Volume reference, Volume test, Mask mask, double range) {
        if (mask == null) mask = Masks.all(reference.grid());
        return new MetricValues(Psnr.of(reference, test, mask, range), Ssim.of(reference, test, mask, range),
                Nrmse.of(reference, test, mask), range, mask.count(), mask.description());
    }
}
