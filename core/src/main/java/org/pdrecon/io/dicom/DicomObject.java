package org.pdrecon.io.dicom;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A data set: data elements ordered by tag (unsigned), with typed accessors. Text is decoded as
 * ISO 8859-1 (the default repertoire and ISO_IR 100) unless the data set declares UTF-8
 * ({@code ISO_IR 192}); other character sets decode as ISO 8859-1, which is exact for ASCII.
 *
 * <p>Getters return {@code null}/empty when an element is absent and throw {@link DicomException}
 * naming the element when it is present but malformed (e.g. a DS that is not a number).
 */
public final class DicomObject {
    private final TreeMap<Integer, DicomElement> elements = new TreeMap<>(Integer::compareUnsigned);

    /** Adds or replaces an element. */
    public DicomObject put(DicomElement e) {
        elements.put(e.tag(), e);
        return this;
    }

    public DicomElement get(int tag) { return elements.get(tag); }
    public boolean contains(int tag) { return elements.containsKey(tag); }
    public DicomElement remove(int tag) { return elements.remove(tag); }
    /** Elements in ascending tag order. */
    public Collection<DicomElement> elements() { return elements.values(); }
    public int size() { return elements.size(); }

    // ---------------------------------------------------------------- writing values

    /** Sets a text value with the dictionary's VR; several values are joined with backslashes. */
    public DicomObject putString(int tag, String... values) {
        return putString(tag, DicomDictionary.vr(tag), values);
    }

    public DicomObject putString(int tag, Vr vr, String... values) {
        if (!vr.isText()) throw new IllegalArgumentException(Tags.describe(tag) + " has VR " + vr + ", not text");
        String s = String.join("\\", values);
        return put(DicomElement.ofValue(tag, vr, s.getBytes(charset())));
    }

