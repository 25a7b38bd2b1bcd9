package org.pdrecon.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a file or a folder with everything in it. */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes {@code path} and, for a folder, everything under it, deepest first; a missing path is fine. */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path)) return;
        if (!Files.isDirectory(path)) {
            Files.delete(path);
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
