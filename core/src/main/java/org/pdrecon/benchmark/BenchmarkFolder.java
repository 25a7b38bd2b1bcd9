package org.pdrecon.benchmark;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a benchmark run keeps its files, so the orchestrator, its workers and the report agree:
 * <pre>
 * config.json                      the config as run (a rerun must match it to resume)
 * scans/CELL/truth-NNN.mha         phantom NNN of the cell, and its projections proj-NNN.mha
 * parts/CELL/METHOD.csv            one row per finished volume (the resume state)
 * parts/CELL/METHOD.json           memory, threads and the method's description
 * volumes/CELL/METHOD.mha          the method's volume 0 (figure cell only)
 * logs/CELL-METHOD.log             the worker's standard error
 * results.csv results.json table.md report.html
 * </pre>
 */
record BenchmarkFolder(Path root) {
    Path config() { return root.resolve("config.json"); }

    Path truth(BenchmarkCell c, int volume) { return root.resolve("scans").resolve(c.id()).resolve(String.format(Locale.ROOT, "truth-%03d.mha", volume)); }

    Path projections(BenchmarkCell c, int volume) { return root.resolve("scans").resolve(c.id()).resolve(String.format(Locale.ROOT, "proj-%03d.mha", volume)); }

    Path rows(BenchmarkCell c, BenchmarkMethod m) { return root.resolve("parts").resolve(c.id()).resolve(m.label() + ".csv"); }

    Path facts(BenchmarkCell c, BenchmarkMethod m) { return root.resolve("parts").resolve(c.id()).resolve(m.label() + ".json"); }

    Path volume(BenchmarkCell c, String label) { return root.resolve("volumes").resolve(c.id()).resolve(label + ".mha"); }

    Path log(BenchmarkCell c, BenchmarkMethod m) { return root.resolve("logs").resolve(c.id() + "-" + m.label() + ".log"); }
}
