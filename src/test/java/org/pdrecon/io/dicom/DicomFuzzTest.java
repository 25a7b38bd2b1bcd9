package org.pdrecon.io.dicom;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates the committed fixtures (seeded random byte changes, truncations, huge or undefined lengths,
 * deleted and duplicated chunks) and parses each result completely: every outcome must be a successful
 * parse or a {@link DicomException}, never another exception, and the whole run must finish in time.
 */
class DicomFuzzTest {
    static final String[] FIXTURES = {"ct_implicit_signed12.dcm", "mf_explicit_u8.dcm", "rtimage_u16.dcm", "u32.dcm",
            "ct_big_endian.dcm", "dcmtk_implicit_undef.dcm", "dcmtk_big_endian.dcm", "img2dcm_bmp.dcm", "img2dcm_jpeg.dcm", "rtdose.dcm", "ct_series/slice_1.dcm"};
    static final int ITERATIONS = 4000;

    @Test
    void mutatedFixturesParseOrFailWithDicomException() throws IOException {
        byte[][] originals = new byte[FIXTURES.length][];
        for (int i = 0; i < FIXTURES.length; i++) originals[i] = DicomReaderFixturesTest.fixture(FIXTURES[i]);
        int[] outcomes = new int[2]; // parsed fully, rejected
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rnd = new Random(20261121L);
            for (int it = 0; it < ITERATIONS; it++) {
                int which = rnd.nextInt(originals.length);
                byte[] mutated = mutate(originals[which], rnd);
                try {
                    exercise(DicomReader.read(mutated, "fuzz"));
                    outcomes[0]++;
                } catch (DicomException expected) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    fail("iteration " + it + " on " + FIXTURES[which] + " threw " + t, t);
                }
            }
        });
        System.out.printf("DicomFuzzTest: %d mutated files parsed, %d rejected with DicomException%n", outcomes[0], outcomes[1]);
        // the mutations must actually reach the parser's error paths, and some must survive
        assertTrue(outcomes[1] > ITERATIONS / 4, "only " + outcomes[1] + " rejections");
        assertTrue(outcomes[0] > ITERATIONS / 20, "only " + outcomes[0] + " successful parses");
    }

    /** Decodes pixels and reads every element through the typed getters, recursively. */
    static void exercise(DicomFile f) throws DicomException {
        try {
            PixelData.decode(f);
        } catch (DicomException rejected) {
            // fine: malformed pixel module; the header getters below must still behave
        }
        walk(f.dataset(), 0);
    }

    static void walk(DicomObject ds, int depth) throws DicomException {
        for (DicomElement e : ds.elements()) {
            try {
                if (e.isSequence()) {
                    for (DicomObject item : e.items()) walk(item, depth + 1);
                } else if (e.vr().isText()) {
                    ds.getStrings(e.tag());
                    if (e.vr() == Vr.DS || e.vr() == Vr.IS) ds.getDoubles(e.tag());
                } else if (e.value() != null) {
                    ds.getDoubles(e.tag());
                }
            } catch (DicomException expected) {
                // malformed value: reported, not thrown as anything else
            }
        }
    }

    static byte[] mutate(byte[] original, Random rnd) {
        byte[] b = original.clone();
        switch (rnd.nextInt(6)) {
            case 0: { // a few random bytes
                int n = 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) b[132 + rnd.nextInt(b.length - 132)] = (byte) rnd.nextInt(256);
                return b;
            }
            case 1: // truncation
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2: { // a huge or undefined 32-bit length somewhere
                int at = 132 + rnd.nextInt(b.length - 136);
                long v = rnd.nextBoolean() ? 0xFFFFFFFFL : (rnd.nextLong() & 0xFFFFFFFEL);
                for (int k = 0; k < 4; k++) b[at + k] = (byte) (v >>> (8 * k));
                return b;
            }
            case 3: { // a huge 16-bit length
                int at = 132 + rnd.nextInt(b.length - 134);
                b[at] = (byte) 0xFE;
                b[at + 1] = (byte) 0xFF;
                return b;
            }
            case 4: { // delete a chunk
                int from = 132 + rnd.nextInt(b.length - 132), len = 1 + rnd.nextInt(Math.min(32, b.length - from));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, from + len, out, from, b.length - from - len);
                return out;
            }
            default: { // duplicate a chunk
                int from = 132 + rnd.nextInt(b.length - 132), len = 1 + rnd.nextInt(Math.min(64, b.length - from));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, from + len);
                System.arraycopy(b, from, out, from + len, b.length - from);
                return out;
            }
        }
    }
}
