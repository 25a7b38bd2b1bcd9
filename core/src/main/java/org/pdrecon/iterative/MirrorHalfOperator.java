package org.pdrecon.iterative;

import java.util.Arrays;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.KernelPool;
import org.pdrecon.operators.LinearOperator;

/**
 * One of the two independent systems of a mirror-symmetric scan ({@link MirrorSymmetry}), as a matrix-free
 * operator {@code B = Q_raysᵀ · A · Q_voxels}: the system matrix restricted to the mirror-symmetric (or
 * mirror-antisymmetric) images and data, written in orthonormal bases of those subspaces. A basis vector
 * is {@code (e_j ± e_M(j))/√2} for a voxel pair, or {@code e_j} for a voxel on the mirror plane (symmetric
 * half only); the same for rays. Because the bases are orthonormal and {@code A} commutes with the mirror,
 * {@code A = Q_s·B_s·Q_sᵀ + Q_a·B_a·Q_aᵀ} exactly: least squares, minimum norm and SIRT's iterates all split.
 *
 * <p>Each half needs only the rays of one view per mirror pair (plus the self-mirrored views), so one
 * application costs about half a projection of the whole scan, and the two halves together cost what the
 * unsplit system does, but share no data. Not thread-safe: one solver thread per instance.
 */
public final class MirrorHalfOperator implements LinearOperator {
    private static final float SQRT2 = (float) Math.sqrt(2), INV_SQRT2 = (float) (1 / Math.sqrt(2));

    private final boolean antisymmetric;
    private final MirrorSymmetry symmetry;
    private final ConeBeamProjector views;      // A on the representative views: one of each pair, then the self-mirrored
    private final int strictViews, plane;         // views of pairs among `views` (they come first); pixels per view
    private final int[] rayRep, rayFull, rayMate; // per coefficient: index in `views`' output, in the full data, of the mirror ray
    private final int[] voxel, voxelMate;          // per coefficient: voxel and its mirror (equal on the plane)
    private final float[] image, data;             // work buffers: a full image, the representative views' data
    private final LinearOperator adjoint;

