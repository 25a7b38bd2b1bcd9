package org.pdrecon.benchmark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.pdrecon.data.Volume;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import org.pdrecon.util.AtomicFiles;

/**
 * {@code report.html}: one self-contained page (no network; pictures embedded as PNG data URLs) with the
 * table, PSNR box plots, time against PSNR, the figure cell's first volume per method with one shared
 * window and difference maps, and the learned methods' training curves. A script at the end counts the
 * pictures that decoded into {@code body[data-figures-loaded]}, which the browser test reads.
 */
final class BenchmarkReport {
    private BenchmarkReport() {}

    static void write(Path file, BenchmarkConfig config, BenchmarkFolder folder, BenchmarkResults results) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pdrecon benchmark: ").append(esc(config.name()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1500px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eee}"
                        + "img{max-width:100%;border:1px solid #ddd}.note{color:#555}</style></head><body>\n");
        h.append("<h1>Benchmark ").append(esc(config.name())).append("</h1>\n");
        String md = results.markdown();
        h.append("<p>").append(esc(md.substring(0, md.indexOf('\n')))).append("</p>\n");
        h.append("<h2>Table</h2>\n<p class=\"note\">Each entry: PSNR (dB) mean ± sd · SSIM mean ± sd · median seconds per volume · peak resident MiB of the"
                + " method's process (Java heap and native memory). — : the method does not run on that cell.</p>\n");
        h.append("<table id=\"results\"><thead><tr><th>method</th>");
        for (BenchmarkCell c : config.cells()) h.append("<th>").append(esc(c.label())).append("</th>");
        h.append("</tr></thead><tbody>\n");
        for (BenchmarkMethod m : config.methods()) {
            h.append("<tr><td>").append(esc(m.label())).append("</td>");
            for (BenchmarkCell c : config.cells()) h.append("<td>").append(esc(results.entry(c, m.label()))).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n<h3>Methods</h3>\n<ul>\n");
        for (BenchmarkMethod m : config.methods()) {
            h.append("<li><b>").append(esc(m.label())).append("</b>: ");
            List<String> seen = new ArrayList<>();
            for (BenchmarkCell c : config.cellsOf(m)) {
                BenchmarkResults.Facts f = results.facts(c, m.label());
                if (f == null) continue;
                String d = String.format(Locale.ROOT, "%s (%d Java threads, %d libtorch threads)", f.describe(), f.javaThreads(), f.torchThreads());
                if (seen.contains(d)) continue;
                seen.add(d);
                h.append(seen.size() > 1 || config.cellsOf(m).size() > 1 && !m.lambdas().isEmpty() ? "<br>" + esc(c.label()) + ": " : "").append(esc(d));
            }
            if (seen.isEmpty()) h.append("did not run");
            h.append("</li>\n");
        }
        h.append("</ul>\n<h2>PSNR per volume</h2>\n").append(img("psnr-boxplots", BenchmarkCharts.psnrBoxPlots(results)));
        h.append("<p class=\"note\">Boxes: quartiles; line: median; whiskers: minimum and maximum over the held-out volumes.</p>\n");
        h.append("<h2>Time against PSNR</h2>\n").append(img("time-vs-psnr", BenchmarkCharts.timeVersusPsnr(results)));
        h.append("<h2>Volume 0 of ").append(esc(config.figureCell().label())).append("</h2>\n");
        slices(h, config, folder);
        h.append("<h2>Training curves</h2>\n");
        int curves = 0;
        for (BenchmarkMethod m : config.methods()) {
            Path c = m.curves() != null ? m.curves() : m.learned() ? m.model().resolve("curves.png") : null;
            if (c == null) continue;
            if (Files.isRegularFile(c)) {
                h.append("<h3>").append(esc(m.label())).append("</h3>\n").append(img("curves-" + m.label(), ImageIO.read(c.toFile())));
                curves++;
            } else {
                h.append("<p>").append(esc(m.label())).append(": no training curves at ").append(esc(c.toString())).append("</p>\n");
            }
        }
        if (curves == 0) h.append("<p>No learned method in this benchmark names its training curves.</p>\n");
        h.append("<script>document.body.dataset.figuresLoaded=[...document.images].filter(i=>i.complete&&i.naturalWidth>0).length;"
                + "document.body.dataset.tableRows=document.querySelectorAll('#results tbody tr').length;</script>\n</body></html>\n");
        AtomicFiles.writeString(file, h.toString());
    }

    /** Truth and each method's volume with the truth's full range as the window; then each difference with a symmetric window. */
    private static void slices(StringBuilder h, BenchmarkConfig config, BenchmarkFolder folder) throws IOException {
        BenchmarkCell cell = config.figureCell();
        if (!Files.exists(folder.truth(cell, 0))) {
            h.append("<p>No volume of this cell was simulated.</p>\n");
            return;
        }
        Volume truth = MetaImage.readVolume(folder.truth(cell, 0));
        List<Volume> volumes = new ArrayList<>(List.of(truth)), differences = new ArrayList<>();
        List<String> captions = new ArrayList<>(List.of("ground truth")), diffCaptions = new ArrayList<>();
        double maxDiff = 0;
        for (BenchmarkMethod m : config.methods()) {
            Path p = folder.volume(cell, m.label());
            if (!Files.exists(p)) continue;
            Volume v = MetaImage.readVolume(p);
            volumes.add(v);
            captions.add(m.label());
            float[] d = new float[v.data().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = v.data()[i] - truth.data()[i];
                maxDiff = Math.max(maxDiff, Math.abs(d[i]));
            }
            differences.add(new Volume(v.grid(), d));
            diffCaptions.add(m.label() + " − truth");
        }
        Previews.Window window = Previews.percentileWindow(truth.data(), 0, 100);
        h.append(String.format(Locale.ROOT, "<p class=\"note\">Axial, coronal and sagittal mid-slices; window %.4f–%.4f /mm (the truth's range) for all.</p>%n",
                window.low(), window.high()));
        h.append(img("slices", ComparisonFigure.of(volumes, captions, window)));
        if (differences.isEmpty()) return;
        double w = Math.max(1e-6, 0.5 * maxDiff);
        h.append(String.format(Locale.ROOT, "<p class=\"note\">Differences from the truth; window ±%.4f /mm (half the largest difference), grey = 0.</p>%n", w));
        h.append(img("differences", ComparisonFigure.of(differences, diffCaptions, new Previews.Window(-w, w))));
    }

    private static String img(String id, BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return "<p><img id=\"" + esc(id) + "\" alt=\"" + esc(id) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"></p>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
