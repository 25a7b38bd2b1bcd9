package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.fdk.FDK;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.operators.NDArrayOperator;

/**
 * The primal initialisation {@code x0} of a learned primal-dual network, computed from the measured
 * line integrals {@code y}.
 * <ul>
 *   <li>{@code fdk}: FDK with a Ram-Lak filter ({@link FDK}), DESIGN.md's default;</li>
 *   <li>{@code zeros}: {@code x0 = 0}, as in Adler &amp; Öktem's paper;</li>
 *   <li>{@code backprojection}: one SIRT step from zero, {@code x0 = C·Aᵀ(R·y)} with
 *       {@code R = 1 / (A·1)} per ray and {@code C = 1 / (Aᵀ·1)} per voxel (zero where a ray misses the
 *       volume or a voxel is never seen): a blurred but correctly scaled image in 1/mm.</li>
 * </ul>
 */
public final class Initialisers {
    /** The accepted names, as written in a training config. */
    public static final List<String> NAMES = List.of("fdk", "zeros", "backprojection");

    private Initialisers() {}

    /**
     * {@code x0} for projections {@code y} ({@code [views][rows][cols]} of {@code geometry}), μ in 1/mm on
     * the geometry's grid; {@code op} is the geometry's projector pair, used by {@code backprojection}.
     */
    public static float[] initialise(String name, ConeBeamGeometry geometry, NDArrayOperator op, NDManager manager, float[] y) {
        int[] d = op.domainShape(), r = op.rangeShape();
        switch (name) {
            case "fdk":
                return new FDK().reconstruct(new ProjectionStack(r[0], r[1], r[2], y), geometry).data();
            case "zeros":
                return new float[d[0] * d[1] * d[2]];
            case "backprojection":
                try (NDManager m = manager.newSubManager()) {
                    float[] rowSums = op.apply(m.ones(new Shape(d[0], d[1], d[2]))).toFloatArray();
                    float[] colSums = op.adjoint().apply(m.ones(new Shape(r[0], r[1], r[2]))).toFloatArray();
                    float[] weighted = new float[y.length];
                    for (int i = 0; i < y.length; i++) weighted[i] = rowSums[i] > 0 ? y[i] / rowSums[i] : 0f;
                    float[] x = op.adjoint().apply(m.create(weighted, new Shape(r[0], r[1], r[2]))).toFloatArray();
                    for (int i = 0; i < x.length; i++) x[i] = colSums[i] > 0 ? x[i] / colSums[i] : 0f;
                    return x;
                }
            default:
                throw new IllegalArgumentException("unknown initialiser \"" + name + "\"; use one of " + NAMES);
        }
    }
}
