package org.pdrecon.reconstruct;

import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * One reconstruction method behind one call: line integrals {@code [view][row][col]} and their geometry
 * in, μ in 1/mm on {@code geometry.volume()} ({@code [z][y][x]}) out. FDK, the iterative solvers and
 * (later) learned models each implement it once; {@link Reconstructors} finds them by name, so a new
 * method needs no change to the commands that call it.
 */
public interface Reconstructor {
    /** Work done so far, reported on the calling thread; {@code total} is fixed for one reconstruction. */
    @FunctionalInterface
    interface Progress {
        Progress NONE = (done, total) -> {};

        void update(long done, long total);

        /** A short status for the progress line (e.g. the current loss); ignored unless shown. */
        default void status(String text) {}
    }

    /** Short method name as used on the command line, e.g. {@code "fdk"}. */
    String name();

    /** The method and its settings in a few words, for summaries (e.g. {@code "FDK ram-lak, cut-off 1.00"}). */
    String describe();

    /**
     * @param projections line integrals matching {@code geometry}'s detector and view count. Not modified.
     * @param geometry the scan; its volume grid is the output grid
     */
    Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, Progress progress);
}
