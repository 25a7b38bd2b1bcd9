package org.pdrecon.io.dicom;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.benchmark.InputFuzz;

/**
 * Mutates the committed fixtures (seeded random byte changes, truncations, huge or undefined lengths,
 * deleted and duplicated chunks) and parses each result completely: every outcome must be a successful
 * parse or a {@link DicomException}, never another exception, and the whole run must finish in time.
 * The mutations are {@link InputFuzz}'s; {@code pdrecon bench fuzz} runs the long version over DICOM, MHA
 * and geometry.json.
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
                byte[] mutated = InputFuzz.mutate(originals[which], rnd, 132);
                try {
                    InputFuzz.exercise(DicomReader.read(mutated, "fuzz"));
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
}
