package org.pdrecon.fdk;

/** Progress of an FDK reconstruction, reported on the calling thread. */
@FunctionalInterface
public interface FdkProgress {
    enum Stage { WEIGHTING_AND_FILTERING, BACKPROJECTION }

    /** {@code done} of {@code total} views finished in {@code stage}. */
    void update(Stage stage, int done, int total);
}
