package org.pdrecon.learned;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.NDArrayConeBeamProjector;
import org.pdrecon.operators.NDArrayKernelOperator;
import org.pdrecon.operators.NDArrayOperator;

/**
 * What a learned model needs to run on a scan geometry, the same for training and inference: the operator
 * pair it unrolls, the shapes of its primal and dual inputs, the check that a 2D model meets a fan-beam scan
 * and a 3D model a cone-beam one, and how hard ‖A‖ is estimated. The initialiser of {@code x0} is
 * {@link Initialisers}.
 */
public final class ModelGeometry {
    /** Power iterations for ‖A‖ ({@link OperatorNorms}): the same number when training and when reconstructing. */
    public static final int NORM_ITERATIONS = 30;

    private ModelGeometry() {}

    /** {@code A}/{@code Aᵀ} for {@code geometry} on {@code device}: Java's kernels on CPU, the NDArray projector on GPU. */
    public static NDArrayOperator operator(ConeBeamGeometry geometry, Device device) {
        return device.isGpu() ? new NDArrayConeBeamProjector(geometry) : cpuOperator(geometry);
    }

    /**
     * What a model of {@code subsets} view subsets unrolls on {@code geometry}: the operator itself for one
     * subset, else a {@link ViewSubsets} of it (whose operator is still the whole scan's).
     */
    public static NDArrayOperator operator(ConeBeamGeometry geometry, Device device, int subsets) {
        if (subsets == 1) return operator(geometry, device);
        return ViewSubsets.split(geometry, subsets, g -> operator(g, device));
    }

    /** {@code A}/{@code Aᵀ} on Java's multithreaded kernels, wrapped for NDArrays. */
    public static NDArrayOperator cpuOperator(ConeBeamGeometry geometry) {
        return new NDArrayKernelOperator(new ConeBeamProjector(geometry));
    }

    /**
     * The network's input shape {@code [batch, 1, …]} for an operator side of shape {@code opShape} (3 axes): all
     * three axes in 3D; in 2D without {@code unitAxis} (the volume's z, or the detector's row axis).
     */
    private static Shape networkShape(int batch, int[] opShape, int unitAxis, int dimensions) {
        List<Long> s = new ArrayList<>(List.of((long) batch, 1L));
        for (int i = 0; i < 3; i++) if (dimensions == 3 || i != unitAxis) s.add((long) opShape[i]);
        return new Shape(s.stream().mapToLong(Long::longValue).toArray());
    }

    /** The primal input's shape for {@code batch} scans of {@code geometry}. */
    public static Shape primalShape(int batch, ConeBeamGeometry geometry, int dimensions) {
        return networkShape(batch, geometry.volume().shape(), 0, dimensions);
    }

    /** The dual input's (the projections') shape for {@code batch} scans of {@code geometry}. */
    public static Shape dualShape(int batch, ConeBeamGeometry geometry, int dimensions) {
        return networkShape(batch, new int[] {geometry.views(), geometry.detectorRows(), geometry.detectorCols()}, 1, dimensions);
    }

    /** Fails with a clear message if a 2D (fan-beam) model is paired with a 3D scan or the other way round. */
    public static void requireCompatible(LearnedPrimalDualConfig model, ConeBeamGeometry g) {
        boolean fan = g.volume().nz() == 1 && g.detectorRows() == 1;
        if (model.dimensions() == 2 && !fan) {
            throw new IllegalArgumentException("the model is 2D (fan beam) but the scan has nz = " + g.volume().nz() + " and "
                    + g.detectorRows() + " detector rows; a 2D model needs nz = 1 and one detector row");
        }
        if (model.dimensions() == 3 && (g.volume().nz() == 1 || g.detectorRows() == 1)) {
            throw new IllegalArgumentException("the model is 3D (cone beam) but the scan has nz = " + g.volume().nz() + " and "
                    + g.detectorRows() + " detector rows; use a 2D model for single slices");
        }
    }
}
