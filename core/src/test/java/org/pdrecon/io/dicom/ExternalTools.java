package org.pdrecon.io.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external DICOM tools (dicom3tools' dciodvfy, python3 with pydicom) from tests. */
public final class ExternalTools {
    private ExternalTools() {}

    /** Output and exit code of a finished process. */
    public record Result(int exitCode, String output) {}

    /** The first executable found on PATH (or an absolute path that exists), or {@code null}. */
    public static String find(String... candidates) {
        for (String c : candidates) {
            if (c.startsWith("/")) {
                if (Files.isExecutable(Path.of(c))) return c;
                continue;
            }
            String path = System.getenv("PATH");
            if (path == null) continue;
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, c))) return Path.of(dir, c).toString();
            }
        }
        return null;
    }

    /** A python3 that can import pydicom, or {@code null}. */
    public static String pythonWithPydicom() throws IOException, InterruptedException {
        for (String py : new String[] {"/usr/bin/python3", find("python3")}) {
            if (py == null || !Files.isExecutable(Path.of(py))) continue;
            if (run(List.of(py, "-c", "import pydicom"), null).exitCode() == 0) return py;
        }
        return null;
    }

    public static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
