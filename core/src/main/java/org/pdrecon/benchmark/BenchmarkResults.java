package org.pdrecon.benchmark;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pdrecon.util.AtomicFiles;

/**
 * The measured benchmark, gathered from its workers' files: one row per volume × method × cell, and per
 * method × cell what the worker measured of memory and threads. Written as {@code results.csv},
 * {@code results.json} and {@code table.md} (the reference table's shape: mean ± sd).
 */
public final class BenchmarkResults {
    /** One reconstruction of one volume; NaN scores when the method refused the scan. */
    public record Row(BenchmarkCell cell, String method, int volume, double psnrDb, double ssim, double nrmse, double seconds) {
        public boolean refused() {
            return Double.isNaN(psnrDb);
        }
    }

    /** What one worker measured: its method's description, threads, memory (MiB), and the scans it refused. */
    public record Facts(String describe, int javaThreads, int torchThreads, double peakRssMib, double baselineRssMib, double heapPeakMib,
                        List<String> refusals) {}

    private final BenchmarkConfig config;
    private final List<Row> rows;
    private final Map<String, Facts> facts; // key: cell id + "/" + label

    private BenchmarkResults(BenchmarkConfig config, List<Row> rows, Map<String, Facts> facts) {
        this.config = config;
        this.rows = List.copyOf(rows);
        this.facts = facts;
    }

    /** Reads every finished worker's files in {@code folder}. */
    static BenchmarkResults collect(BenchmarkConfig config, BenchmarkFolder folder) throws IOException {
        List<Row> rows = new ArrayList<>();
        Map<String, Facts> facts = new LinkedHashMap<>();
        for (BenchmarkCell c : config.cells()) {
            for (BenchmarkMethod m : config.methods()) {
                if (!config.cellsOf(m).contains(c)) continue;
                for (CellWorker.Row r : CellWorker.readRows(folder.rows(c, m))) {
                    rows.add(new Row(c, m.label(), r.volume(), r.psnrDb(), r.ssim(), r.nrmse(), r.seconds()));
                }
                Path f = folder.facts(c, m);
                if (Files.exists(f)) {
                    JsonObject o = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
                    facts.put(c.id() + "/" + m.label(), new Facts(o.get("describe").getAsString(), o.get("java_threads").getAsInt(),
                            o.get("torch_threads").getAsInt(), o.get("peak_rss_mib").getAsDouble(), o.get("baseline_rss_mib").getAsDouble(),
                            o.get("heap_peak_mib").getAsDouble(), CellWorker.readRefusals(f)));
                }
            }
        }
        return new BenchmarkResults(config, rows, facts);
    }

    public List<Row> rows() {
        return rows;
    }

    public BenchmarkConfig config() {
        return config;
    }

    /** The worker's measurements for {@code method} on {@code cell}, or {@code null} if it did not run there. */
    public Facts facts(BenchmarkCell cell, String method) {
        return facts.get(cell.id() + "/" + method);
    }

    /** One metric of {@code method} on {@code cell}, in volume order, refused scans left out: {@code psnr}, {@code ssim} or {@code seconds}. */
    public double[] values(BenchmarkCell cell, String method, String metric) {
        return rows.stream().filter(r -> r.cell().equals(cell) && r.method().equals(method) && !r.refused()).sorted((a, b) -> Integer.compare(a.volume(), b.volume()))
                .mapToDouble(r -> switch (metric) {
                    case "psnr" -> r.psnrDb();
                    case "ssim" -> r.ssim();
                    case "seconds" -> r.seconds();
                    default -> throw new IllegalArgumentException(metric);
                }).toArray();
    }

    /** Writes results.csv, results.json and table.md into {@code out}. */
    void write(Path out) throws IOException {
        AtomicFiles.writeString(out.resolve("results.csv"), csv());
        AtomicFiles.writeString(out.resolve("results.json"), json());
        AtomicFiles.writeString(out.resolve("table.md"), markdown());
    }

    String csv() {
        StringBuilder b = new StringBuilder("cell,views,noise_i0,method,volume,psnr_db,ssim,nrmse,seconds,java_threads,torch_threads,peak_rss_mib\n");
        for (Row r : rows) {
            Facts f = facts(r.cell(), r.method());
            b.append(String.format(Locale.ROOT, "%s,%d,%.0f,%s,%d,%.4f,%.5f,%.5f,%.3f,%d,%d,%.1f%n", r.cell().id(), r.cell().views(), r.cell().noiseI0(),
                    r.method(), r.volume(), r.psnrDb(), r.ssim(), r.nrmse(), r.seconds(), f == null ? 0 : f.javaThreads(), f == null ? 0 : f.torchThreads(),
                    f == null ? Double.NaN : f.peakRssMib()));
        }
        return b.toString();
    }

