package org.pdrecon.simulation;

import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;

/**
 * The result of {@link ScanSimulator#run()}.
 *
 * @param groundTruth μ in 1/mm on the geometry's volume grid, {@code [z][y][x]}
 * @param cleanProjections exact line integrals, {@code [view][row][col]}
 * @param projections the measured line integrals: noisy if a noise model was set, otherwise the
 *     same object as {@code cleanProjections}
 */
public record SimulatedScan(Volume groundTruth, ProjectionStack cleanProjections, ProjectionStack projections) {
    /** Whether {@link #projections()} carries noise. */
    public boolean noisy() {
        return projections != cleanProjections;
    }
}
