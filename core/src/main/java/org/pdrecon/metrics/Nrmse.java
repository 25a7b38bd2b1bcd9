package org.pdrecon.metrics;

import org.pdrecon.data.Volume;

/**
 * Normalised root-mean-square error, euclidean normalisation:
 * {@code NRMSE = sqrt(MSE) / sqrt(mean(ref²)) = ‖ref − test‖ / ‖ref‖}, both over the masked voxels.
 * Equal to scikit-image's {@code normalized_root_mse(ref[mask], test[mask])} (its default
 * {@code normalization='euclidean'}). Dimensionless; 0 for identical images.
 */
public final class Nrmse {
    private Nrmse() {}

    /** NRMSE over all voxels. */
    public static double of(Volume reference, Volume test) {
        return of(reference, test, null);
    }

    /** NRMSE over the mask (null: all voxels). Fails if the reference is zero on every masked voxel. */
    public static double of(Volume reference, Volume test, Mask mask) {
        ImageChecks.validate("NRMSE", reference, test, mask);
        float[] a = reference.data();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            if (mask != null && !mask.contains(i)) continue;
            sum += (double) a[i] * a[i];
            n++;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("NRMSE: the reference is zero on every "
                    + (mask == null ? "voxel" : "voxel of mask '" + mask.description() + "'") + ", NRMSE is undefined");
        }
        return Math.sqrt(Mse.of(reference, test, mask)) / Math.sqrt(sum / n);
    }
}
