package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.util.Threads;

/**
 * The shipped smoke config, trained for 20 steps by the real command line in fresh JVMs, at libtorch
 * intra-op threads 1 and 4 and Java pool threads 1 and 4: each run's loss is finite and falls, and two
 * runs of the same setting log bitwise the same losses. (Fresh processes, because libtorch's thread
 * pools and the Java kernel pool are fixed per process.)
 */
class TrainingDeterminismTest {
    private static final int STEPS = 20;
    @TempDir Path tmp;

    @Test
    void smokeTrainingIsFiniteFallingAndRepeatableAtEveryThreadSetting() throws Exception {
        JsonObject cfg = JsonParser.parseString(Files.readString(Path.of("training-configs/lpd-fan2d-smoke.json"))).getAsJsonObject();
        cfg.addProperty("steps", STEPS);
        cfg.addProperty("checkpoint_every", STEPS);
        Path config = tmp.resolve("smoke.json");
        Files.writeString(config, cfg.toString());
        for (int javaThreads : new int[] {1, 4}) {
            for (int torchThreads : new int[] {1, 4}) {
                String setting = "java " + javaThreads + ", libtorch " + torchThreads;
                List<Double> first = train(config, tmp.resolve("a-" + javaThreads + "-" + torchThreads), javaThreads, torchThreads);
                List<Double> second = train(config, tmp.resolve("b-" + javaThreads + "-" + torchThreads), javaThreads, torchThreads);
                assertEquals(STEPS, first.size(), setting);
                for (double l : first) assertTrue(Double.isFinite(l), setting + ": " + first);
                assertTrue(mean(first.subList(STEPS - 5, STEPS)) < 0.8 * mean(first.subList(0, 5)), setting + ": loss does not fall: " + first);
                assertEquals(first, second, setting + ": two runs differ");
            }
        }
    }

    private static List<Double> train(Path config, Path out, int javaThreads, int torchThreads) throws IOException, InterruptedException {
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-D" + Threads.JAVA_PROPERTY + "=" + javaThreads, "-D" + Threads.TORCH_PROPERTY + "=" + torchThreads,
                "-cp", System.getProperty("java.class.path"), "org.pdrecon.cli.Main",
                "train", "--config", config.toString(), "--out", out.toString(), "--no-progress")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "training did not finish in 5 minutes");
        assertEquals(0, p.exitValue(), () -> "train failed: " + read(log));
        List<Double> losses = new ArrayList<>();
        List<String> rows = Files.readAllLines(out.resolve(PrimalDualTrainer.LOG));
        for (String row : rows.subList(1, rows.size())) losses.add(Double.parseDouble(row.split(",")[1]));
        return losses;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
