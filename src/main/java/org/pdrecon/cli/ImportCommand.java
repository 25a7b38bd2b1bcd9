package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pdrecon.geometry.GeometryDiagram;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.preprocessing.ClinicalScan;
import org.pdrecon.preprocessing.CumulativeFrames;
import org.pdrecon.preprocessing.LineIntegrals;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pdrecon import DIR -o OUT}: a folder of RT Image / X-ray projection files → {@code OUT/projections.mha}
 * (line integrals), {@code OUT/geometry.json} and {@code OUT/geometry.png}, with a summary of every decision.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a folder of DICOM projections (RT Image, X-ray) as line integrals + geometry.json for reconstruction.")
public final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "folder of projection files")
    Path dir;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "output folder")
    Path out;

    @Option(names = "--i0", paramLabel = "I0", description = "unattenuated detector signal (one value)")
    Double i0;

    @Option(names = "--air-region", paramLabel = "R0:R1,C0:C1",
            description = "I0 per view = mean signal of rows R0..R1-1, columns C0..C1-1 (a region the beam reaches unattenuated)")
    String airRegion;

    @Option(names = "--cumulative", paramLabel = "auto|yes|no", defaultValue = "auto",
            description = "cumulative (integrated) frames: detect (auto, default), force differencing (yes) or not (no)")
    String cumulative;

    @Option(names = "--repair-bad-pixels", description = "detect and repair dead/hot pixels before the log")
    boolean repair;

    @Option(names = "--crop", paramLabel = "R0:R1,C0:C1", description = "keep rows R0..R1-1 and columns C0..C1-1")
    String crop;

    @Option(names = "--bin", paramLabel = "N", defaultValue = "1", description = "average N×N pixel blocks (default 1)")
    int bin;

    @Override
    public Integer call() throws Exception {
        if (i0 != null && airRegion != null) throw new CommandLine.ParameterException(spec.commandLine(), "give --i0 or --air-region, not both");
        LineIntegrals.I0 source = i0 != null ? LineIntegrals.givenI0(i0) : airRegion != null ? air(ranges(airRegion, "--air-region")) : null;
        CumulativeFrames.Mode mode = switch (cumulative) {
            case "auto" -> CumulativeFrames.Mode.AUTO;
            case "yes" -> CumulativeFrames.Mode.CUMULATIVE;
            case "no" -> CumulativeFrames.Mode.INDEPENDENT;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--cumulative must be auto, yes or no, got " + cumulative);
        };
        ClinicalScan.Result r = ClinicalScan.load(dir, new ClinicalScan.Options(mode, source, repair,
                crop == null ? null : ranges(crop, "--crop"), bin, null));
        MetaImage.writeProjections(out.resolve("projections.mha"), r.lineIntegrals(), r.geometry());
        GeometryJson.write(out.resolve("geometry.json"), r.geometry());
        GeometryDiagram.writePng(r.geometry(), out.resolve("geometry.png"), 600);
        PrintWriter pw = spec.commandLine().getOut();
        for (String line : r.report()) pw.println(line);
        pw.printf("wrote %s, %s, %s%n", out.resolve("projections.mha"), out.resolve("geometry.json"), out.resolve("geometry.png"));
        pw.flush();
        return 0;
    }

    private static LineIntegrals.I0 air(int[] k) {
        return LineIntegrals.airRegion(k[0], k[1], k[2], k[3]);
    }

    private int[] ranges(String text, String option) {
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
        throw new CommandLine.ParameterException(spec.commandLine(), option + " must look like R0:R1,C0:C1 (e.g. 0:10,0:64), got " + text);
    }
}
