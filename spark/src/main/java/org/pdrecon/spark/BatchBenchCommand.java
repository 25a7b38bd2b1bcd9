package org.pdrecon.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.pdrecon.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdrecon batch-bench}: batch throughput in scans per minute at several Spark masters (e.g. local[1] against
 * local[2]) on the same simulated scans, runs alternating between masters, each into a fresh output folder. The
 * time is the batch job's (Spark's start-up aside), so it holds every scan's process start, reconstruction and writes.
 */
@Command(name = "batch-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Batch throughput (scans per minute) at several Spark masters on the same simulated scans; docs/scale-out.md.")
public final class BatchBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scans", defaultValue = "12", description = "Simulated scans in the manifest (default: ${DEFAULT-VALUE}).")
    int scans;

    @Option(names = "--size", defaultValue = "64", description = "Voxels per side of each scan's volume (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--views", defaultValue = "90", description = "Views per scan (default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--method", defaultValue = "sirt", description = "Method of every scan (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--options", defaultValue = "--iterations 20", description = "Its reconstruct options (default: ${DEFAULT-VALUE}).")
    String options;

    @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]", description = "Masters to compare (default: ${DEFAULT-VALUE}).")
    List<String> masters;

    @Option(names = "--repeats", defaultValue = "2", description = "Runs per master, alternating (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--work", paramLabel = "DIR", description = "Folder for the scans and outputs (default: a temporary folder, deleted after).")
    Path work;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (scans < 1 || repeats < 1 || masters.isEmpty()) throw new CommandLine.ParameterException(cl, "--scans, --repeats and --masters must be positive");
        boolean temporary = work == null;
        Path dir = temporary ? Files.createTempDirectory("pdrecon-batch-bench") : Files.createDirectories(work);
        PrintWriter pw = cl.getOut();
        try {
            Path manifest = simulate(cl, dir);
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            for (String m : masters) seconds.put(m, new ArrayList<>());
            int run = 0;
            for (int r = 0; r < repeats; r++) {
                List<String> order = new ArrayList<>(masters);
                if (r % 2 == 1) java.util.Collections.reverse(order); // alternate, so drift in the machine's state does not favour one master
                for (String m : order) {
                    BatchSettings settings = new BatchSettings(dir.resolve("out-" + (run++)).toString(), 1, false, false);
                    SparkSession spark = SparkSessions.start("pdrecon batch-bench", m, 1, Map.of("spark.ui.enabled", "false"));
                    BatchRun.Summary s;
                    try {
                        s = BatchRun.run(spark, manifest, settings, false);
                    } finally {
                        spark.stop();
                    }
                    if (s.count(false) > 0) throw new IllegalStateException("a scan failed: " + s.results());
                    seconds.get(m).add(s.seconds());
                    pw.printf(Locale.ROOT, "  %s run %d: %.1f s%n", m, r + 1, s.seconds());
                    pw.flush();
                }
            }
            pw.printf(Locale.ROOT, "%d scans (%d³ voxels, %d views, %s %s), %d run(s) per master, median:%n", scans, size, views, method, options, repeats);
            pw.println("| master | seconds | scans per minute | speed-up |");
            pw.println("|---|---|---|---|");
            double base = median(seconds.get(masters.get(0)));
            for (var e : seconds.entrySet()) {
                double s = median(e.getValue());
                pw.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× |%n", e.getKey(), s, scans * 60 / s, base / s);
            }
            pw.flush();
        } finally {
            if (temporary) deleteQuietly(dir);
        }
        return 0;
    }

    private Path simulate(CommandLine cl, Path dir) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine sim = Main.commandLine();
        sim.setOut(new PrintWriter(new StringWriter()));
        sim.setErr(new PrintWriter(err));
        int code = sim.execute("simulate", "-o", dir.resolve("scans").toString(), "--force", "-n", Integer.toString(scans), "--size", Integer.toString(size),
                "--views", Integer.toString(views), "--phantom", "random", "--seed", "11");
        if (code != 0) throw new IllegalStateException("simulate failed: " + err);
        StringBuilder csv = new StringBuilder("scan_id,method,projections,geometry,reference,options\n");
        for (int i = 0; i < scans; i++) {
            String id = String.format(Locale.ROOT, "%04d", i);
            csv.append(String.join(",", "scan-" + id, ScanResult.quote(method), "scans/samples/" + id + "/projections.mha", "scans/geometry.json",
                    "scans/samples/" + id + "/volume.mha", ScanResult.quote(options))).append('\n');
        }
        return Files.writeString(dir.resolve("manifest.csv"), csv.toString());
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Folders.deleteTree(dir);
        } catch (java.io.IOException | RuntimeException e) {
            // a temporary folder left behind is not worth failing the benchmark over
        }
    }
}
