package org.pdrecon.benchmark;

import java.io.DataInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FDK;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.metrics.ImageMetrics;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.MetricValues;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Phantom;
import org.pdrecon.simulation.Rasteriser;
import org.pdrecon.simulation.SheppLogan3D;

/**
 * pdrecon's FDK next to plastimatch's {@code fdk} on the same projections: plastimatch's own DRRs
 * ({@code plastimatch drr}) of the rasterised 3D Shepp–Logan phantom, in the geometry of
 * {@link BaselineFigures#geometry}. Conventions, read from the projection matrices plastimatch writes
 * and checked with off-centre markers: gantry angle φ puts the source at {@code R(−φ)·(SOD, 0, 0)},
 * i.e. our θ = 90° − φ; DRR columns run along our u, rows along −z (so rows are flipped); the DRR is
 * the line integral with path lengths in cm (values are ×10 to make them dimensionless for μ in
 * 1/mm; the factor is checked against {@link AnalyticProjector}). plastimatch skips cosine weighting
 * and zero padding and writes HU-like values, so its volume is compared after a least-squares linear
 * fit to the phantom inside the mask; pdrecon's without any fit.
 */
public final class PlastimatchFdkComparison {
    private PlastimatchFdkComparison() {}

    /**
     * @param plastimatchInternalSeconds per run, the sum of the times plastimatch fdk reports for I/O,
     *     filtering and backprojection (without process start and output writing)
     */
    public record Result(List<BaselineFigures.Row> rows, double unitRatio, double fitSlope, double fitOffset,
                         double[] pdreconSeconds, double[] plastimatchSeconds, double[] plastimatchInternalSeconds) {}

    public static Result run(Path work, int n, int views, int repeats) throws IOException, InterruptedException {
        Files.createDirectories(work);
        ConeBeamGeometry g = geometry(n, views);
        int det = g.detectorCols();
        Phantom phantom = phantom();
        Volume truth = Rasteriser.rasterise(phantom, g.volume(), 3);
        Path phantomFile = work.resolve("phantom.mha"), drr = work.resolve("drr");
        MetaImage.writeVolume(phantomFile, truth);
        exec(drrCommand(g, phantomFile, drr));
        ProjectionStack p = readDrrs(drr, views, det);
        ProjectionStack analytic = AnalyticProjector.project(phantom, g, 2);
        double unitRatio = leastSquaresRatio(p.data(), analytic.data());
        for (int i = 0; i < p.data().length; i++) p.data()[i] *= 10f;

        Mask mask = BaselineFigures.mask(g);
        Path plmOut = work.resolve("plastimatch_fdk.mha");
        List<String> plmFdk = fdkCommand(n, drr, plmOut);
        double[] ours = new double[repeats], theirs = new double[repeats], internal = new double[repeats];
        Volume mine = null;
        for (int r = 0; r < repeats; r++) { // alternate, so both see the same load
            long t0 = System.nanoTime();
            mine = new FDK().reconstruct(p, g);
            ours[r] = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            String log = exec(plmFdk);
            theirs[r] = (System.nanoTime() - t0) / 1e9;
            internal[r] = reported(log, "I/O time (total)") + reported(log, "Filter time") + reported(log, "Backprojection time");
        }
        Volume plm = MetaImage.readVolume(plmOut);
        double[] fit = fit(plm, truth, mask);
        Volume fitted = applyFit(plm, fit, g.volume());
        MetricValues mm = ImageMetrics.compare(truth, mine, mask), pm = ImageMetrics.compare(truth, fitted, mask);
        List<BaselineFigures.Row> rows = List.of(
                new BaselineFigures.Row("pdrecon FDK ram-lak (no fit), in-process", mm, median(ours)),
                new BaselineFigures.Row("plastimatch fdk ramp (linear fit to the phantom), whole process", pm, median(theirs)));
        return new Result(rows, unitRatio, fit[0], fit[1], ours, theirs, internal);
    }

    /**
     * {@link BaselineFigures#geometry}'s scan of n³ voxels with plastimatch's view angles: gantry angle
     * 360°·i/views, our θ = 90° minus that.
     */
    static ConeBeamGeometry geometry(int n, int views) {
        double[] anglesDeg = new double[views];
        for (int i = 0; i < views; i++) anglesDeg[i] = 90 - 360.0 * i / views;
        ConeBeamGeometry ref = BaselineFigures.geometry(n, views, 360);
        double pitch = Math.sqrt(dot(ref.u(0), ref.u(0)));
        int det = ref.detectorCols();
        return ConeBeamGeometry.circular().setVolume(ref.volume()).setSodMm(1000).setSddMm(1500)
                .setDetector(det, det, pitch, pitch).setAnglesDeg(anglesDeg).build();
    }

