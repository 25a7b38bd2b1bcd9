package org.pdrecon.operators.tape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays whose memory the engine owns. {@code NDManager.create(float[], …)} on the PyTorch engine
 * borrows a Java direct buffer; when the Java side of such an array is closed or collected while
 * autograd still holds the tensor (a matrix saved for a product's backward pass, a scalar factor), the
 * memory is freed under it and gradients become garbage or NaN (docs/autodiff.md). Anything that may
 * enter a differentiable computation is created here instead.
 */
public final class EngineArrays {
    private EngineArrays() {}

    /** {@code values} shaped {@code shape} and converted to {@code type}, in engine memory, attached to the caller's scope. */
    public static NDArray copyOf(NDManager manager, float[] values, Shape shape, DataType type) {
        NDArray copy;
        try (NDScope scope = new NDScope()) {
            copy = manager.create(values, shape).toType(type, false).duplicate();
            NDScope.unregister(copy);
        }
        NDScope.register(copy);
        return copy;
    }
}
