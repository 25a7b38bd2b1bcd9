package org.pdrecon.spark;

import java.io.Serializable;

/**
 * What every scan of a batch shares.
 *
 * @param out the output folder, absolute; on a cluster it must be a path every executor sees (a shared file system)
 * @param threadsPerScan pdrecon's and libtorch's threads in each scan's process (Spark's {@code spark.task.cpus},
 *     so executors run cores ÷ threads scans at once and never oversubscribe)
 * @param dicomOut also write each volume as a CT DICOM series
 * @param retryErrors redo scans whose earlier run ended in an error even if neither the row nor its files changed
 * @param scanTimeoutSeconds stop a scan's process after this long and make it an error row; 0: no limit
 */
public record BatchSettings(String out, int threadsPerScan, boolean dicomOut, boolean retryErrors, long scanTimeoutSeconds) implements Serializable {
    public BatchSettings {
        if (threadsPerScan < 1) throw new IllegalArgumentException("threads per scan must be ≥ 1, got " + threadsPerScan);
        if (scanTimeoutSeconds < 0) throw new IllegalArgumentException("the scan timeout must be ≥ 0 s (0: none), got " + scanTimeoutSeconds);
    }

    /** No time limit per scan. */
    public BatchSettings(String out, int threadsPerScan, boolean dicomOut, boolean retryErrors) {
        this(out, threadsPerScan, dicomOut, retryErrors, 0);
    }
}
