package org.pdrecon.preprocessing;

import java.util.Arrays;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;

/**
 * Detector-level corrections: bad (dead or hot) pixel detection and repair, cropping and binning.
 * Cropping and binning change the detector, so they return the matching circular geometry too: the
 * centre offset moves with the kept region, so every physical ray keeps its pixel.
 */
public final class DetectorCorrections {
    private DetectorCorrections() {}

    /** Projections with their geometry. */
    public record Scan(ProjectionStack projections, ConeBeamGeometry geometry) {}

    /** Repair outcome: the repaired stack, and pixels whose neighbourhood held no good pixel (left as they were). */
    public record Repair(ProjectionStack projections, int repairedPixels, int unrepairablePixels) {}

    /**
     * Pixels that deviate from their 3×3 neighbourhood in the same way in every view. For each pixel,
     * d = median over views of (value − median of its 3×3 neighbours) and L = median over views of that
     * neighbour median. A pixel is bad when |d − median(d)| exceeds {@code threshold} robust spreads of d
     * over the detector (1.4826·MAD) <em>and</em> {@code minRelative}·|L|: the first test rejects noise,
     * the second the one-sided neighbourhoods of edge pixels on steep gradients. A defect is fixed to
     * the detector while the object moves across it, so the median over views keeps it and drops the
     * object. Suited to dead, stuck and hot pixels (gain differences are the flood field's job).
     *
     * @param threshold robust spreads, e.g. 6
     * @param minRelative smallest deviation relative to the local signal, e.g. 0.2
     * @return {@code [row][col]} mask, true for bad pixels
     */
    public static boolean[] findBadPixels(ProjectionStack s, double threshold, double minRelative) {
        int rows = s.rows(), cols = s.cols(), n = s.views(), plane = rows * cols;
        double[] deviation = new double[plane], level = new double[plane];
        double[] perView = new double[n], levels = new double[n];
        double[] neighbours = new double[8];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int v = 0; v < n; v++) {
                    int k = 0;
                    for (int dr = -1; dr <= 1; dr++) {
                        for (int dc = -1; dc <= 1; dc++) {
                            int rr = r + dr, cc = c + dc;
                            if ((dr != 0 || dc != 0) && rr >= 0 && rr < rows && cc >= 0 && cc < cols) neighbours[k++] = s.get(v, rr, cc);
                        }
                    }
                    double local = k == 0 ? s.get(v, r, c) : median(neighbours, k);
                    perView[v] = s.get(v, r, c) - local;
                    levels[v] = local;
                }
                deviation[r * cols + c] = median(perView, n);
                level[r * cols + c] = Math.abs(median(levels, n));
            }
        }
        double centre = median(deviation.clone(), plane);
        double[] abs = new double[plane];
        for (int i = 0; i < plane; i++) abs[i] = Math.abs(deviation[i] - centre);
        double spread = 1.4826 * median(abs, plane);
        boolean[] bad = new boolean[plane];
        for (int i = 0; i < plane; i++) {
            double d = Math.abs(deviation[i] - centre);
            bad[i] = d > threshold * spread && d > minRelative * level[i];
        }
        return bad;
    }

    /** Replaces each bad pixel, in every view, by the median of the good pixels among its 8 (then 24) neighbours. */
    public static Repair repairBadPixels(ProjectionStack s, boolean[] bad) {
        int rows = s.rows(), cols = s.cols(), n = s.views();
        if (bad.length != rows * cols) throw new IllegalArgumentException("bad-pixel mask has " + bad.length + " pixels, the detector " + rows + "×" + cols);
        ProjectionStack out = s.copy();
        int repaired = 0, unrepairable = 0;
        double[] good = new double[24];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (!bad[r * cols + c]) continue;
                boolean fixed = false;
                for (int radius = 1; radius <= 2 && !fixed; radius++) {
                    for (int v = 0; v < n; v++) {
                        int k = 0;
                        for (int dr = -radius; dr <= radius; dr++) {
                            for (int dc = -radius; dc <= radius; dc++) {
                                int rr = r + dr, cc = c + dc;
                                if (rr >= 0 && rr < rows && cc >= 0 && cc < cols && !bad[rr * cols + cc]) good[k++] = s.get(v, rr, cc);
                            }
                        }
                        if (k == 0) break;
                        out.set(v, r, c, (float) median(good, k));
                        fixed = true;
                    }
                }
                if (fixed) repaired++; else unrepairable++;
            }
        }
        return new Repair(out, repaired, unrepairable);
    }

    /** Keeps rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)}; the detector offset follows. */
    public static Scan crop(ProjectionStack s, ConeBeamGeometry g, int rowFrom, int rowTo, int colFrom, int colTo) {
        int rows = s.rows(), cols = s.cols();
        if (rowFrom < 0 || rowTo > rows || rowFrom >= rowTo || colFrom < 0 || colTo > cols || colFrom >= colTo) {
            throw new IllegalArgumentException("crop rows [" + rowFrom + ", " + rowTo + ") columns [" + colFrom + ", " + colTo
                    + ") does not fit the detector " + rows + "×" + cols);
        }
        int nr = rowTo - rowFrom, nc = colTo - colFrom;
        ProjectionStack out = ProjectionStack.zeros(s.views(), nr, nc);
        for (int v = 0; v < s.views(); v++) {
            for (int r = 0; r < nr; r++) {
                System.arraycopy(s.data(), s.index(v, rowFrom + r, colFrom), out.data(), out.index(v, r, 0), nc);
            }
        }
        CircularOrbit o = orbit(g);
        double du = length(g.u(0)), dv = length(g.v(0));
        // new centre = old centre + (middle of the kept range − middle of the detector) pixels
        double shiftU = ((colFrom + colTo) / 2.0 - cols / 2.0) * du, shiftV = ((rowFrom + rowTo) / 2.0 - rows / 2.0) * dv;
        return new Scan(out, rebuild(g, o, nr, nc, dv, du, o.offsetUMm() + shiftU, o.offsetVMm() + shiftV));
    }

    /**
     * Averages {@code factor × factor} pixel blocks; rows and columns beyond a whole number of blocks
     * are dropped (from the end), and the detector offset follows.
     */
    public static Scan bin(ProjectionStack s, ConeBeamGeometry g, int factor) {
        if (factor < 1) throw new IllegalArgumentException("binning factor must be ≥ 1, got " + factor);
        int nr = s.rows() / factor, nc = s.cols() / factor;
        if (nr == 0 || nc == 0) throw new IllegalArgumentException("binning " + factor + " leaves no pixels of a " + s.rows() + "×" + s.cols() + " detector");
        Scan cropped = crop(s, g, 0, nr * factor, 0, nc * factor);
        ProjectionStack c = cropped.projections();
        ProjectionStack out = ProjectionStack.zeros(s.views(), nr, nc);
        double norm = 1.0 / (factor * factor);
        for (int v = 0; v < s.views(); v++) {
            for (int r = 0; r < nr; r++) {
                for (int col = 0; col < nc; col++) {
                    double sum = 0;
                    for (int a = 0; a < factor; a++) {
                        for (int b = 0; b < factor; b++) sum += c.get(v, r * factor + a, col * factor + b);
                    }
                    out.set(v, r, col, (float) (sum * norm));
                }
            }
        }
        ConeBeamGeometry cg = cropped.geometry();
        CircularOrbit o = orbit(cg);
        return new Scan(out, rebuild(cg, o, nr, nc, length(cg.v(0)) * factor, length(cg.u(0)) * factor, o.offsetUMm(), o.offsetVMm()));
    }

    private static CircularOrbit orbit(ConeBeamGeometry g) {
        return g.orbit().orElseThrow(() -> new IllegalArgumentException("cropping and binning need a circular-orbit geometry"));
    }

    private static ConeBeamGeometry rebuild(ConeBeamGeometry g, CircularOrbit o, int rows, int cols, double rowSpacing, double colSpacing,
                                            double offU, double offV) {
        return ConeBeamGeometry.circular().setVolume(g.volume()).setSodMm(o.sodMm()).setSddMm(o.sddMm())
                .setDetector(rows, cols, rowSpacing, colSpacing).optDetectorOffsetMm(offU, offV).setAnglesDeg(o.anglesDeg()).build();
    }

    private static double length(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    /** Median of the first {@code k} values (reorders them). */
    private static double median(double[] a, int k) {
        Arrays.sort(a, 0, k);
        return k % 2 == 1 ? a[k / 2] : (a[k / 2 - 1] + a[k / 2]) / 2;
    }
}
