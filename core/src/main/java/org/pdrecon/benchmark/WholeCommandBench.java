package org.pdrecon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Mask;
import org.pdrecon.simulation.Rasteriser;
import org.pdrecon.util.FileTrees;
import org.pdrecon.util.JavaProcess;

/**
 * Times pdrecon's whole commands as a user runs them, each a fresh process: {@code pdrecon project} (the
 * rasterised 3D Shepp–Logan phantom through the scan) and {@code pdrecon fdk} (of those projections),
 * optionally paired with plastimatch's {@code drr} and {@code fdk} on the same phantom and scan
 * ({@link PlastimatchFdkComparison#geometry}: SOD 1000 mm, SDD 1500 mm, a 576 mm detector of 1.5·N
 * pixels, a 256 mm cube of N³ voxels).
 *
 * <p>Each tool reconstructs its own projector's output (pdrecon's {@code project} file, plastimatch's
 * DRRs), made once untimed before the timed runs, which also warms the file cache. Then every pair runs
 * pdrecon and the peer back to back, alternating which goes first, so both see the same machine state.
 * Reported per command: median wall time and median peak resident memory, the median over pairs of the
 * wall-time ratio pdrecon/peer, and checks that both computed the same thing (FDK PSNR against the
 * phantom; the two projectors' relative difference).
 */
public final class WholeCommandBench {
    private WholeCommandBench() {}

    /** A tool to pair pdrecon's commands with. */
    public enum Peer { plastimatch }

    /** The timed runs of one command, in pair order. */
    public record Runs(List<String> command, double[] wallSeconds, double[] peakMib) {
        public double medianWall() { return PlastimatchFdkComparison.median(wallSeconds); }
        public double medianPeak() { return PlastimatchFdkComparison.median(peakMib); }
    }

    /** One command, pdrecon's runs and the peer's (null without a peer), and what checks the outputs. */
    public record Case(String name, Runs pdrecon, Runs peer, String check) {
        /** Median over pairs of pdrecon's wall time over the peer's (below 1: pdrecon is faster). */
        public double wallRatio() {
            double[] r = new double[pdrecon.wallSeconds.length];
            for (int i = 0; i < r.length; i++) r[i] = pdrecon.wallSeconds[i] / peer.wallSeconds[i];
            return PlastimatchFdkComparison.median(r);
        }

        public double memoryRatio() { return pdrecon.medianPeak() / peer.medianPeak(); }
    }

    public record Result(int n, int views, int det, int pairs, Peer peer, List<Case> cases) {
        /** The results as a Markdown table, the commands and the checks. */
        public String markdown() {
            StringBuilder sb = new StringBuilder();
            String scan = String.format(Locale.ROOT, "%d³ voxels from %d views of %d²", n, views, det);
            sb.append(String.format(Locale.ROOT, "Whole commands, %s, %d pair(s) after an untimed run of each; medians of wall time and peak resident memory.%n%n", scan, pairs));
            if (peer == null) {
                sb.append("| command | wall | peak |\n|---|---|---|\n");
                for (Case c : cases) {
                    sb.append(String.format(Locale.ROOT, "| pdrecon %s | %.2f s | %s |%n", c.name, c.pdrecon.medianWall(), mib(c.pdrecon.medianPeak())));
                }
            } else {
                sb.append(String.format(Locale.ROOT, "| command | pdrecon: wall, peak | %1$s: wall, peak | wall ratio pdrecon / %1$s (median of pairs) | speed-up | memory ratio |%n", peer));
                sb.append("|---|---|---|---|---|---|\n");
                for (Case c : cases) {
                    double ratio = c.wallRatio();
                    sb.append(String.format(Locale.ROOT, "| %s | %.2f s, %s | %.2f s, %s | %.2f | %.2f× | %.2f |%n", c.name,
                            c.pdrecon.medianWall(), mib(c.pdrecon.medianPeak()), c.peer.medianWall(), mib(c.peer.medianPeak()),
                            ratio, 1 / ratio, c.memoryRatio()));
                }
            }
            sb.append("\nCommands (pdrecon as a child JVM with this one's options and class path, shortened to `-cp …`; "
                    + "the `pdrecon` launcher adds only its build check):\n\n```\n");
            for (Case c : cases) {
                sb.append(shown(c.pdrecon.command)).append('\n');
                if (c.peer != null) sb.append(shown(c.peer.command)).append('\n');
            }
            sb.append("```\n\nEvery run, wall seconds in pair order:\n");
            for (Case c : cases) {
                sb.append("- ").append(c.name).append(": pdrecon ").append(seconds(c.pdrecon.wallSeconds));
                if (c.peer != null) sb.append("; ").append(peer).append(' ').append(seconds(c.peer.wallSeconds));
                sb.append('\n');
            }
            sb.append("\nChecks:\n");
            for (Case c : cases) sb.append("- ").append(c.name).append(": ").append(c.check).append('\n');
            return sb.toString();
        }

