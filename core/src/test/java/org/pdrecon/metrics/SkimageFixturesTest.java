package org.pdrecon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Compares PSNR, SSIM and NRMSE with scikit-image's values on the committed fixtures written by
 * {@code core/src/test/resources/metrics/make_fixtures.py} (2D and 3D, odd and even sizes, masks, explicit range).
 */
class SkimageFixturesTest {
    private static final String DIR = "/metrics/";

    static Stream<JsonObject> cases() throws IOException {
        List<JsonObject> list = new ArrayList<>();
        for (JsonElement e : fixtures().getAsJsonArray("cases")) list.add(e.getAsJsonObject());
        return list.stream();
    }

    @Test
    void fixturesCoverTwoAndThreeDimensionsAndMasks() throws IOException {
        List<JsonObject> all = cases().toList();
        assertTrue(all.stream().anyMatch(c -> c.getAsJsonArray("shape").size() == 2));
        assertTrue(all.stream().anyMatch(c -> c.getAsJsonArray("shape").size() == 3));
        assertTrue(all.stream().anyMatch(c -> !c.get("mask").isJsonNull()));
        assertTrue(all.stream().anyMatch(c -> c.get("data_range_source").getAsString().equals("explicit")));
        JsonObject p = fixtures().getAsJsonObject("ssim_parameters");
        assertEquals(2 * Ssim.RADIUS + 1, p.get("win_size").getAsInt());
        assertEquals(Ssim.SIGMA, p.get("sigma").getAsDouble());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScikitImage(JsonObject c) throws IOException {
        String name = c.get("name").getAsString();
        VolumeGrid grid = grid(c.getAsJsonArray("shape"));
        Volume ref = new Volume(grid, readFloats(c.get("reference").getAsString(), grid.voxelCount()));
        Volume test = new Volume(grid, readFloats(c.get("test").getAsString(), grid.voxelCount()));
        Mask mask = c.get("mask").isJsonNull() ? null : readMask(c.get("mask").getAsString(), grid);
        boolean explicit = c.get("data_range_source").getAsString().equals("explicit");
        double range = c.get("data_range").getAsDouble();

        double psnr, ssim;
        if (explicit) {
            psnr = Psnr.of(ref, test, mask, range);
            ssim = Ssim.of(ref, test, mask, range);
        } else {
            assertEquals(range, DataRange.of(ref, mask), 1e-12 * range, name + ": default data range");
            psnr = Psnr.of(ref, test, mask);
            ssim = Ssim.of(ref, test, mask);
        }
        double nrmse = Nrmse.of(ref, test, mask);
        // Acceptance (issue 2) is 1e-3 dB, 1e-4 and 1e-5 relative; the same float64 recipe agrees to ~1e-13,
        // so hold it to 1e-9: a wrong window size or crop changes SSIM by far more than that.
        assertEquals(c.get("psnr_db").getAsDouble(), psnr, 1e-9, name + ": PSNR (dB)");
        assertEquals(c.get("ssim").getAsDouble(), ssim, 1e-9, name + ": SSIM");
        double expectedNrmse = c.get("nrmse").getAsDouble();
        assertEquals(expectedNrmse, nrmse, 1e-9 * expectedNrmse, name + ": NRMSE");
        if (mask != null) assertEquals(c.get("mask_voxels").getAsInt(), mask.count(), name + ": mask voxels");

        MetricValues all = ImageMetrics.compare(ref, test, mask, range);
        assertEquals(psnr, all.psnrDb(), 0);
        assertEquals(ssim, all.ssim(), 0);
        assertEquals(nrmse, all.nrmse(), 0);
    }

    private static VolumeGrid grid(JsonArray shape) {
        int n = shape.size();
        int nz = n == 3 ? shape.get(0).getAsInt() : 1;
        return new VolumeGrid(nz, shape.get(n - 2).getAsInt(), shape.get(n - 1).getAsInt(), 1, 1, 1, new double[3]);
    }

    private static JsonObject fixtures() throws IOException {
        try (Reader r = new InputStreamReader(open("fixtures.json"), StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    private static float[] readFloats(String file, int count) throws IOException {
        byte[] bytes = readAll(file);
        assertEquals(4L * count, bytes.length, file + " size");
        float[] f = new float[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static Mask readMask(String file, VolumeGrid grid) throws IOException {
        byte[] bytes = readAll(file);
        assertEquals(grid.voxelCount(), bytes.length, file + " size");
        boolean[] inside = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) inside[i] = bytes[i] != 0;
        return new Mask(grid.nz(), grid.ny(), grid.nx(), inside, file);
    }

    private static byte[] readAll(String file) throws IOException {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(String file) {
        InputStream in = SkimageFixturesTest.class.getResourceAsStream(DIR + file);
        assertNotNull(in, "missing test resource " + DIR + file);
        return in;
    }
}
