package org.pdrecon.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.util.AtomicFiles;

/**
 * MetaImage (ITK's {@code .mha} / {@code .mhd}+raw) reading and writing.
 *
 * <p>Writes float32 ({@code MET_FLOAT}), little endian, with {@code NDims}, {@code DimSize},
 * {@code ElementSpacing}, {@code Offset} and an identity {@code TransformMatrix}; {@code .mha} keeps the
 * data in the same file after the header, {@code .mhd} writes the data to a sibling {@code .raw}
 * ({@code .zraw} when compressed) first and the header last, each atomically. Reads 2D and 3D images of
 * {@code MET_UCHAR, MET_CHAR, MET_SHORT, MET_USHORT, MET_INT, MET_UINT, MET_FLOAT, MET_DOUBLE}, either byte
 * order, zlib-compressed or not, with the data {@code LOCAL} or in a file named relative to the header.
 *
 * <p>Axis order: {@code DimSize = n0 n1 n2} with index 0 fastest, so a {@code [z][y][x]} volume is
 * {@code DimSize = nx ny nz} and a {@code [view][row][col]} stack is {@code DimSize = cols rows views}.
 * {@code Offset} is the world position (mm) of the <em>centre</em> of the first voxel.
 */
public final class MetaImage {
    private MetaImage() {}

    /** Header lines longer than this in total mean the file is not a MetaImage header. */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int CHUNK_ELEMENTS = 1 << 16;

