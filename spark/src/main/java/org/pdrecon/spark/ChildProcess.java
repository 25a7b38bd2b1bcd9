package org.pdrecon.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a command with its output in a log file and samples its peak resident memory while it runs, from
 * Linux's {@code /proc/PID/status} ({@code VmHWM}, the high-water mark, which only grows, so sampling every
 * 10 ms misses at most what grew after the last sample: the last milliseconds before exit).
 */
final class ChildProcess {
    /** Exit code, wall seconds, peak resident MiB (NaN where /proc is not readable), and whether it ran out of time. */
    record Outcome(int exitCode, double seconds, double peakRssMib, boolean timedOut) {}

    private ChildProcess() {}

    /** Runs {@code command} with its output in {@code log}; after {@code timeoutSeconds} (0: never) it is killed. */
    static Outcome run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        double peak = Double.NaN;
        boolean timedOut = false;
        long deadline = timeoutSeconds > 0 ? t0 + timeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
        try {
            while (p.isAlive()) {
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    p.destroyForcibly();
                    break;
                }
                double v = highWaterMib(status);
                if (!Double.isNaN(v)) peak = Double.isNaN(peak) ? v : Math.max(peak, v);
                p.waitFor(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
        int code = p.waitFor();
        return new Outcome(code, (System.nanoTime() - t0) * 1e-9, peak, timedOut);
    }

    private static double highWaterMib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between isAlive and the read, or /proc is absent
        }
        return Double.NaN;
    }
}
