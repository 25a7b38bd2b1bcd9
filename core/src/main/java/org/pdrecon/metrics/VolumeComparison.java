package org.pdrecon.metrics;

import org.pdrecon.data.TrilinearResampler;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Compares a volume with a reference on the reference's grid: the volume is resampled there
 * ({@link TrilinearResampler}, world coordinates in mm; reference voxels outside the volume's bounding box
 * are excluded), optionally fitted to the reference ({@link LinearFit}), then PSNR, SSIM and NRMSE are
 * computed over the mask {@code region ∩ inside the volume's box} with range = max − min of the reference
 * inside that mask. SSIM's windows read excluded voxels as 0 (both images), so voxels near the edge of
 * the overlap are compared against zero padding; on a reference grid smaller than SSIM's 11-voxel window
 * (a coarse dose grid) SSIM is reported as NaN and PSNR/NRMSE still computed.
 */
public final class VolumeComparison {
    private VolumeComparison() {}

    /** What to fit before the metrics. */
    public enum Fit { NONE, SCALE, SCALE_AND_OFFSET }

    /**
     * @param resampled the volume on the reference grid after the fit; NaN outside its box
     * @param difference {@code resampled − reference} inside the mask, 0 elsewhere
     * @param mask the voxels the metrics used
     * @param fit the fitted factors ({@link LinearFit#identity()} for {@link Fit#NONE})
     * @param metrics PSNR, SSIM (NaN when the grid is smaller than SSIM's window), NRMSE with their range and mask
     */
    public record Result(Volume resampled, Volume difference, Mask mask, LinearFit fit, MetricValues metrics) {}

    /**
     * @param reference the reference volume (its grid is the comparison grid). Not modified.
     * @param volume the volume to judge. Not modified.
     * @param region voxels of the reference grid to compare, or {@code null} for all
     * @throws IllegalArgumentException when the volumes do not overlap or the region misses the overlap
     */
    public static Result compare(Volume reference, Volume volume, Fit fit, Mask region) {
        VolumeGrid g = reference.grid();
        if (region != null && !region.fits(g)) {
            throw new IllegalArgumentException("compare: the mask is " + region.nz() + "×" + region.ny() + "×" + region.nx()
                    + " but the reference is " + ImageChecks.shape(g));
        }
        Volume onRef = TrilinearResampler.resample(volume, g, Float.NaN);
        float[] r = reference.data(), v = onRef.data();
        boolean[] inside = new boolean[r.length];
        int overlap = 0;
        for (int i = 0; i < r.length; i++) {
            boolean ok = Float.isFinite(v[i]) && Float.isFinite(r[i]);
            if (ok) overlap++;
            inside[i] = ok && (region == null || region.contains(i));
        }
        if (overlap == 0) {
            throw new IllegalArgumentException("compare: the volume (" + describe(volume.grid()) + ") does not overlap the reference ("
                    + describe(g) + ") in world coordinates");
        }
        String what = (region == null ? "all reference voxels" : region.description()) + " inside the volume's extent";
        Mask mask = new Mask(g.nz(), g.ny(), g.nx(), inside, what);
        if (mask.count() == 0) throw new IllegalArgumentException("compare: the mask '" + what + "' holds no voxels");
        LinearFit f = switch (fit) {
            case NONE -> LinearFit.identity();
            case SCALE -> LinearFit.fit(r, v, mask, false);
            case SCALE_AND_OFFSET -> LinearFit.fit(r, v, mask, true);
        };
        float[] fitted = fit == Fit.NONE ? v : f.apply(v);
        float[] test = new float[r.length], ref = new float[r.length], diff = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            if (!inside[i]) continue;
            test[i] = fitted[i];
            ref[i] = r[i];
            diff[i] = fitted[i] - r[i];
        }
        Volume refV = new Volume(g, ref), testV = new Volume(g, test);
        MetricValues m;
        if (ssimFits(g)) {
            m = ImageMetrics.compare(refV, testV, mask);
        } else {
            double range = DataRange.of(refV, mask);
            m = new MetricValues(Psnr.of(refV, testV, mask, range), Double.NaN, Nrmse.of(refV, testV, mask), range, mask.count(),
                    mask.description());
        }
        return new Result(new Volume(g, fitted), new Volume(g, diff), mask, f, m);
    }

    /** Whether the grid holds SSIM's Gaussian window along every axis (z only for volumes); if not, SSIM is NaN. */
    public static boolean ssimFits(VolumeGrid g) {
        int win = 2 * Ssim.RADIUS + 1;
        return g.nx() >= win && g.ny() >= win && (g.nz() == 1 || g.nz() >= win);
    }

    private static String describe(VolumeGrid g) {
        double[] lo = g.minCornerMm(), hi = g.maxCornerMm();
        return String.format(java.util.Locale.ROOT, "x %.1f..%.1f, y %.1f..%.1f, z %.1f..%.1f mm", lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]);
    }
}
