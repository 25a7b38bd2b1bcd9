package org.pdrecon.simulation;

import java.util.List;
import java.util.function.IntConsumer;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Exact cone-beam line integrals through an analytic {@link Phantom}, for any
 * {@link ConeBeamGeometry} (circular or per-view vectors). Independent of the toolkit's discrete
 * projector, so simulated data carry no inverse crime.
 *
 * <p>For view {@code v}, detector pixel {@code (r, c)} and supersampling {@code s}, rays run from the
 * source {@code S(v)} to the {@code s×s} sub-pixel points
 * {@code D + (c + ½ − cols/2 + δ_n)·u + (r + ½ − rows/2 + δ_m)·v} with {@code δ = (k + ½)/s − ½},
 * i.e. the centres of an {@code s×s} subdivision of the pixel (the pixel centre itself for
 * {@code s = 1}, as {@link ConeBeamGeometry#pixelCentre}). Each ray's integral is
 * {@code Σ_e Δμ_e · |ray ∩ e|} over the segment from source to detector; the pixel value is the mean
 * over its rays (the mean of line integrals, i.e. the linear detector model, not the mean of
 * transmissions). Output: {@code [view][row][col]}, dimensionless.
 *
 * <p>Views are split over a fixed pool, each view written by one task, so the result does not
 * depend on the thread count.
 */
public final class AnalyticProjector {
    private AnalyticProjector() {}

    /** Projects with pixel supersampling {@code s}, one thread per core, no progress reporting. */
    public static ProjectionStack project(Phantom phantom, ConeBeamGeometry geometry, int supersampling) {
        return project(phantom, geometry, supersampling, Parallel.defaultThreads(), null);
    }

    /**
     * @param supersampling sub-pixel rays per pixel edge {@code s ≥ 1}
     * @param threads worker threads {@code ≥ 1}
     * @param viewsDone called on the calling thread with the number of finished views (1 … views),
     *     e.g. to drive a progress bar; may be {@code null}
     */
    public static ProjectionStack project(Phantom phantom, ConeBeamGeometry geometry, int supersampling,
                                          int threads, IntConsumer viewsDone) {
        if (geometry == null) throw new IllegalArgumentException("geometry is missing");
        ProjectionStack out = ProjectionStack.zeros(geometry.views(), geometry.detectorRows(), geometry.detectorCols());
        projectInto(phantom, geometry, supersampling, threads, viewsDone, out);
        return out;
    }

    /** As {@link #project(Phantom, ConeBeamGeometry, int, int, IntConsumer)}, overwriting {@code out}. */
    public static void projectInto(Phantom phantom, ConeBeamGeometry geometry, int supersampling, int threads,
                                   IntConsumer viewsDone, ProjectionStack out) {
        if (phantom == null) throw new IllegalArgumentException("phantom is missing");
        if (geometry == null) throw new IllegalArgumentException("geometry is missing");
        if (supersampling < 1) throw new IllegalArgumentException("supersampling must be at least 1, got " + supersampling);
        if (out.views() != geometry.views() || out.rows() != geometry.detectorRows() || out.cols() != geometry.detectorCols()) {
            throw new IllegalArgumentException("output stack is " + out.views() + "×" + out.rows() + "×" + out.cols()
                    + ", geometry needs " + geometry.views() + "×" + geometry.detectorRows() + "×" + geometry.detectorCols());
        }
        Parallel.forEach(geometry.views(), threads,
                view -> projectView(phantom.solids(), geometry, supersampling, view, out), viewsDone);
    }

    private static void projectView(List<Solid> solids, ConeBeamGeometry g, int s, int view, ProjectionStack out) {
        int rows = g.detectorRows(), cols = g.detectorCols();
        double[] src = g.source(view), d = g.detectorCentre(view), u = g.u(view), v = g.v(view);
        Solid[] es = solids.toArray(new Solid[0]);
        double[] values = new double[es.length];
        for (int e = 0; e < es.length; e++) values[e] = es[e].valuePerMm();
        double[] delta = new double[s];
        for (int k = 0; k < s; k++) delta[k] = (k + 0.5) / s - 0.5;
        double inv = 1.0 / ((double) s * s);
        float[] data = out.data();
        DetectorFootprints footprints = new DetectorFootprints(es, g, view); // each pixel tests only the solids it can see
        int[] seen = new int[footprints.maxPerPixel()];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int count = footprints.seenBy(r, c, seen);
                double sum = 0;
                for (int m = 0; m < s; m++) {
                    double b = r + 0.5 - rows / 2.0 + delta[m];
                    for (int n = 0; n < s; n++) {
                        double a = c + 0.5 - cols / 2.0 + delta[n];
                        // Pixel point as in ConeBeamGeometry.pixelCentre, then the unit ray from the source.
                        double px = d[0] + a * u[0] + b * v[0] - src[0];
                        double py = d[1] + a * u[1] + b * v[1] - src[1];
                        double pz = d[2] + a * u[2] + b * v[2] - src[2];
                        double len = Math.sqrt(px * px + py * py + pz * pz);
                        double ux = px / len, uy = py / len, uz = pz / len;
                        for (int i = 0; i < count; i++) {
                            int e = seen[i];
                            double chord = es[e].chordLengthMm(src[0], src[1], src[2], ux, uy, uz, len);
                            if (chord > 0) sum += values[e] * chord;
                        }
                    }
                }
                data[out.index(view, r, c)] = (float) (sum * inv);
            }
        }
    }
}