    /**
     * @param geometry the whole scan; must have {@code symmetry}
     * @param antisymmetric the antisymmetric half (else the symmetric one)
     * @param pool the projector's threads (one per half when the halves run side by side)
     */
    public MirrorHalfOperator(ConeBeamGeometry geometry, MirrorSymmetry symmetry, boolean antisymmetric, KernelPool pool) {
        this.antisymmetric = antisymmetric;
        this.symmetry = symmetry;
        int nViews = geometry.views(), rows = geometry.detectorRows(), cols = geometry.detectorCols();
        int[] order = new int[nViews];
        int q = 0;
        for (int v = 0; v < nViews; v++) if (v < symmetry.partner(v)) order[q++] = v;
        strictViews = q;
        for (int v = 0; v < nViews; v++) if (v == symmetry.partner(v)) order[q++] = v;
        int[] rep = Arrays.copyOf(order, q);
        this.views = new ConeBeamProjector(geometry.subset(rep), pool);

        plane = rows * cols;
        int[] rr = new int[q * plane], rf = new int[q * plane], rm = new int[q * plane];
        int n = 0;
        for (int p = 0; p < q; p++) {
            int v = rep[p], w = symmetry.partner(v);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int cm = symmetry.partnerColumn(v, c, cols);
                    boolean fixed = v == w && c == cm;
                    if ((v == w && c > cm) || (fixed && antisymmetric)) continue;
                    rr[n] = (p * rows + r) * cols + c;
                    rf[n] = (v * rows + r) * cols + c;
                    rm[n] = (w * rows + r) * cols + cm;
                    n++;
                }
            }
        }
        rayRep = Arrays.copyOf(rr, n);
        rayFull = Arrays.copyOf(rf, n);
        rayMate = Arrays.copyOf(rm, n);

        int voxels = geometry.volume().voxelCount();
        int[] vx = new int[voxels], vm = new int[voxels];
        int k = 0;
        for (int j = 0; j < voxels; j++) {
            int mj = symmetry.mirrorVoxel(j);
            if (j > mj || (j == mj && antisymmetric)) continue;
            vx[k] = j;
            vm[k] = mj;
            k++;
        }
        voxel = Arrays.copyOf(vx, k);
        voxelMate = Arrays.copyOf(vm, k);
        image = new float[voxels];
        data = new float[views.rangeSize()];
        adjoint = new Adjoint();
    }

    /** Whether this is the antisymmetric half. */
    public boolean antisymmetric() { return antisymmetric; }

    @Override
    public int[] domainShape() { return new int[] {voxel.length}; }

    @Override
    public int[] rangeShape() { return new int[] {rayRep.length}; }

    @Override
    public void apply(float[] h, float[] out) {
        Vectors.requireLength("half image", h, voxel.length);
        Vectors.requireLength("half data", out, rayRep.length);
        Arrays.fill(image, 0f);
        expand(h, image);
        views.apply(image, data);
        for (int q = 0; q < rayRep.length; q++) out[q] = rayFull[q] == rayMate[q] ? data[rayRep[q]] : SQRT2 * data[rayRep[q]];
    }

    @Override
    public LinearOperator adjoint() { return adjoint; }

    /** The coefficients of full data {@code b} in this half's ray basis. */
    public float[] encodeData(float[] b) {
        return coefficients(b, rayFull, rayMate);
    }

    /** The coefficients of image {@code x} in this half's voxel basis. */
    public float[] encodeImage(float[] x) {
        return coefficients(x, voxel, voxelMate);
    }

    /** Inner products with the basis vectors {@code (e_i ± e_mate)/√2}, or {@code e_i} where the two are one. */
    private float[] coefficients(float[] full, int[] index, int[] mate) {
        float[] out = new float[index.length];
        float sign = antisymmetric ? -1f : 1f;
        for (int q = 0; q < out.length; q++) {
            int i = index[q], m = mate[q];
            out[q] = i == m ? full[i] : (full[i] + sign * full[m]) * INV_SQRT2;
        }
        return out;
    }

    /** Adds the image with coefficients {@code h} in this half's voxel basis to {@code x}. */
    public void addImage(float[] h, float[] x) {
        expand(h, x);
    }

    /** A per-ray array of the full scan (e.g. SIRT's row weights) as this half's coefficients (equal on mirror rays). */
    public float[] restrictRays(float[] full) {
        float[] out = new float[rayRep.length];
        for (int q = 0; q < out.length; q++) out[q] = full[rayFull[q]];
        return out;
    }

    /** A per-voxel array of the full scan (e.g. SIRT's column weights) as this half's coefficients (equal on mirror voxels). */
    public float[] restrictVoxels(float[] full) {
        float[] out = new float[voxel.length];
        for (int k = 0; k < out.length; k++) out[k] = full[voxel[k]];
        return out;
    }

    /** {@code A·1} of the whole scan, from this half's views alone (ray sums are equal on mirror rays). */
    public float[] fullRaySums(int rangeSize) {
        float[] ones = new float[image.length];
        Arrays.fill(ones, 1f);
        views.apply(ones, data);
        float[] out = new float[rangeSize];
        for (int q = 0; q < rayRep.length; q++) {
            out[rayFull[q]] = data[rayRep[q]];
            out[rayMate[q]] = data[rayRep[q]];
        }
        return out;
    }

    /**
     * {@code Aᵀ·1} of the whole scan, from this half's views: the back-projection of one view of each pair,
     * mirrored and added, plus the self-mirrored views.
     */
    public float[] fullVoxelSums() {
        int strict = strictViews * plane;
        Arrays.fill(data, 0f);
        Arrays.fill(data, 0, strict, 1f);
        float[] pairs = new float[image.length];
        views.adjoint().apply(data, pairs);
        Arrays.fill(data, 0f);
        Arrays.fill(data, strict, data.length, 1f);
        float[] self = new float[image.length];
        views.adjoint().apply(data, self);
        float[] out = new float[image.length];
        for (int j = 0; j < out.length; j++) out[j] = pairs[j] + pairs[symmetry.mirrorVoxel(j)] + self[j];
        return out;
    }

    private void expand(float[] h, float[] x) {
        float sign = antisymmetric ? -1f : 1f;
        for (int k = 0; k < voxel.length; k++) {
            int j = voxel[k], m = voxelMate[k];
            if (j == m) {
                x[j] += h[k];
            } else {
                float a = h[k] * INV_SQRT2;
                x[j] += a;
                x[m] += sign * a;
            }
        }
    }

    private final class Adjoint implements LinearOperator {
        @Override
        public int[] domainShape() { return MirrorHalfOperator.this.rangeShape(); }

        @Override
        public int[] rangeShape() { return MirrorHalfOperator.this.domainShape(); }

        @Override
        public void apply(float[] y, float[] out) {
            Vectors.requireLength("half data", y, rayRep.length);
            Vectors.requireLength("half image", out, voxel.length);
            Arrays.fill(data, 0f);
            for (int q = 0; q < rayRep.length; q++) data[rayRep[q]] = rayFull[q] == rayMate[q] ? y[q] : SQRT2 * y[q];
            views.adjoint().apply(data, image);
            System.arraycopy(encodeImage(image), 0, out, 0, voxel.length);
        }

        @Override
        public LinearOperator adjoint() { return MirrorHalfOperator.this; }
    }
}
