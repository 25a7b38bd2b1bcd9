package org.pdrecon.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.preprocessing.ClinicalScan;
import org.pdrecon.preprocessing.CumulativeFrames;
import org.pdrecon.preprocessing.LineIntegrals;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How a folder of DICOM projections becomes line integrals ({@link ClinicalScan}), shared by {@code import} and {@code reconstruct}. */
final class ClinicalImportOptions {
    @Option(names = "--i0", paramLabel = "I0", description = "unattenuated detector signal (one value)")
    Double i0;

    @Option(names = "--air-region", paramLabel = "R0:R1,C0:C1",
            description = "I0 per view = mean signal of rows R0..R1-1, columns C0..C1-1 (a region the beam reaches unattenuated)")
    String airRegion;

    @Option(names = "--cumulative", paramLabel = "auto|yes|no", defaultValue = "auto",
            description = "cumulative (integrated) frames: detect (auto, default), force differencing (yes) or not (no)")
    String cumulative;

    @Option(names = "--series", paramLabel = "UID", description = "the SeriesInstanceUID to use when the folder holds several series")
    String series;

    @Option(names = "--start-angle", paramLabel = "DEG",
            description = "gantry angle of the first acquired frame (with --direction): overrides the order from InstanceNumber/acquisition times")
    Double startAngle;

    @Option(names = "--direction", paramLabel = "increasing|decreasing", description = "gantry angle direction of the acquisition (with --start-angle)")
    String direction;

    @Option(names = "--force", description = "reconstruct even if the projections fail the quality gate (clamped pixels, negative line integrals, suspect frames),"
                    + " or lie outside a --model's envelope")
    boolean force;

    @Option(names = "--repair-bad-pixels", description = "detect and repair dead/hot pixels before the log")
    boolean repair;

    @Option(names = "--crop", paramLabel = "R0:R1,C0:C1", description = "keep rows R0..R1-1 and columns C0..C1-1")
    String crop;

    @Option(names = "--bin", paramLabel = "N", defaultValue = "1", description = "average N×N pixel blocks (default 1)")
    int bin;

    /** Whether any of these options differs from its default (they need a DICOM input). */
    boolean given() {
        return i0 != null || airRegion != null || !cumulative.equals("auto") || repair || crop != null || bin != 1 || series != null
                || startAngle != null || direction != null;
    }

    /** The {@link ClinicalScan} options; bad values are usage errors. @param volume grid, or null for the default */
    ClinicalScan.Options options(CommandLine cl, VolumeGrid volume) {
        if (i0 != null && airRegion != null) throw new CommandLine.ParameterException(cl, "give --i0 or --air-region, not both");
        if (bin < 1) throw new CommandLine.ParameterException(cl, "--bin must be ≥ 1, got " + bin);
        LineIntegrals.I0 source = null;
        if (i0 != null) {
            if (!(i0 > 0) || i0.isInfinite()) throw new CommandLine.ParameterException(cl, "--i0 must be a positive signal, got " + i0);
            source = LineIntegrals.givenI0(i0);
        } else if (airRegion != null) {
            int[] k = ranges(cl, airRegion, "--air-region");
            source = LineIntegrals.airRegion(k[0], k[1], k[2], k[3]);
        }
        CumulativeFrames.Mode mode = switch (cumulative) {
            case "auto" -> CumulativeFrames.Mode.AUTO;
            case "yes" -> CumulativeFrames.Mode.CUMULATIVE;
            case "no" -> CumulativeFrames.Mode.INDEPENDENT;
            default -> throw new CommandLine.ParameterException(cl, "--cumulative must be auto, yes or no, got " + cumulative);
        };
        if (startAngle != null && cumulative.equals("no")) {
            throw new CommandLine.ParameterException(cl, "--start-angle/--direction order cumulative frames; with --cumulative no they have no effect");
        }
        if ((startAngle == null) != (direction == null)) {
            throw new CommandLine.ParameterException(cl, "--start-angle and --direction go together: give both or neither");
        }
        Boolean increasing = direction == null ? null : switch (direction) {
            case "increasing" -> Boolean.TRUE;
            case "decreasing" -> Boolean.FALSE;
            default -> throw new CommandLine.ParameterException(cl, "--direction must be increasing or decreasing, got " + direction);
        };
        if (startAngle != null && !Double.isFinite(startAngle)) throw new CommandLine.ParameterException(cl, "--start-angle must be a finite angle in degrees");
        return new ClinicalScan.Options(mode, source, repair, crop == null ? null : ranges(cl, crop, "--crop"), bin, volume, series, startAngle,
                increasing, force);
    }

    /** {@link ClinicalScan#load} with these options; a missing I0 source names the options that give one. */
    ClinicalScan.Result load(CommandLine cl, Path dir, VolumeGrid volume) throws IOException {
        ClinicalScan.Options o = options(cl, volume);
        try {
            return ClinicalScan.load(dir, o);
        } catch (IllegalArgumentException e) {
            if (o.i0() == null && e.getMessage() != null && e.getMessage().contains("I0")) {
                throw new IllegalArgumentException(e.getMessage() + "; use --i0 VALUE or --air-region R0:R1,C0:C1", e);
            }
            throw e;
        }
    }

    private static int[] ranges(CommandLine cl, String text, String option) {
        String[] parts = text.split(",");
        try {
            if (parts.length == 2) {
                String[] r = parts[0].split(":"), c = parts[1].split(":");
                if (r.length == 2 && c.length == 2) {
                    return new int[] {Integer.parseInt(r[0].trim()), Integer.parseInt(r[1].trim()), Integer.parseInt(c[0].trim()), Integer.parseInt(c[1].trim())};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(cl, option + " must look like R0:R1,C0:C1 (e.g. 0:10,0:64), got " + text);
    }
}
