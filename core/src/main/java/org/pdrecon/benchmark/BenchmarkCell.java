package org.pdrecon.benchmark;

import java.util.Locale;
import org.pdrecon.util.StrictJson;

/**
 * One column group of the benchmark table: a view count and a noise level.
 *
 * @param views projections over the scan's arc
 * @param noiseI0 unattenuated photons per detector pixel (Poisson); 0 = noise-free
 */
public record BenchmarkCell(int views, double noiseI0) {
    public BenchmarkCell {
        if (views < 1) throw new IllegalArgumentException("a cell needs at least 1 view, got " + views);
        if (!(noiseI0 >= 0) || !Double.isFinite(noiseI0)) throw new IllegalArgumentException("noise_i0 must be ≥ 0 (0: noise-free), got " + noiseI0);
    }

    /** Reads {@code {"views": N, "noise_i0": I0}}. */
    static BenchmarkCell fromJson(StrictJson j) {
        BenchmarkCell c = new BenchmarkCell(j.requireInt("views"), j.requireDouble("noise_i0"));
        j.finish();
        return c;
    }

    public boolean noisy() {
        return noiseI0 > 0;
    }

    /** A file-name-safe id, e.g. {@code v032-i0-1e4} or {@code v128-clean}. */
    public String id() {
        return String.format(Locale.ROOT, "v%03d-%s", views, noisy() ? "i0-" + photons() : "clean");
    }

    /** For tables, e.g. {@code 32 views, I0 1e4} or {@code 128 views, noise-free}. */
    public String label() {
        return views + " views, " + (noisy() ? "I0 " + photons() : "noise-free");
    }

    /** I0 as {@code 1e4} when a power of ten, else with three significant digits. */
    private String photons() {
        double e = Math.log10(noiseI0);
        return Math.abs(e - Math.rint(e)) < 1e-9 ? "1e" + (long) Math.rint(e) : String.format(Locale.ROOT, "%.3g", noiseI0).replace("+", "");
    }
}
