package org.pdrecon.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch job end to end in Spark local mode: seven scans (three simulated ones with three methods and a
 * reference each, a shipped model on its own geometry, the committed EPID DICOM arc, a corrupt DICOM folder and a
 * missing path) give the right rows and error rows, volumes bit-identical to single-scan {@code reconstruct}, and
 * reruns that redo nothing but what is missing.
 */
class BatchJobTest {
    @TempDir
    static Path tmp;
    static Path manifest, out;
    static Cli first;
    static List<Map<String, String>> rows;

    static final String[][] SCANS = {
            // scan_id, method, dicom, projections, geometry, reference, options
            {"sim0-fdk", "fdk", "", "sim/samples/0000/projections.mha", "sim/geometry.json", "sim/samples/0000/volume.mha", ""},
            {"sim1-sirt", "sirt", "", "sim/samples/0001/projections.mha", "sim/geometry.json", "sim/samples/0001/volume.mha", "--iterations 15"},
            {"sim2-tv", "tv", "", "sim/samples/0002/projections.mha", "sim/geometry.json", "sim/samples/0002/volume.mha", "--iterations 20 --lambda 1"},
            {"cone-lpd", "models/lpd-cone", "", "cone/samples/0000/projections.mha", "cone/geometry.json", "cone/samples/0000/volume.mha", ""},
            {"epid-fdk", "fdk", "epid", "", "", "", ""},
            {"corrupt-dicom", "fdk", "corrupt", "", "", "", ""},
            {"missing", "fdk", "nowhere", "", "", "", ""},
    };

