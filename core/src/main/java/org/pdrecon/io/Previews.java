package org.pdrecon.io;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.util.AtomicFiles;

/**
 * Grey-scale PNG previews: the three orthogonal mid-slices of a volume side by side, or any 2D array
 * (a projection, a difference map). Values map linearly from the window's {@code low} (black) to
 * {@code high} (white). Pixels are square in millimetres, so anisotropic voxels keep their physical
 * aspect ratio; small volumes are enlarged (nearest neighbour) until the largest side is
 * {@value #MIN_SIDE} pixels. Files are written atomically.
 */
public final class Previews {
    private Previews() {}

    /** The longest physical side of a volume is drawn with at least this many pixels. */
    public static final int MIN_SIDE = 256;
    /** Height of the label strip above each panel, and the gap between panels, in pixels. */
    public static final int LABEL_HEIGHT = 16, GAP = 8;
    private static final int MAX_PERCENTILE_SAMPLES = 1 << 22;

    /** A grey-level window: {@code low} maps to black, {@code high} to white. */
    public record Window(double low, double high) {
        public Window {
            if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
                throw new IllegalArgumentException("window needs finite low < high, got [" + low + ", " + high + "]");
            }
        }

        /** The radiology convention: width W centred on level L, i.e. {@code [L − W/2, L + W/2]}. */
        public static Window ofWidthLevel(double width, double level) {
            if (!(width > 0) || !Double.isFinite(width)) {
                throw new IllegalArgumentException("window width must be positive and finite, got " + width);
            }
            return new Window(level - width / 2, level + width / 2);
        }

        public double width() { return high - low; }
        public double level() { return (low + high) / 2; }

