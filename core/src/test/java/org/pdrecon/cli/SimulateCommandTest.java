package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.io.Dataset;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import picocli.CommandLine;

class SimulateCommandTest {
    @TempDir
    Path tmp;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static String[] small(Path out, String... extra) {
        String[] base = {"simulate", "-o", out.toString(), "--size", "12", "--views", "6", "--phantom", "random"};
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void writesACompleteDatasetDeterministicForASeed() throws Exception {
        assertEquals(0, run(new StringWriter(), small(tmp.resolve("a"), "--seed", "7", "--samples", "2")));
        assertEquals(0, run(new StringWriter(), small(tmp.resolve("b"), "--seed", "7", "--samples", "2")));
        assertEquals(0, run(new StringWriter(), small(tmp.resolve("c"), "--seed", "8", "--samples", "2")));
        Dataset a = Dataset.open(tmp.resolve("a")), b = Dataset.open(tmp.resolve("b")), c = Dataset.open(tmp.resolve("c"));
        assertTrue(a.isComplete());
        assertEquals(2, a.size());
        assertEquals(6, a.geometry().views());
        for (String id : a.sampleIds()) {
            assertArrayEquals(Files.readAllBytes(a.volumePath(id)), Files.readAllBytes(b.volumePath(id)));
            assertArrayEquals(Files.readAllBytes(a.projectionsPath(id)), Files.readAllBytes(b.projectionsPath(id)));
        }
        assertFalse(Arrays.equals(Files.readAllBytes(a.volumePath("0000")), Files.readAllBytes(c.volumePath("0000"))));
        // Random phantoms differ between samples; projections hold positive line integrals of μ ≈ 0.02/mm.
        Volume v0 = a.readVolume("0000"), v1 = a.readVolume("0001");
        assertFalse(Arrays.equals(v0.data(), v1.data()));
        ProjectionStack p = a.readProjections("0000");
        float max = 0;
        for (float x : p.data()) max = Math.max(max, x);
        assertTrue(max > 1 && max < 20, "max line integral " + max);
    }

    @Test
    void anatomicalPhantomsHoldBoneLungAndFatAndProjectThroughTheWholeBody() throws Exception {
        for (String kind : new String[] {"thorax", "pelvis"}) {
            Path out = tmp.resolve(kind);
            assertEquals(0, run(new StringWriter(), "simulate", "-o", out.toString(), "--phantom", kind, "--size", "48", "--fov-mm", "400",
                    "--views", "4", "--det", "48", "48", "--i0", "0", "--seed", "3"));
            Dataset d = Dataset.open(out);
            float[] mu = d.readVolume("0000").data();
            int bone = 0, fat = 0, air = 0;
            for (float m : mu) {
                if (m > 0.03f) bone++;
                if (Math.abs(m - 0.0176f) < 5e-4f) fat++; // fat, or fat with a little muscle in the voxel
                if (m == 0f) air++;
            }
            assertTrue(bone > 10 && fat > 100 && air > 1000, kind + ": bone " + bone + ", fat " + fat + ", air " + air + " voxels");
            float max = 0;
            for (float x : d.readProjections("0000").data()) max = Math.max(max, x);
            assertTrue(max > 3 && max < 12, kind + ": the longest line integral through a body is " + max); // 200–400 mm of μ ≈ 0.02/mm
        }
    }

    @Test
    void theForbildHeadHasItsSkullBrainAndAirCellsAndTakesEitherSpelling() throws Exception {
        Path out = tmp.resolve("head");
        assertEquals(0, run(new StringWriter(), "simulate", "-o", out.toString(), "--phantom", "forbild-head", "--size", "64",
                "--views", "4", "--det", "64", "64", "--i0", "0"));
        Dataset d = Dataset.open(out);
        float[] mu = d.readVolume("0000").data();
        int bone = 0, brain = 0, air = 0;
        for (float m : mu) {
            if (Math.abs(m - 1.8f * 0.0194f) < 1e-6f) bone++;
            if (Math.abs(m - 1.05f * 0.0194f) < 1e-6f) brain++;
            if (m == 0f) air++;
        }
        assertTrue(bone > 500 && brain > 50_000 && air > 50_000, "bone " + bone + ", brain " + brain + ", air " + air + " voxels");
        assertEquals(0, run(new StringWriter(), "simulate", "-o", tmp.resolve("head2").toString(), "--phantom", "forbild_head",
                "--size", "16", "--views", "2", "--det", "16", "16", "--i0", "0"));
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "simulate", "-o", tmp.resolve("head3").toString(), "--phantom", "forbild"));
        assertTrue(err.toString().contains("known: shepp_logan, random, thorax, pelvis, forbild-head"), err.toString());
    }

    @Test
    void refusesToOverwriteUnlessForced() throws Exception {
        Path out = tmp.resolve("d");
        assertEquals(0, run(new StringWriter(), small(out, "--samples", "2")));
        StringWriter err = new StringWriter();
        assertEquals(1, run(err, small(out, "--samples", "2")));
        assertTrue(err.toString().contains("already holds a dataset"), err.toString());
        assertEquals(0, run(new StringWriter(), small(out, "--force", "--samples", "1")));
        assertEquals(1, Dataset.open(out).size());
    }

    @Test
    void badOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, small(tmp.resolve("e"), "--samples", "0")));
        assertTrue(err.toString().contains("--samples must be positive"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(err2, "simulate", "-o", tmp.resolve("f").toString(), "--phantom", "cube"));
        assertTrue(err2.toString().contains("--phantom"), err2.toString());
    }
}
