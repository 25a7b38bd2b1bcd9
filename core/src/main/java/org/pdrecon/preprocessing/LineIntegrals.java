package org.pdrecon.preprocessing;

import org.pdrecon.data.ProjectionStack;

/**
 * Detector signal → line integrals {@code p = −log((I − dark)/(I0 − dark))}, the quantity the
 * reconstructors expect. I0 (the unattenuated signal) comes from one of three sources:
 * <ul>
 *   <li>{@link #givenI0(double)}: one value for every pixel and view;</li>
 *   <li>{@link #airRegion(int, int, int, int)}: per view, the mean signal inside a detector rectangle
 *       that the beam reaches without passing through the object (follows output fluctuations);</li>
 *   <li>{@link #floodField(float[])}: per pixel, an image taken without object (corrects the detector's
 *       gain and the beam profile too).</li>
 * </ul>
 * An optional dark field (signal without beam, per pixel) is subtracted from both I and I0. Where
 * {@code I − dark} is not positive, or I0 − dark is not, the ratio is clamped to {@value #MIN_RATIO}
 * (p ≈ 13.8) and the pixel is counted in {@link Result#clampedPixels()}; nothing is silently dropped.
 */
public final class LineIntegrals {
    /** Smallest transmission kept: p is at most −log(1e-6) ≈ 13.8. */
    public static final double MIN_RATIO = 1e-6;

    /** Where I0 comes from. */
    public sealed interface I0 permits Given, AirRegion, FloodField, DetectorEdges {}

    /** One value for all pixels. */
    public record Given(double value) implements I0 {}

    /** Per-view mean over rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)}. */
    public record AirRegion(int rowFrom, int rowTo, int colFrom, int colTo) implements I0 {}

    /** Per-pixel flood image {@code [row][col]}. */
    public record FloodField(float[] image) implements I0 {}

    /**
     * I0 per view = mean of the brighter of the detector's two outermost bands of {@code width} columns,
     * accepted only where that band looks unattenuated: its mean must reach {@link #EDGE_ACCEPTANCE} of
     * the view's 99th-percentile signal, less three times the band's own pixel noise, else the object (or a
     * collimator) reaches the edge and the estimate is refused rather than silently biased.
     */
    public record DetectorEdges(int width) implements I0 {}

    /**
     * An edge band counts as air when its mean reaches {@code EDGE_ACCEPTANCE · p99 − EDGE_NOISE_ALLOWANCE · σ},
     * with p99 the view's 99th-percentile signal and σ the band's pixel noise (robust, from neighbour differences).
     */
    public static final double EDGE_ACCEPTANCE = 0.97, EDGE_NOISE_ALLOWANCE = 3;

    public static I0 givenI0(double value) { return new Given(value); }
    public static I0 airRegion(int rowFrom, int rowTo, int colFrom, int colTo) { return new AirRegion(rowFrom, rowTo, colFrom, colTo); }
    public static I0 floodField(float[] image) { return new FloodField(image); }
    public static I0 detectorEdges(int width) { return new DetectorEdges(width); }

    /**
     * @param lineIntegrals {@code [view][row][col]} −log transmission
     * @param clampedPixels how many pixels had non-positive signal or I0 and were clamped
     * @param description what was done, for logs and summaries
     */
    public record Result(ProjectionStack lineIntegrals, long clampedPixels, String description) {}

    private LineIntegrals() {}

