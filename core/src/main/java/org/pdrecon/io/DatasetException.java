package org.pdrecon.io;

import java.io.IOException;

/** A dataset directory that is missing pieces or inconsistent; the message names the file and the problem. */
public class DatasetException extends IOException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
