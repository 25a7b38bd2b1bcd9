package org.pdrecon.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeometryDiagramTest {
    @TempDir
    Path tmp;

    /** The PNG shows the first source (green) at θ = 30°, the last (red) at 200°, the volume edge in black. */
    @Test
    void partsAreDrawnWhereTheGeometryPutsThem() throws IOException {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(new VolumeGrid(8, 40, 60, 2, 2, 2, new double[3]))
                .setSodMm(500).setSddMm(800).setDetector(10, 50, 2, 2).setAnglesDeg(30, 60, 90, 120, 150, 200).build();
        Path png = tmp.resolve("geometry.png");
        GeometryDiagram.writePng(g, png, 400);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(400, img.getWidth());
        assertColour(img, g, g.source(0)[0], g.source(0)[1], GeometryDiagram.FIRST);
        assertColour(img, g, g.source(5)[0], g.source(5)[1], GeometryDiagram.LAST);
        assertColour(img, g, g.source(2)[0], g.source(2)[1], GeometryDiagram.SOURCE);
        double[] mid = g.detectorCentre(5);
        assertColour(img, g, mid[0], mid[1], GeometryDiagram.LAST);
        assertColour(img, g, 60, 10, GeometryDiagram.VOLUME); // right edge of the 120 × 80 mm volume
        assertColour(img, g, 60, -10, GeometryDiagram.VOLUME);
        double[] centreOfVolumeQuadrant = GeometryDiagram.toPixel(g, 400, 30, 20);
        assertEquals(Color.WHITE.getRGB(), img.getRGB((int) centreOfVolumeQuadrant[0], (int) centreOfVolumeQuadrant[1]));
    }

    private static void assertColour(BufferedImage img, ConeBeamGeometry g, double x, double y, Color expected) {
        double[] p = GeometryDiagram.toPixel(g, img.getWidth(), x, y);
        int px = (int) Math.round(p[0]), py = (int) Math.round(p[1]);
        // anti-aliasing: the nearest of the 3×3 pixels around the point carries the pure colour
        boolean found = false;
        for (int dx = -1; dx <= 1; dx++) {
            for (int dy = -1; dy <= 1; dy++) found |= (img.getRGB(px + dx, py + dy) & 0xFFFFFF) == (expected.getRGB() & 0xFFFFFF);
        }
        assertTrue(found, "expected " + expected + " near (" + px + ", " + py + ") for world (" + x + ", " + y + "), found "
                + new Color(img.getRGB(px, py)));
    }
}
