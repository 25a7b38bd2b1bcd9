package org.pdrecon.cli;

import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.simulation.BodyPhantoms;
import org.pdrecon.simulation.ForbildHead;
import org.pdrecon.simulation.NoiseModel;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.RandomEllipsoids;
import org.pdrecon.simulation.SheppLogan3D;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which phantoms to simulate and how noisy their projections are; shared by {@code simulate} and {@code demo}. */
final class PhantomOptions {
    enum Kind { shepp_logan, random, thorax, pelvis, forbild_head }

    /** Kinds by name, with {@code -} for {@code _} ({@code forbild-head}). */
    static final class KindConverter implements CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            for (Kind k : Kind.values()) if (k.name().equals(value.replace('-', '_'))) return k;
            throw new CommandLine.TypeConversionException("unknown phantom '" + value + "'; known: shepp_logan, random, thorax, pelvis, forbild-head");
        }
    }

    @Option(names = "--phantom", paramLabel = "KIND", defaultValue = "shepp_logan", converter = KindConverter.class,
            description = "shepp_logan (3D modified Shepp–Logan, brain μ = 0.02/mm), random (seeded random"
                    + " ellipsoids in a water body), thorax or pelvis (seeded anatomical phantoms, μ at 70 keV, bodies"
                    + " 290–390 mm wide: use --fov-mm 400), forbild-head (the FORBILD head, 192 × 240 × 250 mm, μ at"
                    + " 70 keV; fits the default 256 mm field) (default: ${DEFAULT-VALUE})")
    Kind kind;

    @Option(names = "--i0", paramLabel = "PHOTONS", defaultValue = "1e5",
            description = "Poisson noise with this many unattenuated photons per pixel; 0 for noise-free (default: ${DEFAULT-VALUE})")
    double i0;

    @Option(names = "--electronic-sigma", paramLabel = "COUNTS", defaultValue = "0",
            description = "standard deviation of additive Gaussian electronic noise, in counts (default: ${DEFAULT-VALUE})")
    double electronicSigma;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "seed of the phantoms and the noise; same seed, same data (default: ${DEFAULT-VALUE})")
    long seed;

    /** The noise model, or {@code null} for noise-free data. */
    NoiseModel noise() {
        if (i0 < 0 || !Double.isFinite(i0)) throw new IllegalArgumentException("--i0 must be ≥ 0, got " + i0);
        if (i0 == 0) return null;
        NoiseModel m = NoiseModel.poisson(i0);
        return electronicSigma > 0 ? m.withElectronicNoise(electronicSigma) : m;
    }

    /** The phantom of sample {@code index}: Shepp–Logan is the same for all, random phantoms differ per sample. */
    Phantom phantom(ConeBeamGeometry geometry, int index) {
        VolumeGrid g = geometry.volume();
        double halfX = g.nx() * g.dxMm() / 2, halfY = g.ny() * g.dyMm() / 2, halfZ = g.nz() * g.dzMm() / 2;
        double radius = 0.9 * Math.min(halfX, halfY);
        switch (kind) {
            case shepp_logan:
                return SheppLogan3D.fittingRadius(radius);
            case random:
                return RandomEllipsoids.builder()
                        .setFovRadiusMm(radius)
                        .optFovHalfHeightMm(g.nz() == 1 ? radius : 0.9 * halfZ)
                        .build()
                        .generate(sampleSeed(seed, index, 1));
            case thorax:
            case pelvis:
                return BodyPhantoms.named(kind.name(), sampleSeed(seed, index, 1));
            case forbild_head:
                return ForbildHead.phantom(); // one anatomy: every sample is the same head, with its own noise
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** Noise seed of sample {@code index}. */
    long noiseSeed(int index) {
        return sampleSeed(seed, index, 2);
    }

    /** Independent, reproducible seeds per (sample, stream) from one user seed (SplitMix64 finaliser). */
    static long sampleSeed(long seed, int index, int stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + index * 4L + stream);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
