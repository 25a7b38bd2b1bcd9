package org.pdrecon.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSetTest {
    @TempDir Path tmp;

    @Test
    void allOutputsAppearTogetherAndReplaceOldOnes() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.txt"), "old"), b = tmp.resolve("sub/b.txt");
        try (OutputSet out = new OutputSet().file(a).file(b)) {
            assertEquals(List.of("will create folder " + b.getParent()), out.check());
            Files.writeString(out.staging(a), "new a");
            Files.writeString(out.staging(b), "new b");
            assertEquals("old", Files.readString(a), "nothing visible before the commit");
            out.commit();
        }
        assertEquals("new a", Files.readString(a));
        assertEquals("new b", Files.readString(b));
        assertEquals(List.of("a.txt", "sub"), names(tmp));
    }

    /** A rename that fails at commit time puts back what was replaced and removes what was placed. */
    @Test
    void aFailedCommitRollsBack() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.txt"), "old"), series = tmp.resolve("series");
        OutputSet out = new OutputSet().file(a).folder(series);
        out.check();
        Files.writeString(out.staging(a), "new a");
        Files.writeString(out.staging(series).resolve("CT_0001.dcm"), "slice");
        Files.createDirectories(series.resolve("appeared-meanwhile")); // the folder is no longer empty
        assertThrows(IOException.class, out::commit);
        out.close();
        assertEquals("old", Files.readString(a), "the replaced file is back");
        assertEquals(List.of("a.txt", "series"), names(tmp), "no temporaries or kept copies left");
    }

    @Test
    void targetsThatCannotBeWrittenAreFoundBeforeTheWork() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        var e = assertThrows(IOException.class, () -> new OutputSet().file(file.resolve("v.mha")).check());
        assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("CT_0001.dcm"), "old series");
        e = assertThrows(IOException.class, () -> new OutputSet().folder(full).check());
        assertTrue(e.getMessage().contains("the folder is not empty"), e.getMessage());
        e = assertThrows(IOException.class, () -> new OutputSet().file(full).check());
        assertTrue(e.getMessage().contains("it is a folder"), e.getMessage());
    }

    /** Temporaries of a run that was killed (its process gone, untouched for a day) are removed by the next run's check. */
    @Test
    void staleTemporariesOfADeadRunAreSwept() throws Exception {
        Path a = tmp.resolve("vol.mha");
        long dead = deadPid();
        Path stale = Files.createDirectories(tmp.resolve(".partial-" + dead + "-vol.mha"));
        Files.writeString(stale.resolve("vol.mha"), "half");
        Path recent = Files.createDirectories(tmp.resolve(".partial-" + dead + "1-vol.mha")); // not seen, but touched just now
        java.nio.file.attribute.FileTime dayAgo = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - OutputSet.STALE_MILLIS - 60_000);
        Files.setLastModifiedTime(stale, dayAgo);
        Path alive = Files.createDirectories(tmp.resolve(".partial-" + ProcessHandle.current().pid() + "-vol.mha"));
        new OutputSet().file(a).check();
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(alive), "a live process's temporaries are left alone");
        assertTrue(Files.exists(recent), "a recent temporary may belong to a process on another host");
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
