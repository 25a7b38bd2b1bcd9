package org.pdrecon.benchmark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report's two charts, drawn with Java2D so the report needs nothing beyond the JDK: PSNR box plots
 * per method in each cell, and median time per volume (log axis) against mean PSNR.
 */
public final class BenchmarkCharts {
    private static final int PANEL_W = 360, PANEL_H = 300, LEFT = 52, BOTTOM = 70, TOP = 28, RIGHT = 12;
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private BenchmarkCharts() {}

    /** One panel per cell; in each, a box (quartiles, median, whiskers to min/max) per method that ran there. */
    public static BufferedImage psnrBoxPlots(BenchmarkResults r) {
        List<BenchmarkCell> cells = r.config().cells();
        List<String> methods = r.config().methods().stream().map(BenchmarkMethod::label).toList();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (BenchmarkResults.Row row : r.rows()) {
            lo = Math.min(lo, row.psnrDb());
            hi = Math.max(hi, row.psnrDb());
        }
        double[] range = padded(lo, hi);
        BufferedImage img = canvas(cells.size());
        Graphics2D g = graphics(img);
        for (int k = 0; k < cells.size(); k++) {
            int x0 = k * PANEL_W;
            axes(g, x0, cells.get(k).label(), "PSNR (dB)", range);
            int slots = methods.size(), plotW = PANEL_W - LEFT - RIGHT;
            for (int m = 0; m < slots; m++) {
                double[] v = r.values(cells.get(k), methods.get(m), "psnr");
                int cx = x0 + LEFT + (int) ((m + 0.5) * plotW / slots), half = Math.max(3, plotW / slots / 3);
                g.setColor(Color.DARK_GRAY);
                rotatedLabel(g, methods.get(m), cx, PANEL_H - BOTTOM + 6);
                if (v.length == 0) continue;
                double[] s = v.clone();
                Arrays.sort(s);
                int yMin = y(range, s[0]), yMax = y(range, s[s.length - 1]), yQ1 = y(range, quantile(s, 0.25)), yQ3 = y(range, quantile(s, 0.75)),
                        yMed = y(range, quantile(s, 0.5));
                g.setColor(PALETTE[m % PALETTE.length]);
                g.drawLine(cx, yMin, cx, yQ1);
                g.drawLine(cx, yQ3, cx, yMax);
                g.drawLine(cx - half / 2, yMin, cx + half / 2, yMin);
                g.drawLine(cx - half / 2, yMax, cx + half / 2, yMax);
                g.fillRect(cx - half, yQ3, 2 * half, Math.max(1, yQ1 - yQ3));
                g.setColor(Color.BLACK);
                g.drawLine(cx - half, yMed, cx + half, yMed);
            }
        }
        g.dispose();
        return img;
    }

