package org.pdrecon.benchmark;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.cli.Main;
import org.pdrecon.io.dicom.ExternalTools;

class WholeCommandBenchTest {
    @TempDir
    Path dir;

    /** The peak is the child's own: a process holding 300 MiB reads as at least that, and a failure keeps its reason. */
    @Test
    void timedProcessMeasuresTheChildsPeakAndReportsFailures() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "peak memory is read from Linux's /proc");
        assumeTrue(ExternalTools.find("python3") != null, "the memory-holding child is a python3 one-liner");
        TimedProcess.Run r = TimedProcess.run(List.of("python3", "-c",
                "import time; b = bytearray(300 << 20); b[::4096] = b'x' * len(b[::4096]); time.sleep(0.3)"), dir.resolve("py.log"));
        assertTrue(r.peakMib() >= 300 && r.peakMib() < 400, "peak " + r.peakMib() + " MiB");
        assertTrue(r.wallSeconds() >= 0.3, "wall " + r.wallSeconds());
        IOException e = assertThrows(IOException.class,
                () -> TimedProcess.run(List.of("sh", "-c", "echo the reason; exit 3"), dir.resolve("fail.log")));
        assertTrue(e.getMessage().contains("exit 3") && e.getMessage().contains("the reason"), e.getMessage());
    }

    /** pdrecon alone: both commands timed, their outputs checked, the table without a peer's columns. */
    @Test
    void timesPdreconsWholeCommands() throws Exception {
        WholeCommandBench.Result r = WholeCommandBench.run(dir, 16, 12, 1, null, Main.class, line -> { });
        assertEquals(2, r.cases().size());
        for (WholeCommandBench.Case c : r.cases()) {
            assertNull(c.peer());
            assertTrue(c.pdrecon().medianWall() > 0.1, c.name() + " wall " + c.pdrecon().medianWall()); // a JVM starts
            if (Files.isDirectory(Path.of("/proc/self"))) assertTrue(c.pdrecon().medianPeak() > 20, c.name() + " peak");
        }
        String md = r.markdown();
        assertTrue(md.contains("| pdrecon `project` 16³ → 12 views of 24² |") && md.contains("| pdrecon `fdk` 16³ from 12 views of 24² |"), md);
        assertFalse(md.contains("speed-up"), md);
        assertTrue(Files.size(dir.resolve("pdrecon-fdk.mha")) > 16 * 16 * 16 * 4);
    }

    /** Paired with plastimatch: both tools compute the same projections and comparable volumes. */
    @Test
    void pairsWithPlastimatch() throws Exception {
        assumeTrue(ExternalTools.find("plastimatch") != null, "plastimatch is not installed");
        List<String> lines = new ArrayList<>();
        WholeCommandBench.Result r = WholeCommandBench.run(dir, 24, 18, 2, WholeCommandBench.Peer.plastimatch, Main.class, lines::add);
        assertTrue(lines.contains("pair 2 of 2"), lines.toString());
        for (WholeCommandBench.Case c : r.cases()) {
            assertEquals(2, c.peer().wallSeconds().length);
            assertTrue(c.wallRatio() > 0 && Double.isFinite(c.wallRatio()), c.name());
            if (Files.isDirectory(Path.of("/proc/self"))) assertTrue(c.memoryRatio() > 0 && Double.isFinite(c.memoryRatio()), c.name());
        }
        double drrDifference = Double.parseDouble(r.cases().get(0).check().replaceAll(".*differ by ([0-9.]+) %.*", "$1"));
        assertTrue(drrDifference < 10, r.cases().get(0).check());
        String fdk = r.cases().get(1).check();
        double ours = Double.parseDouble(fdk.replaceAll(".*volume ([0-9.]+) dB.*", "$1"));
        double theirs = Double.parseDouble(fdk.replaceAll(".*plastimatch's ([0-9.]+) dB.*", "$1"));
        assertTrue(ours > 15 && theirs > 12, fdk);
        String md = r.markdown();
        assertTrue(md.contains("| `fdk` 24³ from 18 views of 36² |") && md.contains("plastimatch fdk -A cpu -f ramp"), md);
    }

    /** The projector check's measure, ‖a − b‖ / ‖b‖ ({@link HoughComparison#relative}, on DRRs scaled ×10 first). */
    @Test
    void relativeDifferenceIsAgainstTheReference() {
        assertEquals(0, HoughComparison.relative(new float[] {10, 20}, new float[] {10, 20}), 1e-12);
        assertEquals(0.5, HoughComparison.relative(new float[] {1, 0}, new float[] {2, 0}), 1e-12);
    }
}
