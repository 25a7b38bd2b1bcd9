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
    public sealed interface I0 permits Given, AirRegion, FloodField {}

    /** One value for all pixels. */
    public record Given(double value) implements I0 {}

    /** Per-view mean over rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)}. */
    public record AirRegion(int rowFrom, int rowTo, int colFrom, int colTo) implements I0 {}

    /** Per-pixel flood image {@code [row][col]}. */
    public record FloodField(float[] image) implements I0 {}

    public static I0 givenI0(double value) { return new Given(value); }
    public static I0 airRegion(int rowFrom, int rowTo, int colFrom, int colTo) { return new AirRegion(rowFrom, rowTo, colFrom, colTo); }
    public static I0 floodField(float[] image) { return new FloodField(image); }

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
}