    String json() {
        JsonObject o = new JsonObject();
        o.addProperty("name", config.name());
        o.addProperty("volumes", config.volumes());
        o.addProperty("seed", config.seed());
        o.add("scan", config.scan().toJson());
        o.addProperty("processors", Runtime.getRuntime().availableProcessors());
        JsonArray methods = new JsonArray();
        for (BenchmarkMethod m : config.methods()) {
            for (BenchmarkCell c : config.cellsOf(m)) {
                Facts f = facts(c, m.label());
                if (f == null) continue;
                JsonObject e = new JsonObject();
                e.addProperty("method", m.label());
                e.addProperty("cell", c.id());
                e.addProperty("views", c.views());
                e.addProperty("noise_i0", c.noiseI0());
                e.addProperty("describe", f.describe());
                e.addProperty("java_threads", f.javaThreads());
                e.addProperty("torch_threads", f.torchThreads());
                finite(e, "peak_rss_mib", f.peakRssMib());
                finite(e, "baseline_rss_mib", f.baselineRssMib());
                finite(e, "heap_peak_mib", f.heapPeakMib());
                finite(e, "psnr_db_mean", mean(values(c, m.label(), "psnr")));
                finite(e, "psnr_db_sd", sd(values(c, m.label(), "psnr")));
                finite(e, "ssim_mean", mean(values(c, m.label(), "ssim")));
                finite(e, "ssim_sd", sd(values(c, m.label(), "ssim")));
                finite(e, "seconds_median", median(values(c, m.label(), "seconds")));
                e.addProperty("refused", refused(c, m.label()));
                JsonArray why = new JsonArray();
                f.refusals().forEach(why::add);
                e.add("refusals", why);
                methods.add(e);
            }
        }
        o.add("summary", methods);
        JsonArray rs = new JsonArray();
        for (Row r : rows) {
            JsonObject e = new JsonObject();
            e.addProperty("cell", r.cell().id());
            e.addProperty("method", r.method());
            e.addProperty("volume", r.volume());
            if (r.refused()) {
                e.addProperty("refused", true);
            } else {
                e.addProperty("psnr_db", r.psnrDb());
                e.addProperty("ssim", r.ssim());
                e.addProperty("nrmse", r.nrmse());
                e.addProperty("seconds", r.seconds());
            }
            rs.add(e);
        }
        o.add("rows", rs);
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    /** Adds {@code value} unless it is NaN or infinite (JSON has no such numbers; absent means not measured). */
    private static void finite(JsonObject o, String key, double value) {
        if (Double.isFinite(value)) o.addProperty(key, value);
    }

    /** The table: one row per method, one column per cell, each entry PSNR ± sd · SSIM ± sd · median seconds · peak MiB. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        var s = config.scan();
        b.append(String.format(Locale.ROOT, "%s: %d held-out phantoms per cell (seed %d), %d×%d×%d voxels of %.2f mm, detector %d×%d of %.2f mm, SOD %.0f mm, SDD %.0f mm, %.0f° arc.%n%n",
                config.name(), config.volumes(), config.seed(), s.nx(), s.ny(), s.nz(), s.voxelMm(), s.detectorRows(), s.detectorCols(), s.detectorPixelMm(),
                s.sodMm(), s.sddMm(), s.arcDeg()));
        b.append("Each entry: PSNR (dB) mean ± sd · SSIM mean ± sd · median seconds per volume · peak resident MiB of the method's process.\n\n");
        b.append("| method |");
        for (BenchmarkCell c : config.cells()) b.append(' ').append(c.label()).append(" |");
        b.append("\n|---|");
        for (int i = 0; i < config.cells().size(); i++) b.append("---|");
        b.append('\n');
        for (BenchmarkMethod m : config.methods()) {
            b.append("| ").append(m.label()).append(" |");
            for (BenchmarkCell c : config.cells()) b.append(' ').append(entry(c, m.label())).append(" |");
            b.append('\n');
        }
        b.append("\nThreads: ");
        b.append(facts.values().stream().map(f -> f.javaThreads() + " Java / " + f.torchThreads() + " libtorch").distinct()
                .reduce((x, y) -> x + ", " + y).orElse("none ran")).append(".\n");
        return b.toString();
    }

    /** How many scans of {@code cell} {@code method} refused. */
    public long refused(BenchmarkCell cell, String method) {
        return rows.stream().filter(r -> r.cell().equals(cell) && r.method().equals(method) && r.refused()).count();
    }

    /** A table entry, "—" where the method did not run on the cell, or how many scans it refused. */
    String entry(BenchmarkCell c, String method) {
        double[] p = values(c, method, "psnr");
        long refused = refused(c, method);
        if (p.length == 0) return refused == 0 ? "—" : "refused all " + refused + " scans (outside the model's envelope)";
        String note = refused == 0 ? "" : String.format(Locale.ROOT, " · refused %d of %d scans", refused, refused + p.length);
        double[] s = values(c, method, "ssim");
        Facts f = facts(c, method);
        return String.format(Locale.ROOT, "%.2f ± %.2f · %.3f ± %.3f · %s s · %.0f MiB", mean(p), sd(p), mean(s), sd(s), seconds(median(values(c, method, "seconds"))),
                f == null ? Double.NaN : f.peakRssMib()) + note;
    }

    private static String seconds(double s) {
        return s >= 10 ? String.format(Locale.ROOT, "%.0f", s) : s >= 1 ? String.format(Locale.ROOT, "%.1f", s) : String.format(Locale.ROOT, "%.2f", s);
    }

    static double mean(double[] x) {
        return ModelEvaluation.mean(x);
    }

    static double sd(double[] x) {
        return ModelEvaluation.sd(x);
    }

    static double median(double[] x) {
        return ModelEvaluation.median(x);
    }
}
