package org.pdrecon.operators.tape;

import ai.djl.ndarray.NDList;

/**
 * The differentiable DJL code between two operator cuts: ordinary NDArray operations and block
 * forwards, recorded by DJL autograd. A segment must be a pure function of its inputs and the
 * parameters it reads (no dropout, no running statistics, no in-place changes to its inputs), because
 * {@link SegmentTape.Mode#RECOMPUTE} runs it a second time in the backward sweep and expects the same
 * outputs.
 */
@FunctionalInterface
public interface Segment {
    /** Computes the segment's outputs from its inputs (same order as passed to the tape). */
    NDList forward(NDList inputs);
}
