package org.pdrecon.metrics;

import org.pdrecon.data.Volume;

/**
 * Peak signal-to-noise ratio in dB: {@code PSNR = 10·log10(range² / MSE)}, the MSE taken over the masked
 * voxels and {@code range} by default max − min of the reference over the same voxels (DESIGN.md).
 * Equal to scikit-image's {@code peak_signal_noise_ratio(ref[mask], test[mask], data_range=range)}.
 * Identical images give {@link Double#POSITIVE_INFINITY}.
 */
public final class Psnr {
    private Psnr() {}

    /** PSNR over all voxels, range from the reference. */
    public static double of(Volume reference, Volume test) {
        return of(reference, test, null);
    }

    /** PSNR over the mask (null: all voxels), range = max − min of the reference inside the mask. */
    public static double of(Volume reference, Volume test, Mask mask) {
        ImageChecks.validate("PSNR", reference, test, mask);
        return fromMse(Mse.of(reference, test, mask), DataRange.of(reference, mask));
    }

    /** PSNR over the mask (null: all voxels) with an explicit data range in the images' units. */
    public static double of(Volume reference, Volume test, Mask mask, double range) {
        DataRange.requireValid("PSNR", range);
        ImageChecks.validate("PSNR", reference, test, mask);
        return fromMse(Mse.of(reference, test, mask), range);
    }

    static double fromMse(double mse, double range) {
        if (mse == 0) return Double.POSITIVE_INFINITY;
        return 10 * Math.log10(range * range / mse);
    }
}
