package org.pdrecon.fields;

import java.util.Locale;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.util.StrictJson;

/**
 * The shape of a neural field: a dense multi-resolution feature grid ({@link DenseGridEncoding}) and
 * the small MLP that maps its features to μ ({@link NeuralField}).
 *
 * @param levels number of grid levels (≥ 1)
 * @param baseResolution nodes per axis of the coarsest level (≥ 1)
 * @param maxResolution nodes per axis of the finest level (≥ baseResolution); an axis never has more
 *     nodes than the volume has voxels along it
 * @param features features per level (≥ 1)
 * @param hidden width of the MLP's hidden layers (≥ 1)
 * @param hiddenLayers number of hidden layers (≥ 1)
 */
public record FieldConfig(int levels, int baseResolution, int maxResolution, int features, int hidden, int hiddenLayers) {
    /**
     * The defaults: 4 levels from 4 to 32 nodes per axis, 4 features each, MLP 16 → 32 → 32 → 1. Chosen
     * by a sweep on a 64³ random-ellipsoid scan, 50 views, I0 = 1e4 (docs/neural-fields.md): finer
     * levels (to 64) fit the noise, coarser first levels help sparse views.
     */
    public static FieldConfig defaults() {
        return new FieldConfig(4, 4, 32, 4, 32, 2);
    }

    public FieldConfig {
        if (levels < 1) throw new IllegalArgumentException("field.levels must be at least 1, got " + levels);
        if (baseResolution < 1) throw new IllegalArgumentException("field.base_resolution must be at least 1, got " + baseResolution);
        if (maxResolution < baseResolution) {
            throw new IllegalArgumentException("field.max_resolution (" + maxResolution + ") must be at least field.base_resolution (" + baseResolution + ")");
        }
        if (features < 1) throw new IllegalArgumentException("field.features must be at least 1, got " + features);
        if (hidden < 1) throw new IllegalArgumentException("field.hidden must be at least 1, got " + hidden);
        if (hiddenLayers < 1) throw new IllegalArgumentException("field.hidden_layers must be at least 1, got " + hiddenLayers);
    }

    /** Reads {@code {"levels":…, "base_resolution":…, …}}; absent keys keep their defaults, unknown keys are refused. */
    public static FieldConfig fromJson(StrictJson j) {
        FieldConfig d = defaults();
        FieldConfig c = new FieldConfig(j.optInt("levels", d.levels), j.optInt("base_resolution", d.baseResolution),
                j.optInt("max_resolution", d.maxResolution), j.optInt("features", d.features), j.optInt("hidden", d.hidden),
                j.optInt("hidden_layers", d.hiddenLayers));
        j.finish();
        return c;
    }

    /** The config as JSON text (keys as {@link #fromJson} reads them). */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"levels\": %d, \"base_resolution\": %d, \"max_resolution\": %d, \"features\": %d, \"hidden\": %d, "
                + "\"hidden_layers\": %d}", levels, baseResolution, maxResolution, features, hidden, hiddenLayers);
    }

    /**
     * Nodes per axis of level {@code l}: a geometric progression from {@link #baseResolution} to
     * {@link #maxResolution}, each axis capped at the volume's voxel count along it.
     *
     * @return {@code {rz, ry, rx}}
     */
    public int[] resolution(int l, VolumeGrid grid) {
        if (l < 0 || l >= levels) throw new IndexOutOfBoundsException("level " + l + " of " + levels);
        double growth = levels == 1 ? 1 : Math.pow((double) maxResolution / baseResolution, 1.0 / (levels - 1));
        int r = (int) Math.round(baseResolution * Math.pow(growth, l));
        return new int[] {Math.min(r, grid.nz()), Math.min(r, grid.ny()), Math.min(r, grid.nx())};
    }

    /** Features per voxel that enter the MLP: {@code levels × features}. */
    public int encodedFeatures() {
        return levels * features;
    }

    /** Trainable values of a field on {@code grid}: every grid level's nodes × features, and the MLP's weights and biases. */
    public long parameterCount(VolumeGrid grid) {
        long n = 0;
        for (int l = 0; l < levels; l++) {
            int[] r = resolution(l, grid);
            n += (long) features * r[0] * r[1] * r[2];
        }
        long in = encodedFeatures();
        for (int k = 0; k < hiddenLayers; k++) {
            n += (in + 1) * hidden;
            in = hidden;
        }
        return n + in + 1;
    }

    /**
     * Bytes the field's fit holds at once on {@code grid}: Java side, the parameters with their gradients
     * and Adam's two moments (4 float copies); engine side, per voxel the encoded features and, per hidden
     * layer, its pre- and post-activation values kept for the backward pass (float32).
     */
    public long[] bytesNeeded(VolumeGrid grid) {
        long java = 4L * 4 * parameterCount(grid);
        long perVoxel = encodedFeatures() + 2L * hidden * hiddenLayers + 4;
        long engine = 4L * perVoxel * grid.voxelCount() + 4L * 2 * parameterCount(grid);
        return new long[] {java, engine};
    }

    /**
     * Refuses a field that would not fit, before anything is allocated: one line with the sizes it
     * would need and what is available.
     *
     * @param javaBytes the Java heap the fit may use (e.g. {@code Runtime.maxMemory()})
     * @param engineBytes the native memory the fit may use (e.g. MemAvailable)
     */
    public void requireFits(VolumeGrid grid, long javaBytes, long engineBytes) {
        long[] need = bytesNeeded(grid);
        if (need[0] > javaBytes || need[1] > engineBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the field (%s) on %d×%d×%d voxels needs %s of Java heap for %d parameters with their gradients and Adam moments "
                            + "(%s available) and %s of native memory for its activations (%s available): use fewer levels, a lower "
                            + "max_resolution, fewer features or a narrower MLP",
                    toJson(), grid.nz(), grid.ny(), grid.nx(), mib(need[0]), parameterCount(grid), mib(javaBytes), mib(need[1]), mib(engineBytes)));
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
