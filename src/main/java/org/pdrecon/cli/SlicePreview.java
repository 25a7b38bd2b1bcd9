package org.pdrecon.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.pdrecon.data.Volume;
import org.pdrecon.io.AtomicFiles;

/**
 * An 8-bit grey PNG of a volume's central axial slice ({@code z = nz/2}), the grey scale spanning the
 * slice's min..max; row 0 of the image is y index 0. Written atomically.
 */
final class SlicePreview {
    private SlicePreview() {}

    static void write(Volume v, Path png) throws IOException {
        int nx = v.grid().nx(), ny = v.grid().ny(), k = v.grid().nz() / 2;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
            float x = v.get(k, j, i);
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        double scale = hi > lo ? 255.0 / (hi - lo) : 0;
        BufferedImage img = new BufferedImage(nx, ny, BufferedImage.TYPE_BYTE_GRAY);
        for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
            int g = (int) Math.round((v.get(k, j, i) - lo) * scale);
            img.getRaster().setSample(i, j, 0, Math.max(0, Math.min(255, g)));
        }
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
        });
    }
}
