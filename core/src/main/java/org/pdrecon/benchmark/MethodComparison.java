package org.pdrecon.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.MetricValues;
import org.pdrecon.reconstruct.Reconstructor;

/**
 * Runs several reconstruction methods on one scan with a known ground truth and scores each: PSNR,
 * SSIM, NRMSE inside a stated mask (range = max − min of the truth inside it) and wall seconds.
 */
public final class MethodComparison {
    private MethodComparison() {}

    /** One method's result: its volume, metrics and wall time. */
    public record Result(Reconstructor method, Volume volume, MetricValues metrics, double seconds) {
        public String markdownRow() {
            return String.format(Locale.ROOT, "| %s | %.2f | %.4f | %.4f | %.1f |", method.describe(), metrics.psnrDb(),
                    metrics.ssim(), metrics.nrmse(), seconds);
        }
    }

    public static final String MARKDOWN_HEADER = "| method | PSNR (dB) | SSIM | NRMSE | seconds |\n|---|---|---|---|---|";

    /** Observes each method as it starts and as it progresses (e.g. to drive a progress bar). */
    public interface Listener {
        Listener NONE = new Listener() {};

        default Reconstructor.Progress starting(Reconstructor method) { return Reconstructor.Progress.NONE; }

        default void finished(Result result) {}
    }

    /** Reconstructs {@code projections} with every method in order and scores it against {@code truth}. */
    public static List<Result> run(Volume truth, ProjectionStack projections, ConeBeamGeometry geometry, Mask mask,
                                   List<Reconstructor> methods, Listener listener) {
        if (!truth.grid().equals(geometry.volume())) {
            throw new IllegalArgumentException("the truth's grid " + truth.grid() + " is not the scan's " + geometry.volume());
        }
        List<Result> results = new ArrayList<>();
        for (Reconstructor m : methods) {
            Reconstructor.Progress progress = listener.starting(m);
            long t0 = System.nanoTime();
            Volume v = m.reconstruct(projections, geometry, progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Result r = new Result(m, v, ImageMetrics.compare(truth, v, mask), seconds);
            listener.finished(r);
            results.add(r);
        }
        return results;
    }
}
