package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.benchmark.BenchmarkConfig;
import org.pdrecon.benchmark.BenchmarkResults;
import org.pdrecon.benchmark.BenchmarkRun;
import org.pdrecon.benchmark.UnitRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon benchmark}: a grid of methods × view counts × noise levels on held-out phantoms (docs/benchmark.md). */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run every method of a benchmark config on every cell (view count × noise level) over held-out phantoms.",
                "Writes results.csv, results.json, table.md and report.html; a rerun into the same folder resumes."})
public final class BenchmarkCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "benchmark config, e.g. benchmarks/seed004-small.json")
    Path config;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output folder (default: out/benchmark/<name>)")
    Path out;

    @Option(names = "--spark", description = "Run the method × cell units as Apache Spark tasks (module pdrecon-spark; docs/scale-out.md).")
    boolean spark;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --spark: the Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*]); the folder must be shared with the executors.")
    String master;

    @Override
    public Integer call() throws Exception {
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config " + config + " does not exist");
        }
        BenchmarkConfig c = BenchmarkConfig.parse(text, "benchmark config " + config.getFileName());
        UnitRunner runner = spark ? engine("spark").create(master) : null;
        Path dir = out != null ? out : Path.of("out", "benchmark", c.name());
        BenchmarkResults results;
        try (ProgressBar bar = Progress.bar("benchmark", 1, "volumes")) {
            results = BenchmarkRun.run(c, text, dir, (done, total, what) -> {
                bar.maxHint(total);
                bar.stepTo(done);
                bar.setExtraMessage(what);
            }, runner);
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(results.markdown());
        pw.printf("wrote %s: results.csv, results.json, table.md, report.html%n", dir);
        pw.flush();
        return 0;
    }

    /** The engine registered as a {@link UnitRunner.Provider} service under {@code name}, or one clear line saying how to get it. */
    private UnitRunner.Provider engine(String name) {
        for (UnitRunner.Provider p : ServiceLoader.load(UnitRunner.Provider.class)) if (p.name().equals(name)) return p;
        throw new CommandLine.ParameterException(spec.commandLine(), "--" + name + " needs the pdrecon-" + name
                + " module on the class path: run it through ./pdrecon, which adds it for `benchmark --" + name + "`");
    }
}
