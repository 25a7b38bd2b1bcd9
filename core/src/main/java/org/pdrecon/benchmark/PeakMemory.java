package org.pdrecon.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures the memory a stretch of work in this process takes, from the kernel's point of view: the
 * peak resident set (Java heap, metaspace, libtorch's native allocations, everything) via Linux's
 * {@code VmHWM}, which {@link #start()} resets by writing 5 to {@code /proc/self/clear_refs}; and the
 * Java heap's own peak from the memory pools. Linux only; elsewhere the resident figures are NaN.
 */
final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status"), CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private final double baselineMib;

    private PeakMemory(double baselineMib) {
        this.baselineMib = baselineMib;
    }

    /** What was measured: peak resident set, the resident set when measuring began, and the Java heap's peak. */
    record Reading(double peakRssMib, double baselineRssMib, double heapPeakMib) {
        double aboveBaselineMib() {
            return peakRssMib - baselineRssMib;
        }
    }

    /** Resets the peaks and notes the resident set now. */
    static PeakMemory start() {
        System.gc(); // so garbage left by loading does not count as the work's
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return new PeakMemory(Double.NaN);
        }
        return new PeakMemory(statusMib("VmRSS:"));
    }

    /** The peaks since {@link #start()}. */
    Reading read() {
        double heap = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) heap += p.getPeakUsage().getUsed();
        }
        // The kernel syncs per-thread RSS counters lazily, so VmHWM can lag the baseline by a page or two.
        return new Reading(Double.isNaN(baselineMib) ? Double.NaN : Math.max(baselineMib, statusMib("VmHWM:")), baselineMib, heap / (1 << 20));
    }

    private static double statusMib(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) / 1024.0; // kB
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
