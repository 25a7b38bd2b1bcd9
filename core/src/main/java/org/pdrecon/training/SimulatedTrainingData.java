package org.pdrecon.training;

import ai.djl.ndarray.NDManager;
import java.util.Objects;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.learned.Initialisers;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.simulation.BodyPhantoms;
import org.pdrecon.simulation.ForbildHead;
import org.pdrecon.simulation.NoiseModel;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.RandomEllipsoids;
import org.pdrecon.simulation.ScanSimulator;
import org.pdrecon.simulation.SimulatedScan;

/**
 * Training examples simulated on the fly: sample {@code i} is a random-ellipsoid phantom (or, with
 * {@code data.phantom}, a {@link BodyPhantoms} thorax or pelvis, or the FORBILD head shifted) drawn with
 * seed {@code mix(seed, 2i)}, rasterised as the target, projected analytically (exact line
 * integrals, so the network never sees its own projector's discretisation as data), corrupted by
 * Poisson noise with seed {@code mix(seed, 2i + 1)}, and initialised by {@link Initialisers}.
 *
 * <p>The phantoms fill the disc (2D) or cylinder (3D) the scan covers, with a margin: radius
 * 0.9 × the smaller of the volume's in-plane half-width and the radius the detector's fan covers (for an
 * offset detector, its wider side: the half-fan field of view).
 *
 * <p>One scan geometry per source; {@link MultiScanTrainingData} goes round several.
 */
public final class SimulatedTrainingData implements TrainingData {
    private final ConeBeamGeometry geometry;
    private final java.util.function.LongFunction<Phantom> phantoms; // seed → phantom
    private final NoiseModel noise; // null: noiseless
    private final String initialiser;
    private final NDArrayOperator cpuOperator;
    private final long seed;

    /** The config's only scan ({@code data.scan}). */
    public SimulatedTrainingData(TrainingConfig.DataConfig config, long seed) {
        this(config, config.scan("simulated training data of one geometry"), seed);
    }

    /** Samples on {@code scan}, with the rest of {@code config} (phantoms, noise, initialiser). */
    public SimulatedTrainingData(TrainingConfig.DataConfig config, TrainingConfig.ScanConfig scan, long seed) {
        Objects.requireNonNull(config, "config");
        TrainingConfig.ScanConfig s = Objects.requireNonNull(scan, "scan");
        this.geometry = s.geometry();
        this.seed = seed;
        this.initialiser = config.initialiser();
        NoiseModel poisson = config.noiseI0() > 0 ? NoiseModel.poisson(config.noiseI0()) : null;
        this.noise = poisson != null && config.electronicSigma() > 0 ? poisson.withElectronicNoise(config.electronicSigma()) : poisson;
        this.cpuOperator = ModelGeometry.cpuOperator(geometry);
        VolumeGrid g = geometry.volume();
        double halfWidth = 0.5 * Math.min(g.nx() * g.dxMm(), g.ny() * g.dyMm());
        double fan = Math.atan((0.5 * s.detectorCols() * s.detectorPixelMm() + Math.abs(s.detectorOffsetMm())) / s.sddMm());
        double radius = 0.9 * Math.min(halfWidth, s.sodMm() * Math.sin(fan));
        double halfHeight = g.nz() == 1 ? radius // a slice through 3D phantoms
                : 0.9 * Math.min(0.5 * g.nz() * g.dzMm(), 0.5 * s.detectorRows() * s.detectorPixelMm() * (s.sodMm() - radius) / s.sddMm());
        if (config.phantom().equals("ellipsoids")) {
            RandomEllipsoids random = RandomEllipsoids.builder().setFovRadiusMm(radius).optFovHalfHeightMm(halfHeight).optCount(config.ellipsoids()).build();
            this.phantoms = random::generate;
        } else if (config.phantom().equals("forbild-head")) {
            this.phantoms = phantomSeed -> ForbildHead.shifted(phantomSeed, 10); // one anatomy, placed anew per sample
        } else {
            String kind = config.phantom();
            this.phantoms = phantomSeed -> BodyPhantoms.named(kind, phantomSeed);
        }
    }

    @Override
    public ConeBeamGeometry geometry() {
        return geometry;
    }

    @Override
    public TrainingSample sample(long index) {
        if (index < 0) throw new IllegalArgumentException("sample index must be non-negative, got " + index);
        ScanSimulator.Builder b = ScanSimulator.builder().setPhantom(phantoms.apply(mix(seed, 2 * index))).setGeometry(geometry);
        if (noise != null) b.optNoise(noise, mix(seed, 2 * index + 1));
        SimulatedScan scan = b.build().run();
        float[] y = scan.projections().data();
        float[] x0;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            x0 = Initialisers.initialise(initialiser, geometry, cpuOperator, m, y);
        }
        return new TrainingSample(y, x0, scan.groundTruth().data());
    }

    /** SplitMix64 finaliser of {@code seed + stream·golden}: independent-looking seeds per stream. */
    static long mix(long seed, long stream) {
        long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
