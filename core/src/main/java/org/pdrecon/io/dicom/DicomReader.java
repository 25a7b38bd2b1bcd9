package org.pdrecon.io.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads DICOM Part 10 files (PS3.10): the 128-byte preamble and "DICM", the file meta group in
 * explicit VR little endian, then the data set in the transfer syntax the meta group names (implicit
 * or explicit VR little endian, explicit VR big endian). Files whose meta group starts at offset 0
 * without a preamble are tolerated (some older writers); anything else is not DICOM.
 *
 * <p>The parser is strict and bounded: the whole file is read into memory once (so no allocation
 * exceeds the file size), every declared length is checked against the bytes that remain in the
 * enclosing element, odd lengths and undefined lengths outside SQ/UN/pixel data are rejected,
 * sequences nest at most {@value #MAX_DEPTH} deep, and every step consumes input, so malformed data
 * ends in a {@link DicomException} naming the element and byte offset, never a hang.
 *
 * <p>Big-endian values are converted to little endian while reading, so a {@link DicomObject} always
 * holds little-endian bytes. Encapsulated pixel data is kept as fragments; decoding it is refused by
 * {@link PixelData}.
 */
public final class DicomReader {
    /** Maximum nesting depth of sequences. */
    public static final int MAX_DEPTH = 32;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int PIXEL_DATA = 0x7FE00010;

    private final byte[] buf;
    private final String source;
    private int pos;
    private boolean explicitVr = true;
    private boolean bigEndian;

    private DicomReader(byte[] buf, String source) {
        this.buf = buf;
        this.source = source;
    }

    /** Reads a file. */
    public static DicomFile read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new DicomException(file + ": " + size + " bytes is larger than this reader supports (2 GiB)");
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /** Parses a Part 10 file held in memory; {@code source} names it in messages. */
    public static DicomFile read(byte[] bytes, String source) throws DicomException {
        return new DicomReader(bytes, source).readFile();
    }

    private DicomFile readFile() throws DicomException {
        boolean preamble = buf.length >= 132 && buf[128] == 'D' && buf[129] == 'I' && buf[130] == 'C' && buf[131] == 'M';
        if (preamble) {
            pos = 132;
        } else if (buf.length >= 8 && buf[0] == 2 && buf[1] == 0 && Vr.of(buf[4], buf[5]) != null) {
            pos = 0; // meta group without preamble
        } else {
            throw fail("not a DICOM Part 10 file: no 'DICM' at offset 128 and no file meta group at offset 0", 0);
        }
        DicomObject meta = new DicomObject();
        while (pos + 4 <= buf.length && u16(pos) == 0x0002) {
            add(meta, readElement(buf.length, 0));
        }
        if (meta.size() == 0) throw fail("the file meta information group (0002) is empty", pos);
        String tsUid = meta.getString(0x00020010);
        TransferSyntax ts;
        try {
            ts = TransferSyntax.of(tsUid == null ? null : tsUid.trim());
        } catch (DicomException e) {
            throw new DicomException(source + ": " + e.getMessage());
        }
        if (ts.deflated()) {
            throw fail("transfer syntax " + ts.describe() + " is not supported: only uncompressed, non-deflated data sets can be read", pos);
        }
        explicitVr = ts.explicitVr();
        bigEndian = ts.bigEndian();
        DicomObject dataset = readDataset(buf.length, 0, false, ts);
        return new DicomFile(source, meta, ts, dataset, preamble);
    }

    /** Reads elements up to {@code end}, or up to an item delimiter when {@code delimited}. */
    private DicomObject readDataset(int end, int depth, boolean delimited, TransferSyntax ts) throws DicomException {
        DicomObject obj = new DicomObject();
        while (true) {
            if (pos == end) {
                if (delimited) throw fail("item of undefined length has no item delimitation item before the end of its container", pos);
                return obj;
            }
            need(end, 8, "data element header");
            int tag = tag(pos);
            if (tag == Tags.ITEM_DELIMITATION) {
                if (!delimited) throw fail("item delimitation item outside an item of undefined length", pos);
                pos += 4;
                expectZeroLength("item delimitation item");
                return obj;
            }
            if (Tags.group(tag) == 0xFFFE) throw fail(Tags.describe(tag) + " outside a sequence", pos);
            if (Tags.group(tag) == 0x0002 && depth == 0 && ts != null) {
                throw fail("file meta element " + Tags.describe(tag) + " inside the data set", pos);
            }
            add(obj, readElement(end, depth));
        }
    }

    private DicomElement readElement(int end, int depth) throws DicomException {
        int start = pos;
        int tag = tag(pos);
        pos += 4;
        Vr vr;
        long length;
        if (explicitVr) { // the meta group is read with explicitVr still true
            need(end, 4, "VR and length of " + Tags.describe(tag));
            vr = Vr.of(buf[pos] & 0xFF, buf[pos + 1] & 0xFF);
            if (vr == null) {
                throw fail("element " + Tags.describe(tag) + " has an invalid VR '" + printable(buf[pos]) + printable(buf[pos + 1]) + "'", pos);
            }
            pos += 2;
            if (vr.hasLongLength()) {
                need(end, 6, "length of " + Tags.describe(tag));
                pos += 2;
                length = u32(pos);
                pos += 4;
            } else {
                length = u16(pos);
                pos += 2;
            }
        } else {
            need(end, 4, "length of " + Tags.describe(tag));
            vr = DicomDictionary.vr(tag);
            length = u32(pos);
            pos += 4;
        }
        if (length == UNDEFINED) {
            if (vr == Vr.SQ) return DicomElement.ofSequence(tag, readItems(end, depth + 1, true, 0));
            if (tag == PIXEL_DATA && (vr == Vr.OB || vr == Vr.OW || vr == Vr.UN)) return readFragments(tag, vr, end);
            if (vr == Vr.UN) {
                // PS3.5 §6.2.2: UN of undefined length is a sequence encoded in implicit VR little endian.
                boolean e = explicitVr, b = bigEndian;
                explicitVr = false;
                bigEndian = false;
                List<DicomObject> items = readItems(end, depth + 1, true, 0);
                explicitVr = e;
                bigEndian = b;
                return DicomElement.ofSequence(tag, items);
            }
            throw fail("element " + Tags.describe(tag) + " with VR " + vr + " has undefined length, which only SQ, UN and encapsulated pixel data may have", start);
        }
        if ((length & 1) != 0) throw fail("element " + Tags.describe(tag) + " has odd length " + length + " (DICOM lengths are even)", start);
        if (length > end - pos) {
            throw fail("element " + Tags.describe(tag) + " declares " + length + " bytes but only " + (end - pos) + " remain", start);
        }
        int valueEnd = pos + (int) length;
        if (vr == Vr.SQ) {
            List<DicomObject> items = readItems(valueEnd, depth + 1, false, start);
            return DicomElement.ofSequence(tag, items);
        }
        byte[] value = new byte[(int) length];
        System.arraycopy(buf, pos, value, 0, value.length);
        pos = valueEnd;
        if (bigEndian && Tags.group(tag) != 0x0002) swapToLittleEndian(value, vr, tag, start);
        return DicomElement.ofValue(tag, vr, value);
    }

    /** Items of a sequence: up to {@code end} (defined length) or up to a sequence delimiter. */
    private List<DicomObject> readItems(int end, int depth, boolean delimited, int start) throws DicomException {
        if (depth > MAX_DEPTH) throw fail("sequences nest deeper than " + MAX_DEPTH + " levels", pos);
        List<DicomObject> items = new ArrayList<>();
        while (true) {
            if (pos == end) {
                if (delimited) throw fail("sequence of undefined length has no sequence delimitation item before the end of its container", pos);
                return items;
            }
            need(end, 8, "item header");
            int tag = tag(pos);
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                if (!delimited) throw fail("sequence delimitation item inside a sequence of defined length", pos);
                pos += 4;
                expectZeroLength("sequence delimitation item");
                return items;
            }
            if (tag != Tags.ITEM) throw fail("expected an item tag (FFFE,E000) in a sequence, found " + Tags.describe(tag), pos);
            int itemStart = pos;
            pos += 4;
            long length = u32(pos);
            pos += 4;
            if (length == UNDEFINED) {
                items.add(readDataset(end, depth, true, null));
            } else {
                if ((length & 1) != 0) throw fail("item has odd length " + length, itemStart);
                if (length > end - pos) throw fail("item declares " + length + " bytes but only " + (end - pos) + " remain", itemStart);
                items.add(readDataset(pos + (int) length, depth, false, null));
            }
        }
    }

    /** Encapsulated pixel data (PS3.5 §A.4): items of defined length up to a sequence delimiter. */
    private DicomElement readFragments(int tag, Vr vr, int end) throws DicomException {
        List<byte[]> fragments = new ArrayList<>();
        while (true) {
            need(end, 8, "encapsulated pixel data item");
            int t = tag(pos);
            if (t == Tags.SEQUENCE_DELIMITATION) {
                pos += 4;
                expectZeroLength("sequence delimitation item");
                return DicomElement.ofFragments(tag, vr, fragments);
            }
            if (t != Tags.ITEM) throw fail("expected a pixel data fragment item, found " + Tags.describe(t), pos);
            int at = pos;
            pos += 4;
            long length = u32(pos);
            pos += 4;
            if (length == UNDEFINED) throw fail("pixel data fragment has undefined length", at);
            if (length > end - pos) throw fail("pixel data fragment declares " + length + " bytes but only " + (end - pos) + " remain", at);
            byte[] f = new byte[(int) length];
            System.arraycopy(buf, pos, f, 0, f.length);
            pos += f.length;
            fragments.add(f);
        }
    }

    private void add(DicomObject obj, DicomElement e) throws DicomException {
        if (obj.contains(e.tag())) throw fail("element " + Tags.describe(e.tag()) + " occurs twice in one data set", pos);
        obj.put(e);
    }

    private void expectZeroLength(String what) throws DicomException {
        need(buf.length, 4, "length of " + what);
        long len = u32(pos);
        if (len != 0) throw fail(what + " has length " + len + ", expected 0", pos - 4);
        pos += 4;
    }

    private void swapToLittleEndian(byte[] v, Vr vr, int tag, int start) throws DicomException {
        int unit = vr.binaryUnit();
        if (unit == 1) return;
        if (v.length % unit != 0) {
            throw fail("element " + Tags.describe(tag) + " has " + v.length + " bytes, not a multiple of " + unit + " for VR " + vr, start);
        }
        for (int i = 0; i < v.length; i += unit) {
            for (int a = i, b = i + unit - 1; a < b; a++, b--) {
                byte t = v[a];
                v[a] = v[b];
                v[b] = t;
            }
        }
    }

    private void need(int end, int n, String what) throws DicomException {
        if (end - pos < n) {
            throw fail("truncated: " + what + " needs " + n + " bytes but only " + (end - pos) + " remain", pos);
        }
    }

    private int u16(int at) {
        return bigEndian
                ? ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF)
                : (buf[at] & 0xFF) | ((buf[at + 1] & 0xFF) << 8);
    }

    private long u32(int at) {
        long a = buf[at] & 0xFF, b = buf[at + 1] & 0xFF, c = buf[at + 2] & 0xFF, d = buf[at + 3] & 0xFF;
        return bigEndian ? (a << 24) | (b << 16) | (c << 8) | d : a | (b << 8) | (c << 16) | (d << 24);
    }

    private int tag(int at) {
        return (u16(at) << 16) | u16(at + 2);
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02X", b & 0xFF);
    }

    private DicomException fail(String message, int offset) {
        return new DicomException(source + ": " + message + " (at byte offset " + offset + ")");
    }
}
