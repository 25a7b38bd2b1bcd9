package org.pdrecon.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

class PreviewsTest {
    @TempDir
    Path dir;

    /** 32³ voxels of 1 × 1 × 2 mm (x, y, z); value 1 in the central cube of indices 8–23, else 0. */
    static Volume brightCube() {
        Volume v = Volume.zeros(new VolumeGrid(32, 32, 32, 2.0, 1.0, 1.0, new double[3]));
        for (int z = 8; z < 24; z++) for (int y = 8; y < 24; y++) for (int x = 8; x < 24; x++) v.set(z, y, x, 1f);
        return v;
    }

    @Test
    void brightCubeIsWhiteInAllThreeViewsWithPhysicalAspect() throws IOException {
        Volume v = brightCube();
        Previews.Window w = Previews.defaultWindow(v.data());
        assertEquals(0.0, w.low());
        assertEquals(1.0, w.high()); // the cube is 1/8 of the voxels, above the 99th percentile's rank
        Path png = dir.resolve("cube.png");
        Previews.writeOrthogonalSlices(png, v, w);
        BufferedImage img = ImageIO.read(png.toFile());
        // longest side: z, 64 mm → 256 px, so 0.25 mm per pixel: axial 128×128, coronal and sagittal 128 wide × 256 high
        assertEquals(3 * 128 + 2 * Previews.GAP, img.getWidth());
        assertEquals(Previews.LABEL_HEIGHT + 256, img.getHeight());
        Raster r = img.getRaster();
        int top = Previews.LABEL_HEIGHT;
        for (int panel = 0; panel < 3; panel++) {
            int x0 = panel * (128 + Previews.GAP);
            int h = panel == 0 ? 128 : 256;
            assertEquals(255, r.getSample(x0 + 64, top + h / 2, 0), "cube centre, panel " + panel);
            assertEquals(0, r.getSample(x0 + 2, top + 2, 0), "corner, panel " + panel);
            assertEquals(0, r.getSample(x0 + 125, top + h - 3, 0), "corner, panel " + panel);
            // the cube spans the middle half of each axis: 1/4 in from each side is its edge
            assertEquals(255, r.getSample(x0 + 33, top + h / 4 + 1, 0), "inside the edge, panel " + panel);
            assertEquals(0, r.getSample(x0 + 30, top + h / 2, 0), "outside the edge, panel " + panel);
        }
        // the 1/4 of the rows that lie below the axial panel are background
        assertEquals(0, r.getSample(64, top + 200, 0));
        // the labels put light pixels in the label strip
        int lit = 0;
        for (int y = 0; y < Previews.LABEL_HEIGHT; y++) for (int x = 0; x < img.getWidth(); x++) lit += r.getSample(x, y, 0) > 100 ? 1 : 0;
        assertTrue(lit > 20, "label pixels: " + lit);
    }

    @Test
    void explicitWindowLevelMapsLinearly() {
        Volume v = brightCube();
        BufferedImage img = Previews.orthogonalSlices(v, Previews.Window.ofWidthLevel(4, 0)); // [-2, 2]
        int top = Previews.LABEL_HEIGHT;
        assertEquals(191, img.getRaster().getSample(64, top + 64, 0)); // 1 → 0.75 · 255 = 191.25
        assertEquals(128, img.getRaster().getSample(2, top + 2, 0));   // 0 → 127.5, rounded up
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        float[] data = new float[101];
        for (int i = 0; i <= 100; i++) data[i] = 100 - i; // 100 .. 0, unsorted
        Previews.Window w = Previews.percentileWindow(data, 1, 99);
        assertEquals(1.0, w.low(), 1e-12);
        assertEquals(99.0, w.high(), 1e-12);
        // numpy.percentile([0, 1, 2, 10], [1, 99]) = [0.03, 9.76]
        Previews.Window v = Previews.percentileWindow(new float[] {10, Float.NaN, 0, 2, 1}, 1, 99);
        assertEquals(0.03, v.low(), 1e-6);
        assertEquals(9.76, v.high(), 1e-6);
        Previews.Window constant = Previews.defaultWindow(new float[] {3, 3, 3});
        assertEquals(2.5, constant.low());
        assertEquals(3.5, constant.high());
    }

    @Test
    void singleSliceVolumeShowsOnlyTheAxialPanel() {
        Volume v = Volume.zeros(new VolumeGrid(1, 10, 20, 1, 0.5, 0.5, new double[3]));
        BufferedImage img = Previews.orthogonalSlices(v, new Previews.Window(0, 1));
        assertEquals(256, img.getWidth());
        assertEquals(Previews.LABEL_HEIGHT + 128, img.getHeight());
    }

    @Test
    void writesA2dArrayOnePixelPerElement() throws IOException {
        float[] ramp = new float[3 * 5];
        for (int i = 0; i < ramp.length; i++) ramp[i] = i % 5; // 0..4 along each row
        Path png = dir.resolve("ramp.png");
        Previews.writeImage(png, ramp, 3, 5, new Previews.Window(0, 4));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(5, img.getWidth());
        assertEquals(3, img.getHeight());
        int[] expected = {0, 64, 128, 191, 255};
        for (int c = 0; c < 5; c++) assertEquals(expected[c], img.getRaster().getSample(c, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Previews.image(ramp, 4, 5, new Previews.Window(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> Previews.Window.ofWidthLevel(0, 1));
    }
}
