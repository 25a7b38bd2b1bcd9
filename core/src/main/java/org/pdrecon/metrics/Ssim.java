package org.pdrecon.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.pdrecon.data.Volume;

/**
 * Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004, IEEE TIP 13:600–612) with a Gaussian
 * window: σ = 1.5 truncated at 3.5σ (11 taps), K1 = 0.01, K2 = 0.03, population (not sample) covariances.
 * Computed in 3D for volumes ({@code nz > 1}) and in 2D (y, x) for single slices ({@code nz = 1}).
 *
 * <p>Recipe, numerically the same as scikit-image's {@code structural_similarity(ref, test,
 * gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=range)}: Gaussian-weighted
 * local means μ, variances σ² = G∗x² − μ² and covariance σxy = G∗(xy) − μxμy, with
 * {@code C1 = (K1·range)²}, {@code C2 = (K2·range)²}, give the map
 * {@code S = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))}; the result is the mean of S
 * over the voxels at least 5 (the window radius) from every face, as skimage crops them. With a mask, the
 * mean is over the masked voxels inside that cropped region, while the filters still see every voxel.
 * Because only the cropped region is averaged, the window never reaches past the image there, so the
 * boundary rule of the filter (skimage: scipy's 'reflect') never enters the result and is not needed.
 *
 * <p>Implementation: the separable filter runs along x and y on each slice, then along z over a ring of
 * 11 filtered slices, computed in double; memory is about 5·11 slices per thread, not 5 volumes.
 * Output slices are split into contiguous blocks, one per worker; per-slice sums are added in slice order,
 * so the result does not depend on the number of threads.
 */
public final class Ssim {
    /** Window standard deviation in voxels. */
    public static final double SIGMA = 1.5;
    /** Window radius, int(3.5σ + 0.5) as scipy computes it: an 11-tap window. */
    public static final int RADIUS = (int) (3.5 * SIGMA + 0.5);
    public static final double K1 = 0.01, K2 = 0.03;

    private static final double[] WEIGHTS = gaussianWeights();
    private static final int Q = 5; // filtered quantities: x, y, x², y², xy

    private Ssim() {}

    /** SSIM over all voxels, range = max − min of the reference. */
    public static double of(Volume reference, Volume test) {
        return of(reference, test, null);
    }

    /** SSIM over the mask (null: all voxels), range = max − min of the reference inside the mask. */
    public static double of(Volume reference, Volume test, Mask mask) {
        ImageChecks.validate("SSIM", reference, test, mask);
        return compute(reference, test, mask, DataRange.of(reference, mask));
    }

    /** SSIM over the mask (null: all voxels) with an explicit data range in the images' units. */
    public static double of(Volume reference, Volume test, Mask mask, double range) {
        DataRange.requireValid("SSIM", range);
        ImageChecks.validate("SSIM", reference, test, mask);
        return compute(reference, test, mask, range);
    }

    private static double compute(Volume reference, Volume test, Mask mask, double range) {
        int nz = reference.grid().nz(), ny = reference.grid().ny(), nx = reference.grid().nx();
        int win = 2 * RADIUS + 1;
        boolean volumetric = nz > 1;
        if (ny < win || nx < win || (volumetric && nz < win)) {
            throw new IllegalArgumentException("SSIM: image " + nz + "×" + ny + "×" + nx + " (z×y×x) is too small: the "
                    + win + "-voxel Gaussian window (σ = " + SIGMA + ") needs at least " + win + " voxels along "
                    + (volumetric ? "every axis" : "y and x (a single slice is treated as 2D)"));
        }
        int rz = volumetric ? RADIUS : 0;
        int outZ = nz - 2 * rz;
        double[] sums = new double[outZ];
        long[] counts = new long[outZ];
        int workers = Math.max(1, Math.min(org.pdrecon.util.Threads.java(), outZ));
        SlabJob job = new SlabJob(reference.data(), test.data(), mask == null ? null : mask.flags(),
                ny, nx, rz, range, sums, counts);
        IntStream.range(0, workers).parallel().forEach(w -> job.run(rz + (int) ((long) outZ * w / workers),
                rz + (int) ((long) outZ * (w + 1) / workers)));
        double total = 0;
        long n = 0;
        for (int k = 0; k < outZ; k++) {
            total += sums[k];
            n += counts[k];
        }
        if (n == 0) {
            throw new IllegalArgumentException("SSIM: mask '" + mask.description() + "' has no voxels at least "
                    + RADIUS + " voxels away from the image faces, where SSIM is averaged");
        }
        return total / n;
    }

    /** Filters the five local moments slice by slice and sums the SSIM map over a block of output slices. */
    private static final class SlabJob {
        final float[] a, b;
        final boolean[] mask;
        final int ny, nx, rz, oy, ox;
        final double c1, c2;
        final double[] sums;
        final long[] counts;