    /**
     * An image as stored: {@code dims}, {@code spacing} (mm) and {@code offset} (mm, centre of the first
     * element) per axis with axis 0 fastest, and the values in that order. Arrays are shared, not copied.
     */
    public record Image(int[] dims, double[] spacing, double[] offset, float[] data) {
        public Image {
            if (dims == null || dims.length < 2 || dims.length > 3) {
                throw new IllegalArgumentException("a MetaImage must have 2 or 3 dimensions, got "
                        + (dims == null ? "none" : dims.length));
            }
            if (spacing == null || spacing.length != dims.length || offset == null || offset.length != dims.length) {
                throw new IllegalArgumentException("spacing and offset need one value per dimension (" + dims.length + ")");
            }
            long n = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] <= 0) throw new IllegalArgumentException("dims[" + i + "] must be positive, got " + dims[i]);
                if (!(spacing[i] > 0) || !Double.isFinite(spacing[i])) {
                    throw new IllegalArgumentException("spacing[" + i + "] must be positive and finite, got " + spacing[i]);
                }
                if (!Double.isFinite(offset[i])) throw new IllegalArgumentException("offset[" + i + "] must be finite, got " + offset[i]);
                n *= dims[i];
            }
            if (data == null || data.length != n) {
                throw new IllegalArgumentException("data has " + (data == null ? 0 : data.length) + " values, dims "
                        + Arrays.toString(dims) + " need " + n);
            }
        }

        public int nDims() { return dims.length; }
    }

    /** What a header says, without the data: dims, spacing and offset as in {@link Image}. */
    public record Header(int[] dims, double[] spacing, double[] offset, String elementType, boolean bigEndian,
                         boolean compressed) {}

    // ------------------------------------------------------------------------------------------ read

    /** Reads only the header of a {@code .mha} or {@code .mhd} file (cheap; the data is not touched). */
    public static Header readHeader(Path file) throws IOException {
        return parse(file).header();
    }

    /** Reads an image, converting any supported element type to float. */
    public static Image read(Path file) throws IOException {
        Parsed p = parse(file);
        Header h = p.header();
        return new Image(h.dims(), h.spacing(), h.offset(), readData(p));
    }

    /**
     * Reads a volume. A 3D image {@code DimSize = nx ny nz} becomes a {@code [z][y][x]} volume whose grid
     * centre is {@code Offset + (n − 1)/2 · spacing} per axis; a 2D image becomes a one-slice volume
     * ({@code nz = 1}, {@code dz = 1 mm}, centre z = 0).
     */
    public static Volume readVolume(Path file) throws IOException {
        Image im = read(file);
        return new Volume(volumeGrid(im.dims(), im.spacing(), im.offset()), im.data());
    }

    /** The volume grid a header describes, as {@link #readVolume(Path)} would build it. */
    public static VolumeGrid volumeGrid(Header header) {
        return volumeGrid(header.dims(), header.spacing(), header.offset());
    }

    private static VolumeGrid volumeGrid(int[] dims, double[] spacing, double[] offset) {
        boolean is3d = dims.length == 3;
        int nx = dims[0], ny = dims[1], nz = is3d ? dims[2] : 1;
        double dz = is3d ? spacing[2] : 1.0;
        // Offset is the centre of the first voxel; the grid centre lies (n − 1)/2 voxels further on.
        double[] centre = {
            offset[0] + (nx - 1) * spacing[0] / 2,
            offset[1] + (ny - 1) * spacing[1] / 2,
            is3d ? offset[2] + (nz - 1) * dz / 2 : 0.0};
        return new VolumeGrid(nz, ny, nx, dz, spacing[1], spacing[0], centre);
    }

    /**
     * Reads a projection stack {@code DimSize = cols rows views} ({@code [view][row][col]}); a 2D image
     * is one view. Spacing and offset are not needed: the geometry describes the detector.
     */
    public static ProjectionStack readProjections(Path file) throws IOException {
        Image im = read(file);
        int views = im.nDims() == 3 ? im.dims()[2] : 1;
        return new ProjectionStack(views, im.dims()[1], im.dims()[0], im.data());
    }

    // ----------------------------------------------------------------------------------------- write

    /** Writes an uncompressed float32 image; the extension ({@code .mha} or {@code .mhd}) picks the layout. */
    public static void write(Path file, Image image) throws IOException {
        write(file, image, false);
    }

    /**
     * Writes a float32 little-endian image, zlib-compressed if asked. {@code .mha}: header and data in one
     * file. {@code .mhd}: data to {@code <name>.raw} (or {@code .zraw}) next to it, then the header.
     * Each file is written atomically, so a failure never leaves a partial file.
     */
    public static void write(Path file, Image image, boolean compress) throws IOException {
        checkName(file);
        byte[] compressed = compress ? deflate(image.data()) : null;
        AtomicFiles.Content data = out -> {
            if (compress) out.write(compressed);
            else writeFloatsLE(out, image.data());
        };
        writeWithHeader(file, image.dims(), image.spacing(), image.offset(), compressed, data);
    }

    /** Writes the header and {@code data} (raw float32 LE, or the zlib bytes {@code compressed} when not null). */
    private static void writeWithHeader(Path file, int[] dims, double[] spacing, double[] offset, byte[] compressed,
                                        AtomicFiles.Content data) throws IOException {
        String name = file.getFileName().toString();
        boolean local = name.toLowerCase(Locale.ROOT).endsWith(".mha");
        boolean compress = compressed != null;
        int nDims = dims.length;
        StringBuilder h = new StringBuilder();
        h.append("ObjectType = Image\n");
        h.append("NDims = ").append(nDims).append('\n');
        h.append("BinaryData = True\n");
        h.append("BinaryDataByteOrderMSB = False\n");
        h.append("CompressedData = ").append(compress ? "True" : "False").append('\n');
        if (compress) h.append("CompressedDataSize = ").append(compressed.length).append('\n');
        h.append("TransformMatrix =");
        for (int r = 0; r < nDims; r++) {
            for (int c = 0; c < nDims; c++) h.append(r == c ? " 1" : " 0");
        }
        h.append('\n');
        h.append("Offset =").append(numbers(offset)).append('\n');
        h.append("ElementSpacing =").append(numbers(spacing)).append('\n');
        h.append("DimSize =");
        for (int d : dims) h.append(' ').append(d);
        h.append('\n');
        h.append("ElementType = MET_FLOAT\n");
        if (local) {
            h.append("ElementDataFile = LOCAL\n");
            byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
            AtomicFiles.write(file, out -> {
                out.write(header);
                data.writeTo(out);
            });
        } else {
            String rawName = name.substring(0, name.length() - 4) + (compress ? ".zraw" : ".raw");
            h.append("ElementDataFile = ").append(rawName).append('\n');
            AtomicFiles.write(file.resolveSibling(rawName), data); // data first: a header never names a missing file
            AtomicFiles.writeString(file, h.toString());
        }
    }

    /** Fills views {@code [firstView, firstView + count)} ({@code [count][rows][cols]}) for a streamed write. */
    @FunctionalInterface
    public interface ViewProducer {
        void produce(int firstView, int count, float[] into) throws IOException;
    }

    /**
     * Writes a projection stack without holding it: {@code producer} fills a chunk of views at a time
     * (about {@code chunkBytes}), in view order, and each chunk goes straight to the file, which appears
     * atomically when the last is written. Header as {@link #writeProjections(Path, ProjectionStack, double, double)}.
     */
    public static void writeProjections(Path file, int views, int rows, int cols, double rowSpacingMm, double colSpacingMm,
                                        long chunkBytes, ViewProducer producer) throws IOException {
        checkName(file);
        int perView = rows * cols;
        int chunk = (int) Math.max(1, Math.min(views, chunkBytes / (4L * perView)));
        int[] dims = {cols, rows, views};
        double[] spacing = {colSpacingMm, rowSpacingMm, 1.0};
        double[] offset = {-(cols - 1) * colSpacingMm / 2, -(rows - 1) * rowSpacingMm / 2, 0.0};
        writeWithHeader(file, dims, spacing, offset, null, out -> {
            float[] buf = new float[chunk * perView];
            for (int v0 = 0; v0 < views; v0 += chunk) {
                int n = Math.min(chunk, views - v0);
                float[] part = n == chunk ? buf : new float[n * perView];
                producer.produce(v0, n, part);
                writeFloatsLE(out, part);
            }
        });
    }

    private static void checkName(Path file) throws MetaImageException {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".mha") && !lower.endsWith(".mhd")) {
            throw new MetaImageException(file, "a MetaImage file name must end in .mha or .mhd");
        }
    }

    /**
     * Writes a volume as a 3D image ({@code DimSize = nx ny nz}, spacing {@code dx dy dz}, {@code Offset} =
     * the centre of voxel (0, 0, 0)), uncompressed.
     */
    public static void writeVolume(Path file, Volume volume) throws IOException {
        write(file, volumeImage(volume), false);
    }

    /** As {@link #writeVolume(Path, Volume)}, optionally zlib-compressed. */
    public static void writeVolume(Path file, Volume volume, boolean compress) throws IOException {
        write(file, volumeImage(volume), compress);
    }

    /** Writes projections with unit spacing ({@code DimSize = cols rows views}). */
    public static void writeProjections(Path file, ProjectionStack stack) throws IOException {
        writeProjections(file, stack, 1.0, 1.0);
    }

    /** Writes projections with the pixel spacing of the geometry's first view. */
    public static void writeProjections(Path file, ProjectionStack stack, ConeBeamGeometry geometry) throws IOException {
        writeProjections(file, stack, length(geometry.v(0)), length(geometry.u(0)));
    }

    /**
     * Writes projections {@code DimSize = cols rows views}, spacing {@code colMm rowMm 1}; the offset puts
     * the detector centre at 0 in the first two axes (view axis offset 0).
     */
    public static void writeProjections(Path file, ProjectionStack stack, double rowSpacingMm, double colSpacingMm)
            throws IOException {
        int[] dims = {stack.cols(), stack.rows(), stack.views()};
        double[] spacing = {colSpacingMm, rowSpacingMm, 1.0};
        double[] offset = {-(stack.cols() - 1) * colSpacingMm / 2, -(stack.rows() - 1) * rowSpacingMm / 2, 0.0};
        write(file, new Image(dims, spacing, offset, stack.data()), false);
    }

    private static Image volumeImage(Volume volume) {
        VolumeGrid g = volume.grid();
        return new Image(new int[] {g.nx(), g.ny(), g.nz()}, new double[] {g.dxMm(), g.dyMm(), g.dzMm()},
                new double[] {g.x(0), g.y(0), g.z(0)}, volume.data());
    }

    private static double length(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    private static String numbers(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(' ');
            if (v == Math.rint(v) && Math.abs(v) < 1e15) b.append((long) v);
            else b.append(v); // Double.toString is the shortest text that reads back to the same double
        }
        return b.toString();
    }

    private static void writeFloatsLE(OutputStream out, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK_ELEMENTS).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < data.length; start += CHUNK_ELEMENTS) {
            int n = Math.min(CHUNK_ELEMENTS, data.length - start);
            buf.clear();
            buf.asFloatBuffer().put(data, start, n);
            out.write(buf.array(), 0, 4 * n);
        }
    }

    private static byte[] deflate(float[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try (DeflaterOutputStream z = new DeflaterOutputStream(bytes, deflater, 1 << 16)) {
            writeFloatsLE(z, data);
        } finally {
            deflater.end(); // a stream given its own Deflater does not free its native memory
        }
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------------------- header parsing

    private enum ElementType {
        MET_UCHAR(1), MET_CHAR(1), MET_SHORT(2), MET_USHORT(2), MET_INT(4), MET_UINT(4), MET_FLOAT(4), MET_DOUBLE(8);

        final int bytes;

        ElementType(int bytes) { this.bytes = bytes; }

        float next(ByteBuffer b) {
            switch (this) {
                case MET_UCHAR: return b.get() & 0xff;
                case MET_CHAR: return b.get();
                case MET_SHORT: return b.getShort();
                case MET_USHORT: return b.getShort() & 0xffff;
                case MET_INT: return b.getInt();
                case MET_UINT: return b.getInt() & 0xffffffffL;
                case MET_FLOAT: return b.getFloat();
                default: return (float) b.getDouble();
            }
        }
    }

    /** A parsed header and where its data lives. */
    private record Parsed(Path file, Header header, ElementType type, long count, Path dataFile, long dataStart,
                          long compressedSize, long headerSize) {}

    private static Parsed parse(Path file) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        long headerBytes = readHeaderLines(file, fields);
        Fields f = new Fields(file, fields);

        String objectType = f.string("ObjectType");
        if (objectType != null && !objectType.equalsIgnoreCase("Image")) {
            throw new MetaImageException(file, "ObjectType = " + objectType + " is not supported (only Image)");
        }
        int nd = f.integer("NDims", true);
        if (nd < 2 || nd > 3) throw new MetaImageException(file, "NDims = " + nd + " is not supported (2 or 3)");
        int[] dims = f.integers("DimSize", nd);
        long count = 1;
        for (int i = 0; i < nd; i++) {
            if (dims[i] <= 0) throw new MetaImageException(file, "DimSize[" + i + "] must be positive, got " + dims[i]);
            count *= dims[i];
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new MetaImageException(file, "DimSize " + Arrays.toString(dims) + " has " + count
                    + " elements, more than one Java array can hold");
        }
        String typeName = f.string("ElementType");
        if (typeName == null) throw new MetaImageException(file, "header has no ElementType");
        ElementType type;
        try {
            type = ElementType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MetaImageException(file, "unsupported ElementType '" + typeName + "' (supported: "
                    + Arrays.toString(ElementType.values()) + ")");
        }
        String channels = f.string("ElementNumberOfChannels");
        if (channels != null && f.integer("ElementNumberOfChannels", true) != 1) {
            throw new MetaImageException(file, "ElementNumberOfChannels = " + channels + " is not supported (only 1)");
        }
        if (!f.bool("BinaryData", true)) {
            throw new MetaImageException(file, "BinaryData = False (ASCII data) is not supported");
        }
        double[] spacing = f.doubles(f.has("ElementSpacing") ? "ElementSpacing" : "ElementSize", nd, 1.0);
        for (int i = 0; i < nd; i++) {
            if (!(spacing[i] > 0)) throw new MetaImageException(file, "ElementSpacing[" + i + "] must be positive, got " + spacing[i]);
        }
        double[] offset = f.doubles(f.firstPresent("Offset", "Origin", "Position"), nd, 0.0);
        String matrixKey = f.firstPresent("TransformMatrix", "Rotation", "Orientation");
        if (f.has(matrixKey)) {
            double[] m = f.doubles(matrixKey, nd * nd, 0.0);
            for (int r = 0; r < nd; r++) {
                for (int c = 0; c < nd; c++) {
                    if (Math.abs(m[r * nd + c] - (r == c ? 1 : 0)) > 1e-6) {
                        throw new MetaImageException(file, matrixKey + " = " + fields.get(matrixKey)
                                + " is not the identity: pdrecon needs axis-aligned images (resample it first)");
                    }
                }
            }
        }
        // ElementByteOrderMSB is the older spelling of BinaryDataByteOrderMSB; either set means big endian.
        boolean bigEndian = f.bool("BinaryDataByteOrderMSB", false) || f.bool("ElementByteOrderMSB", false);
        boolean compressed = f.bool("CompressedData", false);
        long compressedSize = f.has("CompressedDataSize") ? f.longValue("CompressedDataSize") : -1;
        long headerSize = f.has("HeaderSize") ? f.longValue("HeaderSize") : 0;
        if (headerSize < -1) throw new MetaImageException(file, "HeaderSize must be -1 or more, got " + headerSize);

        String dataName = fields.get("ElementDataFile");
        Path dataFile = null;
        if (!dataName.equalsIgnoreCase("LOCAL")) {
            if (dataName.isEmpty() || dataName.equalsIgnoreCase("LIST") || dataName.contains("%")) {
                throw new MetaImageException(file, "ElementDataFile = " + dataName
                        + " is not supported (LOCAL or one data file name)");
            }
            Path parent = file.toAbsolutePath().getParent();
            dataFile = parent.resolve(dataName);
        }
        Header header = new Header(dims, spacing, offset, type.name(), bigEndian, compressed);
        return new Parsed(file, header, type, count, dataFile, headerBytes, compressedSize, headerSize);
    }

    /** Reads {@code Key = Value} lines up to and including {@code ElementDataFile}; returns the bytes used. */
    private static long readHeaderLines(Path file, Map<String, String> fields) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            long used = 0;
            int lineNo = 0;
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                line.reset();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    if (b == 0 || ++used > MAX_HEADER_BYTES) {
                        throw new MetaImageException(file, "not a MetaImage header (" + (b == 0 ? "binary data"
                                : "more than " + MAX_HEADER_BYTES + " bytes") + " before an ElementDataFile line)");
                    }
                    line.write(b);
                }
                if (b == -1 && line.size() == 0) {
                    throw new MetaImageException(file, fields.isEmpty() ? "file is empty"
                            : "header ends without an ElementDataFile line (truncated header?)");
                }
                if (b == '\n') used++;
                lineNo++;
                String text = line.toString(StandardCharsets.ISO_8859_1).strip();
                if (text.isEmpty()) continue;
                int eq = text.indexOf('=');
                if (eq <= 0) {
                    throw new MetaImageException(file, "header line " + lineNo + " is not 'Key = Value': '" + shorten(text) + "'");
                }
                String key = canonicalKey(text.substring(0, eq).strip());
                String value = text.substring(eq + 1).strip();
                if (fields.put(key, value) != null) {
                    throw new MetaImageException(file, "header key " + key + " appears twice");
                }
                if (key.equals("ElementDataFile")) {
                    if (b == -1) used = Files.size(file); // header-only file whose last line has no newline
                    return used;
                }
            }
        } catch (NoSuchFileException e) {
            throw new MetaImageException(file, "file not found", e);
        }
    }

    private static final String[] KNOWN_KEYS = {
        "ObjectType", "NDims", "DimSize", "ElementType", "ElementSpacing", "ElementSize", "Offset", "Origin", "Position",
        "TransformMatrix", "Rotation", "Orientation", "CenterOfRotation", "AnatomicalOrientation", "BinaryData",
        "BinaryDataByteOrderMSB", "ElementByteOrderMSB", "CompressedData", "CompressedDataSize", "HeaderSize",
        "ElementDataFile", "ElementNumberOfChannels"};

    /** Other writers vary the case of keys; map the ones we interpret to one spelling. */
    private static String canonicalKey(String key) {
        for (String k : KNOWN_KEYS) if (k.equalsIgnoreCase(key)) return k;
        return key;
    }

    private static String shorten(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }

    /** Typed access to header values with messages naming the file and key. */
    private record Fields(Path file, Map<String, String> map) {
        boolean has(String key) { return map.containsKey(key); }

        String string(String key) { return map.get(key); }

        String firstPresent(String... keys) {
            for (String k : keys) if (map.containsKey(k)) return k;
            return keys[0];
        }

        private MetaImageException bad(String key, String what) {
            return new MetaImageException(file, key + " = " + map.get(key) + ": " + what);
        }

        int integer(String key, boolean required) throws MetaImageException {
            String v = map.get(key);
            if (v == null) {
                if (required) throw new MetaImageException(file, "header has no " + key);
                return 0;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw bad(key, "not an integer");
            }
        }

        long longValue(String key) throws MetaImageException {
            try {
                return Long.parseLong(map.get(key));
            } catch (NumberFormatException e) {
                throw bad(key, "not an integer");
            }
        }

        int[] integers(String key, int n) throws MetaImageException {
            String v = map.get(key);
            if (v == null) throw new MetaImageException(file, "header has no " + key);
            String[] t = v.split("\\s+");
            if (t.length != n) throw bad(key, "expected " + n + " values (NDims), got " + t.length);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                try {
                    out[i] = Integer.parseInt(t[i]);
                } catch (NumberFormatException e) {
                    throw bad(key, "value " + (i + 1) + " ('" + shorten(t[i]) + "') is not an integer");
                }
            }
            return out;
        }

        double[] doubles(String key, int n, double fallback) throws MetaImageException {
            String v = map.get(key);
            double[] out = new double[n];
            if (v == null) {
                Arrays.fill(out, fallback);
                return out;
            }
            String[] t = v.split("\\s+");
            if (t.length != n) throw bad(key, "expected " + n + " values, got " + t.length);
            for (int i = 0; i < n; i++) {
                try {
                    out[i] = Double.parseDouble(t[i]);
                } catch (NumberFormatException e) {
                    throw bad(key, "value " + (i + 1) + " ('" + shorten(t[i]) + "') is not a number");
                }
                if (!Double.isFinite(out[i])) throw bad(key, "value " + (i + 1) + " is not finite");
            }
            return out;
        }

        boolean bool(String key, boolean fallback) throws MetaImageException {
            String v = map.get(key);
            if (v == null) return fallback;
            if (v.equalsIgnoreCase("True") || v.equals("1")) return true;
            if (v.equalsIgnoreCase("False") || v.equals("0")) return false;
            throw bad(key, "expected True or False");
        }
    }

    // -------------------------------------------------------------------------------------- data

    private static float[] readData(Parsed p) throws IOException {
        try (DataStream in = new DataStream(p)) {
            float[] out = new float[(int) p.count()];
            in.read(out, 0, out.length);
            in.finish();
            return out;
        }
    }

    /**
     * A MetaImage's values read in order, a piece at a time, converted to float: sizes are checked on
     * opening (truncated or oversized raw data), the compressed stream's length as it is read.
     */
    private static final class DataStream implements AutoCloseable {
        private final Path src;
        private final ElementType type;
        private final ByteOrder order;
        private final boolean compressed;
        private final String needs;
        private final Inflater inflater;
        private final InputStream in;
        private final byte[] buf;
        private long done;

        DataStream(Parsed p) throws IOException {
            src = p.dataFile() == null ? p.file() : p.dataFile();
            if (p.dataFile() != null && !Files.isRegularFile(p.dataFile())) {
                throw new MetaImageException(p.file(), "data file " + p.dataFile() + " named by ElementDataFile does not exist");
            }
            type = p.type();
            compressed = p.header().compressed();
            long size = Files.size(src);
            long expected = p.count() * type.bytes;
            long start;
            if (p.dataFile() == null) start = p.dataStart();
            else if (p.headerSize() == -1) start = compressed ? 0 : Math.max(0, size - expected); // data at the end
            else start = p.headerSize();
            long available = size - start;
            needs = "DimSize " + dimsText(p.header().dims()) + " of " + type + " needs " + expected + " bytes";
            if (available < 0) {
                throw new MetaImageException(src, "truncated data: " + needs + ", the file has only " + size + " bytes in all");
            }
            if (!compressed) {
                if (available < expected) {
                    throw new MetaImageException(src, "truncated data: " + needs + ", the file has " + available + " after the header");
                }
                if (available > expected) {
                    throw new MetaImageException(src, "data size mismatch: " + needs + ", the file has " + available
                            + " after the header");
                }
            } else if (p.compressedSize() > available) {
                throw new MetaImageException(src, "truncated compressed data: CompressedDataSize = " + p.compressedSize()
                        + " but the file has " + available + " bytes after the header");
            }
            order = p.header().bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            inflater = compressed ? new Inflater() : null;
            InputStream raw = Files.newInputStream(src);
            try {
                raw.skipNBytes(start);
            } catch (IOException e) {
                raw.close();
                throw e;
            }
            in = inflater != null ? new InflaterInputStream(raw, inflater, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
            buf = new byte[type.bytes * CHUNK_ELEMENTS];
        }

        /** Reads the next {@code count} values into {@code out[offset…]}. */
        void read(float[] out, int offset, int count) throws IOException {
            int bytesPer = type.bytes;
            try {
                for (int filled = 0; filled < count; ) {
                    int n = Math.min(CHUNK_ELEMENTS, count - filled);
                    int got = in.readNBytes(buf, 0, n * bytesPer);
                    if (got < n * bytesPer) {
                        long total = (done + filled) * bytesPer + got;
                        throw new MetaImageException(src, compressed
                                ? "data size mismatch: " + needs + ", the compressed data inflates to only " + total
                                : "truncated data: " + needs + ", got " + total);
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, got).order(order);
                    if (type == ElementType.MET_FLOAT) b.asFloatBuffer().get(out, offset + filled, n); // bulk path for our own files
                    else for (int i = 0; i < n; i++) out[offset + filled + i] = type.next(b);
                    filled += n;
                }
                done += count;
            } catch (EOFException e) {
                throw new MetaImageException(src, "truncated compressed data: the zlib stream ends early (" + needs + ")", e);
            } catch (ZipException e) {
                throw new MetaImageException(src, "corrupt compressed data: " + e.getMessage(), e);
            }
        }

        /** After the last value: compressed data must end here. */
        void finish() throws IOException {
            try {
                if (compressed && in.read() != -1) {
                    throw new MetaImageException(src, "data size mismatch: the compressed data inflates to more than " + needs);
                }
            } catch (EOFException e) {
                throw new MetaImageException(src, "truncated compressed data: the zlib stream ends early (" + needs + ")", e);
            } catch (ZipException e) {
                throw new MetaImageException(src, "corrupt compressed data: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } finally {
                if (inflater != null) inflater.end(); // a stream given its own Inflater does not free its native memory
            }
        }
    }

    /**
     * Opens a projection stack ({@code DimSize = cols rows views}) for reading a few views at a time, in
     * order: what {@link #readProjections} checks is checked on opening or as the data is read, and
     * {@link ProjectionStream#close()} checks that nothing follows the last view.
     */
    public static ProjectionStream openProjections(Path file) throws IOException {
        Parsed p = parse(file);
        int[] dims = p.header().dims();
        if (dims.length < 2 || dims.length > 3) {
            throw new MetaImageException(file, "a projection stack needs 2 or 3 dimensions (cols rows [views]), DimSize has " + dims.length);
        }
        return new ProjectionStream(new DataStream(p), dims.length == 3 ? dims[2] : 1, dims[1], dims[0]);
    }

    /** Views of a projection file read in order; see {@link #openProjections}. */
    public static final class ProjectionStream implements AutoCloseable {
        private final DataStream data;
        private final int views, rows, cols;
        private int next;
        private boolean finished;

        private ProjectionStream(DataStream data, int views, int rows, int cols) {
            this.data = data;
            this.views = views;
            this.rows = rows;
            this.cols = cols;
        }

        public int views() { return views; }
        public int rows() { return rows; }
        public int cols() { return cols; }

        /** Reads views {@code [firstView, firstView + count)}, which must follow the last ones read, into {@code into}. */
        public void read(int firstView, int count, float[] into) throws IOException {
            if (firstView != next) throw new IllegalStateException("views are read in order: expected view " + next + ", asked for " + firstView);
            if (count < 0 || firstView + count > views) throw new IllegalArgumentException("views " + firstView + "…" + (firstView + count - 1) + " exceed the " + views + " views");
            if (into.length < count * rows * cols) throw new IllegalArgumentException("buffer holds " + into.length + " values, " + count + " views need " + count * rows * cols);
            data.read(into, 0, count * rows * cols);
            next += count;
            if (next == views && !finished) {
                finished = true;
                data.finish();
            }
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    private static String dimsText(int[] dims) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) b.append(i == 0 ? "" : "×").append(dims[i]);
        return b.toString();
    }
}
