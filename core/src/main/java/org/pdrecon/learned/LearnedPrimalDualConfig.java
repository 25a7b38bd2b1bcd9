package org.pdrecon.learned;

import com.google.gson.JsonObject;
import org.pdrecon.util.StrictJson;

/**
 * Sizes of a {@link LearnedPrimalDual} network. Defaults follow Adler &amp; Öktem (2018): 10 unrolled
 * iterations, 5 primal and 5 dual memory channels, each update a CNN of 3 convolution layers with 32
 * filters and 3-wide kernels (3×3 in 2D, 3×3×3 in 3D) and PReLU between layers.
 *
 * @param dimensions 2 (fan-beam slices, {@code nz = 1}, 2D convolutions) or 3 (cone-beam, 3D convolutions)
 * @param iterations unrolled primal-dual iterations, ≥ 1 (for the U-Net variant: its resolution levels, which a
 *     config may spell {@code "levels"})
 * @param primalChannels primal memory channels, ≥ 2 (channel 0 is the output, channel 1 is projected)
 * @param dualChannels dual memory channels, ≥ 1 (channel 0 is backprojected)
 * @param filters filters of each hidden convolution layer, ≥ 1
 * @param kernelSize odd kernel width, ≥ 1 (padding keeps the spatial size)
 * @param layers convolution layers per update CNN, ≥ 2 (PReLU after all but the last)
 * @param valueScale factor from μ in 1/mm to the network's working units (default 50 = 1 / μ of water
 *     at 0.02 /mm, so that images are of order 1 inside the network); inputs are multiplied and the
 *     output divided by it
 * @param subsets K ordered view subsets ({@link ViewSubsets}): iteration k projects, backprojects and updates the
 *     dual memory on subset {@code k mod K} only (default 1: every view in every iteration); written to JSON
 *     only when not 1, so older models and runs keep their identity
 */
public record LearnedPrimalDualConfig(int dimensions, int iterations, int primalChannels, int dualChannels,
                                      int filters, int kernelSize, int layers, double valueScale, int subsets) {
    /** Default {@link #valueScale}: 1 / (0.02 /mm), water's μ. */
    public static final double DEFAULT_VALUE_SCALE = 50.0;

    public LearnedPrimalDualConfig {
        if (dimensions != 2 && dimensions != 3) throw new IllegalArgumentException("model.dimensions must be 2 or 3, got " + dimensions);
        atLeast("model.iterations", iterations, 1);
        atLeast("model.primal_channels", primalChannels, 2);
        atLeast("model.dual_channels", dualChannels, 1);
        atLeast("model.filters", filters, 1);
        atLeast("model.kernel_size", kernelSize, 1);
        if (kernelSize % 2 == 0) throw new IllegalArgumentException("model.kernel_size must be odd (padding keeps the size), got " + kernelSize);
        atLeast("model.layers", layers, 2);
        if (!(valueScale > 0) || !Double.isFinite(valueScale)) throw new IllegalArgumentException("model.value_scale must be positive, got " + valueScale);
        atLeast("model.subsets", subsets, 1);
    }

    /** Sizes with one view subset. */
    public LearnedPrimalDualConfig(int dimensions, int iterations, int primalChannels, int dualChannels, int filters, int kernelSize, int layers,
                                   double valueScale) {
        this(dimensions, iterations, primalChannels, dualChannels, filters, kernelSize, layers, valueScale, 1);
    }

    /** Sizes with the default value scale. */
    public LearnedPrimalDualConfig(int dimensions, int iterations, int primalChannels, int dualChannels, int filters, int kernelSize, int layers) {
        this(dimensions, iterations, primalChannels, dualChannels, filters, kernelSize, layers, DEFAULT_VALUE_SCALE);
    }

    /** Adler &amp; Öktem's sizes for 2D or 3D. */
    public static LearnedPrimalDualConfig defaults(int dimensions) {
        return new LearnedPrimalDualConfig(dimensions, 10, 5, 5, 32, 3, 3);
    }

    /** Reads the keys of {@link #toJson()}; absent keys take the defaults, unknown keys are rejected. */
    public static LearnedPrimalDualConfig fromJson(StrictJson json) {
        int dims = json.requireInt("dimensions");
        LearnedPrimalDualConfig d = defaults(dims);
        if (json.has("levels") && json.has("iterations")) {
            throw new IllegalArgumentException(json.name("levels") + ": give \"levels\" (a U-Net's) or \"iterations\", not both");
        }
        LearnedPrimalDualConfig c = new LearnedPrimalDualConfig(dims,
                json.optInt("iterations", json.optInt("levels", d.iterations)),
                json.optInt("primal_channels", d.primalChannels),
                json.optInt("dual_channels", d.dualChannels),
                json.optInt("filters", d.filters),
                json.optInt("kernel_size", d.kernelSize),
                json.optInt("layers", d.layers),
                json.optDouble("value_scale", d.valueScale),
                json.optInt("subsets", 1));
        json.finish();
        return c;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("dimensions", dimensions);
        o.addProperty("iterations", iterations);
        o.addProperty("primal_channels", primalChannels);
        o.addProperty("dual_channels", dualChannels);
        o.addProperty("filters", filters);
        o.addProperty("kernel_size", kernelSize);
        o.addProperty("layers", layers);
        o.addProperty("value_scale", valueScale);
        if (subsets != 1) o.addProperty("subsets", subsets);
        return o;
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
    }
}
