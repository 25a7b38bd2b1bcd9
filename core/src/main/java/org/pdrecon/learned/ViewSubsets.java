package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.OrderedSubsets;
import org.pdrecon.operators.NDArrayOperator;

/**
 * A scan's operator {@code A} together with its {@link OrderedSubsets ordered view subsets} {@code A_s}, for
 * ordered-subset primal-dual networks ({@code model.subsets} = K): unrolled iteration k works on subset
 * {@code k mod K} only, so it pays 1/K of a projection, a backprojection and a dual CNN over the whole
 * scan. As an operator it is the whole scan's {@code A} (for ‖A‖ and everything else).
 */
public final class ViewSubsets implements NDArrayOperator {
    private final NDArrayOperator whole;
    private final List<int[]> views;
    private final List<NDArrayOperator> parts;

    private ViewSubsets(NDArrayOperator whole, List<int[]> views, List<NDArrayOperator> parts) {
        this.whole = whole;
        this.views = views;
        this.parts = parts;
    }

    /** {@code k} subsets of {@code g}'s views, each part's operator made by {@code operator} from its sub-geometry. */
    public static ViewSubsets split(ConeBeamGeometry g, int k, Function<ConeBeamGeometry, NDArrayOperator> operator) {
        if (k < 1) throw new IllegalArgumentException("view subsets must be at least 1, got " + k);
        if (k > g.views()) throw new IllegalArgumentException(k + " view subsets need at least " + k + " views, the scan has " + g.views());
        if (k == 1) return whole(operator.apply(g));
        List<int[]> views = OrderedSubsets.of(g.views(), k);
        List<NDArrayOperator> parts = new ArrayList<>();
        for (int[] v : views) parts.add(operator.apply(g.subset(v)));
        return new ViewSubsets(operator.apply(g), views, List.copyOf(parts));
    }

    /** One subset that is the whole scan: what a model without subsets runs on. */
    static ViewSubsets whole(NDArrayOperator op) {
        int[] all = new int[op.rangeShape()[0]];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return new ViewSubsets(op, List.<int[]>of(all), List.of(op));
    }

    /**
     * The subsets a network of {@code k} subsets runs on: {@code op} itself for k = 1, else {@code op} must
     * be a {@code ViewSubsets} of {@code k} parts ({@link ModelGeometry#operator(ConeBeamGeometry, ai.djl.Device, int)}).
     */
    static ViewSubsets require(NDArrayOperator op, int k) {
        Objects.requireNonNull(op, "operator");
        if (op instanceof ViewSubsets s) {
            if (s.count() != k) throw new IllegalArgumentException("the model runs " + k + " view subsets, the operator has " + s.count());
            return s;
        }
        if (k == 1) return whole(op);
        throw new IllegalArgumentException("a model of " + k + " view subsets needs its operator split by views "
                + "(ModelGeometry.operator with the model's subsets), got " + op.getClass().getSimpleName());
    }

    /**
     * Each subset's operator as a network sees it, {@code A_s·√K/‖A‖} ({@code ‖A_s‖ ≈ ‖A‖/√K} for interleaved
     * views, so every subset's projections keep the scale of the whole scan's; K = 1: {@code A/‖A‖} exactly).
     */
    NDArrayOperator[] normalisedParts(double operatorNorm) {
        NDArrayOperator[] a = new NDArrayOperator[count()];
        for (int s = 0; s < a.length; s++) a[s] = new ScaledOperator(parts.get(s), Math.sqrt(count()) / operatorNorm);
        return a;
    }

    /** Each subset's network layout: {@code whole} (the layout of {@code x0} and {@code y}) for one subset. */
    NetworkLayout[] layouts(NetworkLayout whole, int dimensions, Shape x0, Shape y) {
        NetworkLayout[] out = new NetworkLayout[count()];
        for (int s = 0; s < out.length; s++) {
            if (count() == 1) {
                out[s] = whole;
            } else {
                long[] ys = y.getShape().clone();
                ys[2] = views.get(s).length;
                out[s] = new NetworkLayout(dimensions, parts.get(s), x0, new Shape(ys));
            }
        }
        return out;
    }

    /** How many subsets. */
    public int count() {
        return parts.size();
    }

    /** Subset {@code s}'s views (ascending), in the order the network visits subsets. */
    public int[] views(int s) {
        return views.get(s).clone();
    }

    /** Subset {@code s}'s operator {@code A_s}. */
    public NDArrayOperator part(int s) {
        return parts.get(s);
    }

    /**
     * Subset {@code s}'s views of data {@code y} shaped {@code (N, C, views, …)}: a view of {@code y} itself for
     * one subset, else a new array of the views {@code v₀, v₀ + K, …}.
     */
    public NDArray data(NDArray y, int s) {
        if (count() == 1) return y;
        int[] v = views.get(s);
        return y.get(":, :, " + v[0] + "::" + count());
    }

    @Override public int[] domainShape() { return whole.domainShape(); }
    @Override public int[] rangeShape() { return whole.rangeShape(); }
    @Override public NDArray apply(NDArray x) { return whole.apply(x); }
    @Override public NDArrayOperator adjoint() { return whole.adjoint(); }
}
