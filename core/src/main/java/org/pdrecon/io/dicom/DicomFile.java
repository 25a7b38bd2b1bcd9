package org.pdrecon.io.dicom;

/**
 * A parsed Part 10 file: its file meta information (group 0002), its transfer syntax and the data set.
 *
 * @param source where it was read from (for messages)
 * @param hadPreamble whether the file had the 128-byte preamble and "DICM" (false: meta group at offset 0)
 */
public record DicomFile(String source, DicomObject meta, TransferSyntax transferSyntax, DicomObject dataset,
                        boolean hadPreamble) {
}