        /** The command as typed: {@code java} for the JVM's path, the long class path elided. */
        private static String shown(List<String> command) {
            List<String> c = new ArrayList<>(command);
            if (c.get(0).endsWith("/java")) c.set(0, "java");
            int cp = c.indexOf("-cp");
            if (cp >= 0 && cp + 1 < c.size()) c.set(cp + 1, "…");
            return String.join(" ", c);
        }

        private static String seconds(double[] s) {
            StringBuilder b = new StringBuilder();
            for (double v : s) b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
            return b.toString();
        }

        private static String mib(double v) {
            return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", v);
        }
    }

    /**
     * @param work folder for the phantom, the scan and every output (created; existing run outputs are replaced)
     * @param n volume size N
     * @param views views over 360°
     * @param pairs timed pairs (or timed runs, without a peer)
     * @param peer tool to pair with, or null for pdrecon alone
     * @param cliMain pdrecon's command-line main class, run in each child JVM
     * @param log progress lines
     * @throws IOException when a command fails (its log's last lines are in the message)
     * @throws IllegalArgumentException for sizes below 2 or fewer than one pair, or a peer that is not installed
     */
    public static Result run(Path work, int n, int views, int pairs, Peer peer, Class<?> cliMain, Consumer<String> log)
            throws IOException, InterruptedException {
        if (n < 2 || views < 2 || pairs < 1) throw new IllegalArgumentException("size and views must be at least 2 and pairs at least 1");
        if (peer == Peer.plastimatch) requirePlastimatch();
        Files.createDirectories(work);
        ConeBeamGeometry g = PlastimatchFdkComparison.geometry(n, views);
        int det = g.detectorCols();
        log.accept("rasterising the phantom (" + n + "³)");
        Volume truth = Rasteriser.rasterise(PlastimatchFdkComparison.phantom(), g.volume(), 3);
        Path phantom = work.resolve("phantom.mha"), geometry = work.resolve("geometry.json");
        MetaImage.writeVolume(phantom, truth);
        GeometryJson.write(geometry, g);

        Path projections = work.resolve("projections.mha"), projectRun = work.resolve("project-run.mha");
        Path fdkOut = work.resolve("pdrecon-fdk.mha");
        List<String> project = pdrecon(cliMain, "project", "--volume", phantom, "--geometry", geometry, "--out", projectRun, "--quiet");
        List<String> fdk = pdrecon(cliMain, "fdk", "--projections", projections, "--geometry", geometry, "--out", fdkOut, "--quiet");
        Path drr = work.resolve("drr"), drrRun = work.resolve("drr-run"), peerFdkOut = work.resolve("plastimatch-fdk.mha");
        List<String> peerProject = PlastimatchFdkComparison.drrCommand(g, phantom, drrRun);
        List<String> peerFdk = PlastimatchFdkComparison.fdkCommand(n, drr, peerFdkOut);

        log.accept("untimed runs: the inputs of fdk");
        TimedProcess.run(pdrecon(cliMain, "project", "--volume", phantom, "--geometry", geometry, "--out", projections, "--quiet"),
                work.resolve("logs/project-input.log"));
        if (peer != null) {
            FileTrees.delete(drr);
            TimedProcess.run(PlastimatchFdkComparison.drrCommand(g, phantom, drr), work.resolve("logs/drr-input.log"));
        }

        Pairs projectPairs = new Pairs(pairs), fdkPairs = new Pairs(pairs);
        for (int p = 0; p < pairs; p++) {
            log.accept("pair " + (p + 1) + " of " + pairs);
            boolean pdreconFirst = p % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                if ((turn == 0) == pdreconFirst) {
                    projectPairs.ours(p, TimedProcess.run(project, work.resolve("logs/project-" + p + ".log")));
                    fdkPairs.ours(p, TimedProcess.run(fdk, work.resolve("logs/fdk-" + p + ".log")));
                } else if (peer != null) {
                    FileTrees.delete(drrRun);
                    projectPairs.theirs(p, TimedProcess.run(peerProject, work.resolve("logs/drr-" + p + ".log")));
                    fdkPairs.theirs(p, TimedProcess.run(peerFdk, work.resolve("logs/plastimatch-fdk-" + p + ".log")));
                }
            }
        }