    /** The 3D Shepp–Logan phantom both tools see, half-width 128 mm, μ_water 0.02/mm. */
    static Phantom phantom() {
        return SheppLogan3D.withHalfWidth(128, SheppLogan3D.DEFAULT_MU_WATER_PER_MM);
    }

    /** {@code plastimatch drr} of {@code volume} through {@link #geometry}'s scan, one PFM per view into {@code dir}. */
    static List<String> drrCommand(ConeBeamGeometry g, Path volume, Path dir) {
        int det = g.detectorCols();
        double width = det * Math.sqrt(dot(g.u(0), g.u(0)));
        return List.of("plastimatch", "drr", "-A", "cpu", "-P", "none", "-i", "exact", "-a", Integer.toString(g.views()),
                "--sad", "1000", "--sid", "1500", "-r", det + " " + det, "-z", fmt(width) + " " + fmt(width),
                "-t", "pfm", "-O", dir.resolve("out").toString(), volume.toString());
    }

    /** {@code plastimatch fdk} (CPU, ramp filter) of the DRRs in {@code drr} onto {@link #geometry}'s 256 mm cube. */
    static List<String> fdkCommand(int n, Path drr, Path out) {
        return List.of("plastimatch", "fdk", "-A", "cpu", "-f", "ramp", "-r", n + " " + n + " " + n,
                "-z", "256 256 256", "-I", drr.toString(), "-O", out.toString());
    }

    /** Reads {@code out0000.pfm …} (little-endian float PFM, first stored row = DRR row 0) flipping rows to our v = +z. */
    static ProjectionStack readDrrs(Path dir, int views, int det) throws IOException {
        ProjectionStack p = ProjectionStack.zeros(views, det, det);
        for (int v = 0; v < views; v++) {
            Path f = dir.resolve(String.format(Locale.ROOT, "out%04d.pfm", v));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
                String type = line(in), dims = line(in), scale = line(in);
                String[] wh = dims.trim().split("\\s+");
                if (!type.equals("Pf") || Integer.parseInt(wh[0]) != det || Integer.parseInt(wh[1]) != det || Double.parseDouble(scale) >= 0) {
                    throw new IOException(f + ": expected a little-endian grey PFM of " + det + "×" + det);
                }
                byte[] b = new DataInputStream(in).readNBytes(4 * det * det);
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                for (int r = 0; r < det; r++) for (int c = 0; c < det; c++) p.set(v, det - 1 - r, c, bb.getFloat());
            }
        }
        return p;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int ch; (ch = in.read()) != -1 && ch != '\n'; ) sb.append((char) ch);
        return sb.toString();
    }

    private static double leastSquaresRatio(float[] a, float[] b) {
        double ab = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            bb += (double) b[i] * b[i];
        }
        return ab / bb;
    }

    /** {@code slope·x + offset} voxel by voxel on {@code grid}, for {@code fit = {slope, offset}} from {@link #fit}. */
    static Volume applyFit(Volume x, double[] fit, VolumeGrid grid) {
        Volume fitted = Volume.zeros(grid);
        for (int i = 0; i < fitted.data().length; i++) fitted.data()[i] = (float) (fit[0] * x.data()[i] + fit[1]);
        return fitted;
    }

    /** Least-squares {@code slope, offset} of {@code truth ≈ slope·x + offset} over the mask. */
    static double[] fit(Volume x, Volume truth, Mask mask) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        long n = 0;
        float[] xd = x.data(), yd = truth.data();
        for (int i = 0; i < xd.length; i++) {
            if (!mask.contains(i)) continue;
            sx += xd[i];
            sy += yd[i];
            sxx += (double) xd[i] * xd[i];
            sxy += (double) xd[i] * yd[i];
            n++;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {slope, (sy - slope * sx) / n};
    }

    /** Runs a command, returns its combined output; fails on a non-zero exit. */
    static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!pr.waitFor(30, TimeUnit.MINUTES) || pr.exitValue() != 0) {
            throw new IOException("command failed (exit " + (pr.isAlive() ? "timeout" : pr.exitValue()) + "): " + String.join(" ", cmd));
        }
        return out;
    }

    /** The number after {@code "<key> = "} in plastimatch's log. */
    private static double reported(String log, String key) throws IOException {
        for (String l : log.split("\n")) {
            if (l.startsWith(key + " =")) return Double.parseDouble(l.substring(l.indexOf('=') + 1).trim());
        }
        throw new IOException("plastimatch fdk did not report '" + key + "'");
    }

    public static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.6g", v); }
    private static double dot(double[] a, double[] b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
}
