package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomCommandTest {
    @TempDir
    Path tmp;

    private Path fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/dicom/" + name)) {
            Path p = tmp.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, in.readAllBytes());
            return p;
        }
    }


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void dumpShowsKeywordsValuesAndNestedItems() throws IOException {
        CliRun r = run("dicom", "dump", fixture("rtimage_u16.dcm").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(300A,011E) GantryAngle DS = [90]"), r.out());
        assertTrue(r.out().contains("(0028,0010) Rows US = [6]"), r.out());
        assertTrue(r.out().contains("        (300A,00B8) RTBeamLimitingDeviceType CS = [ASYMX]"), r.out());
    }

    @Test
    void unsupportedFileIsOneClearErrorLine() throws IOException {
        CliRun r = run("dicom", "dump", fixture("dcmtk_deflated.dcm").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99)"), r.err());
    }

    @Test
    void projectionsSummarisesTheArc() throws IOException {
        for (int k = 0; k < 16; k++) fixture(String.format("epid_arc/frame_%02d.dcm", k));
        Path png = tmp.resolve("out/geometry.png");
        CliRun r = run("dicom", "projections", tmp.resolve("epid_arc").toString(), "--diagram", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("views          16"), r.out());
        assertTrue(r.out().contains("280.000° to 467.500° (arc 187.500°"), r.out());
        assertTrue(r.out().contains("pixel values   not stated"), r.out());
        assertEquals(600, javax.imageio.ImageIO.read(png.toFile()).getWidth());
        assertTrue(r.out().contains("frames         independent: mean signal falls in acquisition order between views"), r.out());
        assertTrue(r.out().contains("32 rows × 32 columns, 3.2000 × 3.6000 mm, centre offset (u 6.000, v -4.000) mm"), r.out());
    }
}
