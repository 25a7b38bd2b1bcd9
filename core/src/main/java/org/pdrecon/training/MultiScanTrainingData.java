package org.pdrecon.training;

import java.util.List;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Simulated training data over several scan geometries ({@code data.scans}), so that one model learns a
 * range of them: its envelope. The scans take turns by step, round-robin: step {@code s} (samples
 * {@code s·B … s·B + B − 1}) is simulated on scan {@code s mod G}, so a batch shares one geometry and
 * every scan gets the same share of steps. Validation sample {@code i} is on scan {@code i mod G}. Each
 * scan's samples come from a {@link SimulatedTrainingData} with the run's seed, so sample {@code i} is
 * still a pure function of {@code i}.
 */
public final class MultiScanTrainingData implements TrainingData {
    private final List<SimulatedTrainingData> scans;
    private final List<ConeBeamGeometry> geometries;
    private final int batchSize;

    public MultiScanTrainingData(TrainingConfig.DataConfig config, int batchSize, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.scans = config.scans().stream().map(s -> new SimulatedTrainingData(config, s, seed)).toList();
        this.geometries = scans.stream().map(SimulatedTrainingData::geometry).toList();
        this.batchSize = batchSize;
    }

    @Override
    public ConeBeamGeometry geometry() {
        if (geometries.size() == 1) return geometries.get(0);
        throw new IllegalStateException("this training data spans " + geometries.size() + " scan geometries (data.scans); ask geometries()");
    }

    @Override
    public List<ConeBeamGeometry> geometries() {
        return geometries;
    }

    @Override
    public int scanOf(long index) {
        if (index < 0) throw new IllegalArgumentException("sample index must be non-negative, got " + index);
        return (int) ((index / batchSize) % scans.size());
    }

    @Override
    public int validationScanOf(int i) {
        return Math.floorMod(i, scans.size());
    }

    @Override
    public TrainingSample sample(long index) {
        return scans.get(scanOf(index)).sample(index);
    }

    @Override
    public TrainingSample validationSample(int i) {
        return scans.get(validationScanOf(i)).validationSample(i);
    }
}
