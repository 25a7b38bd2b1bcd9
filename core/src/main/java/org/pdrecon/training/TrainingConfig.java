package org.pdrecon.training;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.learned.Initialisers;
import org.pdrecon.learned.LearnedPrimalDualConfig;
import org.pdrecon.learned.ModelGeometry;
import org.pdrecon.operators.tape.SegmentTape;
import org.pdrecon.simulation.BodyPhantoms;
import org.pdrecon.util.StrictJson;

/**
 * A training run, as read from {@code training-configs/<name>.json}. Unknown keys are rejected at every
 * level; absent optional keys take the defaults documented in {@code docs/learned.md}.
 *
 * @param name run name (letters, digits, {@code - _ .})
 * @param model network sizes
 * @param data where samples come from
 * @param optimiser Adam, cosine decay and clipping settings
 * @param steps optimiser steps in the whole run
 * @param batchSize samples per step
 * @param seed seed of the initial weights and of every sample
 * @param checkpointEvery steps between checkpoints (and one at the end)
 * @param tapeMode {@code recompute} (activation memory of one segment) or {@code store}
 * @param outputDir where checkpoints, the log and the final model go; relative paths are resolved
 *     against the working directory
 * @param validation held-out samples evaluated during training
 * @param variant {@code model.variant}: {@code "plain"} ({@link org.pdrecon.learned.LearnedPrimalDual}, the
 *     default) or {@code "invertible"} ({@link org.pdrecon.learned.InvertiblePrimalDual}: even channel counts,
 *     {@code layers} per coupling function, {@code tape_mode} without effect); written to JSON only when not
 *     plain, so plain configs keep their identity
 * @param patchSlices {@code patch_slices}: 3D update CNNs run on slabs of at most this many slices
 *     ({@link org.pdrecon.learned.UpdateCnn#setPatchSlices}), which bounds the convolutions' working memory
 *     while the operators still act on the whole geometry; 0 (default) runs whole volumes. Results differ
 *     only by float round-off, so it is not part of the run's identity and may change on resume.
 */
