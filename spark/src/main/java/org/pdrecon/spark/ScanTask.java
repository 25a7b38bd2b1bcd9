package org.pdrecon.spark;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.metrics.FieldOfView;
import org.pdrecon.metrics.MetricValues;
import org.pdrecon.metrics.VolumeComparison;
import org.pdrecon.data.Volume;
import org.pdrecon.util.AtomicFiles;
import org.pdrecon.util.JavaProcess;

/**
 * One scan of a batch, as one Spark task would run it. The scan is reconstructed by {@code pdrecon reconstruct}
 * itself, the same command a user runs, in a JVM of its own ({@link ScanProcess}, which ends with its parent): a crash or an out-of-memory in native code is this
 * scan's error row and never the executor's, the scan's peak memory is its own, and its threads are bounded.
 *
 * <p>Outputs go to {@code OUT/scans/ID/}: {@code volume.mha} (and {@code dicom/}), {@code geometry.json},
 * {@code reconstruct.log}, then {@code result.json}, written last and atomically. A scan counts as done when its
 * {@code result.json} carries the fingerprint of the same manifest row and input files and its outputs are in place;
 * a rerun keeps such a scan as it is, and redoes anything else from a clean folder. Errors are kept too (a rerun
 * redoes them when the row or its files change, or with {@code retryErrors}).
 */
public final class ScanTask {
    static final String RESULT = "result.json", VOLUME = "volume.mha", GEOMETRY = "geometry.json", LOG = "reconstruct.log", DICOM = "dicom";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting().create();

    private ScanTask() {}

    /** The scan's output folder. */
    static Path folder(BatchSettings settings, String scanId) {
        return Path.of(settings.out(), "scans", scanId);
    }

    /**
     * Runs (or keeps) one scan; never throws: whatever goes wrong is the row's error. An error the command reported
     * itself (a bad file, a refused scan) is kept in {@code result.json}; one it could not report (the process
     * killed by a signal, by the kernel for memory, or by its watchdog, or an error here) is not, so a rerun
     * tries that scan again.
     */
    public static ScanResult run(ScanSpec spec, BatchSettings settings) {
        String fingerprint = "";
        try {
            fingerprint = fingerprint(spec, settings);
            Path dir = folder(settings, spec.scanId());
            ScanResult before = previous(dir, fingerprint, settings);
            if (before != null) return before.asReused();
            Folders.deleteTree(dir); // whatever an earlier, unfinished run left
            Files.createDirectories(dir);
            Outcome o = reconstruct(spec, settings, dir, fingerprint);
            if (o.settled()) AtomicFiles.writeString(dir.resolve(RESULT), GSON.toJson(o.row()));
            return o.row();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScanResult.failure(spec, fingerprint, "interrupted", Double.NaN, Double.NaN);
        } catch (Throwable e) { // an out-of-memory error while scoring too: a row, never a failed task
            return ScanResult.failure(spec, fingerprint, String.valueOf(e), Double.NaN, Double.NaN);
        }
    }

    /** A scan's row, and whether it is final ({@code result.json} is written) or to be tried again by a rerun. */
    private record Outcome(ScanResult row, boolean settled) {}

    private static Outcome reconstruct(ScanSpec spec, BatchSettings settings, Path dir, String fingerprint) throws IOException, InterruptedException {
        String missing = missingInput(spec);
        if (missing != null) return new Outcome(ScanResult.failure(spec, fingerprint, missing, 0, Double.NaN), true);
        List<String> args = new ArrayList<>(List.of("reconstruct"));
        if (spec.dicom() != null) {
            args.addAll(List.of("--dicom", spec.dicom()));
        } else {
            args.addAll(List.of("--projections", spec.projections(), "--geometry", spec.geometry()));
        }
        args.addAll(List.of("--method", spec.method()));
        args.addAll(spec.options());
        args.addAll(List.of("--out", dir.resolve(VOLUME).toString(), "--geometry-out", dir.resolve(GEOMETRY).toString(), "--quiet"));
        if (settings.dicomOut()) args.addAll(List.of("--dicom-out", dir.resolve(DICOM).toString()));
        String threads = Integer.toString(settings.threadsPerScan());
        args.add(0, Long.toString(ProcessHandle.current().pid()));
        List<String> command = JavaProcess.command(List.of("-Dpdrecon.threads=" + threads, "-Dpdrecon.torch.threads=" + threads,
                "-XX:ActiveProcessorCount=" + threads), ScanProcess.class, args);
        ChildProcess.Outcome o = ChildProcess.run(command, dir.resolve(LOG), settings.scanTimeoutSeconds());
        if (o.timedOut()) { // the batch's own verdict, kept: rerun with --retry-errors after raising the limit
            return new Outcome(ScanResult.failure(spec, fingerprint, "stopped after the scan timeout of " + settings.scanTimeoutSeconds() + " s",
                    o.seconds(), o.peakRssMib()), true);
        }
        if (o.exitCode() != 0) {
            // pdrecon's own exit codes: 1 (failure, with its reason) and 2 (usage); anything else came from outside
            boolean reported = o.exitCode() == 1 || o.exitCode() == 2;
            String reason = reported ? reason(dir.resolve(LOG), o.exitCode())
                    : "the scan's process ended with exit " + o.exitCode() + (o.exitCode() > 128 ? " (signal " + (o.exitCode() - 128) + ")" : "")
                            + " before it could report; a rerun tries it again";
            return new Outcome(ScanResult.failure(spec, fingerprint, reason, o.seconds(), o.peakRssMib()), reported);
        }
        double psnr = Double.NaN, ssim = Double.NaN;
        if (spec.reference() != null) {
            try {
                MetricValues m = score(spec, dir);
                psnr = m.psnrDb();
                ssim = m.ssim();
            } catch (IOException | RuntimeException e) {
                return new Outcome(ScanResult.failure(spec, fingerprint, "reconstructed, but the reference " + spec.reference() + " cannot be compared: "
                        + e.getMessage(), o.seconds(), o.peakRssMib()), true);
            }
        }
        return new Outcome(new ScanResult(spec.scanId(), spec.method(), ScanResult.OK, false, "", psnr, ssim, o.seconds(), o.peakRssMib(),
                Path.of(settings.out()).relativize(dir.resolve(VOLUME)).toString(), fingerprint), true);
    }

