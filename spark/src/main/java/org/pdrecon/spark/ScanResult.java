package org.pdrecon.spark;

import java.io.Serializable;
import java.util.Locale;

/**
 * What became of one scan of a batch: one row of {@code results.parquet} and {@code results.csv}.
 *
 * @param status {@code ok} or {@code error}
 * @param reused the row was kept from an earlier run whose outputs are complete (nothing was redone)
 * @param error one line saying why, for {@code error}; empty for {@code ok}
 * @param psnrDb PSNR against the reference inside the fully seen cylinder, NaN without a reference
 * @param ssim SSIM likewise, NaN without a reference (or on a grid smaller than SSIM's window)
 * @param seconds wall time of the scan's {@code reconstruct} process (JVM start included)
 * @param peakRssMib that process's peak resident memory (Linux VmHWM), NaN where unknown
 * @param volume the written volume relative to the output folder, empty for {@code error}
 * @param fingerprint the fingerprint of the manifest row and its input files that produced this row
 */
public record ScanResult(String scanId, String method, String status, boolean reused, String error, double psnrDb, double ssim,
                         double seconds, double peakRssMib, String volume, String fingerprint) implements Serializable {
    static final String OK = "ok", ERROR = "error";
    static final String CSV_HEADER = "scan_id,method,status,reused,error,psnr_db,ssim,seconds,peak_rss_mib,volume";

    boolean ok() {
        return OK.equals(status);
    }

    ScanResult asReused() {
        return new ScanResult(scanId, method, status, true, error, psnrDb, ssim, seconds, peakRssMib, volume, fingerprint);
    }

    static ScanResult failure(ScanSpec spec, String fingerprint, String error, double seconds, double peakRssMib) {
        return new ScanResult(spec.scanId(), spec.method(), ERROR, false, error, Double.NaN, Double.NaN, seconds, peakRssMib, "", fingerprint);
    }

    /** Whether a row read back from {@code result.json} has every field (an older or damaged file may not). */
    boolean complete() {
        return scanId != null && method != null && status != null && error != null && volume != null && fingerprint != null;
    }

    /** One CSV line in {@link #CSV_HEADER}'s order (RFC 4180 quoting; NaN as an empty field). */
    String csv() {
        return String.join(",", quote(scanId), quote(method), status, Boolean.toString(reused), quote(error), number(psnrDb, "%.4f"),
                number(ssim, "%.5f"), number(seconds, "%.3f"), number(peakRssMib, "%.1f"), quote(volume));
    }

    private static String number(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "";
    }

    static String quote(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
