package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.benchmark.BenchmarkConfig;
import org.pdrecon.benchmark.BenchmarkResults;
import org.pdrecon.benchmark.BenchmarkRun;
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

    @Override
    public Integer call() throws Exception {
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config " + config + " does not exist");
        }
        BenchmarkConfig c = BenchmarkConfig.parse(text, "benchmark config " + config.getFileName());
        Path dir = out != null ? out : Path.of("out", "benchmark", c.name());
        BenchmarkResults results;
        try (ProgressBar bar = Progress.bar("benchmark", 1, "volumes")) {
            results = BenchmarkRun.run(c, text, dir, (done, total, what) -> {
                bar.maxHint(total);
                bar.stepTo(done);
                bar.setExtraMessage(what);
            });
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(results.markdown());
        pw.printf("wrote %s: results.csv, results.json, table.md, report.html%n", dir);
        pw.flush();
        return 0;
    }
}
