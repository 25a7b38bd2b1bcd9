package org.pdrecon.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Reads a batch manifest, CSV with a header or Parquet, one scan per row, into {@link ScanSpec}s. Columns:
 * {@code scan_id} and {@code method} (required); {@code dicom} (a DICOM projection folder) or {@code projections}
 * (a MetaImage stack) with {@code geometry} (default: {@code geometry.json} beside it); optional {@code reference}
 * (a volume to score against) and {@code options} (extra {@code reconstruct} options, space-separated). Relative
 * paths are taken from the manifest's folder. A manifest that is itself wrong (unknown column, duplicate or
 * unusable id, a row naming both or neither input, an option the batch owns) is refused as a whole, before any
 * work; a scan whose files are missing or bad is only that scan's error row.
 */
public final class ScanManifest {
    static final List<String> COLUMNS = List.of("scan_id", "method", "dicom", "projections", "geometry", "reference", "options");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Options that name inputs or outputs: the manifest's columns and the batch set those. */
    private static final Set<String> OWNED = Set.of("--dicom", "--projections", "--geometry", "--method", "--model", "--out", "--dicom-out",
            "--geometry-out", "--preview", "--diagram", "--quiet", "-h", "--help", "-V", "--version",
            "--checkpoint"); // a NAF checkpoint would be written outside the scan's folder, shared by reruns

    private ScanManifest() {}

    /** Reads {@code manifest} (.csv, or .parquet file or folder) with Spark. */
    public static List<ScanSpec> read(SparkSession spark, Path manifest) {
        if (!Files.exists(manifest)) throw new IllegalArgumentException("manifest " + manifest + " does not exist");
        String name = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
        Dataset<Row> table;
        String uri = manifest.toAbsolutePath().toUri().toString(); // file:…, whatever the cluster's default file system
        if (name.endsWith(".parquet") || Files.isDirectory(manifest)) {
            table = spark.read().parquet(uri);
        } else if (name.endsWith(".csv")) {
            table = spark.read().option("header", "true").option("mode", "FAILFAST").option("ignoreLeadingWhiteSpace", "true")
                    .option("ignoreTrailingWhiteSpace", "true").csv(uri);
        } else {
            throw new IllegalArgumentException("manifest " + manifest + ": give a .csv (with a header) or a .parquet table");
        }
        for (StructField f : table.schema().fields()) {
            // text, or a column with no value at all (NullType, as pandas writes an empty column)
            if (!f.dataType().equals(DataTypes.StringType) && !f.dataType().equals(DataTypes.NullType)) {
                throw new IllegalArgumentException("manifest " + manifest + ": column " + f.name() + " is " + f.dataType().simpleString() + ", not text");
            }
        }
        List<String> columns = Arrays.asList(table.columns());
        List<Map<String, String>> rows = new ArrayList<>();
        for (Row r : table.collectAsList()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) m.put(columns.get(i), r.isNullAt(i) ? null : r.get(i).toString());
            rows.add(m);
        }
        Path base = manifest.toAbsolutePath().getParent();
        return parse(columns, rows, base, manifest.toString());
    }

    /** Checks and resolves rows given as column → value (null or blank = empty). */
    static List<ScanSpec> parse(List<String> columns, List<Map<String, String>> rows, Path base, String source) {
        for (String c : columns) {
            if (!COLUMNS.contains(c)) throw new IllegalArgumentException("manifest " + source + ": unknown column '" + c + "'; known: " + String.join(", ", COLUMNS));
        }
        for (String c : List.of("scan_id", "method")) {
            if (!columns.contains(c)) throw new IllegalArgumentException("manifest " + source + ": no '" + c + "' column");
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("manifest " + source + " holds no scans");
        List<ScanSpec> specs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> r = rows.get(i);
            String where = "manifest " + source + ", row " + (i + 1);
            String id = value(r, "scan_id");
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException(where + ": scan_id '" + (id == null ? "" : id)
                        + "' must be 1–128 letters, digits, '.', '_' or '-' (it names the scan's output folder)");
            }
            // ids that differ only in case would share one folder on a case-insensitive file system
            if (!ids.add(id.toLowerCase(java.util.Locale.ROOT))) throw new IllegalArgumentException(where + ": scan_id '" + id + "' appears twice (letter case aside)");
            where += " (" + id + ")";
            String method = value(r, "method");
            if (method == null) throw new IllegalArgumentException(where + ": no method");
            String dicom = value(r, "dicom"), projections = value(r, "projections"), geometry = value(r, "geometry");
            if ((dicom == null) == (projections == null)) throw new IllegalArgumentException(where + ": give a dicom folder or a projections file, not both or neither");
            if (dicom != null && geometry != null) throw new IllegalArgumentException(where + ": geometry goes with projections; a DICOM scan carries its own");
            Path projectionsPath = resolve(base, projections);
            if (projectionsPath != null && geometry == null) geometry = projectionsPath.resolveSibling("geometry.json").toString();
            String optionText = value(r, "options");
            List<String> options = new ArrayList<>();
            for (String o : optionText == null ? new String[0] : optionText.trim().split("\\s+")) {
                String flag = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                if (OWNED.contains(flag)) throw new IllegalArgumentException(where + ": option " + flag + " is set by the batch (inputs and outputs are columns and the output folder)");
                // a value naming a file beside the manifest (e.g. --field-config f.json) is taken from there, like the columns
                Path file = o.startsWith("-") ? null : base.resolve(o).normalize();
                options.add(file != null && Files.exists(file) ? file.toString() : o);
            }
            // A method that is a model folder (it holds config.json) is taken from the manifest's folder like the paths;
            // a stray folder called "fdk" beside the manifest does not turn the method into a model.
            Path methodPath = resolve(base, method);
            String resolvedMethod = Files.isRegularFile(methodPath.resolve("config.json")) ? methodPath.toString() : method;
            specs.add(new ScanSpec(id, str(resolve(base, dicom)), str(projectionsPath), str(resolve(base, geometry)), resolvedMethod,
                    str(resolve(base, value(r, "reference"))), options));
        }
        return specs;
    }

    private static String value(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Path resolve(Path base, String path) {
        return path == null ? null : base.resolve(path).normalize();
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }
}
