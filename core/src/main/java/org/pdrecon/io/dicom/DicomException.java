package org.pdrecon.io.dicom;

import java.io.IOException;

/**
 * A DICOM file that this codec cannot read or write: malformed or truncated data, an unsupported
 * transfer syntax or pixel format, or a missing required attribute. The message names the file (when
 * known), the offending element and, for transfer syntaxes, both UID and name.
 */
public class DicomException extends IOException {
    public DicomException(String message) {
        super(message);
    }

    public DicomException(String message, Throwable cause) {
        super(message, cause);
    }
}
