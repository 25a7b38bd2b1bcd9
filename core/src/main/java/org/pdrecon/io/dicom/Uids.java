package org.pdrecon.io.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** UID generation without a registered root: {@code 2.25.<UUID as an unsigned decimal>} (PS3.5 §B.2). */
public final class Uids {
    /** pdrecon's implementation class UID (a fixed 2.25 UID derived from a random UUID). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.251686329178053492439744996137961833854";
    public static final String IMPLEMENTATION_VERSION_NAME = "PDRECON_0_1";

    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String RT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.481.1";

    private Uids() {}

    /** A fresh UID, at most 44 characters. */
    public static String fresh() {
        UUID u = UUID.randomUUID();
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
        return "2.25." + new BigInteger(1, b);
    }
}
