package org.pdrecon.benchmark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a benchmark grid's units of work (one method on one cell, each a {@link CellWorker} process through
 * {@link BenchmarkRun#runUnit}). The default runs them here one after another; the pdrecon-spark module
 * provides one that runs them as Spark tasks ({@code benchmark --spark}), found through {@link Provider}.
 */
public interface UnitRunner {
    /** One method on one cell of a benchmark folder. */
    record Unit(String cellId, String methodLabel) implements Serializable {}

    /**
     * Runs every unit; {@code finished} is told of each unit that ended well, on the calling thread: the local runner
     * after each, the Spark runner once all have ended.
     *
     * @throws IOException naming the first unit that failed; finished units keep their rows
     */
    void run(Path folder, List<Unit> units, java.util.function.Consumer<Unit> finished) throws IOException, InterruptedException;

    /** Makes a {@link UnitRunner} for an engine, e.g. Spark at a master URL; registered as a Java service. */
    interface Provider {
        /** The engine's name as given on the command line, e.g. {@code spark}. */
        String name();

        UnitRunner create(String master);
    }
}
