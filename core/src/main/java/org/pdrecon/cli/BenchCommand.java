package org.pdrecon.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.pdrecon.benchmark.HoughComparison;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.operators.KernelPool;
import org.pdrecon.operators.OperatorBenchmark;
import org.pdrecon.operators.OperatorBenchmark.Op;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdrecon bench}: micro-benchmarks of the toolkit's engines. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Operators.class, BenchCommand.Commands.class, BenchCommand.Fuzz.class, BenchCommand.Hough.class,
                BenchCommand.Tv.class})
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The peer setup's size: N³ voxels over a 256 mm cube, V views over 360°. */
    static final class PeerScan {
        @Option(names = "--size", description = "volume size N (N³ voxels over 256 mm; default ${DEFAULT-VALUE})")
        int size = 128;

        @Option(names = "--views", description = "views over 360° (default ${DEFAULT-VALUE})")
        int views = 180;
    }

    /** {@code pdrecon bench operators}: median times of A, Aᵀ and FDK backprojection. */
    @Command(name = "operators", mixinStandardHelpOptions = true,
            description = {"Time the CPU projector A, its transpose Aᵀ and the FDK backprojection on a circular scan",
                    "(default: the peer setup, SOD 1000 mm, SDD 1500 mm, 256 mm cube, 180 views over 360°,",
                    "192×192 detector of 3 mm pixels). Prints the median of the timed repeats after warm-up."})
    public static final class Operators implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        PeerScan scan;

        @Option(names = "--det", arity = "2", paramLabel = "N",
                description = "detector rows and columns (default 192 192)")
        int[] det = {192, 192};

        @Option(names = "--pixel", description = "detector pixel size in mm (default ${DEFAULT-VALUE})")
        double pixelMm = 3.0;

        @Option(names = "--repeats", description = "timed repeats per operator (default ${DEFAULT-VALUE})")
        int repeats = 5;

        @Option(names = "--warmup", description = "untimed warm-up runs per operator (default ${DEFAULT-VALUE})")
        int warmup = 2;

        @Option(names = "--only", split = ",", description = "operators to time, from A, AT, FDK (default all)")
        List<Op> only = new ArrayList<>(List.of(Op.A, Op.AT, Op.FDK));

        @Override
        public Integer call() {
            int size = scan.size, views = scan.views;
            if (size < 1 || views < 1 || det[0] < 1 || det[1] < 1 || repeats < 1 || !(pixelMm > 0)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--size, --views, --det, --pixel and --repeats must be positive");
            }
            if (warmup < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must not be negative");
            ConeBeamGeometry g = OperatorBenchmark.peerGeometry(size, views, det[0], det[1], pixelMm);
            OperatorBenchmark.Result r = OperatorBenchmark.run(g, warmup, repeats, only.toArray(new Op[0]));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("geometry  %s%n", g);
            out.printf("threads   %d, warm-up %d, repeats %d (median wall time; cpu = median process CPU time)%n",
                    r.threads(), warmup, repeats);
            if (!Double.isNaN(r.secondsA())) {
                out.printf("A         %8.3f s   %6.3f G ray-samples/s (rays × N)   cpu %.3f s%n", r.secondsA(), r.gsamples(r.secondsA()), r.cpuA());
            }
            if (!Double.isNaN(r.secondsAT())) {
                out.printf("AT        %8.3f s   %6.3f GVUPS (N³·views)   cpu %.3f s%n", r.secondsAT(), r.gvups(r.secondsAT()), r.cpuAT());
            }
            if (!Double.isNaN(r.secondsFdk())) {
                out.printf("FDK BP    %8.3f s   %6.3f GVUPS (N³·views)   cpu %.3f s%n", r.secondsFdk(), r.gvups(r.secondsFdk()), r.cpuFdk());
            }
            out.flush();
            return 0;
        }
    }

    /** {@code pdrecon bench fuzz}: the long hostile-input run over DICOM, MHA and geometry.json. */
    @Command(name = "fuzz", mixinStandardHelpOptions = true,
            description = {"Mutate real inputs (DICOM, MetaImage, geometry.json) and read each through the commands' own readers:",
                    "every outcome must be accepted or the format's own clear error. Exit 1 if anything else happened."})
    public static final class Fuzz implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--mutations", description = "mutations per format (default ${DEFAULT-VALUE})")
        int mutations = 10000;

        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = 20261204L;

        @Option(names = "--dicom", paramLabel = "DIR", description = "DICOM files to mutate besides those written here (default ${DEFAULT-VALUE})")
        java.nio.file.Path dicom = java.nio.file.Path.of("datasets/sample-epid-arc");

        @Override
        public Integer call() throws Exception {
            if (mutations < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--mutations must be positive");
            if (!java.nio.file.Files.isDirectory(dicom)) throw new CommandLine.ParameterException(spec.commandLine(), "--dicom: no such folder: " + dicom);
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("pdrecon-fuzz");
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            java.util.Map<org.pdrecon.benchmark.InputFuzz.Format, org.pdrecon.benchmark.InputFuzz.Counts> results;
            try {
                results = org.pdrecon.benchmark.InputFuzz.run(mutations, seed, dicom, work);
            } finally {
                org.pdrecon.util.FileTrees.delete(work);
            }
            int defects = 0;
            out.printf("%-14s %9s %9s %9s%n", "format", "accepted", "rejected", "defects");
            for (var c : results.values()) {
                out.printf("%-14s %9d %9d %9d%n", c.format(), c.accepted(), c.rejected(), c.defects());
                defects += c.defects();
                for (String e : c.examples()) out.println("  defect: " + e);
            }
            out.printf(java.util.Locale.ROOT, "%d mutations per format, seed %d, %.1f s%n", mutations, seed, (System.nanoTime() - t0) * 1e-9);
            out.flush();
            return defects == 0 ? 0 : 1;
        }
    }

    /** {@code pdrecon bench hough}: the fast Hough projector pair against Joseph's, accuracy and speed. */
    @Command(name = "hough", mixinStandardHelpOptions = true,
            description = {"Compare the 2D fast Hough-transform projector pair with the Joseph pair on parallel-beam scans of a",
                    "Shepp-Logan slice (n x n pixels of 1 mm, n views over 180 degrees): errors against the analytic line",
                    "integrals, Hough against Joseph for A and its transpose, median wall times, and optionally SIRT."})
    public static final class Hough implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--sizes", split = ",", description = "image sizes n (default ${DEFAULT-VALUE})")
        int[] sizes = {128, 256, 512, 1024};

        @Option(names = "--repeats", description = "timed repeats per operator after one warm-up (default ${DEFAULT-VALUE})")
        int repeats = 5;

        @Option(names = "--sirt", description = "SIRT iterations through each pair, 0 to skip (default ${DEFAULT-VALUE})")
        int sirt = 0;

        @Override
        public Integer call() {
            if (repeats < 1 || sirt < 0 || Arrays.stream(sizes).anyMatch(n -> n < 2)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sizes must be at least 2, --repeats positive, --sirt not negative");
            }
            PrintWriter out = spec.commandLine().getOut();
            List<HoughComparison.Row> rows = new ArrayList<>();
            for (int n : sizes) {
                rows.add(HoughComparison.run(n, n, repeats, sirt, KernelPool.shared()));
                out.printf("n = %d done%n", n);
                out.flush();
            }
            out.printf("threads %d; times are medians of %d repeats%n", KernelPool.shared().threads(), repeats);
            out.print(HoughComparison.table(rows));
            out.flush();
            return 0;
        }
    }

    /** {@code pdrecon bench tv}: iterations and time the preconditioned TV solver needs to reach plain Chambolle–Pock's result. */
    @Command(name = "tv", mixinStandardHelpOptions = true,
            description = {"On the demo's scan, run plain Chambolle-Pock TV for N iterations and the diagonally preconditioned",
                    "variant (tv-pc) until its objective 1/2|Ax-b|^2 + lambda TV(x) is as low; print iterations, PSNR and",
                    "median wall times of both."})
    public static final class Tv implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--lambdas", split = ",", description = "TV weights (default ${DEFAULT-VALUE})")
        double[] lambdas = {0.1, 0.3, 1, 3};

        @Option(names = "--iterations", description = "plain solver's iterations (default ${DEFAULT-VALUE})")
        int iterations = 200;

        @Option(names = "--max-iterations", description = "preconditioned solver's limit (default ${DEFAULT-VALUE})")
        int maxIterations = 400;

        @Option(names = "--balance", description = "tv-pc's gradient/projector balance (default ${DEFAULT-VALUE})")
        double balance = org.pdrecon.iterative.PreconditionedTv.DEFAULT_BALANCE;

        @Option(names = "--size", description = "volume size (default ${DEFAULT-VALUE})")
        int size = 64;

        @Option(names = "--views", description = "views over 360 degrees (default ${DEFAULT-VALUE})")
        int views = 60;

        @Option(names = "--seed", description = "phantom and noise seed (default ${DEFAULT-VALUE}, the demo's)")
        long seed = 1000;

        @Option(names = "--repeats", description = "timed runs per solver (default ${DEFAULT-VALUE})")
        int repeats = 3;

        @Override
        public Integer call() {
            if (iterations < 1 || maxIterations < 1 || repeats < 1 || size < 2 || views < 1 || !(balance > 0)
                    || Arrays.stream(lambdas).anyMatch(l -> !(l >= 0))) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--iterations, --max-iterations, --repeats, --views, --balance must be positive, --size at least 2, --lambdas ≥ 0");
            }
            ConeBeamGeometry g = org.pdrecon.benchmark.BaselineFigures.geometry(size, views, 360);
            var scan = org.pdrecon.benchmark.TvConvergence.demoScan(size, views, 1e4, seed);
            PrintWriter out = spec.commandLine().getOut();
            var rows = org.pdrecon.benchmark.TvConvergence.sweep(scan, g, lambdas, iterations, maxIterations, balance, repeats);
            out.printf("scan: %d³, %d views, Poisson I0 1e4, seed %d; threads %d; balance %.3g%n", size, views, seed,
                    KernelPool.shared().threads(), balance);
            out.print(org.pdrecon.benchmark.TvConvergence.table(rows));
            out.flush();
            return 0;
        }
    }

    /** {@code pdrecon bench commands}: whole {@code project} and {@code fdk} processes, optionally paired with plastimatch's. */
    @Command(name = "commands", mixinStandardHelpOptions = true,
            description = {"Time whole pdrecon commands as processes, as a user runs them: project",
                    "(the rasterised 3D Shepp-Logan phantom through the scan) and fdk (of those",
                    "projections). With --versus plastimatch every run is paired with plastimatch",
                    "drr / fdk on the same phantom and scan: SOD 1000 mm, SDD 1500 mm, a 576 mm",
                    "detector of 1.5*N pixels, a 256 mm cube of N^3 voxels. Prints the medians of",
                    "wall time and peak resident memory, the median per-pair wall ratio and checks",
                    "of the outputs; with --work also writes them to WORK/commands.md."})
    public static final class Commands implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        PeerScan scan;

        @Option(names = "--pairs", description = "timed pairs (default ${DEFAULT-VALUE})")
        int pairs = 3;

        @Option(names = "--versus", paramLabel = "plastimatch", description = "pair every run with this tool's command")
        org.pdrecon.benchmark.WholeCommandBench.Peer versus;

        @Option(names = "--work", paramLabel = "DIR", description = "keep the phantom, scan, outputs and logs here "
                + "(default: a temporary folder, deleted afterwards)")
        java.nio.file.Path work;

        @Override
        public Integer call() throws Exception {
            int size = scan.size, views = scan.views;
            if (size < 2 || views < 2 || pairs < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--size and --views must be at least 2, --pairs at least 1");
            }
            PrintWriter out = spec.commandLine().getOut();
            boolean temporary = work == null;
            java.nio.file.Path dir = temporary ? java.nio.file.Files.createTempDirectory("pdrecon-bench-commands") : work;
            try {
                var result = org.pdrecon.benchmark.WholeCommandBench.run(dir, size, views, pairs, versus, Main.class, line -> {
                    out.println(line);
                    out.flush();
                });
                String table = result.markdown();
                if (!temporary) org.pdrecon.util.AtomicFiles.writeString(dir.resolve("commands.md"), table);
                out.print(table);
                out.flush();
                return 0;
            } catch (IllegalArgumentException e) { // a peer that is not installed (the sizes are checked above)
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } finally {
                if (temporary) org.pdrecon.util.FileTrees.delete(dir);
            }
        }
    }
}
