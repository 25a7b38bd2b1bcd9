package org.pdrecon.io.dicom;

import java.util.List;

/**
 * One data element: a tag, its VR and either a value (bytes, always little endian in memory), the
 * items of a sequence, or the fragments of encapsulated pixel data. Exactly one of the three is
 * non-null. Immutable by convention: the arrays and lists are not copied, callers must not modify them.
 */
public final class DicomElement {
    private final int tag;
    private final Vr vr;
    private final byte[] value;
    private final List<DicomObject> items;
    private final List<byte[]> fragments;

    private DicomElement(int tag, Vr vr, byte[] value, List<DicomObject> items, List<byte[]> fragments) {
        this.tag = tag;
        this.vr = vr;
        this.value = value;
        this.items = items;
        this.fragments = fragments;
    }

    /** An element holding a value (little-endian bytes, even or odd length; padding is added on write). */
    public static DicomElement ofValue(int tag, Vr vr, byte[] value) {
        if (vr == Vr.SQ) throw new IllegalArgumentException(Tags.describe(tag) + ": an SQ element holds items, not bytes");
        return new DicomElement(tag, vr, value, null, null);
    }

    /** A sequence element. */
    public static DicomElement ofSequence(int tag, List<DicomObject> items) {
        return new DicomElement(tag, Vr.SQ, null, List.copyOf(items), null);
    }

    /** Encapsulated pixel data: the basic offset table followed by the fragments, as read. */
    public static DicomElement ofFragments(int tag, Vr vr, List<byte[]> fragments) {
        return new DicomElement(tag, vr, null, null, List.copyOf(fragments));
    }

    public int tag() { return tag; }
    public Vr vr() { return vr; }
    /** The value bytes (little endian), or {@code null} for sequences and encapsulated data. */
    public byte[] value() { return value; }
    /** The items of a sequence, or {@code null}. */
    public List<DicomObject> items() { return items; }
    /** The fragments of encapsulated pixel data, or {@code null}. */
    public List<byte[]> fragments() { return fragments; }
    public boolean isSequence() { return items != null; }
    public boolean isEncapsulated() { return fragments != null; }

    @Override
    public String toString() {
        String what = items != null ? items.size() + " items" : fragments != null ? fragments.size() + " fragments"
                : value.length + " bytes";
        return Tags.describe(tag) + " " + vr + " " + what;
    }
}
