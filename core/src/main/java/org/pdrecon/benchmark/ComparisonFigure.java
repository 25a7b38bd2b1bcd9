package org.pdrecon.benchmark;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.pdrecon.data.Volume;
import org.pdrecon.io.Previews;

/**
 * One PNG comparing volumes: a row of orthogonal mid-slices per volume, all with the same window, each
 * row under a caption (e.g. the method and its PSNR).
 */
public final class ComparisonFigure {
    private static final int CAPTION_HEIGHT = 18;

    private ComparisonFigure() {}

    /** The rows stacked top to bottom; {@code captions} pairs with {@code volumes}. */
    public static BufferedImage of(List<Volume> volumes, List<String> captions, Previews.Window window) {
        if (volumes.isEmpty() || volumes.size() != captions.size()) {
            throw new IllegalArgumentException("need one caption per volume, got " + captions.size() + " for " + volumes.size());
        }
        BufferedImage[] rows = new BufferedImage[volumes.size()];
        int width = 0, height = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Previews.orthogonalSlices(volumes.get(i), window);
            width = Math.max(width, rows[i].getWidth());
            height += CAPTION_HEIGHT + rows[i].getHeight();
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        int y = 0;
        for (int i = 0; i < rows.length; i++) {
            Previews.drawLabel(img, captions.get(i), 0, y, width, CAPTION_HEIGHT);
            g.drawImage(rows[i], 0, y + CAPTION_HEIGHT, null);
            y += CAPTION_HEIGHT + rows[i].getHeight();
        }
        g.dispose();
        return img;
    }
}
