package org.pdrecon.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

class MetaImageTest {
    @TempDir
    Path dir;

    private static Volume randomVolume() {
        VolumeGrid grid = new VolumeGrid(4, 5, 6, 2.5, 0.75, 1.25, new double[] {10, -3.5, 7});
        Random rnd = new Random(1);
        float[] data = new float[grid.voxelCount()];
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextGaussian();
        return new Volume(grid, data);
    }

    private static void assertSameVolume(Volume expected, Volume actual) {
        VolumeGrid e = expected.grid(), a = actual.grid();
        assertArrayEquals(e.shape(), a.shape());
        assertEquals(e.dxMm(), a.dxMm());
        assertEquals(e.dyMm(), a.dyMm());
        assertEquals(e.dzMm(), a.dzMm());
        assertArrayEquals(e.centreMm(), a.centreMm(), 1e-12);
        assertArrayEquals(expected.data(), actual.data());
    }

    @Test
    void volumeRoundTripsThroughMhaMhdAndCompression() throws IOException {
        Volume v = randomVolume();
        for (String name : new String[] {"v.mha", "v.mhd"}) {
            for (boolean compress : new boolean[] {false, true}) {
                Path f = dir.resolve((compress ? "z" : "") + name);
                MetaImage.writeVolume(f, v, compress);
                assertSameVolume(v, MetaImage.readVolume(f));
                assertEquals(compress, MetaImage.readHeader(f).compressed());
            }
        }
        assertTrue(Files.exists(dir.resolve("v.raw")));
        assertTrue(Files.exists(dir.resolve("zv.zraw")));
        assertTrue(Files.readString(dir.resolve("v.mhd")).contains("ElementDataFile = v.raw\n"));
        // nothing else (no temporary files) is left in the directory
        try (var files = Files.list(dir)) {
            assertEquals(6, files.count());
        }
    }

    @Test
    void headerStatesFloatLittleEndianAndFirstVoxelCentreAsOffset() throws IOException {
        Volume v = randomVolume();
        Path f = dir.resolve("v.mha");
        MetaImage.writeVolume(f, v);
        String header = headerText(f);
        assertTrue(header.contains("NDims = 3\n"), header);
        assertTrue(header.contains("DimSize = 6 5 4\n"), header);
        assertTrue(header.contains("ElementSpacing = 1.25 0.75 2.5\n"), header);
        assertTrue(header.contains("ElementType = MET_FLOAT\n"), header);
        assertTrue(header.contains("BinaryDataByteOrderMSB = False\n"), header);
        // x: 10 − 6·1.25/2 + 1.25/2 = 6.875; y: −3.5 − 5·0.75/2 + 0.375 = −5; z: 7 − 4·2.5/2 + 1.25 = 3.25
        assertTrue(header.contains("Offset = 6.875 -5 3.25\n"), header);
        assertEquals(header.length() + 4L * v.data().length, Files.size(f));
    }

    private static String headerText(Path f) throws IOException {
        String all = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        int end = all.indexOf('\n', all.indexOf("ElementDataFile")) + 1;
        return all.substring(0, end);
    }

    @Test
    void offsetIsTheFirstVoxelCentre() throws IOException {
        Path f = write("o.mha", "NDims = 3\nDimSize = 2 3 4\nElementSpacing = 1 2 0.5\nOffset = 0 0 0\n"
                + "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n", new byte[24]);
        VolumeGrid g = MetaImage.readVolume(f).grid();
        assertArrayEquals(new double[] {0.5, 2, 0.75}, g.centreMm(), 1e-12);
        assertEquals(0.0, g.x(0), 1e-12);
        assertEquals(0.0, g.y(0), 1e-12);
        assertEquals(0.0, g.z(0), 1e-12);
    }