    /** Sets decimal strings (DS), each formatted to at most 16 characters. */
    public DicomObject putDecimals(int tag, double... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) s[i] = formatDs(values[i]);
        return putString(tag, Vr.DS, s);
    }

    /** Sets integer strings (IS). */
    public DicomObject putIntegerStrings(int tag, long... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) s[i] = Long.toString(values[i]);
        return putString(tag, Vr.IS, s);
    }

    /** Sets binary integers of VR US, SS, UL or SL. */
    public DicomObject putInts(int tag, Vr vr, int... values) {
        int unit = vr == Vr.US || vr == Vr.SS ? 2 : vr == Vr.UL || vr == Vr.SL ? 4 : 0;
        if (unit == 0) throw new IllegalArgumentException(Tags.describe(tag) + ": VR " + vr + " is not a binary integer");
        ByteBuffer b = ByteBuffer.allocate(unit * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (unit == 2) b.putShort((short) v); else b.putInt(v);
        }
        return put(DicomElement.ofValue(tag, vr, b.array()));
    }

    /** Sets a sequence. */
    public DicomObject putSequence(int tag, List<DicomObject> items) {
        return put(DicomElement.ofSequence(tag, items));
    }

    /** Sets raw little-endian bytes (e.g. OB, OW pixel data). */
    public DicomObject putBytes(int tag, Vr vr, byte[] value) {
        return put(DicomElement.ofValue(tag, vr, value));
    }

    // ---------------------------------------------------------------- reading values

    /** The text value with trailing padding removed (all values joined by backslashes), or {@code null}. */
    public String getString(int tag) throws DicomException {
        DicomElement e = elements.get(tag);
        if (e == null) return null;
        Vr vr = valueVr(e);
        if (!vr.isText()) throw new DicomException(Tags.describe(tag) + " has VR " + e.vr() + ", not text");
        String s = new String(e.value(), charset());
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) end--;
        return s.substring(0, end);
    }

    /** The backslash-separated values, each trimmed, or an empty array when absent or empty. */
    public String[] getStrings(int tag) throws DicomException {
        String s = getString(tag);
        if (s == null || s.isEmpty()) return new String[0];
        String[] parts = s.split("\\\\", -1);
        for (int i = 0; i < parts.length; i++) parts[i] = parts[i].trim();
        return parts;
    }

    /**
     * Numeric values of a DS, IS, US, SS, UL, SL, FL or FD element, or an empty array when absent or
     * empty. An empty value between backslashes is an error.
     */
    public double[] getDoubles(int tag) throws DicomException {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null || e.value().length == 0) return new double[0];
        ByteBuffer b = ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN);
        Vr vr = valueVr(e);
        int unit = vr.binaryUnit();
        switch (vr) {
            case DS: case IS: {
                String[] s = getStrings(tag);
                double[] out = new double[s.length];
                for (int i = 0; i < s.length; i++) {
                    // Java would also accept hex floats, "Infinity" and type suffixes like "1f"; DS/IS do not
                    if (!s[i].matches("[+-]?[0-9]*\\.?[0-9]*([eE][+-]?[0-9]+)?")) {
                        throw new DicomException(Tags.describe(tag) + " value " + (i + 1) + " '" + s[i] + "' is not a decimal number");
                    }
                    try {
                        out[i] = Double.parseDouble(s[i]);
                    } catch (NumberFormatException ex) {
                        throw new DicomException(Tags.describe(tag) + " value " + (i + 1) + " '" + s[i] + "' is not a number");
                    }
                    if (!Double.isFinite(out[i])) {
                        throw new DicomException(Tags.describe(tag) + " value " + (i + 1) + " '" + s[i] + "' is not finite");
                    }
                }
                return out;
            }
            case US: case SS: case UL: case SL: case FL: case FD: {
                if (e.value().length % unit != 0) {
                    throw new DicomException(Tags.describe(tag) + " has " + e.value().length + " bytes, not a multiple of " + unit + " for VR " + vr);
                }
                double[] out = new double[e.value().length / unit];
                for (int i = 0; i < out.length; i++) {
                    switch (vr) {
                        case US: out[i] = b.getShort() & 0xFFFF; break;
                        case SS: out[i] = b.getShort(); break;
                        case UL: out[i] = b.getInt() & 0xFFFFFFFFL; break;
                        case SL: out[i] = b.getInt(); break;
                        case FL: out[i] = b.getFloat(); break;
                        default: out[i] = b.getDouble(); break;
                    }
                }
                return out;
            }
            default:
                throw new DicomException(Tags.describe(tag) + " has VR " + e.vr() + ", not a number");
        }
    }

    /** The first numeric value, if present. */
    public OptionalDouble getDouble(int tag) throws DicomException {
        double[] v = getDoubles(tag);
        return v.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(v[0]);
    }

    /** The first numeric value, or {@code fallback} when absent or empty. */
    public double getDouble(int tag, double fallback) throws DicomException {
        double[] v = getDoubles(tag);
        return v.length == 0 ? fallback : v[0];
    }

    /** The first numeric value as an int, or {@code fallback}; a non-integer value is an error. */
    public int getInt(int tag, int fallback) throws DicomException {
        double[] v = getDoubles(tag);
        if (v.length == 0) return fallback;
        if (v[0] != Math.rint(v[0]) || v[0] < Integer.MIN_VALUE || v[0] > Integer.MAX_VALUE) {
            throw new DicomException(Tags.describe(tag) + " value " + v[0] + " is not an integer");
        }
        return (int) v[0];
    }

    /** The first numeric value as an int; absence is an error naming the element. */
    public int requireInt(int tag) throws DicomException {
        if (getDoubles(tag).length == 0) throw new DicomException("required element " + Tags.describe(tag) + " is missing or empty");
        return getInt(tag, 0);
    }

    /** Exactly {@code n} numeric values; absence or another count is an error naming the element. */
    public double[] requireDoubles(int tag, int n) throws DicomException {
        double[] v = getDoubles(tag);
        if (v.length == 0) throw new DicomException("required element " + Tags.describe(tag) + " is missing or empty");
        if (v.length != n) throw new DicomException(Tags.describe(tag) + " has " + v.length + " values, expected " + n);
        return v;
    }

    /** The items of a sequence, or an empty list when absent. */
    public List<DicomObject> getSequence(int tag) throws DicomException {
        DicomElement e = elements.get(tag);
        if (e == null) return List.of();
        if (!e.isSequence()) throw new DicomException(Tags.describe(tag) + " is not a sequence (VR " + e.vr() + ")");
        return e.items();
    }

    /**
     * The VR to interpret a value with: its own, except that a known tag stored as UN (as some archives
     * re-encode attributes they do not know) is read with the dictionary's VR; UN bytes are the
     * little-endian value encoding, so this is exact.
     */
    private static Vr valueVr(DicomElement e) {
        if (e.vr() == Vr.UN && DicomDictionary.contains(e.tag())) {
            Vr dict = DicomDictionary.vr(e.tag());
            if (dict != Vr.SQ && dict != Vr.UN) return dict;
        }
        return e.vr();
    }

    private Charset charset() {
        DicomElement cs = elements.get(0x00080005);
        if (cs != null && cs.value() != null) {
            String s = new String(cs.value(), StandardCharsets.ISO_8859_1);
            if (s.contains("ISO_IR 192")) return StandardCharsets.UTF_8;
        }
        return StandardCharsets.ISO_8859_1;
    }

    /** A decimal string of at most 16 characters that parses back to {@code v} as closely as fits. */
    static String formatDs(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("DS value must be finite, got " + v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        for (int digits = 15; digits >= 1; digits--) {
            String s = new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toString();
            if (s.length() <= 16) return s;
        }
        throw new IllegalArgumentException("cannot format " + v + " as a 16-character DS");
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        for (DicomElement e : elements.values()) lines.add(e.toString());
        return String.join("\n", lines);
    }
}