        SlabJob(float[] a, float[] b, boolean[] mask, int ny, int nx, int rz, double range,
                double[] sums, long[] counts) {
            this.a = a;
            this.b = b;
            this.mask = mask;
            this.ny = ny;
            this.nx = nx;
            this.rz = rz;
            this.oy = ny - 2 * RADIUS;
            this.ox = nx - 2 * RADIUS;
            this.c1 = (K1 * range) * (K1 * range);
            this.c2 = (K2 * range) * (K2 * range);
            this.sums = sums;
            this.counts = counts;
        }

        /** Output slices {@code [z0, z1)} (image z indices, all at least rz from the ends). */
        void run(int z0, int z1) {
            if (z0 >= z1) return;
            int depth = 2 * rz + 1, plane = oy * ox;
            double[][][] ring = new double[depth][Q][plane];
            double[][] rowMoments = new double[Q][nx];
            double[][] xFiltered = new double[Q][ny * ox];
            double[][] zFiltered = rz == 0 ? null : new double[Q][plane];
            double[][][] window = new double[depth][][];
            for (int zi = z0 - rz; zi < z1 + rz; zi++) {
                filterSlice(zi, ring[zi % depth], rowMoments, xFiltered);
                int zo = zi - rz;
                if (zo < z0) continue; // window along z not yet complete
                double[][] m = ring[zo % depth];
                if (rz > 0) {
                    for (int d = 0; d < depth; d++) window[d] = ring[(zo - rz + d) % depth];
                    filterAlongZ(window, zFiltered);
                    m = zFiltered;
                }
                double sum = 0;
                long n = 0;
                int rowBase = zo * ny * nx;
                for (int yo = 0; yo < oy; yo++) {
                    int maskRow = rowBase + (yo + RADIUS) * nx + RADIUS;
                    for (int xo = 0; xo < ox; xo++) {
                        if (mask != null && !mask[maskRow + xo]) continue;
                        int p = yo * ox + xo;
                        sum += ssim(m[0][p], m[1][p], m[2][p], m[3][p], m[4][p]);
                        n++;
                    }
                }
                sums[zo - rz] = sum;
                counts[zo - rz] = n;
            }
        }

        /** Combines the 11 xy-filtered slices around an output slice with the z weights. */
        private static void filterAlongZ(double[][][] window, double[][] out) {
            for (int q = 0; q < Q; q++) {
                double[] dst = out[q];
                Arrays.fill(dst, 0);
                for (int d = 0; d < window.length; d++) {
                    double w = WEIGHTS[d];
                    double[] src = window[d][q];
                    for (int p = 0; p < dst.length; p++) dst[p] += w * src[p];
                }
            }
        }

        /** The five moments of slice z, filtered along x and y, on the cropped (oy × ox) plane. */
        private void filterSlice(int z, double[][] out, double[][] row, double[][] xf) {
            int base = z * ny * nx;
            for (int y = 0; y < ny; y++) {
                int off = base + y * nx;
                for (int x = 0; x < nx; x++) {
                    double u = a[off + x], v = b[off + x];
                    row[0][x] = u;
                    row[1][x] = v;
                    row[2][x] = u * u;
                    row[3][x] = v * v;
                    row[4][x] = u * v;
                }
                for (int q = 0; q < Q; q++) {
                    double[] r = row[q], dst = xf[q];
                    int o = y * ox;
                    for (int xo = 0; xo < ox; xo++) {
                        double s = 0;
                        for (int t = 0; t < WEIGHTS.length; t++) s += WEIGHTS[t] * r[xo + t];
                        dst[o + xo] = s;
                    }
                }
            }
            for (int q = 0; q < Q; q++) {
                double[] src = xf[q], dst = out[q];
                Arrays.fill(dst, 0);
                for (int yo = 0; yo < oy; yo++) {
                    int o = yo * ox;
                    for (int t = 0; t < WEIGHTS.length; t++) {
                        double w = WEIGHTS[t];
                        int s0 = (yo + t) * ox;
                        for (int xo = 0; xo < ox; xo++) dst[o + xo] += w * src[s0 + xo];
                    }
                }
            }
        }

        private double ssim(double mx, double my, double mxx, double myy, double mxy) {
            double vx = mxx - mx * mx, vy = myy - my * my, vxy = mxy - mx * my;
            double num = (2 * mx * my + c1) * (2 * vxy + c2);
            double den = (mx * mx + my * my + c1) * (vx + vy + c2);
            return num / den;
        }
    }

    /** scipy's 1D Gaussian kernel: exp(−t²/2σ²) for t = −r..r, normalised to sum 1. */
    private static double[] gaussianWeights() {
        double[] w = new double[2 * RADIUS + 1];
        double sum = 0;
        for (int t = -RADIUS; t <= RADIUS; t++) {
            w[t + RADIUS] = Math.exp(-0.5 * t * t / (SIGMA * SIGMA));
            sum += w[t + RADIUS];
        }
        for (int i = 0; i < w.length; i++) w[i] /= sum;
        return w;
    }
}
