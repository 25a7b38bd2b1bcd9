package org.pdrecon.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon batch}: reconstruct (and score) every scan of a manifest on Apache Spark (docs/scale-out.md). */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconstruct every scan of a manifest (CSV or Parquet) on Apache Spark, one task per scan, each with `pdrecon reconstruct`.",
                "Writes OUT/scans/ID/ (volume.mha, geometry.json, reconstruct.log, result.json) and OUT/results.parquet + OUT/results.csv.",
                "A rerun keeps scans whose outputs are complete and redoes the rest; a scan that fails is an error row, never a failed job."})
public final class BatchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--manifest", required = true, paramLabel = "FILE",
            description = "scan_id, method, dicom | projections (+ geometry), optional reference and options; paths relative to the manifest's folder.")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (on a cluster: a path every executor sees).")
    Path out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--threads-per-scan", paramLabel = "N", defaultValue = "1",
            description = "Threads of each scan's process (Spark's spark.task.cpus, so an executor runs cores ÷ N scans at once; default: ${DEFAULT-VALUE}).")
    int threadsPerScan;

    @Option(names = "--dicom-out", description = "Also write each volume as a CT DICOM series (OUT/scans/ID/dicom/).")
    boolean dicomOut;

    @Option(names = "--retry-errors", description = "Redo scans that ended in an error even if neither their row nor their files changed.")
    boolean retryErrors;

    @Option(names = "--scan-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop a scan's process after this long and make it an error row (kept: --retry-errors after raising it); 0: no limit (default).")
    long scanTimeout;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, e.g. --conf spark.ui.enabled=false (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (threadsPerScan < 1) throw new CommandLine.ParameterException(cl, "--threads-per-scan must be ≥ 1, got " + threadsPerScan);
        if (scanTimeout < 0) throw new CommandLine.ParameterException(cl, "--scan-timeout must be ≥ 0 s (0: none), got " + scanTimeout);
        BatchSettings settings = new BatchSettings(out.toAbsolutePath().normalize().toString(), threadsPerScan, dicomOut, retryErrors, scanTimeout);
        SparkSession spark = SparkSessions.start("pdrecon batch", master, threadsPerScan, conf);
        BatchRun.Summary s;
        try {
            PrintWriter pw = cl.getOut();
            pw.printf("Spark %s, master %s%s%n", spark.version(), spark.sparkContext().master(),
                    spark.sparkContext().uiWebUrl().isDefined() ? ", UI " + spark.sparkContext().uiWebUrl().get() : "");
            pw.flush();
            s = BatchRun.run(spark, manifest, settings, !quiet);
        } finally {
            spark.stop();
        }
        PrintWriter pw = cl.getOut();
        for (ScanResult r : s.results()) if (!r.ok()) pw.printf("  %s: error: %s%n", r.scanId(), r.error());
        pw.println(s.line());
        pw.flush();
        return 0;
    }
}
