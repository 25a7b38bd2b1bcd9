package org.pdrecon.operators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.pdrecon.operators.tape.EngineArrays;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link LinearOperator} (the multithreaded Java kernels, e.g. {@link ConeBeamProjector}) seen as an
 * {@link NDArrayOperator}, so that the segment tape can use the fast CPU kernels as cut points. Each
 * slice over the leading dimensions is copied out of the array, mapped by the kernel and copied into a
 * new engine-owned array on the input's manager and device; nothing is recorded by autograd.
 *
 * <p>The kernels compute in float32: float64 input is rounded to float32 and the result converted back,
 * so use the NDArray path ({@link NDArrayConeBeamProjector}) where float64 accuracy matters (gradient
 * checks). Shapes as {@link NDArrayOperator}: {@code (..., domainShape) → (..., rangeShape)}.
 */
public final class NDArrayKernelOperator implements NDArrayOperator {
    private final LinearOperator op;
    private final NDArrayKernelOperator adjoint;

    /** Wraps {@code op}; the adjoint wraps {@code op.adjoint()}. */
    public NDArrayKernelOperator(LinearOperator op) {
        this.op = Objects.requireNonNull(op, "op");
        this.adjoint = new NDArrayKernelOperator(op.adjoint(), this);
    }

    private NDArrayKernelOperator(LinearOperator op, NDArrayKernelOperator adjoint) {
        this.op = op;
        this.adjoint = adjoint;
    }

    /** The wrapped kernel operator. */
    public LinearOperator kernel() { return op; }

    @Override
    public int[] domainShape() { return op.domainShape(); }

    @Override
    public int[] rangeShape() { return op.rangeShape(); }

    @Override
    public NDArrayOperator adjoint() { return adjoint; }

    @Override
    public NDArray apply(NDArray x) {
        int[] in = op.domainShape(), out = op.rangeShape();
        Shape shape = x.getShape();
        int lead = shape.dimension() - in.length;
        long[] trailing = lead >= 0 ? shape.slice(lead).getShape() : new long[0];
        if (lead < 0 || !Arrays.equals(trailing, Arrays.stream(in).asLongStream().toArray())) {
            throw new IllegalArgumentException("input has shape " + shape + ", expected (..., "
                    + Arrays.toString(in).replaceAll("[\\[\\]]", "") + ")");
        }
        DataType type = x.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("the kernels need float32 or float64 data, got " + type);
        }
        int batch = Math.toIntExact(shape.slice(0, lead).size());
        float[] src;
        try (NDScope scope = new NDScope()) { // frees the float32 copy of float64 input
            src = x.toType(DataType.FLOAT32, false).toFloatArray();
        }
        int n = op.domainSize(), m = op.rangeSize();
        float[] dst = new float[Math.multiplyExact(batch, m)];
        float[] slice = new float[n], result = new float[m];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(src, b * n, slice, 0, n);
            op.apply(slice, result);
            System.arraycopy(result, 0, dst, b * m, m);
        }
        long[] outShape = new long[lead + out.length];
        System.arraycopy(shape.getShape(), 0, outShape, 0, lead);
        for (int i = 0; i < out.length; i++) outShape[lead + i] = out[i];
        NDManager manager = x.getManager();
        return EngineArrays.copyOf(manager, dst, new Shape(outShape), type); // never the borrowed Java buffer
    }

    @Override
    public String toString() {
        return "NDArrayKernelOperator[" + op + "]";
    }
}
