package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * Parametric ReLU (He et al. 2015): {@code f(x) = x} for {@code x > 0}, {@code α·x} otherwise, with a
 * learned slope {@code α} per channel (or one shared slope). Written as
 * {@code relu(x) − α·relu(−x)} because DJL's {@code Activation.preluBlock()} is not implemented on the
 * PyTorch engine.
 *
 * <p>Shapes: input and output {@code (N, C, ...)} (any rank ≥ 2 when per-channel; any rank when
 * shared). Parameter {@code alpha}: {@code (C)}, or {@code (1)} when shared; initialised to
 * {@link Builder#optInitialSlope the initial slope} (default 0.25, as PyTorch).
 */
public final class PRelu extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int channels;
    private final Parameter alpha;

    private PRelu(Builder b) {
        super(VERSION);
        this.channels = b.channels;
        this.alpha = addParameter(Parameter.builder()
                .setName("alpha")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(b.channels))
                .optInitializer(new ConstantInitializer(b.initialSlope))
                .optRequiresGrad(true)
                .build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of slopes: the channel count, or 1 when one slope is shared by all channels. */
    public int channels() {
        return channels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = store.getValue(alpha, x.getDevice(), training);
        long[] broadcast = new long[Math.max(1, x.getShape().dimension())];
        Arrays.fill(broadcast, 1);
        if (channels > 1) {
            if (x.getShape().dimension() < 2 || x.getShape().get(1) != channels) {
                throw new IllegalArgumentException("PRelu with " + channels + " channels got input shape " + x.getShape()
                        + "; expected (N, " + channels + ", ...)");
            }
            broadcast[1] = channels;
        }
        NDArray slope = a.reshape(new Shape(broadcast));
        return new NDList(Activation.relu(x).sub(slope.mul(Activation.relu(x.neg()))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Builder: all options optional. */
    public static final class Builder {
        private int channels = 1;
        private float initialSlope = 0.25f;

        /** One slope per channel (axis 1); default 1, a shared slope. */
        public Builder optChannels(int channels) {
            if (channels < 1) throw new IllegalArgumentException("channels must be at least 1, got " + channels);
            this.channels = channels;
            return this;
        }

        public Builder optInitialSlope(float slope) {
            if (!Float.isFinite(slope)) throw new IllegalArgumentException("initial slope must be finite, got " + slope);
            this.initialSlope = slope;
            return this;
        }

        public PRelu build() {
            return new PRelu(this);
        }
    }
}
