package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pdrecon.operators.NDArrayOperator;

/**
 * Reshapes between a primal-dual network's layout {@code (N, C, spatial…)} and its operator's
 * {@code (N, C, a, b, c)}: a 2D network drops the unit z axis of volumes and the unit detector-row axis
 * of projections, a 3D network keeps all three. Validates the inputs' shapes against the operator once.
 */
final class NetworkLayout {
    private final int dimensions;
    private final int[] domain, range;

    NetworkLayout(int dimensions, NDArrayOperator op, Shape x0, Shape y) {
        this.dimensions = dimensions;
        this.domain = op.domainShape();
        this.range = op.rangeShape();
        if (dimensions == 2 && (domain[0] != 1 || range[1] != 1)) {
            throw new IllegalArgumentException("a 2D model needs a single-slice volume and one detector row, the operator maps "
                    + Arrays.toString(domain) + " → " + Arrays.toString(range));
        }
        Shape wantX = net(x0.get(0), domain, 0), wantY = net(y.get(0), range, 1);
        if (!x0.equals(wantX)) throw new IllegalArgumentException("x0 has shape " + x0 + ", the operator needs " + wantX);
        if (!y.equals(wantY)) throw new IllegalArgumentException("y has shape " + y + ", the operator needs " + wantY);
    }

    /** {@code like} with its channel axis (1) set to {@code c}. */
    static Shape withChannels(Shape like, int c) {
        long[] s = like.getShape().clone();
        s[1] = c;
        return new Shape(s);
    }

    NDArray volumeToOperator(NDArray x) { return x.reshape(operatorShape(x, domain)); }
    NDArray projectionsToOperator(NDArray x) { return x.reshape(operatorShape(x, range)); }
    NDArray volumeFromOperator(NDArray x) { return x.reshape(netShape(x, 2)); }
    NDArray projectionsFromOperator(NDArray x) { return x.reshape(netShape(x, 3)); }

    /** (N, 1, spatial) in the network's layout for an operator shape; 2D drops the operator's unit axis {@code unitAxis}. */
    private Shape net(long n, int[] opShape, int unitAxis) {
        List<Long> s = new ArrayList<>(List.of(n, 1L));
        for (int i = 0; i < 3; i++) if (dimensions == 3 || i != unitAxis) s.add((long) opShape[i]);
        return new Shape(s.stream().mapToLong(Long::longValue).toArray());
    }

    private static Shape operatorShape(NDArray x, int[] op) {
        return new Shape(x.getShape().get(0), x.getShape().get(1), op[0], op[1], op[2]);
    }

    /** Drops the unit axis {@code unitAxis} of an operator-shaped array in 2D; 3D is unchanged. */
    private Shape netShape(NDArray x, int unitAxis) {
        if (dimensions == 3) return x.getShape();
        long[] s = x.getShape().getShape();
        long[] out = new long[4];
        for (int i = 0, j = 0; i < 5; i++) if (i != unitAxis) out[j++] = s[i];
        return new Shape(out);
    }
}
