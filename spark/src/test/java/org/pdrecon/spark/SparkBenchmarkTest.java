package org.pdrecon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code benchmark --spark} runs the same grid through Spark and scores every volume as the local run does. */
class SparkBenchmarkTest {
    @TempDir
    Path tmp;

    static final String CONFIG = """
            {"name": "spark-grid", "volumes": 2, "seed": 31,
             "scan": {"size": 12, "voxel_mm": 1.0, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24, "detector_pixel_mm": 1.0},
             "ellipsoids": 4, "views": [10, 20], "noise_i0": [0, 10000],
             "methods": [{"method": "fdk"}, {"method": "sirt", "iterations": 10}]}
            """;

    @Test
    void theGridThroughSparkScoresEveryVolumeAsTheLocalRunDoes() throws Exception {
        Path config = Files.writeString(tmp.resolve("grid.json"), CONFIG);
        Cli local = Cli.run("benchmark", "--config", config.toString(), "-o", tmp.resolve("local").toString()).ok();
        Cli spark = Cli.run("benchmark", "--config", config.toString(), "-o", tmp.resolve("spark").toString(), "--spark", "--master", "local[2]").ok();
        List<String> a = scores(tmp.resolve("local/results.csv")), b = scores(tmp.resolve("spark/results.csv"));
        assertEquals(2 * 4 * 2 + 1, a.size(), local.out());
        assertEquals(a, b, spark.out());
        for (String line : Files.readAllLines(tmp.resolve("spark/results.csv")).subList(1, a.size())) {
            assertTrue(line.matches(".*,1,1,[0-9.]+$"), "each Spark unit ran on one Java and one libtorch thread: " + line);
        }
    }

    @Test
    void theSparkEngineIsRegisteredForTheCoresBenchmarkCommand() {
        var providers = java.util.ServiceLoader.load(org.pdrecon.benchmark.UnitRunner.Provider.class).stream().map(p -> p.get().name()).toList();
        assertEquals(List.of("spark"), providers);
    }

    /** The rows without the seconds, threads and memory columns (cell,views,noise_i0,method,volume,psnr,ssim,nrmse). */
    private static List<String> scores(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> String.join(",", List.of(l.split(",")).subList(0, 8))).toList();
    }
}