    /**
     * @param signal detector signal {@code [view][row][col]} (e.g. {@code ProjectionImport}'s values)
     * @param i0 where the unattenuated signal comes from
     * @param darkField per-pixel dark signal {@code [row][col]}, or {@code null} for none
     */
    public static Result fromSignal(ProjectionStack signal, I0 i0, float[] darkField) {
        int n = signal.views(), rows = signal.rows(), cols = signal.cols(), plane = rows * cols;
        if (darkField != null && darkField.length != plane) {
            throw new IllegalArgumentException("dark field has " + darkField.length + " pixels, the detector " + rows + "×" + cols);
        }
        float[] in = signal.data(), out = new float[in.length];
        long clamped = 0;
        String what;
        if (i0 instanceof Given g) {
            if (!(g.value() > 0) || !Double.isFinite(g.value())) throw new IllegalArgumentException("I0 must be a positive number, got " + g.value());
            what = "I0 = " + g.value();
        } else if (i0 instanceof AirRegion a) {
            if (a.rowFrom() < 0 || a.rowTo() > rows || a.rowFrom() >= a.rowTo() || a.colFrom() < 0 || a.colTo() > cols || a.colFrom() >= a.colTo()) {
                throw new IllegalArgumentException("air region rows [" + a.rowFrom() + ", " + a.rowTo() + ") columns [" + a.colFrom() + ", " + a.colTo()
                        + ") does not fit the detector " + rows + "×" + cols);
            }
            what = "I0 = per-view mean of rows [" + a.rowFrom() + ", " + a.rowTo() + ") columns [" + a.colFrom() + ", " + a.colTo() + ")";
        } else if (i0 instanceof DetectorEdges e) {
            if (e.width() < 1 || 2 * e.width() > cols) {
                throw new IllegalArgumentException("edge bands of " + e.width() + " columns do not fit the detector's " + cols + " columns");
            }
            what = "I0 = per-view mean of the brighter outermost " + e.width() + "-column band (automatic, checked to be air)";
        } else {
            FloodField f = (FloodField) i0;
            if (f.image().length != plane) throw new IllegalArgumentException("flood field has " + f.image().length + " pixels, the detector " + rows + "×" + cols);
            what = "I0 = flood field per pixel";
        }
        for (int v = 0; v < n; v++) {
            double viewI0 = Double.NaN;
            if (i0 instanceof AirRegion a) {
                double sum = 0;
                for (int r = a.rowFrom(); r < a.rowTo(); r++) {
                    for (int c = a.colFrom(); c < a.colTo(); c++) {
                        sum += in[v * plane + r * cols + c] - (darkField == null ? 0 : darkField[r * cols + c]);
                    }
                }
                viewI0 = sum / ((a.rowTo() - a.rowFrom()) * (a.colTo() - a.colFrom()));
            } else if (i0 instanceof DetectorEdges e) {
                viewI0 = edgeI0(in, v * plane, rows, cols, e.width(), darkField, v);
            }
            for (int i = 0; i < plane; i++) {
                double dark = darkField == null ? 0 : darkField[i];
                double open = i0 instanceof Given g ? g.value() - dark : i0 instanceof FloodField f ? f.image()[i] - dark : viewI0;
                double ratio = (in[v * plane + i] - dark) / open;
                if (!(open > 0) || !(ratio >= MIN_RATIO)) {
                    clamped++;
                    ratio = MIN_RATIO;
                }
                out[v * plane + i] = (float) -Math.log(ratio);
            }
        }
        String description = "p = −log((I − dark)/(I0 − dark)), " + what + (darkField == null ? ", no dark field" : ", dark field subtracted")
                + (clamped > 0 ? ", " + clamped + " pixel(s) clamped at transmission " + MIN_RATIO : "");
        return new Result(new ProjectionStack(n, rows, cols, out), clamped, description);
    }

    /** Robust noise σ of an edge band: 1.4826·MAD of vertical neighbour differences / √2. */
    private static double bandNoise(float[] signal, int rows, int cols, int width, boolean left) {
        if (rows < 2) return 0;
        double[] d = new double[(rows - 1) * width];
        int k = 0;
        for (int c = 0; c < width; c++) {
            int col = left ? c : cols - 1 - c;
            for (int r = 1; r < rows; r++) d[k++] = signal[r * cols + col] - signal[(r - 1) * cols + col];
        }
        return neighbourNoise(d);
    }

    /**
     * Pixel noise σ from differences of neighbouring pixels: 1.4826·MAD(differences) / √2 (the difference of
     * two independent pixels has √2 σ; the MAD ignores the few differences that cross an edge). Overwrites
     * {@code differences}.
     */
    static double neighbourNoise(double[] differences) {
        double med = CumulativeFrames.median(differences);
        for (int i = 0; i < differences.length; i++) differences[i] = Math.abs(differences[i] - med);
        return 1.4826 * CumulativeFrames.median(differences) / Math.sqrt(2);
    }


    /** The brighter edge band's mean signal in one view, refused unless it reaches the view's bright level. */
    private static double edgeI0(float[] in, int offset, int rows, int cols, int width, float[] dark, int view) {
        int plane = rows * cols;
        float[] signal = new float[plane];
        for (int i = 0; i < plane; i++) signal[i] = in[offset + i] - (dark == null ? 0 : dark[i]);
        double left = 0, right = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                left += signal[r * cols + c];
                right += signal[r * cols + cols - 1 - c];
            }
        }
        boolean leftBrighter = left >= right;
        double edge = Math.max(left, right) / ((double) rows * width);
        float[] sorted = signal.clone();
        java.util.Arrays.sort(sorted);
        double p99 = sorted[Math.min(plane - 1, (int) Math.floor(0.99 * (plane - 1)))];
        // Noise of the band from differences of vertical neighbours: structure of a smooth object cancels,
        // pixel noise stays. Air pixels scatter above the band's mean by noise alone, so the 99th
        // percentile may exceed an air band's mean by ~2.3 σ; without this allowance the rule refused
        // clean air at I0 = 5000 (σ ≈ 70).
        double sigma = bandNoise(signal, rows, cols, width, leftBrighter);
        double needed = EDGE_ACCEPTANCE * p99 - EDGE_NOISE_ALLOWANCE * sigma;
        if (!(edge > 0) || edge < needed) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "I0 cannot be found automatically: in view %d the detector's outermost %d-column bands (mean %.6g) are darker"
                            + " than its brightest pixels (99th percentile %.6g; an air band needs ≥ %.6g with its noise σ = %.3g), so the object reaches the edges",
                    view, width, edge, p99, needed, sigma));
        }
        return edge;
    }
}
