package org.pdrecon.training;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.util.AtomicFiles;

/**
 * A CSV log keyed by step in its first column: {@code train_log.csv}
 * ({@code step,loss,learning_rate,grad_norm,step_seconds}) and {@code validation.csv}. Each row is
 * flushed when written. On resume the rows after the checkpoint's step (written by the killed process
 * but not covered by its last checkpoint) are dropped first, so the log always describes exactly one
 * sequence of steps.
 */
public final class TrainingLog implements Closeable {
    static final String HEADER = "step,loss,learning_rate,grad_norm,step_seconds";

    private final BufferedWriter out;

    /** Opens the training log, keeping only rows with {@code step ≤ keepSteps} from an existing file. */
    public TrainingLog(Path file, long keepSteps) throws IOException {
        this(file, HEADER, keepSteps);
    }

    /** Opens a log with the given header, keeping only rows with {@code step ≤ keepSteps} from an existing file. */
    public TrainingLog(Path file, String header, long keepSteps) throws IOException {
        List<String> kept = new ArrayList<>();
        kept.add(header);
        if (keepSteps >= 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("step")) continue;
                int comma = line.indexOf(',');
                try {
                    if (comma > 0 && Long.parseLong(line.substring(0, comma)) <= keepSteps) kept.add(line);
                } catch (NumberFormatException e) {
                    // a line cut by the kill: drop it
                }
            }
        }
        AtomicFiles.writeString(file, String.join("\n", kept) + "\n");
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    public void append(StepStats s) throws IOException {
        out.write(String.format(Locale.ROOT, "%d,%.8e,%.6e,%.6e,%.4f%n", s.step(), s.loss(), s.learningRate(), s.gradientNorm(), s.stepSeconds()));
        out.flush();
    }

    /** Appends one preformatted row (no newline). */
    public void appendRow(String row) throws IOException {
        out.write(row);
        out.newLine();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
