package org.pdrecon.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.pdrecon.benchmark.BaselineFigures;
import org.pdrecon.fdk.FilterWindow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon baseline-figures}: measures the FDK / iterative figures of docs/fdk.md and docs/iterative.md. */
@Command(name = "baseline-figures", mixinStandardHelpOptions = true,
        description = "Measure FDK and iterative baselines on analytic phantoms and print Markdown tables.",
        subcommands = {BaselineFiguresCommand.SheppLogan.class, BaselineFiguresCommand.Ellipsoids.class,
                BaselineFiguresCommand.Plastimatch.class})
public final class BaselineFiguresCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static void print(PrintWriter out, String title, List<BaselineFigures.Row> rows) {
        out.println(title);
        out.println();
        out.println(BaselineFigures.HEADER);
        for (BaselineFigures.Row r : rows) out.println(r.markdown());
        if (!rows.isEmpty()) out.println("\nmask: " + rows.get(0).metrics().maskDescription() + ", range "
                + String.format("%.4g", rows.get(0).metrics().dataRange()) + " /mm");
        out.flush();
    }

    @Command(name = "shepp-logan", mixinStandardHelpOptions = true,
            description = "FDK of the 3D Shepp-Logan phantom from analytic noise-free views, full and short scan.")
    static final class SheppLogan implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--size", defaultValue = "128", description = "Grid n (n³ voxels over 256 mm).") int size;
        @Option(names = "--views", defaultValue = "360", description = "Views over 360°.") int views;
        @Option(names = "--short-arc", defaultValue = "200", description = "Short-scan arc in degrees (0: none).") double shortArc;
        @Option(names = "--filters", defaultValue = "ram-lak,hann", split = ",", description = "Filters of the full scan.") List<String> filters;
        @Option(names = "--cutoff", defaultValue = "1.0", description = "Cut-off, fraction of Nyquist.") double cutoff;

        @Override
        public Integer call() {
            List<FilterWindow> w = filters.stream().map(FilterWindow::parse).toList();
            print(spec.commandLine().getOut(), String.format("Shepp-Logan %d³, %d views", size, views),
                    BaselineFigures.sheppLogan(size, views, shortArc, w, cutoff));
            return 0;
        }
    }

    @Command(name = "ellipsoids", mixinStandardHelpOptions = true,
            description = "FDK, SIRT, CGLS and TV on random-ellipsoid phantoms with Poisson noise.")
    static final class Ellipsoids implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--size", defaultValue = "64") int size;
        @Option(names = "--views", defaultValue = "60") int views;
        @Option(names = "--i0", defaultValue = "1e4", description = "Photons per pixel.") double i0;
        @Option(names = "--seed", defaultValue = "1", description = "First phantom seed.") long seed;
        @Option(names = "--phantoms", defaultValue = "3") int phantoms;
        @Option(names = "--sirt-iterations", defaultValue = "100") int sirt;
        @Option(names = "--cgls-iterations", defaultValue = "10") int cgls;
        @Option(names = "--tv-iterations", defaultValue = "200") int tv;
        @Option(names = "--tv-lambda", defaultValue = "3.0") double lambda;
        @Option(names = "--methods", split = ",", defaultValue = "fdk,sirt,cgls,tv", description = "Subset of fdk,sirt,cgls,tv.")
        java.util.Set<String> methods;

        @Override
        public Integer call() {
            print(spec.commandLine().getOut(), String.format("Random ellipsoids %d³, %d views, I0 %.3g", size, views, i0),
                    BaselineFigures.ellipsoids(size, views, i0, seed, phantoms,
                            new BaselineFigures.IterativeSettings(sirt, cgls, tv, lambda, methods)));
            return 0;
        }
    }

    @Command(name = "plastimatch", mixinStandardHelpOptions = true,
            description = "pdrecon FDK next to plastimatch fdk on plastimatch's DRRs of the Shepp-Logan phantom (needs plastimatch on PATH).")
    static final class Plastimatch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--size", defaultValue = "128") int size;
        @Option(names = "--views", defaultValue = "180") int views;
        @Option(names = "--repeats", defaultValue = "5", description = "Alternating timed runs of each.") int repeats;
        @Option(names = "--work", required = true, description = "Directory for the phantom, DRRs and plastimatch output.") java.nio.file.Path work;

        @Override
        public Integer call() throws Exception {
            var r = org.pdrecon.benchmark.PlastimatchFdkComparison.run(work, size, views, repeats);
            PrintWriter out = spec.commandLine().getOut();
            print(out, String.format("Shepp-Logan %d³, %d plastimatch DRRs (seconds: median of %d alternating runs)", size, views, repeats), r.rows());
            out.printf("DRR / analytic line integrals (least squares): %.5f; plastimatch fit: μ = %.4g·x + %.4g%n", r.unitRatio(), r.fitSlope(), r.fitOffset());
            out.printf("pdrecon seconds %s%nplastimatch seconds (whole process) %s%nplastimatch seconds (its reported I/O + filter + backprojection) %s, median %.2f%n",
                    java.util.Arrays.toString(r.pdreconSeconds()), java.util.Arrays.toString(r.plastimatchSeconds()),
                    java.util.Arrays.toString(r.plastimatchInternalSeconds()),
                    org.pdrecon.benchmark.PlastimatchFdkComparison.median(r.plastimatchInternalSeconds()));
            out.flush();
            return 0;
        }
    }
}
