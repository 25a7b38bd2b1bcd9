package org.pdrecon.fdk;

import java.io.IOException;
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
 *   <li>an offset ("half-fan") detector on a full circle: its narrow side is filled in from conjugate
 *       rays ({@link HalfFanCompletion}) and the scan is reconstructed as a centred one;</li>
 *   <li>weights: Feldkamp cosine weights, and Parker redundancy weights for a short scan
 *       ({@link FdkWeighting});</li>
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
    /** Projection bytes held at once while streaming (a chunk of views). */
    static final long CHUNK_BYTES = 32L << 20;

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
        try {
            return reconstruct(ViewSource.of(projections), geometry, progress);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a stack in memory does no I/O
        }
    }

    /**
     * Streams the scan through memory: views are read, weighted, filtered and backprojected a chunk at a
     * time (about {@value #CHUNK_BYTES} bytes of projections), so memory holds the volume and one chunk,
     * not the scan. The result does not depend on the chunk size beyond float round-off of the sum order,
     * and not at all on the thread count.
     *
     * @param progress called after each chunk; may be null
     * @throws IllegalArgumentException for non-circular geometries, too short arcs, or shapes that do not match
     * @throws IOException from the source
     */
    public Volume reconstruct(ViewSource source, ConeBeamGeometry geometry, FdkProgress progress) throws IOException {
        return reconstruct(source, geometry, progress, CHUNK_BYTES);
    }

    /** As above with {@code chunkBytes} of projections held at once (at least one view). */
    Volume reconstruct(ViewSource source, ConeBeamGeometry geometry, FdkProgress progress, long chunkBytes) throws IOException {
        if (source == null) throw new IllegalArgumentException("projections are missing");
        if (geometry == null) throw new IllegalArgumentException("geometry is missing");
        FdkWeighting weighting = new FdkWeighting(geometry); // validates the scan
        CircularOrbit orbit = geometry.orbit().orElseThrow();
        int views = source.views(), rows = source.rows(), cols = source.cols();
        if (views != geometry.views() || rows != geometry.detectorRows() || cols != geometry.detectorCols()) {
            throw new IllegalArgumentException("projections are " + views + "×" + rows + "×" + cols
                    + " (views×rows×cols), the geometry describes " + geometry.views() + "×" + geometry.detectorRows() + "×"
                    + geometry.detectorCols());
        }
        if (weighting.offsetDetector()) {
            // An offset detector: fill in its narrow side from conjugate rays and reconstruct as a centred one; Wang's
            // weights before the ramp filter would bias μ beyond the overlap (docs/fdk.md). The scan is then in memory.
            HalfFanCompletion.Completed whole = HalfFanCompletion.complete(source, geometry);
            return reconstruct(ViewSource.of(whole.projections()), whole.geometry(), progress, chunkBytes);
        }
        double du = Math.sqrt(dot(geometry.u(0), geometry.u(0)));
        double tau = du * orbit.sodMm() / orbit.sddMm();
        double[] w = weighting.angularWeights();
        for (int i = 0; i < views; i++) w[i] *= 0.5; // the ½Δθ angular weights
        FdkBackprojector bp = new FdkBackprojector(geometry);
        Volume out = Volume.zeros(geometry.volume());
        int perView = rows * cols;
        int chunk = (int) Math.max(1, Math.min(views, chunkBytes / (4L * perView)));
        float[] buf = new float[chunk * perView];
        for (int v0 = 0; v0 < views; v0 += chunk) {
            int n = Math.min(chunk, views - v0);
            float[] part = n == chunk ? buf : new float[n * perView];
            source.read(v0, n, part);
            weighting.applyToViews(part, v0, n);
            filter.filterRows(part, n * rows, cols, tau);
            if (progress != null) progress.update(FdkProgress.Stage.WEIGHTING_AND_FILTERING, v0 + n, views);
            bp.accumulate(part, v0, n, w, out.data());
            if (progress != null) progress.update(FdkProgress.Stage.BACKPROJECTION, v0 + n, views);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
