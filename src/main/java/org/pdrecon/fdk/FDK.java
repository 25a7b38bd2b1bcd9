package org.pdrecon.fdk;

import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.operators.FdkBackprojector;

/**
 * Feldkamp–Davis–Kress reconstruction of a circular cone-beam scan (Feldkamp et al. 1984; Kak &amp;
 * Slaney 1988 §3.6), in μ (1/mm) from line integrals. The recipe, as in TIGRE's {@code FDK}:
 *
 * <ol>
 *   <li>weights: Feldkamp cosine weights, and Parker (short scan) or Wang (offset detector)
 *       redundancy weights ({@link FdkWeighting});</li>
 *   <li>filter: each detector row with the windowed ramp ({@link RampFilter}) at the sampling interval
 *       of the detector scaled to the rotation axis, {@code τ = du·SOD/SDD};</li>
 *   <li>backproject: {@link FdkBackprojector}, {@code f(X) = Σ_i ½Δθ_i · (SOD/L_i(X))² · q_i(X)}
 *       with per-view angular weights Δθ_i from {@link AngularWeights}.</li>
 * </ol>
 *
 * Why these constants give μ in 1/mm is derived in {@code docs/fdk.md}. Input projections are not
 * modified. Shapes: projections {@code [views][rows][cols]} matching the geometry, output volume
 * {@code [nz][ny][nx]} on the geometry's grid.
 */
public final class FDK {
    private final RampFilter filter;

    /** FDK with a Ram-Lak filter at full bandwidth. */
    public FDK() {
        this(FilterWindow.RAM_LAK, 1.0);
    }

    /**
     * @param window ramp apodisation
     * @param cutoff cut-off frequency as a fraction of Nyquist, (0, 1]
     */
    public FDK(FilterWindow window, double cutoff) {
        this.filter = new RampFilter(window, cutoff);
    }

    public RampFilter filter() {
        return filter;
    }

    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry) {
        return reconstruct(projections, geometry, null);
    }

    /**
     * @param progress called after each chunk of views in each stage; may be null
     * @throws IllegalArgumentException for non-circular geometries, too short arcs, or shapes that do not match
     */
    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, FdkProgress progress) {
        if (projections == null) throw new IllegalArgumentException("projections are missing");
        if (geometry == null) throw new IllegalArgumentException("geometry is missing");
        FdkWeighting weighting = new FdkWeighting(geometry); // validates the scan and the shapes below
        CircularOrbit orbit = geometry.orbit().orElseThrow();
        int views = projections.views(), rows = projections.rows(), cols = projections.cols();

        // 1–2: weight and filter a copy, view chunk by view chunk so progress can be reported.
        ProjectionStack q = projections.copy();
        weighting.apply(q);
        double du = Math.sqrt(dot(geometry.u(0), geometry.u(0)));
        double tau = du * orbit.sodMm() / orbit.sddMm();
        int chunk = Math.max(1, views / 20), perView = rows * cols;
        float[] data = q.data(), buf = new float[chunk * perView];
        for (int v0 = 0; v0 < views; v0 += chunk) {
            int n = Math.min(chunk, views - v0);
            float[] part = n == chunk ? buf : new float[n * perView];
            System.arraycopy(data, v0 * perView, part, 0, n * perView);
            filter.filterRows(part, n * rows, cols, tau);
            System.arraycopy(part, 0, data, v0 * perView, n * perView);
            if (progress != null) progress.update(FdkProgress.Stage.WEIGHTING_AND_FILTERING, v0 + n, views);
        }

        // 3: backproject with the ½Δθ angular weights.
        double[] w = weighting.angularWeights();
        for (int i = 0; i < views; i++) w[i] *= 0.5;
        FdkBackprojector bp = new FdkBackprojector(geometry);
        Volume out = Volume.zeros(geometry.volume());
        if (progress == null) {
            bp.apply(data, w, out.data());
            return out;
        }
        // With progress: backproject view chunks (the others weighted 0, which the kernel skips) and add up.
        float[] partial = new float[out.data().length], acc = out.data();
        double[] wc = new double[views];
        int bchunk = Math.max(1, (views + 9) / 10);
        for (int v0 = 0; v0 < views; v0 += bchunk) {
            int v1 = Math.min(views, v0 + bchunk);
            java.util.Arrays.fill(wc, 0);
            System.arraycopy(w, v0, wc, v0, v1 - v0);
            bp.apply(data, wc, partial);
            for (int i = 0; i < acc.length; i++) acc[i] += partial[i];
            progress.update(FdkProgress.Stage.BACKPROJECTION, v1, views);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
