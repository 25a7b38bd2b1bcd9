package org.pdrecon.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.Volume;

/**
 * Files written by other tools (numpy by hand, plastimatch/ITK; see {@code make_fixtures.sh} next to
 * them) read back to the values and geometry the script wrote.
 */
class MetaImageFixturesTest {
    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(MetaImageFixturesTest.class.getResource("metaimage/" + name).toURI());
    }

    @Test
    void readsFilesWrittenByNumpyAndItk() throws Exception {
        float[] expected = new float[60];
        for (int i = 0; i < 60; i++) expected[i] = 10f * i;
        for (String name : new String[] {"numpy_float.mha", "numpy_double_be.mha", "itk_short.mha", "itk_ushort.mhd"}) {
            Volume v = MetaImage.readVolume(fixture(name));
            assertArrayEquals(new int[] {3, 4, 5}, v.grid().shape(), name);
            assertEquals(1.0, v.grid().dxMm(), name);
            assertEquals(1.5, v.grid().dyMm(), name);
            assertEquals(2.5, v.grid().dzMm(), name);
            // Offset (−2, −3.5, 10) is the first voxel centre: centre = Offset + (n − 1)/2 · spacing
            assertArrayEquals(new double[] {0, -1.25, 12.5}, v.grid().centreMm(), 1e-12, name);
            assertEquals(-2.0, v.grid().x(0), 1e-12, name);
            assertArrayEquals(expected, v.data(), name);
            assertEquals(10f * (3 + 5 * 2 + 20 * 1), v.get(1, 2, 3), name);
        }
    }
}
