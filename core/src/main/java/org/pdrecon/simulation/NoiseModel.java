package org.pdrecon.simulation;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.pdrecon.data.ProjectionStack;

/**
 * Transmission noise for simulated projections. For a clean line integral {@code p} of a pixel:
 * <pre>
 *   N  ~ Poisson(I0 · exp(−p))                 photons counted (exact sampler, {@link PoissonSampler})
 *   N' = N + σ_e · Z,   Z ~ Normal(0, 1)        optional electronic noise, in counts
 *   p' = −ln( max(N', floor) / I0 )             noisy line integral
 * </pre>
 * {@code I0} is the unattenuated photon count per pixel; {@code floor} (default
 * {@value #DEFAULT_FLOOR_COUNTS} counts) replaces zero and negative counts, so {@code p'} never exceeds
 * {@code ln(I0 / floor)}.
 *
 * <p>Deterministic: view {@code v} draws from its own {@link SplittableRandom} seeded with
 * {@link #viewSeed(long, int)}, pixels in {@code [row][col]} order, so the result depends only on the
 * seed, never on thread scheduling or count. Immutable.
 */
public final class NoiseModel {
    /** Default floor for zero or negative counts: half a photon, so zero counts stay distinct from one. */
    public static final double DEFAULT_FLOOR_COUNTS = 0.5;

    private final double i0;
    private final double sigmaE;
    private final double floor;

    private NoiseModel(double i0, double sigmaE, double floor) {
        if (!(i0 > 0) || !Double.isFinite(i0)) throw new IllegalArgumentException("i0 (photons per pixel) must be positive, got " + i0);
        if (!(sigmaE >= 0) || !Double.isFinite(sigmaE)) {
            throw new IllegalArgumentException("electronic noise sigma (counts) must be finite and non-negative, got " + sigmaE);
        }
        if (!(floor > 0) || !Double.isFinite(floor)) throw new IllegalArgumentException("count floor must be positive, got " + floor);
        if (floor > i0) throw new IllegalArgumentException("count floor (" + floor + ") must not exceed i0 (" + i0 + ")");
        this.i0 = i0;
        this.sigmaE = sigmaE;
        this.floor = floor;
    }

    /** Poisson noise only, with {@code i0Photons} unattenuated photons per pixel. */
    public static NoiseModel poisson(double i0Photons) {
        return new NoiseModel(i0Photons, 0, DEFAULT_FLOOR_COUNTS);
    }

    /** The same model with additive Gaussian electronic noise of standard deviation {@code sigmaCounts}. */
    public NoiseModel withElectronicNoise(double sigmaCounts) {
        return new NoiseModel(i0, sigmaCounts, floor);
    }

    /** The same model with another floor for zero or negative counts. */
    public NoiseModel withFloorCounts(double floorCounts) {
        return new NoiseModel(i0, sigmaE, floorCounts);
    }

    /** Unattenuated photons per pixel. */
    public double i0() { return i0; }
    /** Standard deviation of the electronic noise, counts. */
    public double electronicSigmaCounts() { return sigmaE; }
    /** Smallest count used in the logarithm. */
    public double floorCounts() { return floor; }

    /** Noisy copy of {@code clean}, one thread per core. */
    public ProjectionStack apply(ProjectionStack clean, long seed) {
        return apply(clean, seed, Parallel.defaultThreads());
    }

    /** Noisy copy of {@code clean} (line integrals in, line integrals out); {@code clean} is not modified. */
    public ProjectionStack apply(ProjectionStack clean, long seed, int threads) {
        if (clean == null) throw new IllegalArgumentException("projections are missing");
        ProjectionStack out = clean.copy();
        int perView = clean.rows() * clean.cols();
        float[] in = clean.data(), dst = out.data();
        Parallel.forEach(clean.views(), threads, view -> {
            RandomGenerator rng = new SplittableRandom(viewSeed(seed, view));
            int base = view * perView;
            for (int p = 0; p < perView; p++) {
                float value = in[base + p];
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException("projection value at (view " + view + ", row " + p / clean.cols()
                            + ", col " + p % clean.cols() + ") is " + value + ", noise needs finite line integrals");
                }
                dst[base + p] = (float) toLineIntegral(sampleCounts(value, rng));
            }
        }, null);
        return out;
    }

    /** Detected counts {@code N'} for one pixel with clean line integral {@code p}. */
    public double sampleCounts(double lineIntegral, RandomGenerator rng) {
        double counts = PoissonSampler.sample(rng, i0 * Math.exp(-lineIntegral));
        if (sigmaE > 0) counts += sigmaE * rng.nextGaussian();
        return counts;
    }

    /** {@code −ln(max(counts, floor) / I0)}. */
    public double toLineIntegral(double counts) {
        return -Math.log(Math.max(counts, floor) / i0);
    }

    /** Seed of view {@code view}'s generator: a SplitMix64 mix of the scan seed and the view index. */
    public static long viewSeed(long seed, int view) {
        long z = seed + (view + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return String.format("NoiseModel[I0 %.4g photons/pixel, electronic σ %.4g counts, floor %.4g counts]", i0, sigmaE, floor);
    }
}
