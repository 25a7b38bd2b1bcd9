package org.pdrecon.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook in {@code notebooks/} headless with the pdrecon kernel (Jupyter's nbconvert,
 * as a reader would) and checks that no cell failed and that each notebook draws at least one picture;
 * a notebook whose cell throws must fail the run. Needs {@code /usr/bin/jupyter} with nbconvert
 * (.ci/run installs it; skipped without it).
 */
class NotebooksTest {
    private static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    private static final long SECONDS_PER_NOTEBOOK = 300;

    @TempDir
    static Path data;

    /** A kernelspec that starts the kernel from the build's classes and libraries (not the launcher, which would build). */
    @BeforeAll
    static void installKernel() throws IOException {
        String cp = System.getProperty("pdrecon.runtime.classpath");
        assumeTrue(cp != null && !cp.isBlank(), "the build passes the runtime class path (pom.xml)");
        Path spec = data.resolve("kernels/pdrecon/kernel.json");
        Files.createDirectories(spec.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = List.of(java, "-Xmx2g", "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", cp, "org.pdrecon.cli.Main", "notebook", "kernel", "{connection_file}");
        Files.writeString(spec, new com.google.gson.Gson().toJson(Map.of("argv", argv, "display_name", "Java (pdrecon)", "language", "java")));
    }

    private static int execute(Path notebook, Path outDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(JUPYTER.toString(), "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=" + SECONDS_PER_NOTEBOOK, "--output-dir", outDir.toString(), notebook.toString());
        pb.environment().put("JUPYTER_PATH", data.toString());
        pb.redirectErrorStream(true).redirectOutput(outDir.resolve(notebook.getFileName() + ".log").toFile());
        Process p = pb.start();
        if (!p.waitFor(SECONDS_PER_NOTEBOOK + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(notebook + " did not finish in " + SECONDS_PER_NOTEBOOK + " s");
        }
        return p.exitValue();
    }

    private static List<JsonObject> outputs(Path executed) throws IOException {
        JsonObject nb = JsonParser.parseString(Files.readString(executed, StandardCharsets.UTF_8)).getAsJsonObject();
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement cell : nb.getAsJsonArray("cells")) {
            JsonArray o = cell.getAsJsonObject().getAsJsonArray("outputs");
            if (o != null) for (JsonElement e : o) out.add(e.getAsJsonObject());
        }
        return out;
    }

    @Test
    void everyNotebookRunsAndDrawsPictures(@TempDir Path out) throws Exception {
        assumeTrue(Files.isExecutable(JUPYTER), "Jupyter's nbconvert is not installed (.ci/run installs it)");
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(Path.of("notebooks"))) {
            notebooks = s.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 2, "notebooks: " + notebooks);
        for (Path nb : notebooks) {
            int rc = execute(nb, out);
            assertEquals(0, rc, nb + " failed: " + Files.readString(out.resolve(nb.getFileName() + ".log")));
            List<JsonObject> outputs = outputs(out.resolve(nb.getFileName()));
            long images = outputs.stream().filter(o -> o.has("data") && o.getAsJsonObject("data").has("image/png")).count();
            long errors = outputs.stream().filter(o -> "error".equals(o.get("output_type").getAsString())).count();
            assertEquals(0, errors, nb + " has error outputs");
            assertTrue(images >= 1, nb + " drew no picture");
        }
    }

    @Test
    void aCellThatThrowsFailsTheRun(@TempDir Path out) throws Exception {
        assumeTrue(Files.isExecutable(JUPYTER), "Jupyter's nbconvert is not installed (.ci/run installs it)");
        Path nb = out.resolve("throws.ipynb");
        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "int[] a = new int[2];\\na[5]"}],
                 "metadata": {"kernelspec": {"name": "pdrecon", "display_name": "Java (pdrecon)", "language": "java"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """);
        Path result = Files.createDirectories(out.resolve("result"));
        assertNotEquals(0, execute(nb, result));
        String log = Files.readString(result.resolve("throws.ipynb.log"));
        assertTrue(log.contains("ArrayIndexOutOfBoundsException"), log);
    }
}
