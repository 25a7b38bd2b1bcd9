package org.pdrecon.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command as a process and measures it as a user would: wall time from start to exit, and the
 * peak resident memory of the process (Linux's {@code VmHWM}, read from {@code /proc/PID/status} every
 * few milliseconds while it runs; the high-water mark only grows, so the last reading is the peak up to
 * a few milliseconds before exit). Elsewhere the peak is NaN.
 */
final class TimedProcess {
    private TimedProcess() {}

    /** Wall seconds and peak resident MiB of one run. */
    record Run(double wallSeconds, double peakMib) {}

    private static final long POLL_MILLIS = 3;

    /**
     * Runs {@code command} with stdout and stderr into {@code log}.
     *
     * @throws IOException when it cannot start or exits with a non-zero status (the log's last lines say why)
     */
    static Run run(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            double peak = Double.NaN;
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) peak = max(peak, highWaterMib(status));
            double wall = (System.nanoTime() - t0) / 1e9;
            if (p.exitValue() != 0) {
                // Decoded leniently: a tool's bytes that are not UTF-8 must not hide why it failed.
                List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + tail);
            }
            return new Run(wall, peak);
        } finally {
            if (p.isAlive()) { // interrupted or failed while it ran: leave no process behind
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code VmHWM} in MiB, or NaN when the file or the line is missing (no /proc, or the process has just exited). */
    static double highWaterMib(Path status) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static double max(double a, double b) {
        if (Double.isNaN(a)) return b;
        if (Double.isNaN(b)) return a;
        return Math.max(a, b);
    }
}
