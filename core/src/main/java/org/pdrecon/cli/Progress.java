package org.pdrecon.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars for long CLI work, drawn on standard error so standard output stays parseable. */
public final class Progress {
    private Progress() {}

    /** Swallows the bar's output when nobody is watching. */
    private static final class SilentConsumer implements ProgressBarConsumer {
        @Override public int getMaxRenderedLength() { return 80; }
        @Override public void accept(String rendered) {}
        @Override public void close() {}
    }

    /**
     * A bar named {@code task} running to {@code total} steps of {@code unit}; close it when done. Drawn
     * only when standard error is a terminal (or {@code PDRECON_PROGRESS=1}), so logs and tests stay clean.
     */
    public static ProgressBar bar(String task, long total, String unit) {
        boolean draw = System.console() != null || "1".equals(System.getenv("PDRECON_PROGRESS"));
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setConsumer(draw ? new ConsoleProgressBarConsumer(System.err) : new SilentConsumer())
                .build();
    }
}
