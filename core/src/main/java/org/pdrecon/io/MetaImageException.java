package org.pdrecon.io;

import java.io.IOException;
import java.nio.file.Path;

/** A MetaImage file that cannot be read or written; the message names the file and the problem. */
public class MetaImageException extends IOException {
    private final Path file;

    public MetaImageException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public MetaImageException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
