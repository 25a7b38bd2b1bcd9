package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.GeometryDiagram;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.dicom.DicomElement;
import org.pdrecon.io.dicom.DicomException;
import org.pdrecon.io.dicom.DicomFile;
import org.pdrecon.io.dicom.DicomObject;
import org.pdrecon.io.dicom.DicomReader;
import org.pdrecon.io.dicom.ProjectionImport;
import org.pdrecon.io.dicom.Tags;
import org.pdrecon.preprocessing.CumulativeFrames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pdrecon dicom}: look at DICOM files the way pdrecon reads them. */
@Command(name = "dicom", mixinStandardHelpOptions = true,
        description = "Inspect DICOM files as pdrecon reads them.",
        subcommands = {DicomCommand.Dump.class, DicomCommand.Projections.class})
public final class DicomCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code pdrecon dicom dump FILE…}: every element with its keyword and value, sequences indented. */
    @Command(name = "dump", mixinStandardHelpOptions = true, description = "Print the elements of DICOM files.")
    static final class Dump implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "DICOM Part 10 files")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (Path f : files) {
                if (!java.nio.file.Files.isRegularFile(f)) throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + f);
            }
            for (Path f : files) {
                DicomFile file = DicomReader.read(f);
                out.printf("# %s: %s%s%n", f, file.transferSyntax().describe(),
                        file.transferSyntax().supported() ? "" : " (compressed: pixel data not decodable)");
                print(out, file.meta(), "");
                print(out, file.dataset(), "");
            }
            out.flush();
            return 0;
        }

        private static void print(PrintWriter out, DicomObject ds, String indent) throws DicomException {
            for (DicomElement e : ds.elements()) {
                String head = indent + Tags.describe(e.tag()) + " " + e.vr();
                if (e.isSequence()) {
                    out.println(head + ": " + e.items().size() + " item(s)");
                    for (int i = 0; i < e.items().size(); i++) {
                        out.println(indent + "  item " + (i + 1));
                        print(out, e.items().get(i), indent + "    ");
                    }
                } else if (e.isEncapsulated()) {
                    out.println(head + ": encapsulated, " + e.fragments().size() + " fragment(s)");
                } else {
                    out.println(head + " = " + value(ds, e));
                }
            }
        }

        private static String value(DicomObject ds, DicomElement e) throws DicomException {
            switch (e.vr()) {
                case US: case SS: case UL: case SL: case FL: case FD: {
                    double[] v = ds.getDoubles(e.tag());
                    String s = Arrays.toString(Arrays.copyOf(v, Math.min(v.length, 8))).replace(".0,", ",").replace(".0]", "]");
                    return v.length > 8 ? s + " … (" + v.length + " values)" : s;
                }
                default:
                    if (!e.vr().isText()) return e.value().length + " bytes";
                    String s = ds.getString(e.tag());
                    return s.length() > 80 ? "[" + s.substring(0, 80) + "…]" : "[" + s + "]";
            }
        }
    }

    /** {@code pdrecon dicom projections DIR}: what a projection folder imports as. */
    @Command(name = "projections", mixinStandardHelpOptions = true,
            description = "Summarise a folder of RT Image / X-ray projections as pdrecon imports it: views, arc, geometry, detector, problems.")
    static final class Projections implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "folder of projection files")
        Path dir;

        @CommandLine.Option(names = "--series", paramLabel = "UID", description = "the SeriesInstanceUID to summarise when the folder holds several")
        String series;

        @CommandLine.Option(names = "--diagram", paramLabel = "PNG",
                description = "also draw the understood geometry (top view: sources, detectors, isocentre) to this PNG")
        Path diagram;

        @Override
        public Integer call() throws Exception {
            if (!java.nio.file.Files.isDirectory(dir)) throw new CommandLine.ParameterException(spec.commandLine(), "no such folder: " + dir);
            // The summary does not depend on the reconstruction grid; a one-voxel grid at the isocentre suffices.
            ProjectionImport.Result r = ProjectionImport.importDirectory(dir, VolumeGrid.cube(1, 1.0), series);
            CircularOrbit o = r.geometry().orbit().orElseThrow();
            double[] a = r.anglesDeg();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("views          %d (%s … %s)%n", a.length, r.files().get(0).getFileName(), r.files().get(a.length - 1).getFileName());
            out.printf("angles         %.3f° to %.3f° (arc %.3f°, toolkit convention)%n", a[0], a[a.length - 1], a[a.length - 1] - a[0]);
            out.printf("SOD            %.3f mm (source to rotation axis)%n", o.sodMm());
            out.printf("SDD            %.3f mm (source to detector), magnification %.4f%n", o.sddMm(), o.sddMm() / o.sodMm());
            out.printf("detector       %d rows × %d columns, %.4f × %.4f mm, centre offset (u %.3f, v %.3f) mm%n",
                    r.projections().rows(), r.projections().cols(), len(r.geometry().v(0)), len(r.geometry().u(0)), o.offsetUMm(), o.offsetVMm());
            out.printf("pixel values   %s%n", r.pixelIntensityRelationship());
            CumulativeFrames.Result c = CumulativeFrames.apply(r.projections(), a, CumulativeFrames.Mode.AUTO, r.acquisitionOrder() == null ? null
                    : new CumulativeFrames.Order(r.acquisitionOrder(), r.acquisitionOrderSource()));
            out.printf("series         %s%n", r.seriesUid());
            out.printf("acquired       %s%n", r.acquisitionOrder() == null ? "order not stated (no InstanceNumber or acquisition times)"
                    : String.format(java.util.Locale.ROOT, "from %.3f° (order from %s)", a[r.acquisitionOrder()[0]], r.acquisitionOrderSource()));
            out.printf("frames         %s%n", c.reason());
            for (String p : c.problems()) out.println("note           after differencing, " + p);
            for (String note : r.notes()) out.println("note           " + note);
            for (String s : r.suspects()) out.println("suspect        " + s);
            if (diagram != null) {
                GeometryDiagram.writePng(r.geometry(), diagram, 600);
                out.println("diagram        " + diagram);
            }
            out.flush();
            return 0;
        }

        private static double len(double[] v) {
            return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        }
    }
}
