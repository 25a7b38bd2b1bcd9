package org.pdrecon.fdk;

import java.io.IOException;
import org.pdrecon.data.ProjectionStack;

/**
 * Where FDK reads its projections from, a few views at a time and in order, so a scan never has to be
 * held in memory whole (a file streamed by {@link org.pdrecon.io.MetaImage#openProjections}, or a stack
 * already in memory).
 */
public interface ViewSource {
    int views();
    int rows();
    int cols();

    /** Copies views {@code [firstView, firstView + count)} into {@code into} ({@code [count][rows][cols]}); calls come in view order. */
    void read(int firstView, int count, float[] into) throws IOException;

    /** A stack in memory (read, never modified). */
    static ViewSource of(ProjectionStack stack) {
        return new ViewSource() {
            @Override public int views() { return stack.views(); }
            @Override public int rows() { return stack.rows(); }
            @Override public int cols() { return stack.cols(); }
            @Override public void read(int firstView, int count, float[] into) {
                int per = stack.rows() * stack.cols();
                System.arraycopy(stack.data(), firstView * per, into, 0, count * per);
            }
        };
    }
}