public record TrainingConfig(String name, LearnedPrimalDualConfig model, DataConfig data, OptimiserConfig optimiser,
                             long steps, int batchSize, long seed, long checkpointEvery, SegmentTape.Mode tapeMode,
                             String outputDir, ValidationConfig validation, String variant, int patchSlices) {

    public TrainingConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(optimiser, "optimiser");
        Objects.requireNonNull(tapeMode, "tape_mode");
        Objects.requireNonNull(validation, "validation");
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("name must be letters, digits, '-', '_' or '.', got " + name);
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (batchSize < 1) throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
        if (optimiser.warmupSteps() >= steps) {
            throw new IllegalArgumentException("optimiser.warmup_steps (" + optimiser.warmupSteps() + ") must be less than steps ("
                    + steps + "): the learning rate would never reach optimiser.learning_rate");
        }
        if (checkpointEvery < 1) throw new IllegalArgumentException("checkpoint_every must be at least 1, got " + checkpointEvery);
        if (outputDir == null || outputDir.isBlank()) throw new IllegalArgumentException("output_dir must not be empty");
        if (patchSlices < 0) throw new IllegalArgumentException("patch_slices must be ≥ 0 (0: whole volumes), got " + patchSlices);
        if (patchSlices > 0 && (model.dimensions() != 3 || "unet".equals(variant))) {
            throw new IllegalArgumentException("patch_slices applies to 3D primal-dual networks (plain or invertible), not to a "
                    + model.dimensions() + "D " + variant + " model");
        }
        for (ScanConfig scan : data.scans()) ModelGeometry.requireCompatible(model, scan.geometry());
        if (!"plain".equals(variant) && !"invertible".equals(variant) && !"unet".equals(variant)) {
            throw new IllegalArgumentException("model.variant must be \"plain\", \"invertible\" or \"unet\", got \"" + variant + "\"");
        }
        if (model.subsets() != 1 && variant.equals("unet")) {
            throw new IllegalArgumentException("model.subsets applies to the primal-dual variants (plain, invertible); the U-Net uses no "
                    + "operator, got " + model.subsets() + " subsets");
        }
        for (ScanConfig scan : data.scans()) {
            if (model.subsets() > 1 && model.subsets() > scan.views()) {
                throw new IllegalArgumentException("model.subsets " + model.subsets() + " exceeds the " + scan.views() + " views of a scan"
                        + (data.scans().size() > 1 ? " of data.scans" : ""));
            }
        }
        if (variant.equals("invertible") && (model.primalChannels() % 2 != 0 || model.dualChannels() % 2 != 0)) {
            throw new IllegalArgumentException("model.variant \"invertible\" splits channels in halves: model.primal_channels and "
                    + "model.dual_channels must be even, got " + model.primalChannels() + " and " + model.dualChannels());
        }
    }

    /** Reads and validates a config file. */
    public static TrainingConfig load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("training config " + file + " does not exist", e);
        }
        return parse(text, "training config " + file.getFileName());
    }

    /** Parses config JSON; {@code what} names the source in error messages. */
    public static TrainingConfig parse(String text, String what) {
        StrictJson j = StrictJson.parse(text, what);
        String name = j.requireString("name");
        StrictJson modelJson = j.object("model");
        String variant = modelJson.optString("variant", "plain");
        LearnedPrimalDualConfig model = LearnedPrimalDualConfig.fromJson(modelJson);
        DataConfig data = DataConfig.fromJson(j.object("data"));
        OptimiserConfig opt = OptimiserConfig.fromJson(j.object("optimiser"));
        long steps = j.optLong("steps", 0);
        if (!j.has("steps")) throw new IllegalArgumentException(j.name("steps") + " is missing");
        int batch = j.optInt("batch_size", 1);
        long seed = j.optLong("seed", 1);
        long every = j.optLong("checkpoint_every", 100);
        String mode = j.optString("tape_mode", "recompute");
        SegmentTape.Mode tapeMode = switch (mode) {
            case "recompute" -> SegmentTape.Mode.RECOMPUTE;
            case "store" -> SegmentTape.Mode.STORE;
            default -> throw new IllegalArgumentException(j.name("tape_mode") + " must be \"recompute\" or \"store\", got \"" + mode + "\"");
        };
        String out = j.optString("output_dir", "runs/" + name);
        ValidationConfig validation = ValidationConfig.fromJson(j.object("validation"), every);
        int patchSlices = j.optInt("patch_slices", 0);
        j.finish();
        return new TrainingConfig(name, model, data, opt, steps, batch, seed, every, tapeMode, out, validation, variant, patchSlices);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        JsonObject m = model.toJson();
        if (!variant.equals("plain")) m.addProperty("variant", variant);
        o.add("model", m);
        o.add("data", data.toJson());
        o.add("optimiser", optimiser.toJson());
        o.addProperty("steps", steps);
        o.addProperty("batch_size", batchSize);
        o.addProperty("seed", seed);
        o.addProperty("checkpoint_every", checkpointEvery);
        o.addProperty("tape_mode", tapeMode.name().toLowerCase(java.util.Locale.ROOT));
        o.addProperty("output_dir", outputDir);
        o.add("validation", validation.toJson());
        if (patchSlices != 0) o.addProperty("patch_slices", patchSlices);
        return o;
    }

    /** Pretty-printed {@link #toJson()}. */
    public String toJsonText() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(toJson());
    }

    /**
     * What must not change for a checkpoint of this run to be resumed exactly: everything but the
     * output directory, the checkpoint interval, the validation settings and the slab size.
     */
    public JsonObject identity() {
        JsonObject o = toJson();
        o.remove("output_dir");
        o.remove("checkpoint_every");
        o.remove("validation");
        o.remove("patch_slices");
        return o;
    }

    /**
     * Where samples come from: {@code "simulated"} on the fly (a circular scan, random-ellipsoid
     * phantoms, Poisson noise) or a {@code "dataset"} on disk ({@code pdrecon simulate} output).
     *
     * @param source {@code "simulated"} or {@code "dataset"}
     * @param scans the scan geometries (simulated only, else empty): {@code data.scan}, one, or {@code data.scans}, a list
     *     the run goes round step by step so that one model learns a range of geometries (its envelope)
     * @param dataset the dataset directory (dataset only, else null)
     * @param ellipsoids ellipsoids per phantom inside the body (simulated random-ellipsoid phantoms only)
     * @param phantom the simulated phantoms: {@code "ellipsoids"} (random ellipsoids in a water body, default),
     *     {@code "thorax"} or {@code "pelvis"} ({@link BodyPhantoms}; the scan must see a 400 mm body), or
     *     {@code "forbild-head"} (the {@link org.pdrecon.simulation.ForbildHead}, one anatomy, each sample moved by up to
     *     ±10 mm per axis; the scan must see 212 × 260 × 270 mm)
     * @param noiseI0 unattenuated photons per detector pixel; 0 for noiseless data (simulated only)
     * @param electronicSigma standard deviation of additive Gaussian electronic noise in counts, on top of the Poisson
     *     noise (simulated only; 0: none)
     * @param initialiser the primal initialisation {@code x0}: {@code "fdk"} (default), {@code "zeros"} or {@code "backprojection"}
     */
    public record DataConfig(String source, java.util.List<ScanConfig> scans, String dataset, int ellipsoids, String phantom, double noiseI0, double electronicSigma,
                             String initialiser) {
        /** The phantom kinds a simulated source can draw. */
        public static final java.util.List<String> PHANTOMS = java.util.List.of("ellipsoids", "thorax", "pelvis", "forbild-head");

        /** Random-ellipsoid phantoms. */
        public DataConfig(String source, ScanConfig scan, String dataset, int ellipsoids, double noiseI0, String initialiser) {
            this(source, scan == null ? java.util.List.of() : java.util.List.of(scan), dataset, ellipsoids, "ellipsoids", noiseI0, 0, initialiser);
        }

        public DataConfig {
            scans = scans == null ? java.util.List.of() : java.util.List.copyOf(scans);
            switch (String.valueOf(source)) {
                case "simulated" -> {
                    if (scans.isEmpty()) throw new IllegalArgumentException("data.scan (or data.scans, a list) is missing");
                }
                case "dataset" -> {
                    if (dataset == null || dataset.isBlank()) throw new IllegalArgumentException("data.path (the dataset directory) is missing");
                    if (!scans.isEmpty()) throw new IllegalArgumentException("a dataset brings its own geometry: data.scan does not apply");
                }
                default -> throw new IllegalArgumentException("data.source must be \"simulated\" or \"dataset\", got \"" + source + "\"");
            }
            if (ellipsoids < 0) throw new IllegalArgumentException("data.ellipsoids must be non-negative, got " + ellipsoids);
            if (!PHANTOMS.contains(phantom)) throw new IllegalArgumentException("data.phantom must be one of " + PHANTOMS + ", got \"" + phantom + "\"");
            if (!(noiseI0 >= 0) || !Double.isFinite(noiseI0)) throw new IllegalArgumentException("data.noise_i0 must be ≥ 0 (0: noiseless), got " + noiseI0);
            if (!(electronicSigma >= 0) || !Double.isFinite(electronicSigma)) {
                throw new IllegalArgumentException("data.electronic_sigma must be ≥ 0 counts, got " + electronicSigma);
            }
            if (electronicSigma > 0 && noiseI0 == 0) throw new IllegalArgumentException("data.electronic_sigma needs data.noise_i0 > 0 (counts need a photon scale)");
            if (!Initialisers.NAMES.contains(initialiser)) {
                throw new IllegalArgumentException("data.initialiser must be one of " + Initialisers.NAMES + ", got \"" + initialiser + "\"");
            }
        }

        /** The only scan; a config with several ({@code data.scans}) is refused with {@code what} named as the user of one scan. */
        public ScanConfig scan(String what) {
            if (scans.size() != 1) {
                throw new IllegalArgumentException(what + " needs one scan geometry (data.scan); this config lists " + scans.size()
                        + (scans.isEmpty() ? " (a dataset on disk)" : " (data.scans)"));
            }
            return scans.get(0);
        }

        /** The only scan, as {@link #scan(String)}. */
        public ScanConfig scan() {
            return scan("this");
        }

        public static DataConfig fromJson(StrictJson j) {
            String source = j.optString("source", "simulated");
            DataConfig d;
            if (source.equals("dataset")) {
                d = new DataConfig(source, null, j.requireString("path"), 0, 0, j.optString("initialiser", "fdk"));
            } else {
                java.util.List<ScanConfig> scans = new java.util.ArrayList<>();
                if (j.has("scans")) {
                    if (j.has("scan")) throw new IllegalArgumentException(j.name("scan") + " and " + j.name("scans") + " exclude each other: give one");
                    int n = j.array("scans").size();
                    if (n == 0) throw new IllegalArgumentException(j.name("scans") + " is empty");
                    for (int i = 0; i < n; i++) scans.add(ScanConfig.fromJson(j.element("scans", i)));
                } else {
                    scans.add(ScanConfig.fromJson(j.object("scan")));
                }
                d = new DataConfig(source, scans, null, j.optInt("ellipsoids", 10), j.optString("phantom", "ellipsoids"),
                        j.optDouble("noise_i0", 1e4), j.optDouble("electronic_sigma", 0), j.optString("initialiser", "fdk"));
            }
            j.finish();
            return d;
        }

        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("source", source);
            if (!scans.isEmpty()) {
                if (scans.size() == 1) {
                    o.add("scan", scans.get(0).toJson());
                } else {
                    com.google.gson.JsonArray list = new com.google.gson.JsonArray();
                    for (ScanConfig sc : scans) list.add(sc.toJson());
                    o.add("scans", list);
                }
                o.addProperty("ellipsoids", ellipsoids);
                // written only when not the default, so the identities of runs from before the option stay as they were
                if (!phantom.equals("ellipsoids")) o.addProperty("phantom", phantom);
                o.addProperty("noise_i0", noiseI0);
                if (electronicSigma > 0) o.addProperty("electronic_sigma", electronicSigma); // only when set: older identities stay
            } else {
                o.addProperty("path", dataset);
            }
            o.addProperty("initialiser", initialiser);
            return o;
        }
    }

    /**
     * A circular cone-beam scan (2D fan-beam when {@code nz = 1} and {@code detectorRows = 1}): the
     * volume grid centred on the rotation axis, source and detector distances, a flat detector shifted by
     * {@code detectorOffsetMm} along its rows (0: centred, full fan; about a third of its width over 360°:
     * half fan, as on linac CBCT for the pelvis and thorax) and {@code views} angles evenly spaced over {@code arcDeg}.
     */
    public record ScanConfig(int nx, int ny, int nz, double voxelMm, double sodMm, double sddMm, int detectorRows,
                             int detectorCols, double detectorPixelMm, int views, double arcDeg, double detectorOffsetMm) {
        public ScanConfig {
            geometry(nx, ny, nz, voxelMm, sodMm, sddMm, detectorRows, detectorCols, detectorPixelMm, views, arcDeg, detectorOffsetMm); // validates
        }

        /** A centred detector (full fan). */
        public ScanConfig(int nx, int ny, int nz, double voxelMm, double sodMm, double sddMm, int detectorRows, int detectorCols,
                          double detectorPixelMm, int views, double arcDeg) {
            this(nx, ny, nz, voxelMm, sodMm, sddMm, detectorRows, detectorCols, detectorPixelMm, views, arcDeg, 0);
        }

        public ConeBeamGeometry geometry() {
            return geometry(nx, ny, nz, voxelMm, sodMm, sddMm, detectorRows, detectorCols, detectorPixelMm, views, arcDeg, detectorOffsetMm);
        }

        private static ConeBeamGeometry geometry(int nx, int ny, int nz, double voxel, double sod, double sdd, int rows, int cols,
                                                 double pixel, int views, double arc, double offset) {
            if (views < 1) throw new IllegalArgumentException("data.scan.views must be at least 1, got " + views);
            if (!(Math.abs(offset) < 0.5 * cols * pixel)) {
                throw new IllegalArgumentException("data.scan.detector_offset_mm " + offset + " must be under half the detector width ("
                        + 0.5 * cols * pixel + " mm), so that every view sees the rotation axis");
            }
            if (Math.abs(offset) > pixel && arc < 360) {
                throw new IllegalArgumentException("data.scan.detector_offset_mm " + offset + " (a half fan) needs a full 360° arc, got arc_deg " + arc);
            }
            return ConeBeamGeometry.circular().setVolume(new VolumeGrid(nz, ny, nx, voxel, voxel, voxel, new double[3]))
                    .setSodMm(sod).setSddMm(sdd).setDetector(rows, cols, pixel, pixel).optDetectorOffsetMm(offset, 0)
                    .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, arc)).build();
        }

        /** Reads {@code data.scan}'s keys ({@code size} or {@code nx/ny}, {@code nz}, distances, detector, views, arc). */
        public static ScanConfig fromJson(StrictJson j) {
            try {
                return read(j);
            } catch (IllegalArgumentException e) {
                // the checks name data.scan; say which object of the config it was (data.scans[2], a benchmark's scan …)
                throw new IllegalArgumentException(j.name("").replaceAll("\\.$", "") + ": " + e.getMessage(), e);
            }
        }

        private static ScanConfig read(StrictJson j) {
            int n = j.optInt("size", 0);
            int nx = j.optInt("nx", n), ny = j.optInt("ny", n), nz = j.optInt("nz", 1);
            int cols = j.requireInt("detector_cols");
            ScanConfig s = new ScanConfig(nx, ny, nz, j.optDouble("voxel_mm", 1.0), j.requireDouble("sod_mm"), j.requireDouble("sdd_mm"),
                    j.optInt("detector_rows", 1), cols, j.optDouble("detector_pixel_mm", 1.0), j.requireInt("views"),
                    j.optDouble("arc_deg", 360), j.optDouble("detector_offset_mm", 0));
            j.finish();
            return s;
        }

        /** The same scan with {@code views} angles over the same arc. */
        public ScanConfig withViews(int views) {
            return new ScanConfig(nx, ny, nz, voxelMm, sodMm, sddMm, detectorRows, detectorCols, detectorPixelMm, views, arcDeg, detectorOffsetMm);
        }

        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("nx", nx);
            o.addProperty("ny", ny);
            o.addProperty("nz", nz);
            o.addProperty("voxel_mm", voxelMm);
            o.addProperty("sod_mm", sodMm);
            o.addProperty("sdd_mm", sddMm);
            o.addProperty("detector_rows", detectorRows);
            o.addProperty("detector_cols", detectorCols);
            o.addProperty("detector_pixel_mm", detectorPixelMm);
            o.addProperty("views", views);
            o.addProperty("arc_deg", arcDeg);
            if (detectorOffsetMm != 0) o.addProperty("detector_offset_mm", detectorOffsetMm); // only when set: older identities stay
            return o;
        }
    }

    /**
     * Adam with cosine decay from {@code learningRate} to {@code minLearningRate}, a linear warm-up over the
     * first {@code warmupSteps} steps (0: none) and clipping at {@code clipNorm}.
     */
    public record OptimiserConfig(double learningRate, double minLearningRate, double beta1, double beta2, double epsilon,
                                  double clipNorm, long warmupSteps) {
        public OptimiserConfig {
            new CosineSchedule(learningRate, minLearningRate, 1, warmupSteps); // validates the rates and the warm-up
            new Adam(beta1, beta2, epsilon, new int[0]);           // validates the moments
            if (!(clipNorm > 0)) throw new IllegalArgumentException("optimiser.clip_norm must be positive, got " + clipNorm);
        }

        static OptimiserConfig fromJson(StrictJson j) {
            OptimiserConfig o = new OptimiserConfig(j.optDouble("learning_rate", 1e-3), j.optDouble("min_learning_rate", 0),
                    j.optDouble("beta1", 0.9), j.optDouble("beta2", 0.99), j.optDouble("epsilon", 1e-8), j.optDouble("clip_norm", 1.0),
                    j.optLong("warmup_steps", 0));
            j.finish();
            return o;
        }

        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("learning_rate", learningRate);
            o.addProperty("min_learning_rate", minLearningRate);
            o.addProperty("beta1", beta1);
            o.addProperty("beta2", beta2);
            o.addProperty("epsilon", epsilon);
            o.addProperty("clip_norm", clipNorm);
            if (warmupSteps > 0) o.addProperty("warmup_steps", warmupSteps); // only when set: older identities stay
            return o;
        }
    }

    /**
     * Held-out validation: {@code samples} examples drawn from a sample range training never reaches
     * ({@link #FIRST_INDEX} on), reconstructed every {@code every} steps and at the end; mean PSNR and
     * SSIM inside the disc/cylinder the scan covers go to {@code validation.csv}. {@code samples = 0}
     * disables it.
     */
    public record ValidationConfig(int samples, long every) {
        /** First sample index used for validation; training uses indices from 0 up. */
        public static final long FIRST_INDEX = 1L << 60;

        public ValidationConfig {
            if (samples < 0) throw new IllegalArgumentException("validation.samples must be non-negative, got " + samples);
            if (every < 1) throw new IllegalArgumentException("validation.every must be at least 1, got " + every);
        }

        static ValidationConfig fromJson(StrictJson j, long checkpointEvery) {
            ValidationConfig v = new ValidationConfig(j.optInt("samples", 4), j.optLong("every", checkpointEvery));
            j.finish();
            return v;
        }

        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("samples", samples);
            o.addProperty("every", every);
            return o;
        }
    }
}
