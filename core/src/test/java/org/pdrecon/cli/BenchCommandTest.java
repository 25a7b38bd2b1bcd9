package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void timesAllThreeOperatorsOnATinyScan() {
        int code = run("bench", "operators", "--size", "12", "--views", "6", "--det", "10", "14", "--pixel", "40",
                "--repeats", "1", "--warmup", "0");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("detector 10×14"), text);
        assertTrue(text.matches("(?s).*\\nA +[0-9.]+ s +[0-9.]+ G ray-samples/s.*"), text);
        assertTrue(text.matches("(?s).*\\nAT +[0-9.]+ s +[0-9.]+ GVUPS.*"), text);
        assertTrue(text.matches("(?s).*\\nFDK BP +[0-9.]+ s +[0-9.]+ GVUPS.*"), text);
    }

    @Test
    void onlySelectedOperatorsAndBadSizesAreUsageErrors() {
        assertEquals(0, run("bench", "operators", "--size", "8", "--views", "3", "--det", "8", "8", "--pixel", "50",
                "--repeats", "1", "--warmup", "0", "--only", "FDK"));
        assertTrue(out.toString().contains("FDK BP") && !out.toString().contains("\nA "), out.toString());
        assertEquals(2, run("bench", "operators", "--size", "0"));
        assertTrue(err.toString().contains("must be positive"), err.toString());
    }

    /** A short fuzz run: every mutation of every format is accepted or rejected with the format's own error. */
    @Test
    void fuzzAcceptsOrRejectsEveryMutationAndReportsCounts() {
        assertEquals(0, run("bench", "fuzz", "--mutations", "300", "--seed", "5"), out + "\n" + err);
        String text = out.toString();
        for (String format : new String[] {"DICOM", "MHA", "geometry.json"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(format) + " +(\\d+) +(\\d+) +(\\d+)$").matcher(text);
            assertTrue(m.find(), format + " row missing: " + text);
            int accepted = Integer.parseInt(m.group(1)), rejected = Integer.parseInt(m.group(2));
            assertEquals(300, accepted + rejected, text);
            assertTrue(rejected > 30, format + ": the mutations must reach the error paths: " + text);
            assertEquals("0", m.group(3));
        }
        assertEquals(2, run("bench", "fuzz", "--mutations", "0"));
    }
}