        /** Grey level 0–255 of a value (NaN is black). */
        int grey(float v) {
            double t = (v - low) / (high - low);
            if (!(t > 0)) return 0;
            return t >= 1 ? 255 : (int) Math.round(255 * t);
        }
    }

    /**
     * The window from the 1st to the 99th percentile of the finite values (linear interpolation between
     * order statistics, as numpy's default). A constant image gets a window of width 1 around its value.
     */
    public static Window defaultWindow(float[] data) {
        return percentileWindow(data, 1, 99);
    }

    /** The window between two percentiles (0–100) of the finite values; at most 4 Mi evenly strided samples are used. */
    public static Window percentileWindow(float[] data, double lowPercent, double highPercent) {
        if (!(0 <= lowPercent && lowPercent < highPercent && highPercent <= 100)) {
            throw new IllegalArgumentException("percentiles must satisfy 0 ≤ low < high ≤ 100, got " + lowPercent
                    + ", " + highPercent);
        }
        int stride = Math.max(1, (int) Math.ceil(data.length / (double) MAX_PERCENTILE_SAMPLES));
        float[] finite = new float[(data.length + stride - 1) / stride];
        int n = 0;
        for (int i = 0; i < data.length; i += stride) if (Float.isFinite(data[i])) finite[n++] = data[i];
        if (n == 0) return new Window(0, 1);
        Arrays.sort(finite, 0, n);
        double lo = percentile(finite, n, lowPercent), hi = percentile(finite, n, highPercent);
        if (!(hi > lo)) return new Window(lo - 0.5, lo + 0.5);
        return new Window(lo, hi);
    }

    private static double percentile(float[] sorted, int n, double p) {
        double pos = p / 100 * (n - 1);
        int i = (int) Math.floor(pos);
        if (i >= n - 1) return sorted[n - 1];
        double f = pos - i;
        return sorted[i] + f * ((double) sorted[i + 1] - sorted[i]);
    }

    /**
     * The axial (z = nz/2: x right, y down), coronal (y = ny/2: x right, z up) and sagittal (x = nx/2:
     * y right, z up) slices side by side, each under a label. A one-slice volume ({@code nz = 1}) shows
     * the axial panel only.
     */
    public static BufferedImage orthogonalSlices(Volume volume, Window window) {
        VolumeGrid g = volume.grid();
        double ex = g.nx() * g.dxMm(), ey = g.ny() * g.dyMm(), ez = g.nz() * g.dzMm();
        double mm = Math.min(g.dxMm(), Math.min(g.dyMm(), g.dzMm())); // millimetres per output pixel
        if (g.nz() == 1) mm = Math.min(g.dxMm(), g.dyMm());
        double longest = g.nz() == 1 ? Math.max(ex, ey) : Math.max(ex, Math.max(ey, ez));
        if (longest / mm < MIN_SIDE) mm = longest / MIN_SIDE;
        int wx = pixels(ex, mm), wy = pixels(ey, mm), hz = pixels(ez, mm);
        int kz = g.nz() / 2, ky = g.ny() / 2, kx = g.nx() / 2;
        float[] d = volume.data();
        int nx = g.nx(), ny = g.ny(), nz = g.nz();

        Panel axial = new Panel("axial z=" + kz, wx, wy, nx, ny, false, (c, r) -> d[(kz * ny + r) * nx + c]);
        Panel[] panels = nz == 1 ? new Panel[] {axial} : new Panel[] {axial,
            new Panel("coronal y=" + ky, wx, hz, nx, nz, true, (c, r) -> d[(r * ny + ky) * nx + c]),
            new Panel("sagittal x=" + kx, wy, hz, ny, nz, true, (c, r) -> d[(r * ny + c) * nx + kx])};
        int width = -GAP, height = 0;
        for (Panel p : panels) {
            width += p.width + GAP;
            height = Math.max(height, p.height);
        }
        BufferedImage img = new BufferedImage(width, LABEL_HEIGHT + height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        int x0 = 0;
        for (Panel p : panels) {
            for (int py = 0; py < p.height; py++) {
                int r = Math.min(p.rows - 1, (int) ((py + 0.5) * p.rows / p.height));
                if (p.flipRows) r = p.rows - 1 - r;
                for (int px = 0; px < p.width; px++) {
                    int c = Math.min(p.cols - 1, (int) ((px + 0.5) * p.cols / p.width));
                    raster.setSample(x0 + px, LABEL_HEIGHT + py, 0, window.grey(p.values.at(c, r)));
                }
            }
            drawLabel(img, p.label, x0, 0, p.width, LABEL_HEIGHT);
            x0 += p.width + GAP;
        }
        return img;
    }

    /** Writes {@link #orthogonalSlices} as a PNG. */
    public static void writeOrthogonalSlices(Path png, Volume volume, Window window) throws IOException {
        writePng(png, orthogonalSlices(volume, window));
    }

    /**
     * A 2D array {@code [row][col]} (column fastest) as a grey image, one pixel per element, row 0 at
     * the top.
     */
    public static BufferedImage image(float[] data, int rows, int cols, Window window) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("image of " + rows + "×" + cols + " needs " + (long) rows * cols
                    + " values, got " + data.length);
        }
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) raster.setSample(c, r, 0, window.grey(data[r * cols + c]));
        }
        return img;
    }

    /** Writes a 2D array as a PNG (see {@link #image}), with the default window if {@code window} is null. */
    public static void writeImage(Path png, float[] data, int rows, int cols, Window window) throws IOException {
        writePng(png, image(data, rows, cols, window == null ? defaultWindow(data) : window));
    }

    /** Writes any image as a PNG, atomically. */
    public static void writePng(Path png, BufferedImage image) throws IOException {
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException(png + ": no PNG writer available in this JVM");
        });
    }

    private static int pixels(double extentMm, double mmPerPixel) {
        return Math.max(1, (int) Math.round(extentMm / mmPerPixel));
    }

    /** Draws a light-grey label in the band {@code (x, y, width, height)}; skipped on a JVM without fonts. */
    public static void drawLabel(BufferedImage img, String text, int x, int y, int width, int height) {
        Graphics2D g = img.createGraphics();
        try {
            g.setClip(x, y, width, height); // a long label must not run into the next panel
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(220, 220, 220));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(text, x + 2, y + height - 4);
        } catch (RuntimeException | LinkageError | InternalError noFonts) {
            // a JVM without fonts still gets the image; labels are a convenience
        } finally {
            g.dispose();
        }
    }

    @FunctionalInterface
    private interface Values {
        float at(int col, int row);
    }

    /** One slice drawn at {@code width × height} pixels from a {@code rows × cols} array view. */
    private record Panel(String label, int width, int height, int cols, int rows, boolean flipRows, Values values) {}
}