    /** PSNR/SSIM as {@code pdrecon compare --mask fov} gives them: on the reference's grid, inside the cylinder every view sees. */
    private static MetricValues score(ScanSpec spec, Path dir) throws IOException {
        Volume reference = MetaImage.readVolume(Path.of(spec.reference()));
        Volume volume = MetaImage.readVolume(dir.resolve(VOLUME));
        var region = FieldOfView.of(GeometryJson.read(dir.resolve(GEOMETRY))).mask(reference.grid());
        return VolumeComparison.compare(reference, volume, VolumeComparison.Fit.NONE, region).metrics();
    }

    private static String missingInput(ScanSpec spec) {
        if (spec.dicom() != null && !Files.isDirectory(Path.of(spec.dicom()))) return "no such DICOM folder: " + spec.dicom();
        if (spec.projections() != null && !Files.isRegularFile(Path.of(spec.projections()))) return "no such projections file: " + spec.projections();
        if (spec.geometry() != null && !Files.isRegularFile(Path.of(spec.geometry()))) return "no such geometry file: " + spec.geometry();
        return null;
    }

    /** The command's own one-line reason ({@code error: …}, or a usage line), else the log's last line. */
    private static String reason(Path log, int code) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String l : lines) if (l.startsWith("error: ")) return l.substring(7);
        for (String l : lines) if (!l.isBlank() && !l.startsWith("Usage:") && !l.startsWith(" ")) return l.trim() + " (exit " + code + ")";
        return "reconstruct exited with " + code + " and printed nothing";
    }

    /** The earlier result to keep, or {@code null} to redo the scan. */
    private static ScanResult previous(Path dir, String fingerprint, BatchSettings settings) {
        Path file = dir.resolve(RESULT);
        if (!Files.isRegularFile(file)) return null;
        ScanResult r;
        try {
            r = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), ScanResult.class);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: redo
        }
        if (r == null || !r.complete() || !fingerprint.equals(r.fingerprint())) return null;
        if (!r.ok()) return settings.retryErrors() ? null : r;
        boolean complete = Files.isRegularFile(dir.resolve(VOLUME)) && Files.isRegularFile(dir.resolve(GEOMETRY))
                && (!settings.dicomOut() || Files.isDirectory(dir.resolve(DICOM)));
        return complete ? r : null;
    }

    /**
     * SHA-256 of the manifest row, the batch's output choices and threads per scan (a model's volume differs in its
     * last bits between thread counts), and the size and modification time of every input file: DICOM and model
     * folders file by file (through symbolic links), a MetaImage header's data file, and files named in the options.
     */
    static String fingerprint(ScanSpec spec, BatchSettings settings) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append(spec).append('\n').append("dicom-out=").append(settings.dicomOut()).append(" threads=").append(settings.threadsPerScan()).append('\n');
        for (String p : new String[] {spec.dicom(), spec.projections(), spec.geometry(), spec.reference()}) {
            if (p != null) describe(Path.of(p), s);
        }
        if (Path.of(spec.method()).isAbsolute()) describe(Path.of(spec.method()), s); // a model folder (the manifest resolved it)
        for (String o : spec.options()) if (o.startsWith("/")) describe(Path.of(o), s); // a file option (the manifest resolved it)
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void describe(Path p, StringBuilder s) throws IOException {
        if (!Files.exists(p)) {
            s.append(p).append(" missing\n");
            return;
        }
        Path real = p.toRealPath();
        if (Files.isDirectory(real)) {
            try (Stream<Path> files = Files.walk(real)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) stamp(f, s);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return;
        }
        stamp(real, s);
        String name = real.getFileName().toString();
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".mhd")) { // a header: its data file (name.raw, name.zraw, …) beside it
            String base = name.substring(0, name.length() - 4);
            try (Stream<Path> siblings = Files.list(real.getParent())) {
                for (Path f : siblings.filter(f -> !f.equals(real) && f.getFileName().toString().startsWith(base + ".")).sorted().toList()) stamp(f, s);
            }
        }
    }

    private static void stamp(Path f, StringBuilder s) throws IOException {
        s.append(f).append(' ').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
    }
}
