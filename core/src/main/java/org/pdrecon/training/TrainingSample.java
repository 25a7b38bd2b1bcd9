package org.pdrecon.training;

/**
 * One training example as flat float arrays.
 *
 * @param projections measured line integrals {@code [views][rows][cols]}
 * @param initial the primal initialisation {@code x0}, {@code [nz][ny][nx]}, μ in 1/mm
 * @param target the ground truth, {@code [nz][ny][nx]}, μ in 1/mm
 */
public record TrainingSample(float[] projections, float[] initial, float[] target) {}
