package org.pdrecon.spark;

import me.tongfei.progressbar.ProgressBar;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** A progress bar on the driver that moves as Spark tasks (one per scan) end, whichever executor ran them. */
final class ScanProgress extends SparkListener implements AutoCloseable {
    private final ProgressBar bar;
    private long done;

    ScanProgress(ProgressBar bar) {
        this.bar = bar;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        // a failed attempt is retried and ends again: count each scan once, when its task succeeds
        if (bar != null && taskEnd.reason() instanceof org.apache.spark.Success$) bar.stepTo(++done);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
