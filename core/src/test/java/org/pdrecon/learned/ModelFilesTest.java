package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged model.params is named, with what is wrong with it, never reported as "null". */
class ModelFilesTest {
    @TempDir Path tmp;

    @Test
    void truncatedOrExtendedParametersAreClearErrors() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDual lpd = new LearnedPrimalDual(new LearnedPrimalDualConfig(2, 2, 3, 2, 4, 3, 3));
            lpd.initialize(m, DataType.FLOAT32, new Shape(1, 1, 6, 5), new Shape(1, 1, 4, 7));
            ModelFiles.save(tmp, lpd, null);
            ModelFiles.loadNetwork(tmp, m); // intact: loads
            Path params = tmp.resolve(ModelFiles.PARAMS);
            byte[] whole = Files.readAllBytes(params);
            for (int keep : new int[] {whole.length / 2, whole.length - 3, 10}) {
                Files.write(params, Arrays.copyOf(whole, keep));
                IOException e = assertThrows(IOException.class, () -> ModelFiles.loadNetwork(tmp, m));
                assertTrue(e.getMessage() != null && e.getMessage().startsWith(params.toString())
                        && (e.getMessage().contains("is truncated") || e.getMessage().contains("cannot be read")), keep + " bytes: " + e.getMessage());
            }
            Files.write(params, Arrays.copyOf(whole, whole.length + 4));
            IOException e = assertThrows(IOException.class, () -> ModelFiles.loadNetwork(tmp, m));
            assertTrue(e.getMessage().contains("has bytes past the end"), e.getMessage());
        }
    }
}
