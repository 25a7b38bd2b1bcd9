package org.pdrecon.io.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.pdrecon.util.AtomicFiles;

/**
 * Writes a data set as a Part 10 file in explicit VR little endian: 128 zero bytes, "DICM", the file
 * meta group (built here from the data set's SOPClassUID and SOPInstanceUID) and the data set in
 * ascending tag order. Values are padded to even length (NUL for UI and binary, space for text);
 * sequences and items are written with defined lengths. Files are written atomically
 * ({@link AtomicFiles}), so a reader never sees a half-written file.
 */
public final class DicomWriter {
    private static final int SOP_CLASS_UID = 0x00080016, SOP_INSTANCE_UID = 0x00080018;

    private DicomWriter() {}

    /**
     * Writes {@code dataset} to {@code file} atomically ({@link AtomicFiles}: temporary file in the same
     * folder, flushed, usual permissions, renamed into place; on failure {@code file} is unchanged).
     */
    public static void write(DicomObject dataset, Path file) throws IOException {
        AtomicFiles.write(file, encode(dataset));
    }

    /** The Part 10 bytes of a data set. */
    public static byte[] encode(DicomObject dataset) throws DicomException {
        String sopClass = dataset.getString(SOP_CLASS_UID), sopInstance = dataset.getString(SOP_INSTANCE_UID);
        if (sopClass == null || sopClass.isEmpty() || sopInstance == null || sopInstance.isEmpty()) {
            throw new DicomException("cannot write a Part 10 file without SOPClassUID (0008,0016) and SOPInstanceUID (0008,0018)");
        }
        DicomObject meta = new DicomObject();
        meta.putBytes(0x00020001, Vr.OB, new byte[] {0, 1});
        meta.putString(0x00020002, Vr.UI, sopClass);
        meta.putString(0x00020003, Vr.UI, sopInstance);
        meta.putString(0x00020010, Vr.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.putString(0x00020012, Vr.UI, Uids.IMPLEMENTATION_CLASS_UID);
        meta.putString(0x00020013, Vr.SH, Uids.IMPLEMENTATION_VERSION_NAME);
        ByteArrayOutputStream metaBody = new ByteArrayOutputStream();
        for (DicomElement e : meta.elements()) writeElement(metaBody, e);

        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        DicomObject groupLength = new DicomObject().putInts(0x00020000, Vr.UL, metaBody.size());
        writeElement(out, groupLength.get(0x00020000));
        out.writeBytes(metaBody.toByteArray());
        for (DicomElement e : dataset.elements()) {
            if (Tags.group(e.tag()) == 0x0002) continue; // meta is rebuilt above
            writeElement(out, e);
        }
        return out.toByteArray();
    }

    private static void writeDataset(ByteArrayOutputStream out, DicomObject ds) throws DicomException {
        for (DicomElement e : ds.elements()) writeElement(out, e);
    }

    private static void writeElement(ByteArrayOutputStream out, DicomElement e) throws DicomException {
        if (e.isEncapsulated()) {
            throw new DicomException("element " + Tags.describe(e.tag()) + " holds encapsulated pixel data, which this writer does not write");
        }
        byte[] value;
        if (e.isSequence()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (DicomObject item : e.items()) {
                ByteArrayOutputStream itemBody = new ByteArrayOutputStream();
                writeDataset(itemBody, item);
                writeTag(body, Tags.ITEM);
                writeU32(body, itemBody.size());
                body.writeBytes(itemBody.toByteArray());
            }
            value = body.toByteArray();
        } else {
            value = e.value();
        }
        int padded = value.length + (value.length & 1);
        writeTag(out, e.tag());
        out.write(e.vr().name().charAt(0));
        out.write(e.vr().name().charAt(1));
        if (e.vr().hasLongLength()) {
            out.write(0);
            out.write(0);
            writeU32(out, padded);
        } else {
            if (padded > 0xFFFF) {
                throw new DicomException("element " + Tags.describe(e.tag()) + " value of " + padded + " bytes is too long for VR " + e.vr());
            }
            out.write(padded & 0xFF);
            out.write(padded >>> 8);
        }
        out.writeBytes(value);
        if (padded != value.length) out.write(e.vr().padding());
    }

    private static void writeTag(ByteArrayOutputStream out, int tag) {
        int g = Tags.group(tag), el = Tags.element(tag);
        out.write(g & 0xFF);
        out.write(g >>> 8);
        out.write(el & 0xFF);
        out.write(el >>> 8);
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) (v & 0xFF));
        out.write((int) ((v >>> 8) & 0xFF));
        out.write((int) ((v >>> 16) & 0xFF));
        out.write((int) ((v >>> 24) & 0xFF));
    }
}
