package org.pdrecon.simulation;

import java.util.function.IntConsumer;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Simulates one cone-beam scan of an analytic phantom: the ground-truth volume
 * ({@link Rasteriser} on the geometry's {@code VolumeGrid}), the exact projections
 * ({@link AnalyticProjector}) and, optionally, their noisy version ({@link NoiseModel}).
 * Deterministic: the same phantom, geometry, settings and noise seed give bit-identical output for
 * any thread count.
 *
 * <pre>{@code
 * SimulatedScan scan = ScanSimulator.builder()
 *         .setPhantom(SheppLogan3D.fittingRadius(100))
 *         .setGeometry(geometry)
 *         .optNoise(NoiseModel.poisson(1e5), 42)
 *         .optProgress(viewsDone -> bar.stepTo(viewsDone))
 *         .build()
 *         .run();
 * }</pre>
 */
public final class ScanSimulator {
    private final Phantom phantom;
    private final ConeBeamGeometry geometry;
    private final int volumeSupersampling, detectorSupersampling, threads;
    private final NoiseModel noise;
    private final long noiseSeed;
    private final IntConsumer progress;

    private ScanSimulator(Builder b) {
        this.phantom = b.phantom;
        this.geometry = b.geometry;
        this.volumeSupersampling = b.volumeSupersampling;
        this.detectorSupersampling = b.detectorSupersampling;
        this.threads = b.threads;
        this.noise = b.noise;
        this.noiseSeed = b.noiseSeed;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Rasterises, projects and (if configured) adds noise. */
    public SimulatedScan run() {
        var volume = Rasteriser.rasterise(phantom, geometry.volume(), volumeSupersampling, threads);
        var clean = AnalyticProjector.project(phantom, geometry, detectorSupersampling, threads, progress);
        var measured = noise == null ? clean : noise.apply(clean, noiseSeed, threads);
        return new SimulatedScan(volume, clean, measured);
    }

    /** Builder: {@code set*} required, {@code opt*} optional; {@link #build()} validates. */
    public static final class Builder {
        private Phantom phantom;
        private ConeBeamGeometry geometry;
        private int volumeSupersampling = 2, detectorSupersampling = 2;
        private int threads = Parallel.defaultThreads();
        private NoiseModel noise;
        private long noiseSeed;
        private IntConsumer progress;

        public Builder setPhantom(Phantom p) { this.phantom = p; return this; }
        /** The scan; its volume grid is where the ground truth is rasterised. */
        public Builder setGeometry(ConeBeamGeometry g) { this.geometry = g; return this; }
        /** Sub-samples per voxel edge for the ground truth (default 2, i.e. 8 per voxel). */
        public Builder optVolumeSupersampling(int s) { this.volumeSupersampling = s; return this; }
        /** Sub-pixel rays per detector pixel edge (default 2, i.e. 4 rays per pixel). */
        public Builder optDetectorSupersampling(int s) { this.detectorSupersampling = s; return this; }
        /** Noise model and the seed of its random streams (default: noiseless). */
        public Builder optNoise(NoiseModel model, long seed) { this.noise = model; this.noiseSeed = seed; return this; }
        /** Worker threads (default: one per core). */
        public Builder optThreads(int n) { this.threads = n; return this; }
        /** Receives the number of projected views (1 … views) on the calling thread. */
        public Builder optProgress(IntConsumer viewsDone) { this.progress = viewsDone; return this; }

        public ScanSimulator build() {
            if (phantom == null) throw new IllegalArgumentException("phantom is missing");
            if (geometry == null) throw new IllegalArgumentException("geometry is missing");
            if (volumeSupersampling < 1) throw new IllegalArgumentException("volume supersampling must be at least 1, got " + volumeSupersampling);
            if (detectorSupersampling < 1) throw new IllegalArgumentException("detector supersampling must be at least 1, got " + detectorSupersampling);
            if (threads < 1) throw new IllegalArgumentException("threads must be positive, got " + threads);
            return new ScanSimulator(this);
        }
    }
}
