package org.pdrecon.training;

/**
 * What one finished optimiser step reports.
 *
 * @param step steps finished so far in the run (1 after the first step)
 * @param totalSteps steps in the whole run
 * @param loss mean squared error of the batch before the update, in working units: (μ·value_scale)²
 * @param learningRate the learning rate used by this step
 * @param gradientNorm global gradient norm before clipping
 * @param stepSeconds wall time of this step (data, forward, backward, update)
 */
public record StepStats(long step, long totalSteps, double loss, double learningRate, double gradientNorm, double stepSeconds) {}
