package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

/**
 * What the trainer and the model files need from an unrolled primal-dual network, whichever variant:
 * {@link LearnedPrimalDual} (plain, {@code "learned_primal_dual"}) or {@link InvertiblePrimalDual}
 * (additive coupling, {@code "invertible_primal_dual"}), or the U-Net post-processing baseline
 * {@link UNetPostProcessing} ({@code "unet_post_processing"}), which ignores the data and the operator.
 * Shapes as {@link LearnedPrimalDual}.
 */
public interface PrimalDualNetwork extends Block {
    /** The network's sizes. */
    LearnedPrimalDualConfig config();

    /** The {@code "architecture"} written to a model's config.json. */
    String architecture();

    /** Inference: the reconstruction, a new array on {@code x0}'s manager, in the units of {@code x0}. */
    NDArray reconstruct(ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0);

    /**
     * One training pass: reconstructs, computes {@code loss.apply(reconstruction)} (which must return a
     * scalar value of {@code tape}, e.g. from a {@code tape.segment}), and back-propagates it into the
     * parameters' gradients (accumulating; zero them first). Call inside a {@code GradientCollector}.
     *
     * @return the loss, a value owned by {@code tape}
     */
    NDArray trainingLoss(SegmentTape tape, ParameterStore store, NDArrayOperator op, double operatorNorm, NDArray y, NDArray x0,
                         UnaryOperator<NDArray> loss);

    /**
     * Called on the calling thread with the number of unrolled iterations done, after each one, by every
     * following pass (training or inference) until replaced; networks without iterations ignore it.
     */
    default void setIterationListener(java.util.function.IntConsumer listener) {}

    /** The network for {@code variant} ({@code "plain"}, {@code "invertible"} or {@code "unet"}) with the given sizes. */
    static PrimalDualNetwork create(String variant, LearnedPrimalDualConfig config) {
        return switch (variant) {
            case "plain" -> new LearnedPrimalDual(config);
            case "invertible" -> new InvertiblePrimalDual(config);
            case "unet" -> new UNetPostProcessing(config);
            default -> throw new IllegalArgumentException("model.variant must be \"plain\", \"invertible\" or \"unet\", got \"" + variant + "\"");
        };
    }
}
