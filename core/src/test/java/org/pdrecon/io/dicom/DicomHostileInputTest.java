package org.pdrecon.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Malformed and hostile files end in a {@link DicomException} that names the problem. */
class DicomHostileInputTest {

    /** Builds little-endian Part 10 bytes by hand. */
    static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        static Bytes part10(String transferSyntax) {
            Bytes b = new Bytes();
            b.out.writeBytes(new byte[128]);
            b.ascii("DICM");
            byte[] ts = transferSyntax.getBytes(StandardCharsets.US_ASCII);
            byte[] padded = Arrays.copyOf(ts, ts.length + (ts.length & 1));
            b.tag(0x00020010).ascii("UI").u16(padded.length).raw(padded);
            return b;
        }

        Bytes ascii(String s) { out.writeBytes(s.getBytes(StandardCharsets.US_ASCII)); return this; }
        Bytes raw(byte[] b) { out.writeBytes(b); return this; }
        Bytes u16(int v) { out.write(v & 0xFF); out.write((v >>> 8) & 0xFF); return this; }
        Bytes u32(long v) { u16((int) (v & 0xFFFF)); return u16((int) (v >>> 16)); }
        Bytes tag(int t) { return u16(t >>> 16).u16(t & 0xFFFF); }

        /** An explicit-VR element with a short (16-bit) length. */
        Bytes shortElement(int tag, String vr, byte[] value) { return tag(tag).ascii(vr).u16(value.length).raw(value); }
        /** An explicit-VR element header with a long (32-bit) length, value not included. */
        Bytes longHeader(int tag, String vr, long length) { return tag(tag).ascii(vr).u16(0).u32(length); }

