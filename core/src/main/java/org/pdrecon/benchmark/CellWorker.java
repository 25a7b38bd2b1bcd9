package org.pdrecon.benchmark;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.io.MetaImage;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.Masks;
import org.pdrecon.metrics.MetricValues;
import org.pdrecon.reconstruct.ReconstructionSettings;
import org.pdrecon.reconstruct.Reconstructor;
import org.pdrecon.reconstruct.Reconstructors;
import org.pdrecon.reconstruct.LearnedReconstructor;
import org.pdrecon.util.AtomicFiles;
import org.pdrecon.util.Threads;

/**
 * Runs one method on one cell's stored scans, in a process of its own so that its peak memory is its
 * own ({@link PeakMemory}): {@code CellWorker FOLDER CELL_ID METHOD_LABEL}. Volumes already in the
 * cell's rows file are skipped; after each volume the rows and facts files are rewritten atomically and
 * {@code done N} is printed, which the orchestrator turns into progress. A learned model that refuses a
 * scan as outside its envelope (the attenuation check, which needs the scan) gives a row of NaN scores
 * and its reason in the facts file, and the cell goes on: the table then says how many it refused.
 */
public final class CellWorker {
    static final String DONE = "done ";
    private static final String HEADER = "volume,psnr_db,ssim,nrmse,seconds";

    private CellWorker() {}

    /** One scored reconstruction; all NaN when the method refused the scan. */
    record Row(int volume, double psnrDb, double ssim, double nrmse, double seconds) {
        boolean refused() {
            return Double.isNaN(psnrDb);
        }

        String csv() {
            return String.format(Locale.ROOT, "%d,%.4f,%.5f,%.5f,%.3f", volume, psnrDb, ssim, nrmse, seconds);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: CellWorker FOLDER CELL_ID METHOD_LABEL");
        BenchmarkFolder folder = new BenchmarkFolder(Path.of(args[0]));
        BenchmarkConfig config = BenchmarkConfig.load(folder.config());
        run(config, folder, config.cell(args[1]), config.method(args[2]));
    }

    static void run(BenchmarkConfig config, BenchmarkFolder folder, BenchmarkCell cell, BenchmarkMethod method) throws IOException {
        ConeBeamGeometry g = config.scan().withViews(cell.views()).geometry();
        Mask mask = Masks.fullySeenCylinder(g);
        List<Row> rows = readRows(folder.rows(cell, method));
        List<String> refusals = new ArrayList<>(readRefusals(folder.facts(cell, method)));
        String tuning = "";
        ReconstructionSettings settings = method.settings();
        if (!method.lambdas().isEmpty()) {
            StringBuilder t = new StringBuilder("λ chosen on " + config.tuningVolumes() + (config.tuningVolumes() == 1 ? " tuning phantom:" : " tuning phantoms:"));
            double best = Double.NEGATIVE_INFINITY;
            for (double lambda : method.lambdas()) {
                Reconstructor candidate = Reconstructors.create(method.method(), method.withLambda(lambda));
                double sum = 0;
                for (int k = 0; k < config.tuningVolumes(); k++) {
                    int index = config.volumes() + k;
                    Volume v = candidate.reconstruct(MetaImage.readProjections(folder.projections(cell, index)), g, Reconstructor.Progress.NONE);
                    sum += ImageMetrics.compare(MetaImage.readVolume(folder.truth(cell, index)), v, mask).psnrDb();
                }
                double mean = sum / config.tuningVolumes();
                t.append(String.format(Locale.ROOT, " %.3g → %.2f dB;", lambda, mean));
                if (mean > best) {
                    best = mean;
                    settings = method.withLambda(lambda);
                }
            }
            tuning = t.append(String.format(Locale.ROOT, " chosen λ %.3g", settings.lambda())).toString();
        }
        Reconstructor r = !method.learned() ? Reconstructors.create(method.method(), settings)
                : org.pdrecon.fields.ConditionedField.isModel(method.model()) ? org.pdrecon.reconstruct.ConditionedFieldReconstructor.load(method.model(), 0)
                : LearnedReconstructor.load(method.model(), ai.djl.Device.cpu());
        try {
            PeakMemory memory = PeakMemory.start();
            for (int i = 0; i < config.volumes(); i++) {
                int volume = i;
                if (rows.stream().anyMatch(row -> row.volume() == volume)) continue;
                Volume truth = MetaImage.readVolume(folder.truth(cell, i));
                ProjectionStack y = MetaImage.readProjections(folder.projections(cell, i));
                long t0 = System.nanoTime();
                Volume v;
                try {
                    v = r.reconstruct(y, g, Reconstructor.Progress.NONE);
                } catch (IllegalArgumentException e) {
                    if (!method.learned() || !e.getMessage().contains(LearnedReconstructor.OUTSIDE_ENVELOPE)) throw e;
                    v = null;
                    refusals.add("volume " + i + ": " + e.getMessage());
                }
                double seconds = (System.nanoTime() - t0) * 1e-9;
                if (v == null) {
                    rows.add(new Row(i, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
                } else {
                    MetricValues mv = ImageMetrics.compare(truth, v, mask);
                    if (!Double.isFinite(mv.psnrDb()) || !Double.isFinite(mv.ssim())) { // NaN marks a refusal; a result may not pose as one
                        throw new IOException(method.label() + " gave a volume with non-finite scores on volume " + i + " of " + cell.label());
                    }
                    rows.add(new Row(i, mv.psnrDb(), mv.ssim(), mv.nrmse(), seconds));
                    if (i == 0 && cell.equals(config.figureCell())) MetaImage.writeVolume(folder.volume(cell, method.label()), v);
                }
                writeRows(folder.rows(cell, method), rows);
                writeFacts(folder.facts(cell, method), r.describe() + (tuning.isEmpty() ? "" : "; " + tuning), memory.read(), refusals);
                System.out.println(DONE + i);
                System.out.flush();
            }
        } finally {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException("closing " + method.label() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    static List<Row> readRows(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) return rows;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) throw new IOException(file + " is not a benchmark rows file (header " + HEADER + ")");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length != 5) throw new IOException(file + ": malformed row \"" + line + "\"");
            rows.add(new Row(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4])));
        }
        return rows;
    }

    private static void writeRows(Path file, List<Row> rows) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Row row : rows) b.append(row.csv()).append('\n');
        AtomicFiles.writeString(file, b.toString());
    }

    /** The refusals recorded so far in a facts file (none if it does not exist). */
    static List<String> readRefusals(Path facts) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(facts)) return out;
        JsonObject o = JsonParser.parseString(Files.readString(facts, StandardCharsets.UTF_8)).getAsJsonObject();
        if (o.has("refusals")) o.getAsJsonArray("refusals").forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static void writeFacts(Path file, String describe, PeakMemory.Reading m, List<String> refusals) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("describe", describe);
        o.addProperty("java_threads", Threads.java());
        o.addProperty("torch_threads", Threads.torch());
        o.addProperty("peak_rss_mib", round(m.peakRssMib()));
        o.addProperty("baseline_rss_mib", round(m.baselineRssMib()));
        o.addProperty("heap_peak_mib", round(m.heapPeakMib()));
        JsonArray r = new JsonArray();
        refusals.forEach(r::add);
        o.add("refusals", r);
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(o) + "\n");
    }

    private static double round(double mib) {
        return Math.round(mib * 10) / 10.0;
    }
}
