package org.pdrecon.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.io.Dataset;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.simulation.NoiseModel;
import org.pdrecon.simulation.ScanSimulator;
import org.pdrecon.simulation.SimulatedScan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pdrecon simulate}: phantoms, exact cone-beam projections and noise, written as a dataset. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulate phantom scans with exact (analytic) cone-beam projections and Poisson noise, and"
                + " write them as a dataset: DIR/manifest.json, DIR/geometry.json, DIR/samples/<id>/{volume.mha,"
                + " projections.mha}. Deterministic for a given seed.")
public final class SimulateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true, description = "dataset directory to create")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "dataset name (default: the directory name)")
    String name;

    @Option(names = {"-n", "--samples"}, paramLabel = "N", defaultValue = "1",
            description = "number of samples (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--force", description = "replace an existing dataset in DIR")
    boolean force;

    @Mixin
    PhantomOptions phantoms;

    @Mixin
    ScanOptions scan;

    @Override
    public Integer call() throws Exception {
        if (samples <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be positive, got " + samples);
        ConeBeamGeometry geometry = scan.geometry();
        NoiseModel noise = phantoms.noise();
        if (force && Files.exists(out.resolve(Dataset.MANIFEST))) deleteDataset(out);
        JsonObject generator = new JsonObject();
        generator.addProperty("tool", "pdrecon simulate");
        generator.addProperty("phantom", phantoms.kind.name());
        generator.addProperty("i0", phantoms.i0);
        generator.addProperty("electronic_sigma_counts", phantoms.electronicSigma);
        generator.addProperty("volume_supersampling", 2);
        generator.addProperty("detector_supersampling", 2);
        String datasetName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
        Dataset.Writer writer = Dataset.create(out, datasetName, phantoms.seed, generator, geometry);
        PrintWriter pw = spec.commandLine().getOut();
        try (ProgressBar bar = Progress.bar("simulate", (long) samples * geometry.views(), "views")) {
            for (int i = 0; i < samples; i++) {
                long done = (long) i * geometry.views();
                SimulatedScan s = simulate(geometry, i, v -> bar.stepTo(done + v));
                writer.addSample(String.format("%04d", i), s.groundTruth(), s.projections());
            }
        }
        Dataset dataset = writer.finish();
        pw.printf("wrote dataset '%s' to %s: %d sample(s)%n", dataset.name(), out, dataset.size());
        pw.printf("  geometry   %s%n", geometry);
        pw.printf("  phantom    %s, noise %s, seed %d%n", phantoms.kind, noise == null ? "none" : noise, phantoms.seed);
        pw.flush();
        return 0;
    }

    /** Simulates sample {@code index} of this command's phantoms on {@code geometry}. */
    SimulatedScan simulate(ConeBeamGeometry geometry, int index, java.util.function.IntConsumer progress) {
        ScanSimulator.Builder b = ScanSimulator.builder()
                .setPhantom(phantoms.phantom(geometry, index))
                .setGeometry(geometry)
                .optProgress(progress);
        NoiseModel noise = phantoms.noise();
        if (noise != null) b.optNoise(noise, phantoms.noiseSeed(index));
        return b.build().run();
    }

    /** Removes a dataset's own files (manifest, geometry, samples) and nothing else. */
    private static void deleteDataset(Path dir) throws java.io.IOException {
        Path samplesDir = dir.resolve(Dataset.SAMPLES);
        if (Files.isDirectory(samplesDir)) org.pdrecon.util.FileTrees.delete(samplesDir);
        Files.deleteIfExists(dir.resolve(Dataset.GEOMETRY));
        Files.deleteIfExists(dir.resolve(Dataset.MANIFEST));
    }
}