        byte[] bytes() { return out.toByteArray(); }
    }

    static final String EXPLICIT = "1.2.840.10008.1.2.1", IMPLICIT = "1.2.840.10008.1.2";

    static String failure(byte[] file) {
        DicomException e = assertThrows(DicomException.class, () -> {
            DicomFile f = DicomReader.read(file, "hostile.dcm");
            PixelData.decode(f);
        });
        assertTrue(e.getMessage().startsWith("hostile.dcm: "), e.getMessage());
        return e.getMessage();
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' not in: " + message);
    }

    @Test
    void notDicomAtAll() {
        assertMentions(failure("hello, this is a text file and certainly not DICOM at all".repeat(4).getBytes(StandardCharsets.US_ASCII)),
                "not a DICOM Part 10 file");
        assertMentions(failure(new byte[0]), "not a DICOM Part 10 file");
    }

    @Test
    void truncatedEverywhereNeverAnythingButDicomException() throws IOException {
        byte[] whole = DicomReaderFixturesTest.fixture("rtimage_u16.dcm");
        int parsed = 0;
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            try {
                DicomFile f = DicomReader.read(cut, "cut.dcm");
                parsed++;
                assertThrows(DicomException.class, () -> PixelData.decode(f), "a cut at " + n + " still decoded pixels");
            } catch (DicomException expected) {
                assertTrue(expected.getMessage().startsWith("cut.dcm: "));
            }
        }
        // only cuts at element boundaries before the pixel data parse (as smaller, pixel-less data sets)
        assertTrue(parsed < 40, "parsed " + parsed + " truncations");
        assertMentions(failure(Arrays.copyOf(whole, whole.length - 2)), "PixelData", "declares 48 bytes but only 46 remain");
    }

    @Test
    void lengthBeyondTheFileIsNotAllocated() {
        byte[] file = Bytes.part10(EXPLICIT).longHeader(0x7FE00010, "OW", 0xFFFFFFF0L).raw(new byte[16]).bytes();
        assertMentions(failure(file), "(7FE0,0010) PixelData", "declares 4294967280 bytes but only 16 remain");
    }

    @Test
    void hugeImageHeaderWithTinyPixelDataFailsBeforeAllocating() {
        Bytes b = Bytes.part10(EXPLICIT);
        b.shortElement(0x00280008, "IS", "2147483647  ".getBytes(StandardCharsets.US_ASCII));
        b.shortElement(0x00280010, "US", new byte[] {(byte) 0xFF, (byte) 0xFF});
        b.shortElement(0x00280011, "US", new byte[] {(byte) 0xFF, (byte) 0xFF});
        b.shortElement(0x00280100, "US", new byte[] {32, 0});
        b.longHeader(0x7FE00010, "OW", 8).raw(new byte[8]);
        assertMentions(failure(b.bytes()), "PixelData has 8 bytes but 2147483647 frame(s) of 65535×65535");
    }

    @Test
    void oddLength() {
        byte[] file = Bytes.part10(EXPLICIT).shortElement(0x00100010, "PN", "Odd".getBytes(StandardCharsets.US_ASCII)).bytes();
        assertMentions(failure(file), "(0010,0010) PatientName", "odd length 3");
    }

    @Test
    void undefinedLengthWhereNotAllowed() {
        byte[] file = Bytes.part10(EXPLICIT).longHeader(0x00100010, "UT", 0xFFFFFFFFL).raw(new byte[8]).bytes();
        assertMentions(failure(file), "(0010,0010)", "undefined length");
        byte[] implicit = Bytes.part10(IMPLICIT).tag(0x00280010).u32(0xFFFFFFFFL).raw(new byte[8]).bytes();
        assertMentions(failure(implicit), "(0028,0010) Rows", "VR US has undefined length");
    }

    /** {@code depth} nested undefined-length sequences, each with one undefined-length item. */
    static byte[] nested(int depth) {
        Bytes b = Bytes.part10(EXPLICIT);
        for (int i = 0; i < depth; i++) b.longHeader(0x00081140, "SQ", 0xFFFFFFFFL).tag(Tags.ITEM).u32(0xFFFFFFFFL);
        for (int i = 0; i < depth; i++) b.tag(Tags.ITEM_DELIMITATION).u32(0).tag(Tags.SEQUENCE_DELIMITATION).u32(0);
        return b.bytes();
    }

    @Test
    void nestingIsLimited() throws DicomException {
        DicomObject ds = DicomReader.read(nested(DicomReader.MAX_DEPTH), "ok.dcm").dataset();
        int depth = 0;
        while (ds.contains(0x00081140)) {
            ds = ds.getSequence(0x00081140).get(0);
            depth++;
        }
        assertEquals(DicomReader.MAX_DEPTH, depth);
        assertMentions(failure(nested(DicomReader.MAX_DEPTH + 1)), "nest deeper than 32");
        assertMentions(failure(nested(100_000)), "nest deeper than 32"); // no StackOverflowError
    }

    @Test
    void unterminatedUndefinedLengthSequence() {
        byte[] file = Bytes.part10(EXPLICIT).longHeader(0x00081140, "SQ", 0xFFFFFFFFL).tag(Tags.ITEM).u32(0xFFFFFFFFL)
                .shortElement(0x00081155, "UI", "1.2\0".getBytes(StandardCharsets.US_ASCII)).bytes();
        assertMentions(failure(file), "no item delimitation item");
    }

    @Test
    void delimitersOutOfPlace() {
        assertMentions(failure(Bytes.part10(EXPLICIT).tag(Tags.ITEM_DELIMITATION).u32(0).bytes()), "item delimitation item outside");
        byte[] inDefined = Bytes.part10(EXPLICIT).longHeader(0x00081140, "SQ", 8).tag(Tags.SEQUENCE_DELIMITATION).u32(0).bytes();
        assertMentions(failure(inDefined), "sequence delimitation item inside a sequence of defined length");
        byte[] notItem = Bytes.part10(EXPLICIT).longHeader(0x00081140, "SQ", 12)
                .shortElement(0x00100010, "PN", "AB".getBytes(StandardCharsets.US_ASCII)).raw(new byte[2]).bytes();
        assertMentions(failure(notItem), "expected an item tag");
    }

    @Test
    void itemLongerThanItsSequence() {
        byte[] file = Bytes.part10(EXPLICIT).longHeader(0x00081140, "SQ", 16).tag(Tags.ITEM).u32(100).raw(new byte[8]).bytes();
        assertMentions(failure(file), "item declares 100 bytes but only 8 remain");
    }

    @Test
    void invalidVrAndDuplicates() {
        assertMentions(failure(Bytes.part10(EXPLICIT).tag(0x00100010).ascii("zz").u16(0).bytes()), "invalid VR 'zz'");
        byte[] twice = Bytes.part10(EXPLICIT).shortElement(0x00100020, "LO", "AB".getBytes(StandardCharsets.US_ASCII))
                .shortElement(0x00100020, "LO", "CD".getBytes(StandardCharsets.US_ASCII)).bytes();
        assertMentions(failure(twice), "(0010,0020) PatientID occurs twice");
    }

    @Test
    void unknownAndMissingTransferSyntax() {
        assertMentions(failure(Bytes.part10("1.2.3.4").bytes()), "unknown transfer syntax 1.2.3.4", "Explicit VR Little Endian");
        Bytes noTs = new Bytes();
        noTs.out.writeBytes(new byte[128]);
        noTs.ascii("DICM").shortElement(0x00020002, "UI", "1.2\0".getBytes(StandardCharsets.US_ASCII));
        assertMentions(failure(noTs.bytes()), "no TransferSyntaxUID");
    }

    @Test
    void malformedNumbersAndPixelModule() {
        byte[] badDs = Bytes.part10(EXPLICIT).shortElement(0x00281053, "DS", "1f".getBytes(StandardCharsets.US_ASCII))
                .shortElement(0x00280010, "US", new byte[] {1, 0}).shortElement(0x00280011, "US", new byte[] {1, 0})
                .shortElement(0x00280100, "US", new byte[] {16, 0}).longHeader(0x7FE00010, "OW", 2).raw(new byte[2]).bytes();
        assertMentions(failure(badDs), "(0028,1053) RescaleSlope", "'1f' is not a decimal number");
        byte[] oneBit = Bytes.part10(EXPLICIT).shortElement(0x00280010, "US", new byte[] {1, 0})
                .shortElement(0x00280011, "US", new byte[] {1, 0})
                .shortElement(0x00280100, "US", new byte[] {1, 0}).longHeader(0x7FE00010, "OW", 2).raw(new byte[2]).bytes();
        assertMentions(failure(oneBit), "BitsAllocated 1 is not supported");
        byte[] palette = Bytes.part10(EXPLICIT).shortElement(0x00280004, "CS", "PALETTE COLOR ".getBytes(StandardCharsets.US_ASCII))
                .longHeader(0x7FE00010, "OW", 2).raw(new byte[2]).bytes();
        assertMentions(failure(palette), "PhotometricInterpretation PALETTE COLOR is not supported");
        assertMentions(failure(Bytes.part10(EXPLICIT).shortElement(0x00280002, "US", new byte[] {3, 0})
                .longHeader(0x7FE00010, "OW", 2).raw(new byte[2]).bytes()), "SamplesPerPixel is 3");
    }

    @Test
    void missingPreambleIsTolerated() throws IOException {
        byte[] whole = DicomReaderFixturesTest.fixture("rtimage_u16.dcm");
        DicomFile f = DicomReader.read(Arrays.copyOfRange(whole, 132, whole.length), "nopreamble.dcm");
        assertFalse(f.hadPreamble());
        assertEquals(90.0, f.dataset().getDouble(DicomDictionary.tag("GantryAngle"), Double.NaN));
        assertEquals(5003, PixelData.decode(f).get(0, 5, 3), 0);
    }

    /** A known attribute re-encoded as UN by an archive still reads with its dictionary VR. */
    @Test
    void knownTagStoredAsUnReadsWithDictionaryVr() throws DicomException {
        byte[] file = Bytes.part10(EXPLICIT).longHeader(0x00280010, "UN", 2).raw(new byte[] {7, 1})
                .longHeader(0x300A011E, "UN", 4).raw("180 ".getBytes(StandardCharsets.US_ASCII)).bytes();
        DicomObject ds = DicomReader.read(file, "un.dcm").dataset();
        assertEquals(263, ds.requireInt(0x00280010));
        assertEquals(180.0, ds.getDouble(0x300A011E, Double.NaN));
        assertEquals(Vr.UN, ds.get(0x00280010).vr());
    }
}
