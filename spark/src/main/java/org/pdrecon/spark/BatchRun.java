package org.pdrecon.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pdrecon.util.AtomicFiles;

/**
 * The batch job on the driver: reads the manifest, runs one Spark task per scan ({@link ScanTask}), then writes
 * every scan's row, in manifest order, to {@code OUT/results.parquet} and {@code OUT/results.csv}.
 */
public final class BatchRun {
    static final String PARQUET = "results.parquet", CSV = "results.csv";

    /** The schema of {@code results.parquet} (a number not measured is null); the CSV has the same columns but the fingerprint. */
    static final StructType SCHEMA = new StructType()
            .add("scan_id", DataTypes.StringType, false).add("method", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false).add("reused", DataTypes.BooleanType, false)
            .add("error", DataTypes.StringType, false).add("psnr_db", DataTypes.DoubleType, true)
            .add("ssim", DataTypes.DoubleType, true).add("seconds", DataTypes.DoubleType, true)
            .add("peak_rss_mib", DataTypes.DoubleType, true).add("volume", DataTypes.StringType, false)
            .add("fingerprint", DataTypes.StringType, false);

    private BatchRun() {}

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Every scan's row and where they were written. */
    public record Summary(List<ScanResult> results, double seconds, Path parquet, Path csv) {
        long count(boolean ok) {
            return results.stream().filter(r -> r.ok() == ok).count();
        }

        /** One line: how many scans, ok (of which kept from before), errors, time and throughput. */
        public String line() {
            long reused = results.stream().filter(ScanResult::reused).count();
            return String.format(Locale.ROOT, "batch: %d scans in %.1f s (%.1f scans/min): %d ok, %d errors; %d kept from an earlier run; results in %s and %s",
                    results.size(), seconds, results.size() * 60 / seconds, count(true), count(false), reused, parquet, csv);
        }
    }

    public static Summary run(SparkSession spark, Path manifest, BatchSettings settings, boolean progress) throws IOException {
        List<ScanSpec> specs = ScanManifest.read(spark, manifest);
        Path out = Path.of(settings.out());
        try {
            Files.createDirectories(out);
            Files.delete(Files.createTempFile(out, ".write-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write to the output folder " + out + " (" + e.getMessage() + ")", e);
        }
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription("pdrecon batch: " + specs.size() + " scans of " + manifest.getFileName());
        List<ScanResult> results;
        try (ScanProgress listener = new ScanProgress(progress ? org.pdrecon.cli.Progress.bar("batch", specs.size(), "scans") : null)) {
            spark.sparkContext().addSparkListener(listener);
            try {
                // One partition per scan: each scan is one task, scheduled on whichever executor slot is free.
                results = new ArrayList<>(jsc.parallelize(specs, specs.size()).map(s -> ScanTask.run(s, settings)).collect());
            } finally {
                spark.sparkContext().removeSparkListener(listener);
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        // collect() keeps the partitions' order, which is the manifest's; sorting by it again costs nothing and states it
        java.util.Map<String, Integer> order = new java.util.HashMap<>();
        for (int i = 0; i < specs.size(); i++) order.put(specs.get(i).scanId(), i);
        results.sort(Comparator.comparingInt(r -> order.get(r.scanId())));
        Path parquet = out.resolve(PARQUET), csv = out.resolve(CSV);
        writeParquet(spark, results, parquet);
        StringBuilder text = new StringBuilder(ScanResult.CSV_HEADER).append('\n');
        for (ScanResult r : results) text.append(r.csv()).append('\n');
        AtomicFiles.writeString(csv, text.toString());
        return new Summary(results, seconds, parquet, csv);
    }

    /**
     * Writes the table (a folder, as Parquet tables are) beside its target, then moves it in place of the old one:
     * a reader sees the old table, for a moment none, or the whole new one, never a partial one.
     */
    private static void writeParquet(SparkSession spark, List<ScanResult> results, Path target) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (ScanResult r : results) {
            rows.add(RowFactory.create(r.scanId(), r.method(), r.status(), r.reused(), r.error(), orNull(r.psnrDb()), orNull(r.ssim()), orNull(r.seconds()),
                    orNull(r.peakRssMib()), r.volume(), r.fingerprint()));
        }
        Path staging = target.resolveSibling("." + target.getFileName() + ".tmp");
        Folders.deleteTree(staging);
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(staging.toUri().toString()); // file:…, not the cluster's default FS
        Folders.deleteTree(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