    @BeforeAll
    static void simulateScansAndRunTheBatch() throws Exception {
        Cli.run("simulate", "-o", tmp.resolve("sim").toString(), "-n", "3", "--size", "24", "--views", "30", "--det", "36", "36",
                "--phantom", "random", "--seed", "5").ok();
        // the shipped lpd-cone's own scan: 48³ voxels of 4 mm, 32 views, 48² pixels of 8 mm, I0 1e4
        Cli.run("simulate", "-o", tmp.resolve("cone").toString(), "--size", "48", "--fov-mm", "192", "--views", "32", "--det", "48", "48",
                "--det-width-mm", "384", "--phantom", "random", "--i0", "1e4", "--seed", "9").ok();
        Path epid = Files.createDirectories(tmp.resolve("epid")), corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        try (Stream<Path> s = Files.list(Path.of("datasets/sample-epid-arc"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".dcm")).toList()) {
                Files.copy(f, epid.resolve(f.getFileName()));
                byte[] b = Files.readAllBytes(f);
                // one projection cut short inside its header: the folder is a corrupt scan
                Files.write(corrupt.resolve(f.getFileName()), f.getFileName().toString().equals("RI_010.dcm") ? java.util.Arrays.copyOf(b, 300) : b);
            }
        }
        Files.createSymbolicLink(tmp.resolve("models"), Path.of("models").toAbsolutePath());
        StringBuilder csv = new StringBuilder(String.join(",", ScanManifest.COLUMNS)).append('\n');
        for (String[] s : SCANS) csv.append(String.join(",", s)).append('\n');
        manifest = Files.writeString(tmp.resolve("scans.csv"), csv.toString());
        out = tmp.resolve("out");
        first = batch();
        rows = readCsv(out.resolve("results.csv"));
    }

    static Cli batch(String... extra) {
        List<String> args = new ArrayList<>(List.of("batch", "--manifest", manifest.toString(), "--out", out.toString(), "--master", "local[2]",
                "--conf", "spark.ui.enabled=false", "--quiet"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new)).ok();
    }

    @Test
    void everyScanHasOneRowInManifestOrderAndBadScansAreErrorRows() {
        assertEquals(SCANS.length, rows.size(), first.out());
        for (int i = 0; i < SCANS.length; i++) assertEquals(SCANS[i][0], rows.get(i).get("scan_id"));
        for (int i = 0; i < 5; i++) assertEquals("ok", rows.get(i).get("status"), rows.get(i).toString());
        Map<String, String> corrupt = rows.get(5), missing = rows.get(6);
        assertEquals("error", corrupt.get("status"));
        assertTrue(corrupt.get("error").contains("RI_010.dcm") && corrupt.get("error").contains("remain"), corrupt.get("error"));
        assertEquals("error", missing.get("status"));
        assertTrue(missing.get("error").startsWith("no such DICOM folder: ") && missing.get("error").endsWith("nowhere"), missing.get("error"));
        assertTrue(first.out().contains("batch: 7 scans") && first.out().contains("5 ok, 2 errors"), first.out());
        assertFalse(Files.exists(out.resolve("scans/missing/volume.mha")));
    }

    @Test
    void eachVolumeIsBitIdenticalToSingleScanReconstruct() throws Exception {
        for (int i = 0; i < 5; i++) {
            String[] s = SCANS[i];
            Path single = tmp.resolve("single-" + s[0] + ".mha");
            List<String> args = new ArrayList<>(List.of("reconstruct"));
            if (!s[2].isEmpty()) args.addAll(List.of("--dicom", tmp.resolve(s[2]).toString()));
            else args.addAll(List.of("--projections", tmp.resolve(s[3]).toString(), "--geometry", tmp.resolve(s[4]).toString()));
            args.addAll(List.of("--method", s[1], "--out", single.toString(), "--quiet"));
            if (!s[6].isEmpty()) args.addAll(List.of(s[6].split(" ")));
            Cli.run(args.toArray(String[]::new)).ok();
            assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(out.resolve("scans").resolve(s[0]).resolve("volume.mha")), s[0]);
        }
    }

    @Test
    void scoresAreThoseOfCompareAndEachScanHasItsTimeAndMemory() {
        for (int i = 0; i < 4; i++) {
            Map<String, String> r = rows.get(i);
            Cli c = Cli.run("compare", "--reference", tmp.resolve(SCANS[i][5]).toString(), "--volume", out.resolve(r.get("volume")).toString(),
                    "--mask", "fov", "--geometry", out.resolve("scans").resolve(SCANS[i][0]).resolve("geometry.json").toString()).ok();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("PSNR\\s+([0-9.]+) dB").matcher(c.out());
            assertTrue(m.find(), c.out());
            assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(r.get("psnr_db")), 0.01, r.toString());
            assertTrue(Double.parseDouble(r.get("ssim")) > 0.5, r.toString());
        }
        assertTrue(Double.parseDouble(rows.get(3).get("psnr_db")) > Double.parseDouble(rows.get(0).get("psnr_db")) - 50, "model scored");
        assertEquals("", rows.get(4).get("psnr_db"), "no reference, no score");
        for (int i = 0; i < 6; i++) {
            assertTrue(Double.parseDouble(rows.get(i).get("seconds")) > 0, rows.get(i).toString());
            assertTrue(Double.parseDouble(rows.get(i).get("peak_rss_mib")) > 20, rows.get(i).toString());
        }
    }

    @Test
    void theParquetTableHoldsTheSameRows() {
        SparkSession spark = SparkSessions.start("test", "local[1]", 1, Map.of("spark.ui.enabled", "false"));
        try {
            List<Row> table = spark.read().parquet(out.resolve("results.parquet").toString()).orderBy("scan_id").collectAsList();
            assertEquals(SCANS.length, table.size());
            Map<String, String> status = new HashMap<>();
            for (Row r : table) status.put(r.getAs("scan_id"), r.getAs("status"));
            for (Map<String, String> r : rows) assertEquals(r.get("status"), status.get(r.get("scan_id")));
            assertEquals(64, ((String) table.get(0).getAs("fingerprint")).length());
        } finally {
            spark.stop();
        }
    }

    @Test
    void aRerunRedoesNothingAndARerunAfterAKillRedoesOnlyTheHalfWrittenScan() throws Exception {
        Path copy = tmp.resolve("rerun");
        copyTree(out, copy);
        Map<String, FileTime> before = volumeTimes(copy);
        Cli again = Cli.run("batch", "--manifest", manifest.toString(), "--out", copy.toString(), "--master", "local[2]", "--conf",
                "spark.ui.enabled=false", "--quiet").ok();
        assertTrue(again.out().contains("7 kept from an earlier run"), again.out());
        assertEquals(before, volumeTimes(copy), "no volume was rewritten");
        for (Map<String, String> r : readCsv(copy.resolve("results.csv"))) assertEquals("true", r.get("reused"), r.toString());

        // What a kill leaves: sim1's volume written but not its result.json, and a temporary file of a write in flight.
        Files.delete(copy.resolve("scans/sim1-sirt/result.json"));
        Files.writeString(copy.resolve("scans/sim1-sirt/.volume.mha.tmp"), "half");
        Cli third = Cli.run("batch", "--manifest", manifest.toString(), "--out", copy.toString(), "--master", "local[2]", "--conf",
                "spark.ui.enabled=false", "--quiet").ok();
        List<Map<String, String>> after = readCsv(copy.resolve("results.csv"));
        assertEquals(SCANS.length, after.size(), third.out());
        for (Map<String, String> r : after) {
            assertEquals(!r.get("scan_id").equals("sim1-sirt"), r.get("reused").equals("true"), r.toString());
            assertEquals(rows.stream().filter(x -> x.get("scan_id").equals(r.get("scan_id"))).findFirst().orElseThrow().get("status"), r.get("status"));
        }
        assertFalse(Files.exists(copy.resolve("scans/sim1-sirt/.volume.mha.tmp")), "the half-written scan was redone from a clean folder");
        assertArrayEquals(Files.readAllBytes(out.resolve("scans/sim1-sirt/volume.mha")), Files.readAllBytes(copy.resolve("scans/sim1-sirt/volume.mha")));
    }

    @Test
    void aChangedInputIsRedoneAndFixedErrorsAreRetried() throws Exception {
        Path copy = tmp.resolve("changed");
        copyTree(out, copy);
        Path projections = tmp.resolve("sim/samples/0000/projections.mha");
        FileTime t = Files.getLastModifiedTime(projections);
        try {
            Files.setLastModifiedTime(projections, FileTime.fromMillis(t.toMillis() + 60_000));
            List<Map<String, String>> after = readCsv(copy.resolve("results.csv"));
            Cli.run("batch", "--manifest", manifest.toString(), "--out", copy.toString(), "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                    "--quiet", "--retry-errors").ok();
            after = readCsv(copy.resolve("results.csv"));
            for (Map<String, String> r : after) {
                boolean redo = List.of("sim0-fdk", "corrupt-dicom", "missing").contains(r.get("scan_id"));
                assertEquals(!redo, r.get("reused").equals("true"), r.toString());
            }
        } finally {
            Files.setLastModifiedTime(projections, t);
        }
    }

    @Test
    void aParquetManifestWorksLikeTheCsvOneAndDicomOutWritesASeries() throws Exception {
        Path table = tmp.resolve("scans.parquet");
        SparkSession spark = SparkSessions.start("test", "local[1]", 1, Map.of("spark.ui.enabled", "false"));
        try {
            spark.read().option("header", "true").csv(manifest.toString()).filter("scan_id in ('sim0-fdk', 'missing')").coalesce(1)
                    .write().parquet(table.toString());
        } finally {
            spark.stop();
        }
        Path dir = tmp.resolve("from-parquet");
        Cli c = Cli.run("batch", "--manifest", table.toString(), "--out", dir.toString(), "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                "--quiet", "--dicom-out").ok();
        List<Map<String, String>> r = readCsv(dir.resolve("results.csv"));
        assertEquals(2, r.size(), c.out());
        Map<String, String> sim = r.stream().filter(x -> x.get("scan_id").equals("sim0-fdk")).findFirst().orElseThrow();
        assertEquals("ok", sim.get("status"));
        assertEquals(rows.get(0).get("psnr_db"), sim.get("psnr_db"));
        assertArrayEquals(Files.readAllBytes(out.resolve("scans/sim0-fdk/volume.mha")), Files.readAllBytes(dir.resolve("scans/sim0-fdk/volume.mha")));
        try (Stream<Path> slices = Files.list(dir.resolve("scans/sim0-fdk/dicom"))) {
            assertEquals(24, slices.count(), "one CT slice per axial slice of the 24³ volume");
        }
        assertEquals("error", r.stream().filter(x -> x.get("scan_id").equals("missing")).findFirst().orElseThrow().get("status"));
    }

    private static Map<String, FileTime> volumeTimes(Path dir) throws Exception {
        Map<String, FileTime> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir.resolve("scans"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p));
        }
        return m;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** results.csv as rows of column → value (RFC 4180 quotes). */
    static List<Map<String, String>> readCsv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { f.append('"'); i++; }
                else if (c == '"') quoted = !quoted;
                else if (c == ',' && !quoted) { fields.add(f.toString()); f.setLength(0); }
                else f.append(c);
            }
            fields.add(f.toString());
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < header.length; i++) m.put(header[i], fields.get(i));
            rows.add(m);
        }
        return rows;
    }
}
