package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir Path tmp;

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void trainsResumesAndReportsErrors() throws Exception {
        Path cfg = tmp.resolve("tiny.json");
        Files.writeString(cfg, """
                {"name": "tiny", "steps": 2, "checkpoint_every": 1,
                 "model": {"dimensions": 2, "iterations": 1, "filters": 4},
                 "data": {"scan": {"size": 12, "sod_mm": 40, "sdd_mm": 70, "detector_cols": 24, "views": 6}, "ellipsoids": 2},
                 "validation": {"samples": 1}}
                """);
        Path out = tmp.resolve("run");
        StringWriter o = new StringWriter(), e = new StringWriter();
        assertEquals(0, run(o, e, "train", "--config", cfg.toString(), "--out", out.toString(), "--no-progress"), e.toString());
        assertTrue(o.toString().contains("validation after step 2"), o.toString());
        assertTrue(Files.exists(out.resolve("model/model.params")));

        // Again without --resume: refused, the run is kept.
        e = new StringWriter();
        assertEquals(1, run(new StringWriter(), e, "train", "--config", cfg.toString(), "--out", out.toString()));
        assertTrue(e.toString().contains("pass --resume"), e.toString());
        // With --resume after the last step: nothing left to do, exit 0.
        o = new StringWriter();
        assertEquals(0, run(o, new StringWriter(), "train", "--config", cfg.toString(), "--out", out.toString(), "--resume", "--no-progress"));
        assertTrue(o.toString().contains("resuming after step 2"), o.toString());

        // --export-model rebuilds model/ from the checkpoint alone, bit for bit.
        byte[] params = Files.readAllBytes(out.resolve("model/model.params"));
        Files.delete(out.resolve("model/model.params"));
        assertEquals(0, run(new StringWriter(), new StringWriter(), "train", "--config", cfg.toString(), "--out", out.toString(), "--export-model"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(params, Files.readAllBytes(out.resolve("model/model.params")));

        // evaluate: the trained model against FDK and tuned TV on held-out phantoms, files written.
        Path ev = tmp.resolve("eval");
        CliRun r = CliRun.of("evaluate", "--model", out.resolve("model").toString(), "--phantoms", "2", "--tuning-phantoms", "1",
                "--tv-lambdas", "0.1,1", "--tv-iterations", "5", "-o", ev.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| FDK |") && r.out().contains("better on"), r.out());
        for (String f : new String[] {"evaluation.md", "evaluation.csv", "evaluation.png"}) assertTrue(Files.exists(ev.resolve(f)), f);
        r = CliRun.of("evaluate", "--model", out.resolve("model").toString(), "--seed", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("training seed"), r.err());
        r = CliRun.of("evaluate", "--model", tmp.resolve("nowhere").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a directory"), r.err());

        e = new StringWriter();
        assertEquals(2, run(new StringWriter(), e, "train", "--config", tmp.resolve("missing.json").toString()));
        assertTrue(e.toString().contains("--config: no such file: ") && e.toString().contains("missing.json"), e.toString());
        e = new StringWriter();
        assertEquals(2, run(new StringWriter(), e, "train", "--config", cfg.toString(), "--device", "tpu"));
        assertTrue(e.toString().contains("--device must be cpu or gpu"), e.toString());
    }
}
