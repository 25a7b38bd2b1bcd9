package org.pdrecon.iterative;

import java.util.Arrays;
import java.util.List;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.OrderedSubsets;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.LinearOperator;

/**
 * OS-SART (ordered-subsets SART; Wang &amp; Jiang 2004, TIGRE's {@code OS_SART}): SIRT's update applied to
 * one subset of views at a time,
 *
 * <pre>  x ← x + λ · C_s · A_sᵀ · R_s · (b_s − A_s·x)   for s = s₁, s₂, …, s_K  (one pass)  </pre>
 *
 * with {@code R_s = diag(1 / (A_s·1))} and {@code C_s = diag(1 / (A_sᵀ·1))} of the subset's own operator
 * {@code A_s}. A pass costs one A and one Aᵀ in all, as a SIRT iteration does, but updates {@code x} K
 * times, so it converges in fewer passes (measured in docs/iterative.md). K = 1 is SIRT.
 *
 * <p><b>Subsets and their order</b>: {@link OrderedSubsets} (interleaved views, visited in bit-reversal order so
 * that consecutive subsets are far apart in angle). The order is the same in every pass.
 *
 * <p><b>Residual.</b> A pass reports ‖b − A·x‖ assembled from the subset residuals it computed on its way
 * (each at the {@code x} of its turn): no extra projection. The last pass's figure is therefore slightly
 * pessimistic.
 *
 * <p>{@code a} must be a {@link ConeBeamProjector}: its views make the subsets.
 */
public final class OsSart implements IterativeSolver {
    private final int subsets;
    private final double relaxation;

    /** @param subsets K ≥ 1 (1 = SIRT) @param relaxation λ in (0, 2) */
    public OsSart(int subsets, double relaxation) {
        if (subsets < 1) throw new IllegalArgumentException("OS-SART needs at least one subset, got " + subsets);
        if (!(relaxation > 0 && relaxation < 2)) {
            throw new IllegalArgumentException("OS-SART relaxation must be in (0, 2) for convergence, got " + relaxation);
        }
        this.subsets = subsets;
        this.relaxation = relaxation;
    }

    @Override
    public String name() {
        return "os-sart";
    }


    @Override
    public SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings) {
        if (!(a instanceof ConeBeamProjector full)) {
            throw new IllegalArgumentException("OS-SART takes its subsets from the views of a ConeBeamProjector, got " + a.getClass().getSimpleName());
        }
        ConeBeamGeometry g = full.geometry();
        int n = a.domainSize(), plane = g.detectorRows() * g.detectorCols();
        Vectors.requireLength("data b", b, a.rangeSize());
        Vectors.requireLength("start x", x, n);
        List<int[]> parts = OrderedSubsets.of(g.views(), subsets);
        int k = parts.size();
        // K column-weight volumes are the memory cost of OS-SART: if they do not fit, say so with the figure.
        long need = (long) (k + 4) * n * Float.BYTES + 3L * a.rangeSize() * Float.BYTES;
        ConeBeamProjector[] ops;
        float[][] bs, rowW, colW, r;
        float[] back;
        try {
            ops = new ConeBeamProjector[k];
            bs = new float[k][];
            rowW = new float[k][];
            colW = new float[k][];
            float[] onesN = new float[n];
            Arrays.fill(onesN, 1f);
            for (int s = 0; s < k; s++) {
                int[] views = parts.get(s);
                ops[s] = new ConeBeamProjector(g.subset(views));
                int m = views.length * plane;
                bs[s] = new float[m];
                for (int i = 0; i < views.length; i++) System.arraycopy(b, views[i] * plane, bs[s], i * plane, plane);
                rowW[s] = new float[m];
                colW[s] = new float[n];
                ops[s].apply(onesN, rowW[s]);
                float[] onesM = new float[m];
                Arrays.fill(onesM, 1f);
                ops[s].adjoint().apply(onesM, colW[s]);
                Vectors.invertPositive(rowW[s]);
                Vectors.invertPositive(colW[s]);
            }
            r = new float[k][];
            for (int s = 0; s < k; s++) r[s] = new float[bs[s].length];
            back = new float[n];
        } catch (OutOfMemoryError oom) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "OS-SART with %d subsets needs about %.1f GiB for its"
                    + " weights (one volume per subset), more than the heap holds: use fewer subsets or a larger heap (PDRECON_JAVA_OPTS=-Xmx…)",
                    k, need / 1073741824.0));
        }
        IterationMonitor monitor = new IterationMonitor(settings, x, b);
        if (settings.nonNegative()) Vectors.clipNegative(x);
        float lambda = (float) relaxation;
        for (int pass = 1; ; pass++) {
            double residual2 = 0;
            for (int s = 0; s < k; s++) {
                int m = bs[s].length;
                float[] rs = r[s];
                ops[s].apply(x, rs);
                for (int i = 0; i < m; i++) {
                    float d = bs[s][i] - rs[i];
                    residual2 += (double) d * d;
                    rs[i] = d * rowW[s][i];
                }
                ops[s].adjoint().apply(rs, back);
                float[] c = colW[s];
                for (int j = 0; j < n; j++) x[j] += lambda * c[j] * back[j];
                if (settings.nonNegative()) Vectors.clipNegative(x);
            }
            SolverResult.StopReason stop = monitor.report(pass, Math.sqrt(residual2));
            if (stop != null) return monitor.result(stop);
        }
    }
}
