package org.pdrecon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.util.JavaProcess;

/**
 * A batch killed mid-run (its JVM destroyed while a scan is being reconstructed): the orphaned scan process stops
 * by itself, and the rerun keeps what was done, redoes the rest, and ends with every scan done once.
 */
class BatchKillTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledBatchRerunEndsWithEveryScanDoneOnce() throws Exception {
        Cli.run("simulate", "-o", tmp.resolve("sim").toString(), "-n", "4", "--size", "24", "--views", "30", "--det", "36", "36",
                "--phantom", "random", "--seed", "8").ok();
        StringBuilder csv = new StringBuilder("scan_id,method,projections,geometry,options\n");
        for (int i = 0; i < 4; i++) csv.append("s").append(i).append(",sirt,sim/samples/000").append(i).append("/projections.mha,sim/geometry.json,--iterations 80\n");
        Path manifest = Files.writeString(tmp.resolve("scans.csv"), csv.toString());
        Path out = tmp.resolve("out");
        List<String> args = List.of("batch", "--manifest", manifest.toString(), "--out", out.toString(), "--master", "local[1]", "--conf",
                "spark.ui.enabled=false", "--quiet");
        Process batch = new ProcessBuilder(JavaProcess.command(List.of(), SparkMain.class, args)).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        // kill once a scan is done and the next one's process is running
        while (!(done(out) > 0 && batch.descendants().anyMatch(BatchKillTest::isScanProcess)) && batch.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(batch.isAlive(), "the batch ended before it could be killed: " + Files.readString(tmp.resolve("killed.log")));
        List<ProcessHandle> scans = batch.descendants().filter(BatchKillTest::isScanProcess).toList();
        assertTrue(!scans.isEmpty(), "a scan was being reconstructed when the batch was killed");
        batch.destroyForcibly().waitFor();
        int doneAtKill = done(out);
        assertTrue(doneAtKill >= 1 && doneAtKill < 4, "killed after " + doneAtKill + " scans");
        for (ProcessHandle p : scans) {
            long until = System.nanoTime() + 5_000_000_000L;
            while (p.isAlive() && System.nanoTime() < until) Thread.sleep(50);
            assertTrue(!p.isAlive(), "the orphaned scan process " + p.pid() + " stopped with its batch");
        }

        Cli rerun = Cli.run(args.toArray(String[]::new)).ok();
        List<Map<String, String>> rows = BatchJobTest.readCsv(out.resolve("results.csv"));
        assertEquals(4, rows.size(), rerun.out());
        long reused = rows.stream().filter(r -> r.get("reused").equals("true")).count();
        assertEquals(doneAtKill, reused, rerun.out());
        for (Map<String, String> r : rows) assertEquals("ok", r.get("status"), r.toString());
        for (int i = 0; i < 4; i++) assertTrue(Files.isRegularFile(out.resolve("scans/s" + i + "/volume.mha")));
    }

    @Test
    void aScanWhoseProcessIsKilledIsAnErrorRowThatARerunRedoes() throws Exception {
        Cli.run("simulate", "-o", tmp.resolve("one").toString(), "--size", "24", "--views", "30", "--det", "36", "36", "--phantom", "random",
                "--seed", "9").ok();
        ScanSpec spec = new ScanSpec("s", null, tmp.resolve("one/samples/0000/projections.mha").toString(), tmp.resolve("one/geometry.json").toString(),
                "sirt", null, List.of("--iterations", "400"));
        BatchSettings settings = new BatchSettings(tmp.resolve("out").toString(), 1, false, false);
        java.util.concurrent.CompletableFuture<ScanResult> row = java.util.concurrent.CompletableFuture.supplyAsync(() -> ScanTask.run(spec, settings));
        ProcessHandle child = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (child == null && System.nanoTime() < deadline) {
            child = ProcessHandle.current().descendants().filter(BatchKillTest::isScanProcess).findFirst().orElse(null);
            Thread.sleep(20);
        }
        assertTrue(child != null, "the scan's process started");
        Thread.sleep(1500);
        child.destroy(); // SIGTERM, as a scheduler or Ctrl-C on the process group would send
        ScanResult killed = row.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("error", killed.status(), killed.toString());
        assertTrue(killed.error().contains("exit 143") && killed.error().contains("tries it again"), killed.error());
        assertTrue(!Files.exists(ScanTask.folder(settings, "s").resolve("result.json")), "a signal is not the scan's own verdict: nothing kept");
        ScanResult again = ScanTask.run(new ScanSpec("s", spec.dicom(), spec.projections(), spec.geometry(), "sirt", null, List.of("--iterations", "400")),
                settings);
        assertEquals("ok", again.status(), again.toString());
        assertTrue(!again.reused());
    }

    @Test
    void aScanOverItsTimeoutIsStoppedAndKeptAsAnErrorUntilRetried() throws Exception {
        Cli.run("simulate", "-o", tmp.resolve("slow").toString(), "--size", "24", "--views", "30", "--det", "36", "36", "--phantom", "random").ok();
        Path manifest = Files.writeString(tmp.resolve("slow.csv"),
                "scan_id,method,projections,geometry,options\nslow,sirt,slow/samples/0000/projections.mha,slow/geometry.json,--iterations 2000\n");
        Path out = tmp.resolve("slow-out");
        List<String> args = List.of("batch", "--manifest", manifest.toString(), "--out", out.toString(), "--master", "local[1]", "--conf",
                "spark.ui.enabled=false", "--quiet");
        List<String> limited = new java.util.ArrayList<>(args);
        limited.addAll(List.of("--scan-timeout", "3"));
        Cli.run(limited.toArray(String[]::new)).ok();
        Map<String, String> row = BatchJobTest.readCsv(out.resolve("results.csv")).get(0);
        assertEquals("error", row.get("status"));
        assertTrue(row.get("error").contains("scan timeout of 3 s"), row.toString());
        assertTrue(Double.parseDouble(row.get("seconds")) < 20, "stopped, not waited for: " + row);
        Cli.run(args.toArray(String[]::new)).ok();
        assertEquals("true", BatchJobTest.readCsv(out.resolve("results.csv")).get(0).get("reused"), "kept until retried");
    }

    /** Whether {@code p} runs {@link ScanProcess}: its command line from /proc (Java's own view of it may be cut short). */
    static boolean isScanProcess(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).contains(ScanProcess.class.getName());
        } catch (java.io.IOException e) {
            return false; // ended meanwhile
        }
    }

    private static int done(Path out) throws Exception {
        int n = 0;
        for (int i = 0; i < 4; i++) if (Files.isRegularFile(out.resolve("scans/s" + i + "/result.json"))) n++;
        return n;
    }
}
