package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import picocli.CommandLine;

class PreviewCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path volume() throws Exception {
        Volume v = Volume.zeros(VolumeGrid.cube(16, 1.0));
        for (int i = 0; i < v.data().length; i++) v.data()[i] = i % 7;
        Path f = dir.resolve("vol.mha");
        MetaImage.writeVolume(f, v);
        return f;
    }

    @Test
    void writesPngNextToTheVolumeByDefault() throws Exception {
        Path vol = volume();
        assertEquals(0, run("preview", vol.toString()), err.toString());
        Path png = dir.resolve("vol.png");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3 * 256 + 2 * Previews.GAP, img.getWidth());
        assertTrue(out.toString().contains("wrote " + png), out.toString());
        assertTrue(out.toString().contains("window 0..6"), out.toString());
    }

    @Test
    void explicitOutputAndWindow() throws Exception {
        Path vol = volume();
        Path png = dir.resolve("sub/p.png");
        assertEquals(0, run("preview", vol.toString(), "--out", png.toString(), "--window", "2", "--level", "5"), err.toString());
        assertTrue(Files.exists(png));
        assertTrue(out.toString().contains("window 4..6 (width 2, level 5)"), out.toString());
    }

    @Test
    void usageErrorsAndMissingFiles() throws Exception {
        Path vol = volume();
        assertEquals(2, run("preview", vol.toString(), "--window", "2"));
        assertTrue(err.toString().contains("--window and --level must be given together"), err.toString());
        assertEquals(2, run("preview", vol.toString(), "--window", "-1", "--level", "0"));
        assertEquals(2, run("preview", dir.resolve("none.mha").toString())); // missing input: usage, as in every command
        assertTrue(err.toString().contains("no such file: ") && err.toString().contains("none.mha"), err.toString());
        assertTrue(!Files.exists(dir.resolve("none.png")));
    }
}
