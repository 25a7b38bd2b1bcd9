package org.pdrecon.io.dicom;

/** DICOM value representations (PS3.5 §6.2) with their explicit-VR header form and padding byte. */
public enum Vr {
    AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV,
    TM, UC, UI, UL, UN, UR, US, UT, UV;

    /** Whether explicit VR encodes this VR with 2 reserved bytes and a 32-bit length (PS3.5 §7.1.2). */
    public boolean hasLongLength() {
        switch (this) {
            case OB: case OD: case OF: case OL: case OV: case OW: case SQ: case SV: case UC: case UN:
            case UR: case UT: case UV:
                return true;
            default:
                return false;
        }
    }

    /** Whether the value is text (character repertoire, backslash-separated multiple values). */
    public boolean isText() {
        switch (this) {
            case AE: case AS: case CS: case DA: case DS: case DT: case IS: case LO: case LT: case PN:
            case SH: case ST: case TM: case UC: case UI: case UR: case UT:
                return true;
            default:
                return false;
        }
    }

    /** Size of one binary value in bytes (used for byte swapping), 1 for byte streams and text. */
    public int binaryUnit() {
        switch (this) {
            case US: case SS: case OW: case AT: return 2;
            case UL: case SL: case FL: case OF: case OL: return 4;
            case FD: case OD: case SV: case UV: case OV: return 8;
            default: return 1;
        }
    }

    /** Padding byte for odd-length values: NUL for UIDs and byte streams, space for text. */
    public byte padding() {
        return isText() && this != UI ? (byte) ' ' : 0;
    }

    /** The VR spelled by two ASCII bytes, or {@code null} if they spell none. */
    public static Vr of(int b0, int b1) {
        if (b0 < 'A' || b0 > 'Z' || b1 < 'A' || b1 > 'Z') return null;
        try {
            return valueOf(new String(new char[] {(char) b0, (char) b1}));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
