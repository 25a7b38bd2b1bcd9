package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The start-up command line: only the named subcommand is built, with the same handling as the full one. */
class MainTest {
    @Test
    void aNamedSubcommandIsBuiltAloneAndBehavesAsInTheFullCommandLine() {
        CommandLine one = Main.forArguments(new String[] {"fdk", "--help"});
        assertEquals(Set.of("fdk"), one.getSubcommands().keySet());
        StringWriter out = new StringWriter(), err = new StringWriter();
        one.setOut(new PrintWriter(out));
        one.setErr(new PrintWriter(err));
        assertEquals(0, one.execute("fdk", "--help"));
        assertTrue(out.toString().startsWith("Usage: pdrecon fdk"), out.toString());
        // bad input is answered exactly as by the full command line: same exit code, same message, no stack trace
        java.nio.file.Path garbage, geometry;
        try {
            garbage = java.nio.file.Files.createTempFile("garbage", ".mha");
            java.nio.file.Files.writeString(garbage, "not an image");
            geometry = java.nio.file.Files.createTempFile("geometry", ".json");
            org.pdrecon.geometry.GeometryJson.write(geometry, org.pdrecon.geometry.ConeBeamGeometry.circular()
                    .setVolume(org.pdrecon.geometry.VolumeGrid.cube(8, 4.0)).setSodMm(500).setSddMm(750)
                    .setDetector(8, 8, 6, 6).setAnglesDeg(0, 90, 180, 270).build());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String[] args : new String[][] {{"fdk", "--projections", "/nonexistent/p.mha", "--geometry", "/nonexistent/g.json", "--out", "/tmp/x.mha"},
                {"fdk", "--projections", garbage.toString(), "--geometry", geometry.toString(), "--out", "/tmp/x.mha"}}) {
            StringWriter lazyErr = new StringWriter(), fullErr = new StringWriter();
            CommandLine lazy = Main.forArguments(args), full = Main.commandLine();
            lazy.setErr(new PrintWriter(lazyErr));
            full.setErr(new PrintWriter(fullErr));
            lazy.setOut(new PrintWriter(new StringWriter()));
            full.setOut(new PrintWriter(new StringWriter()));
            int code = lazy.execute(args);
            assertEquals(full.execute(args), code);
            assertTrue(code != 0);
            assertTrue(args[2].equals(garbage.toString()) ? code == 1 : code == 2, "exit code " + code); // a bad file: an error, not usage
            assertEquals(fullErr.toString(), lazyErr.toString());
            assertFalse(lazyErr.toString().contains("\tat "), "no stack trace: " + lazyErr);
        }
    }

    @Test
    void helpAndUnknownNamesGetEverySubcommand() {
        int all = Main.SUBCOMMANDS.size();
        assertEquals(all, Main.forArguments(new String[] {"help", "fdk"}).getSubcommands().size());
        assertEquals(all, Main.forArguments(new String[0]).getSubcommands().size());
        CommandLine unknown = Main.forArguments(new String[] {"fdkk"});
        assertEquals(all, unknown.getSubcommands().size());
        StringWriter err = new StringWriter();
        unknown.setErr(new PrintWriter(err));
        assertEquals(2, unknown.execute("fdkk"));
        assertTrue(err.toString().contains("Did you mean: pdrecon fdk?"), err.toString());
    }
}
