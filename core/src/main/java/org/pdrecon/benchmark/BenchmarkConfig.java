package org.pdrecon.benchmark;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.pdrecon.util.StrictJson;
import org.pdrecon.training.TrainingConfig;

/**
 * A benchmark grid, as read from {@code benchmarks/<name>.json} (docs/benchmark.md): one scan geometry,
 * {@code volumes} held-out random-ellipsoid phantoms, and every method run on every cell of
 * view counts × noise levels (or on the cells a method names). Unknown keys are rejected at every level.
 *
 * @param name benchmark name (letters, digits, {@code - _ .})
 * @param volumes phantoms per cell; the same phantoms in every cell
 * @param seed seed of the phantoms and their noise; must differ from any model's training seed to be held out
 * @param scan the scan; its {@code views} is set per cell
 * @param ellipsoids ellipsoids per phantom
 * @param cells the grid, view counts outer, noise levels inner
 * @param methods the methods, in table order
 * @param figureCell the cell whose first volume the report shows
 * @param tuningVolumes phantoms (indices {@code volumes, volumes + 1, ...}, so never test phantoms) on which a
 *     method with a λ grid picks its λ, per cell
 */
public record BenchmarkConfig(String name, int volumes, long seed, TrainingConfig.ScanConfig scan, int ellipsoids,
                              List<BenchmarkCell> cells, List<BenchmarkMethod> methods, BenchmarkCell figureCell, int tuningVolumes) {
    public BenchmarkConfig {
        if (tuningVolumes < 1) throw new IllegalArgumentException("tuning_volumes must be at least 1, got " + tuningVolumes);
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("name must be letters, digits, '-', '_' or '.', got " + name);
        if (volumes < 1) throw new IllegalArgumentException("volumes must be at least 1, got " + volumes);
        if (ellipsoids < 1) throw new IllegalArgumentException("ellipsoids must be at least 1, got " + ellipsoids);
        Objects.requireNonNull(scan, "scan");
        if (cells.isEmpty()) throw new IllegalArgumentException("the grid is empty: give \"views\" and \"noise_i0\"");
        if (methods.isEmpty()) throw new IllegalArgumentException("\"methods\" is empty");
        Set<String> labels = new HashSet<>();
        for (BenchmarkMethod m : methods) {
            if (!labels.add(m.label())) throw new IllegalArgumentException("two methods are labelled \"" + m.label() + "\": give each a distinct \"label\"");
            for (BenchmarkCell c : m.cells()) {
                if (!cells.contains(c)) throw new IllegalArgumentException("method " + m.label() + " names the cell " + c.label() + ", which is not in the grid");
            }
        }
        if (!cells.contains(figureCell)) throw new IllegalArgumentException("the figure cell " + figureCell.label() + " is not in the grid");
        cells = List.copyOf(cells);
        methods = List.copyOf(methods);
    }

    /** Reads and validates a config file (the models it names are checked by {@link BenchmarkRun#check}). */
    public static BenchmarkConfig load(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), "benchmark config " + file.getFileName());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("benchmark config " + file + " does not exist", e);
        }
    }

    /** Parses config JSON; {@code what} names the source in error messages. */
    public static BenchmarkConfig parse(String text, String what) {
        StrictJson j = StrictJson.parse(text, what);
        String name = j.requireString("name");
        int volumes = j.requireInt("volumes");
        long seed = j.optLong("seed", 4004);
        int ellipsoids = j.optInt("ellipsoids", 10);
        List<Integer> views = integers(j, "views");
        List<Double> noise = j.numbers("noise_i0");
        if (views.isEmpty()) throw new IllegalArgumentException(j.name("views") + " is missing or empty");
        if (noise.isEmpty()) throw new IllegalArgumentException(j.name("noise_i0") + " is missing or empty (0 = noise-free)");
        TrainingConfig.ScanConfig scan = scan(j.object("scan"), views.get(0));
        List<BenchmarkCell> cells = new ArrayList<>();
        for (int v : views) for (double i0 : noise) cells.add(new BenchmarkCell(v, i0));
        BenchmarkCell figure = j.has("figure") ? BenchmarkCell.fromJson(j.object("figure")) : cells.get(cells.size() == 1 ? 0 : noise.size() - 1);
        List<BenchmarkMethod> methods = new ArrayList<>();
        int n = j.array("methods").size();
        for (int i = 0; i < n; i++) methods.add(BenchmarkMethod.fromJson(j.element("methods", i)));
        int tuning = j.optInt("tuning_volumes", 2);
        j.finish();
        return new BenchmarkConfig(name, volumes, seed, scan, ellipsoids, cells, methods, figure, tuning);
    }

    /** The cells {@code method} runs on: those it names, else the whole grid. */
    public List<BenchmarkCell> cellsOf(BenchmarkMethod method) {
        return method.cells().isEmpty() ? cells : method.cells();
    }

    /** How many phantoms {@code cell} needs: the test volumes, plus the tuning ones if a method there has a λ grid. */
    public int phantoms(BenchmarkCell cell) {
        boolean tunes = methods.stream().anyMatch(m -> !m.lambdas().isEmpty() && cellsOf(m).contains(cell));
        return volumes + (tunes ? tuningVolumes : 0);
    }

    /** The method labelled {@code label}. */
    public BenchmarkMethod method(String label) {
        return methods.stream().filter(m -> m.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method labelled " + label));
    }

    /** The cell with id {@code id}. */
    public BenchmarkCell cell(String id) {
        return cells.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException("no cell " + id));
    }

    /** The training-style data section of {@code cell}: the scan at the cell's views, the cell's noise. */
    public TrainingConfig.DataConfig data(BenchmarkCell cell) {
        return new TrainingConfig.DataConfig("simulated", scan.withViews(cell.views()), null, ellipsoids, cell.noiseI0(), "zeros");
    }

    private static TrainingConfig.ScanConfig scan(StrictJson s, int views) {
        if (s.has("views")) throw new IllegalArgumentException(s.name("views") + ": the view counts are the grid's (top-level \"views\"), not the scan's");
        if (s.has("detector_offset_mm")) {
            throw new IllegalArgumentException(s.name("detector_offset_mm") + ": benchmark scans are full fan (a centred detector); its metrics use the fully seen cylinder");
        }
        JsonObject copy = s.copyWith("views", views);
        return TrainingConfig.ScanConfig.fromJson(StrictJson.of(copy, s.name("").replaceAll("\\.$", "")));
    }

    private static List<Integer> integers(StrictJson j, String key) {
        List<Integer> out = new ArrayList<>();
        for (JsonElement e : j.array(key)) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble()) || e.getAsDouble() < 1) {
                throw new IllegalArgumentException(j.name(key) + " must hold positive integers, got " + e);
            }
            out.add(e.getAsInt());
        }
        return out;
    }
}
