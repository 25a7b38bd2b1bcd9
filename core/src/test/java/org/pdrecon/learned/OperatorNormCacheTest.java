package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/** ‖A‖ kept on disk per geometry: reused when everything matches, recomputed otherwise, never trusted blindly. */
class OperatorNormCacheTest {
    @TempDir Path tmp;
    private String saved;

    @BeforeEach
    void useATemporaryCache() {
        saved = System.getProperty("pdrecon.cache");
        System.setProperty("pdrecon.cache", tmp.toString());
    }

    @AfterEach
    void restore() {
        if (saved == null) System.clearProperty("pdrecon.cache");
        else System.setProperty("pdrecon.cache", saved);
    }

    private static ConeBeamGeometry scan(int views) {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 2.0)).setSodMm(100).setSddMm(150)
                .setDetector(8, 12, 3.0, 3.0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, 360)).build();
    }

    @Test
    void anEstimateIsStoredOnceAndReusedForTheSameGeometryOnly() throws Exception {
        assertEquals(tmp.resolve("operator-norms").toString(), OperatorNormCache.describe());
        AtomicInteger runs = new AtomicInteger();
        DoubleSupplier estimate = () -> 1.0 + 0.123456789012345 * runs.incrementAndGet();
        double first = OperatorNormCache.normFor(scan(10), "joseph-cpu", estimate);
        assertEquals(first, OperatorNormCache.normFor(scan(10), "joseph-cpu", estimate), 0.0, "the stored value, bit for bit");
        assertEquals(1, runs.get());
        OperatorNormCache.normFor(scan(11), "joseph-cpu", estimate); // one view more: another geometry
        OperatorNormCache.normFor(scan(10), "joseph-gpu", estimate); // another operator
        assertEquals(3, runs.get());

        // A damaged or foreign file is ignored and rewritten.
        Path dir = tmp.resolve("operator-norms");
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.writeString(f, "{\"key_sha256\": \"0\", \"norm\": 5}");
        }
        double again = OperatorNormCache.normFor(scan(10), "joseph-cpu", estimate);
        assertEquals(4, runs.get());
        assertEquals(again, OperatorNormCache.normFor(scan(10), "joseph-cpu", estimate), 0.0);
        assertEquals(4, runs.get());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void offEstimatesEveryTimeAndAnUnwritableCacheStillAnswers() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        System.setProperty("pdrecon.cache", "off");
        OperatorNormCache.normFor(scan(10), "joseph-cpu", () -> runs.incrementAndGet());
        OperatorNormCache.normFor(scan(10), "joseph-cpu", () -> runs.incrementAndGet());
        assertEquals(2, runs.get());
        assertTrue(OperatorNormCache.directory().isEmpty());
        assertEquals("off", OperatorNormCache.describe());
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        System.setProperty("pdrecon.cache", file.toString());
        assertEquals(7.0, OperatorNormCache.normFor(scan(10), "joseph-cpu", () -> 7.0), 0.0);
    }
}