        Mask mask = BaselineFigures.mask(g);
        double ours = ImageMetrics.compare(truth, MetaImage.readVolume(fdkOut), mask).psnrDb();
        String fdkCheck = String.format(Locale.ROOT, "pdrecon's volume %.2f dB PSNR against the phantom (no fit)", ours);
        String projectCheck;
        ProjectionStack mine = MetaImage.readProjections(projectRun);
        if (peer != null) {
            Volume theirs = MetaImage.readVolume(peerFdkOut);
            double[] fit = PlastimatchFdkComparison.fit(theirs, truth, mask);
            Volume fitted = PlastimatchFdkComparison.applyFit(theirs, fit, g.volume());
            fdkCheck += String.format(Locale.ROOT, ", plastimatch's %.2f dB (after a linear fit to the phantom; it writes HU-like values)",
                    ImageMetrics.compare(truth, fitted, mask).psnrDb());
            float[] drrs = PlastimatchFdkComparison.readDrrs(drrRun, views, det).data();
            for (int i = 0; i < drrs.length; i++) drrs[i] *= 10f; // path lengths in cm
            projectCheck = String.format(Locale.ROOT, "pdrecon's projections and plastimatch's DRRs (path lengths in cm, ×10) "
                    + "differ by %.2f %% (relative L2)", 100 * HoughComparison.relative(mine.data(), drrs));
        } else {
            projectCheck = String.format(Locale.ROOT, "%d views of %d² written, largest line integral %.3f", views, det, max(mine.data()));
        }
        List<Case> cases = List.of(
                new Case(String.format(Locale.ROOT, "`project` %d³ → %d views of %d²", n, views, det), projectPairs.ours(project),
                        peer == null ? null : projectPairs.theirs(peerProject), projectCheck),
                new Case(String.format(Locale.ROOT, "`fdk` %d³ from %d views of %d²", n, views, det), fdkPairs.ours(fdk),
                        peer == null ? null : fdkPairs.theirs(peerFdk), fdkCheck));
        return new Result(n, views, det, pairs, peer, cases);
    }

    /** Timed runs by pair, ours and the peer's. */
    private static final class Pairs {
        final double[] ourWall, ourPeak, theirWall, theirPeak;

        Pairs(int n) {
            ourWall = new double[n];
            ourPeak = new double[n];
            theirWall = new double[n];
            theirPeak = new double[n];
        }

        void ours(int p, TimedProcess.Run r) {
            ourWall[p] = r.wallSeconds();
            ourPeak[p] = r.peakMib();
        }

        void theirs(int p, TimedProcess.Run r) {
            theirWall[p] = r.wallSeconds();
            theirPeak[p] = r.peakMib();
        }

        Runs ours(List<String> command) { return new Runs(command, ourWall, ourPeak); }

        Runs theirs(List<String> command) { return new Runs(command, theirWall, theirPeak); }
    }

    private static List<String> pdrecon(Class<?> cliMain, Object... args) {
        List<String> a = new ArrayList<>();
        for (Object o : args) a.add(o.toString());
        return JavaProcess.command(List.of(), cliMain, a);
    }

    /** @throws IllegalArgumentException when plastimatch does not run from PATH */
    private static void requirePlastimatch() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("plastimatch", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) return;
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalArgumentException("--versus plastimatch: the plastimatch command was not found on PATH "
                + "(Debian/Ubuntu: apt-get install plastimatch)");
    }

    private static float max(float[] a) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : a) m = Math.max(m, v);
        return m;
    }
}
