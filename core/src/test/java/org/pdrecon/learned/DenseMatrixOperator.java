package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import org.pdrecon.operators.NDArrayOperator;

/**
 * A legitimate linear operator for tests: a fixed random dense matrix {@code M (rangeSize × domainSize)}
 * applied with {@code matMul}, outside autograd, over the trailing dimensions. Its adjoint applies
 * {@code Mᵀ}. Small and exact, so network tests need no projector.
 */
final class DenseMatrixOperator implements NDArrayOperator {
    private final int[] domain, range;
    private final NDArray matrix; // (range, domain)
    private final DenseMatrixOperator adjoint;

    DenseMatrixOperator(NDManager manager, int[] domain, int[] range, long seed, DataType type) {
        this.domain = domain.clone();
        this.range = range.clone();
        int m = size(range), n = size(domain);
        Random rnd = new Random(seed);
        double[] values = new double[m * n];
        for (int i = 0; i < values.length; i++) values[i] = rnd.nextGaussian() / Math.sqrt(n);
        this.matrix = manager.create(values, new Shape(m, n)).toType(type, false);
        this.adjoint = new DenseMatrixOperator(this);
    }

    private DenseMatrixOperator(DenseMatrixOperator forward) {
        this.domain = forward.range;
        this.range = forward.domain;
        this.matrix = forward.matrix.transpose();
        this.adjoint = forward;
    }

    @Override public int[] domainShape() { return domain.clone(); }
    @Override public int[] rangeShape() { return range.clone(); }
    @Override public NDArrayOperator adjoint() { return adjoint; }

    @Override
    public NDArray apply(NDArray x) {
        long[] s = x.getShape().getShape();
        int lead = s.length - domain.length;
        long batch = 1;
        for (int i = 0; i < lead; i++) batch *= s[i];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            NDArray flat = x.stopGradient().reshape(batch, size(domain));
            NDArray y = flat.matMul(matrix.transpose());
            long[] out = new long[lead + range.length];
            System.arraycopy(s, 0, out, 0, lead);
            for (int i = 0; i < range.length; i++) out[lead + i] = range[i];
            return y.reshape(new Shape(out));
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