    /** One panel per cell: each method's median seconds per volume (log axis) against its mean PSNR. */
    public static BufferedImage timeVersusPsnr(BenchmarkResults r) {
        List<BenchmarkCell> cells = r.config().cells();
        List<String> methods = r.config().methods().stream().map(BenchmarkMethod::label).toList();
        double tLo = Double.POSITIVE_INFINITY, tHi = Double.NEGATIVE_INFINITY, pLo = Double.POSITIVE_INFINITY, pHi = Double.NEGATIVE_INFINITY;
        for (BenchmarkCell c : cells) {
            for (String m : methods) {
                double[] p = r.values(c, m, "psnr");
                if (p.length == 0) continue;
                double t = Math.log10(Math.max(1e-3, BenchmarkResults.median(r.values(c, m, "seconds"))));
                tLo = Math.min(tLo, t);
                tHi = Math.max(tHi, t);
                pLo = Math.min(pLo, BenchmarkResults.mean(p));
                pHi = Math.max(pHi, BenchmarkResults.mean(p));
            }
        }
        double[] tr = {Math.floor(tLo), Math.ceil(tHi) == Math.floor(tLo) ? Math.floor(tLo) + 1 : Math.ceil(tHi)}, pr = padded(pLo, pHi);
        BufferedImage img = canvas(cells.size());
        Graphics2D g = graphics(img);
        for (int k = 0; k < cells.size(); k++) {
            int x0 = k * PANEL_W, plotW = PANEL_W - LEFT - RIGHT;
            axes(g, x0, cells.get(k).label(), "mean PSNR (dB)", pr);
            for (int d = (int) tr[0]; d <= (int) tr[1]; d++) { // decades
                int x = x0 + LEFT + (int) ((d - tr[0]) / (tr[1] - tr[0]) * plotW);
                g.setColor(Color.LIGHT_GRAY);
                g.drawLine(x, TOP, x, PANEL_H - BOTTOM);
                g.setColor(Color.DARK_GRAY);
                String label = d >= 0 ? String.format(Locale.ROOT, "%.0f s", Math.pow(10, d)) : String.format(Locale.ROOT, "%s s", Math.pow(10, d));
                g.drawString(label, x - 10, PANEL_H - BOTTOM + 14);
            }
            g.drawString("median seconds per volume (log)", x0 + LEFT + 20, PANEL_H - BOTTOM + 30);
            int legendY = PANEL_H - BOTTOM + 46;
            int legendX = x0 + LEFT;
            for (int m = 0; m < methods.size(); m++) {
                double[] p = r.values(cells.get(k), methods.get(m), "psnr");
                g.setColor(PALETTE[m % PALETTE.length]);
                g.fillRect(legendX, legendY - 8, 8, 8);
                g.setColor(Color.DARK_GRAY);
                g.drawString(methods.get(m), legendX + 10, legendY);
                legendX += 14 + g.getFontMetrics().stringWidth(methods.get(m));
                if (legendX > x0 + PANEL_W - 60) {
                    legendX = x0 + LEFT;
                    legendY += 12;
                }
                if (p.length == 0) continue;
                double t = Math.log10(Math.max(1e-3, BenchmarkResults.median(r.values(cells.get(k), methods.get(m), "seconds"))));
                int x = x0 + LEFT + (int) ((t - tr[0]) / (tr[1] - tr[0]) * plotW), y = y(pr, BenchmarkResults.mean(p));
                g.setColor(PALETTE[m % PALETTE.length]);
                g.fillOval(x - 5, y - 5, 10, 10);
            }
        }
        g.dispose();
        return img;
    }

    private static BufferedImage canvas(int panels) {
        BufferedImage img = new BufferedImage(PANEL_W * panels, PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1.5f));
        return g;
    }

    /** The panel's frame, title and y axis with about five ticks. */
    private static void axes(Graphics2D g, int x0, String title, String yLabel, double[] range) {
        g.setColor(Color.BLACK);
        g.drawString(title, x0 + LEFT, TOP - 10);
        g.drawRect(x0 + LEFT, TOP, PANEL_W - LEFT - RIGHT, PANEL_H - TOP - BOTTOM);
        double step = niceStep((range[1] - range[0]) / 5);
        for (double v = Math.ceil(range[0] / step) * step; v <= range[1]; v += step) {
            int y = y(range, v);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + LEFT + 1, y, x0 + PANEL_W - RIGHT - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, step < 1 ? "%.1f" : "%.0f", v), x0 + 8, y + 4);
        }
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2, x0 + 12, (TOP + PANEL_H - BOTTOM) / 2.0 + 40);
        r.drawString(yLabel, x0 - 30, (TOP + PANEL_H - BOTTOM) / 2 + 40);
        r.dispose();
    }

    private static void rotatedLabel(Graphics2D g, String text, int x, int y) {
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(Math.PI / 4, x, y);
        r.drawString(text, x, y + 4);
        r.dispose();
    }

    private static int y(double[] range, double v) {
        return (int) Math.round(PANEL_H - BOTTOM - (v - range[0]) / (range[1] - range[0]) * (PANEL_H - TOP - BOTTOM));
    }

    private static double[] padded(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) return new double[] {0, 1};
        double pad = Math.max(0.5, 0.05 * (hi - lo));
        return new double[] {lo - pad, hi + pad};
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
