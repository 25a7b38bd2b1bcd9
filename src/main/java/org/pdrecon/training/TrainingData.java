package org.pdrecon.training;

/**
 * An endless, deterministic source of training examples: {@link #sample} is a pure function of the
 * index (and the source's seed), so a run's data order is just its sample counter, which makes
 * resuming exact: step {@code s} with batch size {@code B} uses samples {@code s·B … s·B + B − 1}.
 * Implementations must be safe to call from a background thread.
 */
public interface TrainingData {
    /** Example number {@code index ≥ 0}; the same index always gives the same arrays. */
    TrainingSample sample(long index);
}
