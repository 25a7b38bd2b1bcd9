package org.pdrecon.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;

class PlastimatchFdkComparisonTest {
    @TempDir
    Path dir;

    private void writePfm(Path f, int w, int h, float[] rowMajor) throws IOException {
        byte[] head = ("Pf\n" + w + " " + h + "\n-1\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(head.length + 4 * w * h).order(ByteOrder.LITTLE_ENDIAN);
        b.put(head);
        for (float v : rowMajor) b.putFloat(v);
        Files.write(f, b.array());
    }

    /** DRR row 0 (stored first, the top: +z) becomes our last row (v = +z is the row index's direction). */
    @Test
    void readsLittleEndianPfmAndFlipsRows() throws IOException {
        writePfm(dir.resolve("out0000.pfm"), 2, 3, new float[] {1, 2, 3, 4, 5, 6});
        writePfm(dir.resolve("out0001.pfm"), 2, 3, new float[] {7, 8, 9, 10, 11, 12});
        assertThrows(IOException.class, () -> PlastimatchFdkComparison.readDrrs(dir, 2, 3)); // 2×3 is not 3×3
        writePfm(dir.resolve("out0000.pfm"), 2, 2, new float[] {1, 2, 3, 4});
        writePfm(dir.resolve("out0001.pfm"), 2, 2, new float[] {5, 6, 7, 8});
        ProjectionStack p = PlastimatchFdkComparison.readDrrs(dir, 2, 2);
        assertArrayEquals(new float[] {3, 4, 1, 2, 7, 8, 5, 6}, p.data());
        assertEquals(2.5, PlastimatchFdkComparison.median(new double[] {4, 1, 2, 3}), 0);
    }
}
