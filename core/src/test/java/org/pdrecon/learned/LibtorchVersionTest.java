package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibtorchVersionTest {
    @TempDir
    Path dir;

    @Test
    void expectsTheVersionPytorchJniWasBuiltFor() {
        assertEquals("2.7.1", LibtorchVersion.expected());
    }

    @Test
    void readsArchiveAndWheelMarkers() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.writeString(dir.resolve("libtorch/build-version"), "2.7.1+cu128\n");
        assertEquals(Optional.of("2.7.1+cu128"), LibtorchVersion.of(archive));
        assertDoesNotThrow(() -> LibtorchVersion.requireCompatible(archive.toString()));

        Path wheel = Files.createDirectories(dir.resolve("site-packages/torch/lib"));
        Files.writeString(dir.resolve("site-packages/torch/version.py"), "__version__ = '2.11.0+cu130'\ngit_version = 'x'\n");
        assertEquals(Optional.of("2.11.0+cu130"), LibtorchVersion.of(wheel));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LibtorchVersion.requireCompatible(wheel.toString()));
        assertTrue(e.getMessage().contains("holds libtorch 2.11.0+cu130") && e.getMessage().contains("built for libtorch 2.7.1"), e.getMessage());

        Path bare = Files.createDirectories(dir.resolve("bare/lib"));
        assertEquals(Optional.empty(), LibtorchVersion.of(bare), "no marker: nothing to check against");
        assertDoesNotThrow(() -> LibtorchVersion.requireCompatible(bare.toString()));
        assertDoesNotThrow(() -> LibtorchVersion.requireCompatible(null));
    }

    @Test
    void versionsMatchExactlyOrWithABuildSuffix() {
        assertTrue(LibtorchVersion.matches("2.7.1", "2.7.1"));
        assertTrue(LibtorchVersion.matches("2.7.1+cpu", "2.7.1"));
        assertFalse(LibtorchVersion.matches("2.7.10", "2.7.1"));
        assertFalse(LibtorchVersion.matches("2.11.0+cu130", "2.7.1"));
    }
}
