package org.pdrecon.io.dicom;

import java.util.Map;

/**
 * Transfer syntaxes: the three native ones this codec decodes, and the names of the common
 * compressed (encapsulated) and deflated ones, so that a rejection can say what the file used.
 *
 * @param uid the transfer syntax UID
 * @param name its PS3.6 name
 * @param explicitVr whether data elements carry their VR
 * @param bigEndian whether binary values are big endian
 * @param supported whether this codec decodes it (native, uncompressed pixel data)
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian, boolean supported) {

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, true);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, true);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, true, true);

    /** Known but unsupported syntaxes: compressed pixel data or a deflated data set. */
    private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
            Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
            Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

    /**
     * The transfer syntax of a UID. Known compressed syntaxes come back with {@code supported = false}
     * (their data set is explicit VR little endian, so headers can still be read); anything else
     * unknown is an error.
     */
    public static TransferSyntax of(String uid) throws DicomException {
        if (uid == null || uid.isEmpty()) throw new DicomException("file meta has no TransferSyntaxUID (0002,0010)");
        for (TransferSyntax ts : new TransferSyntax[] {IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN}) {
            if (ts.uid.equals(uid)) return ts;
        }
        String name = UNSUPPORTED.get(uid);
        if (name != null) return new TransferSyntax(uid, name, true, false, false);
        throw new DicomException("unknown transfer syntax " + uid
                + ": supported are 1.2.840.10008.1.2 (Implicit VR Little Endian), 1.2.840.10008.1.2.1 (Explicit VR Little Endian)"
                + " and 1.2.840.10008.1.2.2 (Explicit VR Big Endian)");
    }

    /** Whether the data set itself is deflated (then not even its header can be parsed here). */
    public boolean deflated() {
        return uid.equals("1.2.840.10008.1.2.1.99");
    }

    /** {@code "name (uid)"}, as used in error messages. */
    public String describe() {
        return name + " (" + uid + ")";
    }
}
