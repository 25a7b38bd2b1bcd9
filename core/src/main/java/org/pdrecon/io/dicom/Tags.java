package org.pdrecon.io.dicom;

/** Tag numbers as {@code int} {@code (group << 16) | element}, and their printed form. */
public final class Tags {
    private Tags() {}

    public static final int ITEM = 0xFFFEE000;
    public static final int ITEM_DELIMITATION = 0xFFFEE00D;
    public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    public static int group(int tag) { return tag >>> 16; }
    public static int element(int tag) { return tag & 0xFFFF; }

    /** {@code (gggg,eeee)} followed by the dictionary keyword when known. */
    public static String describe(int tag) {
        String kw = DicomDictionary.keyword(tag);
        return String.format("(%04X,%04X)", group(tag), element(tag)) + (kw == null ? "" : " " + kw);
    }
}
