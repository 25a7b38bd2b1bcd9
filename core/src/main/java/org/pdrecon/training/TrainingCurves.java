package org.pdrecon.training;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pdrecon.io.Previews;

/**
 * Draws a run's {@code train_log.csv} and {@code validation.csv} as {@code curves.png}: the training
 * loss per step (log scale; raw and a moving mean over {@value #WINDOW} steps) above the validation
 * PSNR of the network and of its initialiser. Rows that do not parse (a line cut by a kill) are skipped.
 */
public final class TrainingCurves {
    public static final String FILE = "curves.png";
    static final int WINDOW = 50;
    private static final int WIDTH = 900, HEIGHT = 360;

    private TrainingCurves() {}

    /** Writes {@code <runDir>/curves.png} from the run's logs (atomically); returns its path. */
    public static Path write(Path runDir) throws IOException {
        List<double[]> log = readColumns(runDir.resolve(PrimalDualTrainer.LOG), 0, 1);
        List<double[]> val = readColumns(runDir.resolve(PrimalDualTrainer.VALIDATION), 0, 1, 3);
        BufferedImage loss = BitmapEncoder.getBufferedImage(lossChart(log));
        BufferedImage psnr = BitmapEncoder.getBufferedImage(validationChart(val));
        BufferedImage both = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(loss, 0, 0, null);
        g.drawImage(psnr, 0, HEIGHT, null);
        g.dispose();
        Path png = runDir.resolve(FILE);
        Previews.writePng(png, both);
        return png;
    }

    static XYChart lossChart(List<double[]> rows) {
        XYChart c = chart("training loss (mean squared error per voxel)", "loss");
        c.getStyler().setYAxisLogarithmic(true);
        List<Double> steps = new ArrayList<>(), loss = new ArrayList<>(), meanSteps = new ArrayList<>(), mean = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            if (!(r[1] > 0)) continue; // log scale
            steps.add(r[0]);
            loss.add(r[1]);
        }
        for (int i = 0; i < loss.size(); i++) {
            sum += loss.get(i);
            if (i >= WINDOW) sum -= loss.get(i - WINDOW);
            if (i >= WINDOW - 1) {
                meanSteps.add(steps.get(i));
                mean.add(sum / WINDOW);
            }
        }
        if (!steps.isEmpty()) line(c, "loss", steps, loss, new Color(160, 190, 230));
        if (!meanSteps.isEmpty()) line(c, "mean of " + WINDOW + " steps", meanSteps, mean, new Color(20, 60, 150));
        return c;
    }

    static XYChart validationChart(List<double[]> rows) {
        XYChart c = chart("validation PSNR on held-out samples", "PSNR (dB)");
        List<Double> steps = new ArrayList<>(), model = new ArrayList<>(), initial = new ArrayList<>();
        for (double[] r : rows) {
            steps.add(r[0]);
            model.add(r[1]);
            initial.add(r[2]);
        }
        if (!steps.isEmpty()) {
            line(c, "network", steps, model, new Color(200, 60, 20)).setMarker(SeriesMarkers.CIRCLE);
            line(c, "initialiser x0", steps, initial, Color.GRAY);
        }
        return c;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE).setLegendVisible(true);
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static XYSeries line(XYChart c, String name, List<Double> x, List<Double> y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        return s;
    }

    /** The given columns of every row whose columns all parse as finite numbers; header and cut lines skipped. */
    static List<double[]> readColumns(Path csv, int... columns) throws IOException {
        List<double[]> rows = new ArrayList<>();
        if (!Files.exists(csv)) return rows;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            double[] r = new double[columns.length];
            boolean ok = true;
            for (int i = 0; i < columns.length && ok; i++) {
                try {
                    r[i] = columns[i] < f.length ? Double.parseDouble(f[columns[i]]) : Double.NaN;
                } catch (NumberFormatException e) {
                    r[i] = Double.NaN;
                }
                ok = Double.isFinite(r[i]);
            }
            if (ok) rows.add(r);
        }
        return rows;
    }
}
