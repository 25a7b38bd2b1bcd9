package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.util.OutputSet;
import java.util.concurrent.Callable;
import org.pdrecon.geometry.GeometryDiagram;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.preprocessing.ClinicalScan;
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

    @CommandLine.Mixin
    ClinicalImportOptions clinical;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) throw new CommandLine.ParameterException(spec.commandLine(), "no such folder: " + dir);
        PrintWriter pw = spec.commandLine().getOut();
        Path mha = out.resolve("projections.mha"), json = out.resolve("geometry.json"), png = out.resolve("geometry.png");
        OutputSet outputs = new OutputSet().file(mha).file(json).file(png);
        for (String line : outputs.check()) pw.println(line);
        ClinicalScan.Result r = clinical.load(spec.commandLine(), dir, null);
        for (String line : r.report()) pw.println(line);
        try (outputs) {
            MetaImage.writeProjections(outputs.staging(mha), r.lineIntegrals(), r.geometry());
            GeometryJson.write(outputs.staging(json), r.geometry());
            GeometryDiagram.writePng(r.geometry(), outputs.staging(png), 600);
            outputs.commit();
        }
        pw.printf("wrote %s, %s, %s%n", out.resolve("projections.mha"), out.resolve("geometry.json"), out.resolve("geometry.png"));
        pw.flush();
        return 0;
    }
}
