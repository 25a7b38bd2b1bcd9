package org.pdrecon.training;

import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * A deterministic source of training examples: {@link #sample} is a pure function of the index (and
 * the source's seed), so a run's data order is just its sample counter, which makes resuming exact:
 * step {@code s} with batch size {@code B} uses samples {@code s·B … s·B + B − 1}. Validation samples
 * are held out from the training samples. Implementations must be safe to call from a background
 * thread.
 */
public interface TrainingData {
    /** The scan geometry every sample shares (a source over several fails: see {@link #geometries()}). */
    ConeBeamGeometry geometry();

    /** The scan geometries samples come in: one for most sources, several for {@link MultiScanTrainingData}. */
    default java.util.List<ConeBeamGeometry> geometries() {
        return java.util.List.of(geometry());
    }

    /** The index in {@link #geometries()} of training sample {@code index}'s scan. */
    default int scanOf(long index) {
        return 0;
    }

    /** The index in {@link #geometries()} of validation sample {@code i}'s scan. */
    default int validationScanOf(int i) {
        return 0;
    }

    /** Training example number {@code index ≥ 0}; the same index always gives the same arrays. */
    TrainingSample sample(long index);

    /** Held-out example number {@code i ≥ 0}; by default a sample index training never reaches. */
    default TrainingSample validationSample(int i) {
        return sample(TrainingConfig.ValidationConfig.FIRST_INDEX + i);
    }
}
