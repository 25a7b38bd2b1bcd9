package org.pdrecon.fields;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.tape.EngineArrays;

/**
 * A dense multi-resolution feature grid sampled at the voxel centres of a volume: level {@code l} is a
 * tensor of {@code F} features on {@code rz × ry × rx} nodes spread evenly over the volume's box, and a
 * voxel's features are the trilinear interpolation of its level's nodes, concatenated over levels.
 *
 * <p>Trilinear interpolation at fixed points is separable, so a level is sampled by three small matrix
 * products, one interpolation matrix per axis ({@code n × r}): {@code G ×ₓ Uₓ ×ᵧ Uᵧ ×_z U_z}. That is
 * plain BLAS for the engine and for autograd, with no gathers or scatters, which is why this grid
 * (rather than a hashed one) is the encoding pdrecon uses on CPU: see docs/neural-fields.md.
 *
 * <p>Node {@code k} of an axis with {@code r} nodes over {@code n} voxels sits at voxel coordinate
 * {@code (k + ½)·n/r − ½}; voxels beyond the outer nodes take the outer node's value. With
 * {@code r = n} the matrix is the identity, with {@code r = 1} a column of ones.
 */
public final class DenseGridEncoding {
    private final FieldConfig config;
    private final VolumeGrid grid;
    private final int[][] resolutions;     // per level {rz, ry, rx}
    private final float[][][] matrices;    // per level {Uz (nz×rz), Uy (ny×ry), UxT (rx×nx)}

    public DenseGridEncoding(FieldConfig config, VolumeGrid grid) {
        this.config = config;
        this.grid = grid;
        resolutions = new int[config.levels()][];
        matrices = new float[config.levels()][][];
        for (int l = 0; l < config.levels(); l++) {
            int[] r = config.resolution(l, grid);
            resolutions[l] = r;
            matrices[l] = new float[][] {interpolation(grid.nz(), r[0]), interpolation(grid.ny(), r[1]), transpose(interpolation(grid.nx(), r[2]), grid.nx(), r[2])};
        }
    }

    /** Level {@code l}'s parameter shape {@code (F, rz, ry, rx)}. */
    public Shape levelShape(int l) {
        int[] r = resolutions[l];
        return new Shape(config.features(), r[0], r[1], r[2]);
    }

    public VolumeGrid grid() {
        return grid;
    }

    /**
     * The features at every voxel centre.
     *
     * @param levels one array per level, shaped {@link #levelShape}; all of one data type
     * @return {@code (levels·F, nz·ny·nx)}, voxels in {@code [z][y][x]} order, on {@code manager}
     */
    public NDArray encode(NDManager manager, List<NDArray> levels) {
        if (levels.size() != resolutions.length) throw new IllegalArgumentException("expected " + resolutions.length + " grid levels, got " + levels.size());
        int nz = grid.nz(), ny = grid.ny(), nx = grid.nx(), f = config.features();
        NDList sampled = new NDList();
        for (int l = 0; l < resolutions.length; l++) {
            NDArray g = levels.get(l);
            if (!g.getShape().equals(levelShape(l))) throw new IllegalArgumentException("grid level " + l + " has shape " + g.getShape() + ", expected " + levelShape(l));
            DataType type = g.getDataType();
            int rz = resolutions[l][0], ry = resolutions[l][1], rx = resolutions[l][2];
            NDArray uz = matrix(manager, matrices[l][0], nz, rz, type);
            NDArray uy = matrix(manager, matrices[l][1], ny, ry, type);
            NDArray uxT = matrix(manager, matrices[l][2], rx, nx, type);
            NDArray alongX = g.reshape(f * rz * ry, rx).matMul(uxT);                 // (F·rz·ry, nx)
            NDArray alongY = uy.matMul(alongX.reshape(f * rz, ry, nx));               // (F·rz, ny, nx), batched
            NDArray alongZ = uz.matMul(alongY.reshape(f, rz, ny * nx));               // (F, nz, ny·nx), batched
            sampled.add(alongZ.reshape(f, (long) nz * ny * nx));
        }
        return sampled.size() == 1 ? sampled.head() : NDArrays.concat(sampled, 0);
    }

    private static NDArray matrix(NDManager manager, float[] values, int rows, int cols, DataType type) {
        return EngineArrays.copyOf(manager, values, new Shape(rows, cols), type); // autograd keeps it for the backward pass
    }

    /** The {@code n × r} matrix of linear interpolation weights (rows: voxels, columns: nodes). */
    static float[] interpolation(int n, int r) {
        float[] u = new float[n * r];
        for (int i = 0; i < n; i++) {
            double t = (i + 0.5) * r / n - 0.5;
            if (t <= 0) {
                u[i * r] = 1;
            } else if (t >= r - 1) {
                u[i * r + r - 1] = 1;
            } else {
                int k = (int) Math.floor(t);
                double w = t - k;
                u[i * r + k] = (float) (1 - w);
                u[i * r + k + 1] = (float) w;
            }
        }
        return u;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
        return t;
    }
}
