package org.pdrecon.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One row of a batch manifest, with its paths made absolute: a scan (a DICOM projection folder, or a
 * projections MetaImage with its geometry.json), the method to reconstruct it with (a registered name or a
 * model folder), an optional reference volume to score against, and extra {@code reconstruct} options.
 *
 * @param dicom absolute folder, or {@code null} when {@code projections} is given
 * @param projections absolute file, or {@code null} when {@code dicom} is given
 * @param geometry absolute geometry.json beside {@code projections}, or {@code null} with {@code dicom}
 * @param reference absolute reference volume (.mha), or {@code null}
 * @param options extra {@code pdrecon reconstruct} options, e.g. {@code [--iterations, 50]}
 */
public record ScanSpec(String scanId, String dicom, String projections, String geometry, String method, String reference,
                       List<String> options) implements Serializable {
    public ScanSpec {
        options = List.copyOf(options);
    }
}
