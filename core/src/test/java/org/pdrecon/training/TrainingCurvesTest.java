package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class TrainingCurvesTest {
    @TempDir Path tmp;

    @Test
    void drawsLossAndValidationFromTheLogsSkippingCutLines() throws Exception {
        StringBuilder log = new StringBuilder(TrainingLog.HEADER + "\n");
        for (int s = 1; s <= 120; s++) log.append(s).append(',').append(1.0 / s).append(",1e-3,0.5,1.0\n");
        log.append("121,0.00"); // cut by a kill
        Files.writeString(tmp.resolve(PrimalDualTrainer.LOG), log);
        Files.writeString(tmp.resolve(PrimalDualTrainer.VALIDATION), PrimalDualTrainer.VALIDATION_HEADER + "\n0,20,0.2,20,0.2\n100,30,0.9,20,0.2\n");

        List<double[]> rows = TrainingCurves.readColumns(tmp.resolve(PrimalDualTrainer.LOG), 0, 1);
        assertEquals(121, rows.size(), "the cut line still parses as step 121, loss 0");
        XYChart loss = TrainingCurves.lossChart(rows);
        // The zero loss cannot go on a log axis; the moving mean starts once a full window is in.
        assertEquals(120, loss.getSeriesMap().get("loss").getXData().length);
        double[] mean = loss.getSeriesMap().get("mean of " + TrainingCurves.WINDOW + " steps").getYData();
        assertEquals(120 - TrainingCurves.WINDOW + 1, mean.length);
        double expected = 0;
        for (int s = 1; s <= TrainingCurves.WINDOW; s++) expected += 1.0 / s / TrainingCurves.WINDOW;
        assertEquals(expected, mean[0], 1e-12);
        XYChart val = TrainingCurves.validationChart(TrainingCurves.readColumns(tmp.resolve(PrimalDualTrainer.VALIDATION), 0, 1, 3));
        assertArrayEquals(new double[] {20, 30}, val.getSeriesMap().get("network").getYData());

        Path png = TrainingCurves.write(tmp);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(720, img.getHeight());
        assertTrue(Files.size(png) > 1000);
    }
}