    @Test
    void projectionsRoundTripWithCentredDetectorOffset() throws IOException {
        ProjectionStack p = ProjectionStack.zeros(3, 4, 5);
        for (int i = 0; i < p.data().length; i++) p.data()[i] = i * 0.5f;
        Path f = dir.resolve("p.mha");
        MetaImage.writeProjections(f, p, 0.4, 0.2);
        ProjectionStack q = MetaImage.readProjections(f);
        assertEquals(3, q.views());
        assertEquals(4, q.rows());
        assertEquals(5, q.cols());
        assertArrayEquals(p.data(), q.data());
        MetaImage.Header h = MetaImage.readHeader(f);
        assertArrayEquals(new int[] {5, 4, 3}, h.dims());
        assertArrayEquals(new double[] {0.2, 0.4, 1}, h.spacing(), 0);
        assertArrayEquals(new double[] {-0.4, -0.6, 0}, h.offset(), 1e-12);
    }

    /** Every supported element type in both byte orders decodes to the same float values. */
    @Test
    void readsAllElementTypesInBothByteOrders() throws IOException {
        double[] values = {0, 1, 7, 100, 127};
        String[] types = {"MET_UCHAR", "MET_CHAR", "MET_SHORT", "MET_USHORT", "MET_INT", "MET_UINT", "MET_FLOAT", "MET_DOUBLE"};
        int[] sizes = {1, 1, 2, 2, 4, 4, 4, 8};
        for (int t = 0; t < types.length; t++) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (String orderKey : new String[] {"BinaryDataByteOrderMSB", "ElementByteOrderMSB"}) {
                    ByteBuffer b = ByteBuffer.allocate(values.length * sizes[t]).order(order);
                    for (double v : values) put(b, types[t], v);
                    String header = "ObjectType = Image\nNDims = 2\nDimSize = 5 1\n" + orderKey + " = "
                            + (order == ByteOrder.BIG_ENDIAN ? "True" : "False") + "\nElementType = " + types[t]
                            + "\nElementDataFile = LOCAL\n";
                    Path f = write(types[t] + order + orderKey + ".mha", header, b.array());
                    MetaImage.Image im = MetaImage.read(f);
                    float[] expected = new float[values.length];
                    for (int i = 0; i < values.length; i++) expected[i] = (float) values[i];
                    assertArrayEquals(expected, im.data(), types[t] + " " + order + " " + orderKey);
                }
            }
        }
    }

    @Test
    void signedAndUnsignedExtremes() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        b.putShort((short) -32768).putShort((short) 32767).putInt(-1).putInt(Integer.MIN_VALUE);
        Path s = write("s.mha", "NDims = 2\nDimSize = 2 1\nElementType = MET_SHORT\nBinaryDataByteOrderMSB = True\n"
                + "HeaderSize = 0\nElementDataFile = LOCAL\n", java.util.Arrays.copyOf(b.array(), 4));
        assertArrayEquals(new float[] {-32768, 32767}, MetaImage.read(s).data());
        Path us = write("us.mha", "NDims = 2\nDimSize = 2 1\nElementType = MET_USHORT\nBinaryDataByteOrderMSB = True\n"
                + "ElementDataFile = LOCAL\n", java.util.Arrays.copyOf(b.array(), 4));
        assertArrayEquals(new float[] {32768, 32767}, MetaImage.read(us).data());
        byte[] ints = java.util.Arrays.copyOfRange(b.array(), 4, 12);
        Path ui = write("ui.mha", "NDims = 2\nDimSize = 2 1\nElementType = MET_UINT\nElementByteOrderMSB = True\n"
                + "ElementDataFile = LOCAL\n", ints);
        assertArrayEquals(new float[] {4294967295f, 2147483648f}, MetaImage.read(ui).data());
        Path si = write("si.mha", "NDims = 2\nDimSize = 2 1\nElementType = MET_INT\nElementByteOrderMSB = True\n"
                + "ElementDataFile = LOCAL\n", ints);
        assertArrayEquals(new float[] {-1, Integer.MIN_VALUE}, MetaImage.read(si).data());
    }

    @Test
    void readsCompressedDataWithAndWithoutSizeAndExternalFiles() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * 6).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) b.putShort((short) (i * 1000 - 2000));
        byte[] z = zlib(b.array());
        float[] expected = {-2000, -1000, 0, 1000, 2000, 3000};
        String common = "NDims = 3\nDimSize = 3 2 1\nElementType = MET_SHORT\nCompressedData = True\n";
        assertArrayEquals(expected, MetaImage.read(write("a.mha", common + "CompressedDataSize = " + z.length
                + "\nElementDataFile = LOCAL\n", z)).data());
        assertArrayEquals(expected, MetaImage.read(write("b.mha", common + "ElementDataFile = LOCAL\n", z)).data());
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/c.zraw"), z);
        assertArrayEquals(expected, MetaImage.read(write("c.mhd", common + "ElementDataFile = sub/c.zraw\n", new byte[0])).data());
        // uncompressed raw with a skipped file header (HeaderSize) and Windows line ends in the header
        byte[] withJunk = new byte[7 + 12];
        System.arraycopy(b.array(), 0, withJunk, 7, 12);
        Files.write(dir.resolve("d.raw"), withJunk);
        Path d = write("d.mhd", "NDims = 3\r\nDimSize = 3 2 1\r\nElementType = MET_SHORT\r\nHeaderSize = 7\r\n"
                + "ElementDataFile = d.raw\r\n", new byte[0]);
        assertArrayEquals(expected, MetaImage.read(d).data());
        Path e = write("e.mhd", "NDims = 3\nDimSize = 3 2 1\nElementType = MET_SHORT\nHeaderSize = -1\n"
                + "ElementDataFile = d.raw\n", new byte[0]);
        assertArrayEquals(expected, MetaImage.read(e).data());
    }

    @Test
    void twoDimensionalImagesBecomeOneSliceOrOneView() throws IOException {
        Path f = dir.resolve("slice.mha");
        MetaImage.write(f, new MetaImage.Image(new int[] {3, 2}, new double[] {0.5, 2}, new double[] {1, 1},
                new float[] {1, 2, 3, 4, 5, 6}));
        Volume v = MetaImage.readVolume(f);
        assertArrayEquals(new int[] {1, 2, 3}, v.grid().shape());
        assertArrayEquals(new double[] {1.5, 2, 0}, v.grid().centreMm(), 1e-12);
        assertEquals(6f, v.get(0, 1, 2));
        ProjectionStack p = MetaImage.readProjections(f);
        assertEquals(1, p.views());
        assertEquals(2, p.rows());
        assertEquals(3, p.cols());
    }

    @Test
    void toleratesIdentityTransformAndOrientationRejectsRotation() throws IOException {
        String base = "NDims = 2\nDimSize = 1 1\nElementType = MET_UCHAR\nAnatomicalOrientation = RAI\n"
                + "CenterOfRotation = 0 0\n";
        assertEquals(1, MetaImage.read(write("i.mha", base + "TransformMatrix = 1 0 0 1\nElementDataFile = LOCAL\n",
                new byte[1])).data().length);
        Path rot = write("r.mha", base + "TransformMatrix = 0 1 -1 0\nElementDataFile = LOCAL\n", new byte[1]);
        assertMessage(rot, "TransformMatrix", "not the identity");
    }

    // ---------------------------------------------------------------------------------- errors

    private static final String OK = "NDims = 3\nDimSize = 2 2 2\nElementType = MET_FLOAT\n";

    @Test
    void missingDimSize() throws IOException {
        assertMessage(write("m.mha", "NDims = 3\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n", new byte[32]),
                "no DimSize");
    }

    @Test
    void missingNDimsAndUnsupportedNDims() throws IOException {
        assertMessage(write("n.mha", "DimSize = 2 2 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n", new byte[32]),
                "no NDims");
        assertMessage(write("n4.mha", "NDims = 4\nDimSize = 1 1 1 1\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n",
                new byte[4]), "NDims = 4");
    }

    @Test
    void unknownElementType() throws IOException {
        assertMessage(write("t.mha", "NDims = 3\nDimSize = 2 2 2\nElementType = MET_FLOAT16\nElementDataFile = LOCAL\n",
                new byte[16]), "ElementType 'MET_FLOAT16'");
    }

    @Test
    void badNumbers() throws IOException {
        assertMessage(write("b1.mha", "NDims = 3\nDimSize = 2 x 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n",
                new byte[32]), "DimSize", "('x') is not an integer");
        assertMessage(write("b2.mha", OK + "ElementSpacing = 1 abc 1\nElementDataFile = LOCAL\n", new byte[32]),
                "ElementSpacing", "('abc') is not a number");
        assertMessage(write("b3.mha", OK + "ElementSpacing = 1 1\nElementDataFile = LOCAL\n", new byte[32]),
                "ElementSpacing", "expected 3 values");
        assertMessage(write("b4.mha", OK + "Offset = 0 NaN 0\nElementDataFile = LOCAL\n", new byte[32]),
                "Offset", "not finite");
        assertMessage(write("b5.mha", OK + "ElementSpacing = 1 0 1\nElementDataFile = LOCAL\n", new byte[32]),
                "ElementSpacing[1] must be positive");
        assertMessage(write("b6.mha", "NDims = 3\nDimSize = 2 0 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n",
                new byte[0]), "DimSize[1] must be positive");
        assertMessage(write("b7.mha", OK + "CompressedData = maybe\nElementDataFile = LOCAL\n", new byte[32]),
                "CompressedData", "True or False");
    }

    @Test
    void malformedHeaders() throws IOException {
        assertMessage(write("e.mha", "", new byte[0]), "empty");
        assertMessage(write("l.mha", OK + "this line has no equals sign\nElementDataFile = LOCAL\n", new byte[32]),
                "header line 4", "Key = Value");
        assertMessage(write("nodf.mha", OK, new byte[0]), "without an ElementDataFile");
        assertMessage(write("dup.mha", OK + "NDims = 3\nElementDataFile = LOCAL\n", new byte[32]), "NDims appears twice");
        assertMessage(write("bin.mha", "\u0000\u0001\u0002", new byte[0]), "not a MetaImage header");
        assertMessage(dir.resolve("absent.mha"), "file not found");
        assertMessage(write("list.mha", OK + "ElementDataFile = LIST\n", new byte[0]), "ElementDataFile = LIST");
        assertMessage(write("ascii.mha", OK + "BinaryData = False\nElementDataFile = LOCAL\n", new byte[0]), "ASCII");
    }

    @Test
    void truncatedAndMismatchedData() throws IOException {
        assertMessage(write("tr.mha", OK + "ElementDataFile = LOCAL\n", new byte[31]), "truncated data", "32 bytes", "31");
        assertMessage(write("big.mha", OK + "ElementDataFile = LOCAL\n", new byte[40]), "data size mismatch", "40");
        assertMessage(write("raw.mhd", OK + "ElementDataFile = missing.raw\n", new byte[0]), "missing.raw", "does not exist");
        byte[] z = zlib(new byte[32]);
        String zh = OK + "CompressedData = True\n";
        assertMessage(write("zt.mha", zh + "ElementDataFile = LOCAL\n", java.util.Arrays.copyOf(z, z.length - 4)),
                "truncated compressed data");
        assertMessage(write("zs.mha", zh + "CompressedDataSize = " + (z.length + 10) + "\nElementDataFile = LOCAL\n", z),
                "CompressedDataSize");
        assertMessage(write("zsmall.mha", zh + "ElementDataFile = LOCAL\n", zlib(new byte[20])),
                "data size mismatch", "inflates to only 20");
        assertMessage(write("zbig.mha", zh + "ElementDataFile = LOCAL\n", zlib(new byte[40])),
                "data size mismatch", "more than");
        assertMessage(write("zbad.mha", zh + "ElementDataFile = LOCAL\n", new byte[] {1, 2, 3, 4, 5, 6}),
                "corrupt compressed data");
    }

    /** Streaming reads give the stack's views in order, refuse reading out of order, and check the end of compressed data. */
    @Test
    void projectionStreamReadsViewsInOrderWithTheSameChecks() throws IOException {
        Random rnd = new Random(3);
        float[] data = new float[5 * 3 * 4];
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextGaussian();
        org.pdrecon.data.ProjectionStack stack = new org.pdrecon.data.ProjectionStack(5, 3, 4, data);
        for (boolean compress : new boolean[] {false, true}) {
            Path f = dir.resolve("s" + compress + ".mha");
            MetaImage.write(f, new MetaImage.Image(new int[] {4, 3, 5}, new double[] {1, 1, 1}, new double[3], data), compress);
            try (MetaImage.ProjectionStream in = MetaImage.openProjections(f)) {
                assertEquals(5, in.views());
                assertEquals(3, in.rows());
                assertEquals(4, in.cols());
                float[] two = new float[2 * 12], three = new float[3 * 12];
                assertThrows(IllegalStateException.class, () -> in.read(1, 1, two));
                in.read(0, 2, two);
                in.read(2, 3, three);
                assertArrayEquals(java.util.Arrays.copyOfRange(stack.data(), 0, 24), two);
                assertArrayEquals(java.util.Arrays.copyOfRange(stack.data(), 24, 60), three);
            }
        }
        byte[] z = zlib(new byte[40]);
        Path big = write("zbig-stream.mha", OK + "CompressedData = True\nElementDataFile = LOCAL\n", z);
        try (MetaImage.ProjectionStream in = MetaImage.openProjections(big)) {
            float[] all = new float[in.views() * in.rows() * in.cols()];
            MetaImageException e = assertThrows(MetaImageException.class, () -> in.read(0, in.views(), all));
            assertTrue(e.getMessage().contains("more than"), e.getMessage());
        }
        Path truncated = write("tr-stream.mha", OK + "ElementDataFile = LOCAL\n", new byte[31]);
        assertThrows(MetaImageException.class, () -> MetaImage.openProjections(truncated).close());
    }

    /** A streamed write in chunks of views gives the same file as writing the stack at once. */
    @Test
    void streamedProjectionWriteEqualsTheWholeWrite() throws IOException {
        Random rnd = new Random(5);
        float[] data = new float[7 * 3 * 4];
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextGaussian();
        org.pdrecon.data.ProjectionStack stack = new org.pdrecon.data.ProjectionStack(7, 3, 4, data);
        Path whole = dir.resolve("whole.mha"), streamed = dir.resolve("streamed.mha");
        MetaImage.writeProjections(whole, stack, 0.5, 0.25);
        java.util.List<Integer> firsts = new java.util.ArrayList<>();
        MetaImage.writeProjections(streamed, 7, 3, 4, 0.5, 0.25, 3 * 12 * 4, (first, count, into) -> {
            firsts.add(first);
            System.arraycopy(data, first * 12, into, 0, count * 12);
        });
        assertEquals(java.util.List.of(0, 3, 6), firsts);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(streamed));
    }

    @Test
    void badFileNameLeavesNothingBehind() throws IOException {
        Path f = dir.resolve("v.nii");
        MetaImageException e = assertThrows(MetaImageException.class, () -> MetaImage.writeVolume(f, randomVolume()));
        assertTrue(e.getMessage().contains(".mha or .mhd"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private void assertMessage(Path file, String... parts) {
        MetaImageException e = assertThrows(MetaImageException.class, () -> MetaImage.read(file), String.join(", ", parts));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) || e.getMessage().contains(".raw"),
                "message names the file: " + e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    private Path write(String name, String header, byte[] data) throws IOException {
        Path f = dir.resolve(name);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(header.getBytes(StandardCharsets.ISO_8859_1));
        b.write(data);
        Files.write(f, b.toByteArray());
        return f;
    }

    private static byte[] zlib(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(b)) {
            z.write(data);
        }
        return b.toByteArray();
    }

    private static void put(ByteBuffer b, String type, double v) {
        switch (type) {
            case "MET_UCHAR", "MET_CHAR" -> b.put((byte) v);
            case "MET_SHORT", "MET_USHORT" -> b.putShort((short) v);
            case "MET_INT", "MET_UINT" -> b.putInt((int) v);
            case "MET_FLOAT" -> b.putFloat((float) v);
            default -> b.putDouble(v);
        }
    }
}
