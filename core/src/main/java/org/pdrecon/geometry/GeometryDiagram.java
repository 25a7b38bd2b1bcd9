package org.pdrecon.geometry;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.pdrecon.util.AtomicFiles;

/**
 * A top view (looking down the rotation axis z: x to the right, y up) of a scan, so a user sees what
 * an import understood: every source position (blue; the first view green, the last red), the
 * detector of the first and last view with the first view's central ray, the volume's x–y extent
 * (black) and the rotation axis (cross), over a white background, with a one-line caption.
 */
public final class GeometryDiagram {
    /** Colours used, so tests and users can tell the parts apart. */
    public static final Color FIRST = new Color(0, 160, 0), LAST = new Color(200, 0, 0), SOURCE = new Color(40, 90, 220),
            VOLUME = Color.BLACK, ORBIT = new Color(190, 190, 190);

    private final double scale, cx, cy;

    private GeometryDiagram(double scale, double cx, double cy) {
        this.scale = scale;
        this.cx = cx;
        this.cy = cy;
    }

    /** Image x of a world x in mm for a diagram of {@code sizePx} drawn for {@code g}. */
    public static double[] toPixel(ConeBeamGeometry g, int sizePx, double xMm, double yMm) {
        GeometryDiagram d = frame(g, sizePx);
        return new double[] {d.px(xMm), d.py(yMm)};
    }

    /** Renders the diagram, {@code sizePx × sizePx} pixels. */
    public static BufferedImage render(ConeBeamGeometry g, int sizePx) {
        if (sizePx < 64) throw new IllegalArgumentException("diagram size must be at least 64 pixels, got " + sizePx);
        GeometryDiagram d = frame(g, sizePx);
        BufferedImage img = new BufferedImage(sizePx, sizePx, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        try {
            gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            gr.setColor(Color.WHITE);
            gr.fillRect(0, 0, sizePx, sizePx);
            double orbit = Math.hypot(g.source(0)[0], g.source(0)[1]);
            gr.setColor(ORBIT);
            gr.setStroke(new BasicStroke(1f));
            gr.draw(new Ellipse2D.Double(d.px(-orbit), d.py(orbit), 2 * orbit * d.scale, 2 * orbit * d.scale));
            int n = g.views();
            for (int v = 0; v < n; v++) d.dot(gr, g.source(v), SOURCE, 2.5);
            for (int v : n == 1 ? new int[] {0} : new int[] {n - 1, 0}) {
                Color c = v == 0 ? FIRST : LAST;
                gr.setColor(c);
                gr.setStroke(new BasicStroke(3f));
                double[] a = g.pixelCentre(v, (g.detectorRows() - 1) / 2.0, 0), b = g.pixelCentre(v, (g.detectorRows() - 1) / 2.0, g.detectorCols() - 1);
                gr.draw(new Line2D.Double(d.px(a[0]), d.py(a[1]), d.px(b[0]), d.py(b[1])));
                d.dot(gr, g.source(v), c, 5);
            }
            gr.setColor(FIRST);
            gr.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            double[] s = g.source(0), det = g.detectorCentre(0);
            gr.draw(new Line2D.Double(d.px(s[0]), d.py(s[1]), d.px(det[0]), d.py(det[1])));
            double[] lo = g.volume().minCornerMm(), hi = g.volume().maxCornerMm();
            gr.setColor(VOLUME);
            gr.setStroke(new BasicStroke(2f));
            gr.draw(new Rectangle2D.Double(d.px(lo[0]), d.py(hi[1]), (hi[0] - lo[0]) * d.scale, (hi[1] - lo[1]) * d.scale));
            gr.draw(new Line2D.Double(d.px(0) - 6, d.py(0), d.px(0) + 6, d.py(0)));
            gr.draw(new Line2D.Double(d.px(0), d.py(0) - 6, d.px(0), d.py(0) + 6));
            try {
                gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, sizePx / 50)));
                gr.drawString(caption(g), 6, sizePx - 8);
            } catch (RuntimeException | Error noFonts) {
                // a headless system without any font cannot draw text; the drawing itself is still right
            }
        } finally {
            gr.dispose();
        }
        return img;
    }

    /** Writes the diagram as PNG atomically ({@link AtomicFiles}). */
    public static void writePng(ConeBeamGeometry g, Path file, int sizePx) throws IOException {
        BufferedImage img = render(g, sizePx);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
        });
    }

    private static String caption(ConeBeamGeometry g) {
        String orbit = g.orbit().map(o -> String.format("SOD %.0f mm, SDD %.0f mm, %.1f° to %.1f°", o.sodMm(), o.sddMm(),
                o.anglesDeg()[0], o.anglesDeg()[o.views() - 1])).orElse("vector geometry");
        return String.format("%d views, %s, detector %d×%d (top view, x right, y up)", g.views(), orbit, g.detectorRows(), g.detectorCols());
    }

    /** Scale and centre so that every source, detector end and the volume fit with a 6 % margin. */
    private static GeometryDiagram frame(ConeBeamGeometry g, int sizePx) {
        double reach = 0;
        for (int v = 0; v < g.views(); v++) {
            reach = Math.max(reach, Math.hypot(g.source(v)[0], g.source(v)[1]));
            for (double col : new double[] {0, g.detectorCols() - 1}) {
                double[] p = g.pixelCentre(v, (g.detectorRows() - 1) / 2.0, col);
                reach = Math.max(reach, Math.hypot(p[0], p[1]));
            }
        }
        double[] lo = g.volume().minCornerMm(), hi = g.volume().maxCornerMm();
        for (double x : new double[] {lo[0], hi[0]}) for (double y : new double[] {lo[1], hi[1]}) reach = Math.max(reach, Math.hypot(x, y));
        double scale = sizePx * 0.44 / reach;
        return new GeometryDiagram(scale, sizePx / 2.0, sizePx / 2.0);
    }

    private double px(double x) { return cx + x * scale; }
    private double py(double y) { return cy - y * scale; }

    private void dot(Graphics2D gr, double[] p, Color c, double r) {
        gr.setColor(c);
        gr.fill(new Ellipse2D.Double(px(p[0]) - r, py(p[1]) - r, 2 * r, 2 * r));
    }
}
