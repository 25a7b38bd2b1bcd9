package org.pdrecon.benchmark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fields.ConditionedField;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.io.MetaImage;
import org.pdrecon.learned.ModelEnvelope;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.training.SimulatedTrainingData;
import org.pdrecon.training.TrainingConfig;
import org.pdrecon.training.TrainingSample;
import org.pdrecon.util.AtomicFiles;
import org.pdrecon.util.JavaProcess;

/**
 * Runs a benchmark grid into a folder ({@link BenchmarkFolder}): checks everything it can before any
 * work, simulates each cell's scans once (every method of a cell sees the same data), runs each
 * method × cell in a {@link CellWorker} process, then writes the results and the report. A rerun into
 * the same folder with the same config skips finished volumes.
 */
public final class BenchmarkRun {
    private BenchmarkRun() {}

    /** Told about progress over the whole grid: simulations plus reconstructions. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (done, total, what) -> {};

        void update(long done, long total, String what);
    }

    /**
     * Everything that can be known wrong before work starts, as one line: a model folder that is not one,
     * a model trained on the benchmark's seed, a cell outside a model's envelope, an output folder that
     * cannot be written or that holds a benchmark of another config.
     */
    public static void check(BenchmarkConfig config, String configText, Path out) throws IOException {
        for (BenchmarkMethod m : config.methods()) {
            if (!m.learned()) continue;
            Path cfg = m.model().resolve("config.json");
            if (!Files.isRegularFile(cfg)) throw new IllegalArgumentException("method " + m.label() + ": " + m.model() + " is not a model folder (no config.json)");
            JsonObject root = JsonParser.parseString(Files.readString(cfg, StandardCharsets.UTF_8)).getAsJsonObject();
            boolean conditioned = ConditionedField.isModel(m.model());
            TrainingConfig training = conditioned ? null : ModelEvaluation.trainingConfig(m.model());
            long seed = conditioned ? root.getAsJsonObject("training").get("seed").getAsLong() : training.seed();
            if (seed == config.seed()) {
                throw new IllegalArgumentException("method " + m.label() + " was trained with seed " + config.seed()
                        + ", the benchmark's: choose another \"seed\" so its phantoms are held out");
            }
            ModelEnvelope envelope = ModelEnvelope.fromJson(root);
            for (BenchmarkCell c : config.cellsOf(m)) {
                ConeBeamGeometry g = config.scan().withViews(c.views()).geometry();
                if (!conditioned) ModelGeometry.requireCompatible(training.model(), g);
                List<String> violations = envelope == null ? List.of() : envelope.geometryViolations(g);
                if (!violations.isEmpty()) {
                    throw new IllegalArgumentException("method " + m.label() + " cannot run on the cell " + c.label() + ": outside the model's envelope: "
                            + String.join("; ", violations) + " (name the cells it fits in its \"cells\")");
                }
            }
        }
        BenchmarkFolder folder = new BenchmarkFolder(out);
        try {
            Files.createDirectories(out);
            Path probe = Files.createTempFile(out, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write to the output folder " + out + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (Files.exists(folder.config())) {
            var before = JsonParser.parseString(Files.readString(folder.config(), StandardCharsets.UTF_8));
            if (!before.equals(JsonParser.parseString(configText))) {
                throw new IllegalArgumentException(out + " holds a benchmark of another config; give a new output folder (or delete it)");
            }
        }
    }

    /** Checks, then runs the grid here and writes results.csv, results.json, table.md and report.html into {@code out}. */
    public static BenchmarkResults run(BenchmarkConfig config, String configText, Path out, Listener listener) throws IOException, InterruptedException {
        return run(config, configText, out, listener, null);
    }

    /**
     * As {@link #run(BenchmarkConfig, String, Path, Listener)}, with the method × cell units run by {@code runner}
     * (e.g. Spark's) instead of one after another here; {@code null} runs them here. Simulation stays here, so
     * every unit reads the same stored scans.
     */
    public static BenchmarkResults run(BenchmarkConfig config, String configText, Path out, Listener listener, UnitRunner runner)
            throws IOException, InterruptedException {
        check(config, configText, out);
        BenchmarkFolder folder = new BenchmarkFolder(out);
        if (!Files.exists(folder.config())) AtomicFiles.writeString(folder.config(), configText);
        long total = 0;
        for (BenchmarkCell c : config.cells()) total += config.phantoms(c);
        for (BenchmarkMethod m : config.methods()) total += (long) config.volumes() * config.cellsOf(m).size();
        long done = 0;
        for (BenchmarkCell c : config.cells()) {
            SimulatedTrainingData data = new SimulatedTrainingData(config.data(c), config.seed());
            for (int i = 0; i < config.phantoms(c); i++) {
                if (!Files.exists(folder.truth(c, i)) || !Files.exists(folder.projections(c, i))) simulate(data, folder, c, i);
                listener.update(++done, total, "simulating " + c.label());
            }
        }
        List<UnitRunner.Unit> units = new ArrayList<>();
        Map<UnitRunner.Unit, Integer> remaining = new HashMap<>();
        for (BenchmarkCell c : config.cells()) {
            for (BenchmarkMethod m : config.methods()) {
                if (!config.cellsOf(m).contains(c)) continue;
                int finished = CellWorker.readRows(folder.rows(c, m)).size();
                done += finished;
                listener.update(done, total, m.label() + " on " + c.label());
                if (finished == config.volumes()) continue;
                if (runner != null) {
                    UnitRunner.Unit unit = new UnitRunner.Unit(c.id(), m.label());
                    units.add(unit);
                    remaining.put(unit, config.volumes() - finished);
                    continue;
                }
                long[] counter = {done};
                long all = total;
                work(folder, c, m, List.of(), () -> listener.update(++counter[0], all, m.label() + " on " + c.label()));
                done = counter[0];
            }
        }
        if (runner != null && !units.isEmpty()) {
            long[] counter = {done};
            long all = total;
            runner.run(out, units, u -> {
                counter[0] += remaining.get(u); // a unit ends with all its volumes; those done before were counted above
                listener.update(counter[0], all, u.methodLabel() + " on " + config.cell(u.cellId()).label());
            });
        }
        BenchmarkResults results = BenchmarkResults.collect(config, folder);
        results.write(out);
        BenchmarkReport.write(out.resolve("report.html"), config, folder, results);
        return results;
    }

    private static void simulate(SimulatedTrainingData data, BenchmarkFolder folder, BenchmarkCell c, int i) throws IOException {
        ConeBeamGeometry g = data.geometry();
        TrainingSample s = data.sample(i);
        MetaImage.writeVolume(folder.truth(c, i), new Volume(g.volume(), s.target()));
        MetaImage.writeProjections(folder.projections(c, i), new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), s.projections()), g);
    }

    /**
     * Runs one unit of a benchmark folder in a {@link CellWorker} process with {@code threads} Java and libtorch threads
     * (the table records them): what a {@link UnitRunner} calls for each unit.
     */
    public static void runUnit(Path out, UnitRunner.Unit unit, int threads) throws IOException, InterruptedException {
        BenchmarkFolder folder = new BenchmarkFolder(out);
        BenchmarkConfig config = BenchmarkConfig.load(folder.config());
        String t = Integer.toString(threads);
        work(folder, config.cell(unit.cellId()), config.method(unit.methodLabel()), List.of("-Dpdrecon.threads=" + t, "-Dpdrecon.torch.threads=" + t), () -> {});
    }

    /** Runs one method × cell in a worker process, telling {@code onVolume} after each volume; fails with the log's tail if it fails. */
    private static void work(BenchmarkFolder folder, BenchmarkCell c, BenchmarkMethod m, List<String> jvmOptions, Runnable onVolume)
            throws IOException, InterruptedException {
        Path log = folder.log(c, m);
        Files.createDirectories(log.getParent());
        List<String> command = JavaProcess.command(jvmOptions, CellWorker.class, List.of(folder.root().toString(), c.id(), m.label()));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        p.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(CellWorker.DONE)) onVolume.run();
            }
        } finally {
            if (p.isAlive()) p.destroy();
        }
        int rc = p.waitFor();
        if (rc != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String last = lines.stream().filter(l -> l.contains("Exception") || l.contains("Error")).findFirst()
                    .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
            throw new IOException(m.label() + " on " + c.label() + " failed (exit " + rc + "): " + last + " — log: " + log
                    + "; finished volumes are kept, rerun to resume");
        }
    }
}
