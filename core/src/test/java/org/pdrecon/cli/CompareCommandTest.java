package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import org.pdrecon.io.dicom.CtSeriesWriter;
import org.pdrecon.io.dicom.SeriesInfo;
import org.pdrecon.metrics.VolumeComparisonTest;

/** {@code pdrecon compare} against MetaImage and DICOM CT references, with fits, masks, the difference PNG and errors. */
class CompareCommandTest {
    @TempDir
    static Path dir;
    static Path ref, vol;
    static final VolumeGrid REF_GRID = new VolumeGrid(20, 24, 24, 2.5, 2.0, 2.0, new double[3]);
    static final VolumeGrid VOL_GRID = VolumeGrid.cube(40, 1.0);

    @BeforeAll
    static void write() throws Exception {
        ref = dir.resolve("ref.mha");
        vol = dir.resolve("vol.mha");
        MetaImage.writeVolume(ref, VolumeComparisonTest.blob(REF_GRID, 2.0));
        MetaImage.writeVolume(vol, VolumeComparisonTest.blob(VOL_GRID, 2.0 / 250));
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void scaleFitAgainstAMetaImageReferenceWithADifferencePng() throws Exception {
        Path png = dir.resolve("d.png"), diff = dir.resolve("d.mha");
        CliRun r = CliRun.of("compare", "--reference", ref.toString(), "--volume", vol.toString(),
                "--scale-fit", "--diff-png", png.toString(), "--diff-out", diff.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(250, number(r.out(), "reference ≈ (\\S+) · volume"), 2.5);
        assertTrue(number(r.out(), "PSNR (\\S+) dB") > 40, r.out());
        assertTrue(number(r.out(), "NRMSE (\\S+)") < 0.01, r.out());
        assertTrue(r.out().contains("mask       all reference voxels inside the volume's extent: 6400 of 11520 voxels"), r.out());
        // Range = max − min of the reference in the mask: the sampled peak (nearest centre at (±1, ±1, ±1.25) mm)
        // minus the value at the farthest masked corner (19, 19, 18.75) mm.
        assertEquals(2 * Math.exp(-3.5625 / 128) - 2 * Math.exp(-1073.5625 / 128), number(r.out(), "range      (\\S+)"), 1e-4);
        BufferedImage img = ImageIO.read(png.toFile());
        // Voxel (z, y, x) = (10, 0, 0) lies outside the volume's extent: difference 0 → mid-grey.
        int grey = img.getRaster().getSample(1, Previews.LABEL_HEIGHT + 1, 0);
        assertTrue(grey == 127 || grey == 128, "zero difference drawn as " + grey);
        Volume d = MetaImage.readVolume(diff);
        assertEquals(0, d.get(0, 0, 0));
    }

    @Test
    void unfittedComparisonReportsTheUnitMismatch() {
        CliRun r = CliRun.of("compare", "--reference", ref.toString(), "--volume", vol.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fit        none"), r.out());
        assertTrue(number(r.out(), "NRMSE (\\S+)") > 0.99, r.out());
    }

    @Test
    void offsetFitTakesAVolumeInPerMmToAHuCtSeries() throws Exception {
        double muWater = 0.002;
        Volume mu = VolumeComparisonTest.blob(REF_GRID, 0.004);
        Path ct = dir.resolve("ct");
        CtSeriesWriter.write(mu, ct, SeriesInfo.anonymous("reference"), muWater);
        CliRun r = CliRun.of("compare", "--reference", ct.toString(), "--volume", vol.toString(),
                "--offset-fit");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("CT in HU"), r.out());
        // HU = 1000/μw · μ − 1000 and μ = vol/2 (peaks 0.004 and 0.008): scale 500/μw, offset −1000.
        assertEquals(500 / muWater, number(r.out(), "reference ≈ (\\S+) · volume"), 500 / muWater * 0.01);
        assertEquals(-1000, number(r.out(), "· volume \\+ (\\S+)"), 5);
    }

    @Test
    void scaleFitAgainstAnRtDoseFileRecoversTheFactorExactly() throws Exception {
        // The pydicom RT Dose fixture (make_fixtures.py): 2×3×4 voxels, dose = 0.001·(1000 f + 10 r + c) Gy at
        // world (x, y, z) = (−10 + 2c, 5 + 2.5r, 20 + 3f), i.e. linear in world coordinates.
        VolumeGrid g = new VolumeGrid(8, 10, 10, 1, 1, 1, new double[] {-7, 7.5, 21.5});
        Volume v = Volume.zeros(g);
        for (int k = 0; k < g.nz(); k++) for (int j = 0; j < g.ny(); j++) for (int i = 0; i < g.nx(); i++) {
            double dose = 0.001 * (1000 * (g.z(k) - 20) / 3 + 10 * (g.y(j) - 5) / 2.5 + (g.x(i) + 10) / 2);
            v.set(k, j, i, (float) (dose / 500));
        }
        Path epid = dir.resolve("epid-like.mha");
        MetaImage.writeVolume(epid, v);
        CliRun r = CliRun.of("compare", "--reference", "core/src/test/resources/dicom/rtdose.dcm",
                "--volume", epid.toString(), "--scale-fit");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("RTDOSE in GY"), r.out());
        assertTrue(r.out().contains(": 24 of 24 voxels"), r.out());
        assertEquals(500, number(r.out(), "reference ≈ (\\S+) · volume"), 500 * 1e-5);
        assertTrue(number(r.out(), "NRMSE (\\S+)") < 1e-5, r.out());
        assertTrue(r.out().contains("SSIM n/a (grid smaller than the 11-voxel window)"), r.out());
    }

    @Test
    void fovMaskNeedsTheGeometryAndShrinksTheMask() throws Exception {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VOL_GRID).setSodMm(500).setSddMm(1000)
                .setDetector(20, 20, 2.0, 2.0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(36, 0, 360)).build();
        Path gj = dir.resolve("g.json");
        GeometryJson.write(gj, g);
        CliRun r = CliRun.of("compare", "--reference", ref.toString(), "--volume", vol.toString(),
                "--scale-fit", "--mask", "fov", "--geometry", gj.toString());
        assertEquals(0, r.code(), r.err());
        int voxels = (int) number(r.out(), ": (\\d+) of 11520 voxels");
        assertTrue(voxels > 0 && voxels < 6400, r.out());
        assertTrue(r.out().contains("cylinder"), r.out());
    }

    @Test
    void onAHalfFanScanTheScannedMaskIsItsFieldOfViewWhereFovIsOnlyTheCentre() throws Exception {
        ConeBeamGeometry half = ConeBeamGeometry.circular().setVolume(VOL_GRID).setSodMm(500).setSddMm(1000)
                .setDetector(20, 14, 2.0, 2.0).optDetectorOffsetMm(8, 0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(36, 0, 360)).build();
        Path gj = dir.resolve("half.json");
        GeometryJson.write(gj, half);
        int[] voxels = new int[2];
        String[] masks = {"fov", "scanned"};
        for (int k = 0; k < 2; k++) {
            CliRun r = CliRun.of("compare", "--reference", ref.toString(), "--volume", vol.toString(), "--mask", masks[k], "--geometry", gj.toString());
            assertEquals(0, r.code(), r.err());
            voxels[k] = (int) number(r.out(), ": (\\d+) of 11520 voxels");
        }
        // radii at the axis: SOD·sin(atan(h/SDD)) with h = 14 − 8 = 6 mm and 14 + 8 = 22 mm of detector half-width
        double rFov = 500 * Math.sin(Math.atan(6 / 1000.0)), rScanned = 500 * Math.sin(Math.atan(22 / 1000.0));
        assertTrue(voxels[0] > 0 && voxels[1] > 8 * voxels[0], "fov " + voxels[0] + ", scanned " + voxels[1] + " (radii " + rFov + ", " + rScanned + " mm)");
    }

    @Test
    void errors() throws Exception {
        String v = vol.toString();
        assertUsage("--reference: no such file or folder", "compare", "--reference", dir.resolve("no.mha").toString(), "--volume", v);
        assertUsage("--mask fov needs --geometry", "compare", "--reference", ref.toString(), "--volume", v, "--mask", "fov");
        assertUsage("--mask must be all, fov or scanned", "compare", "--reference", ref.toString(), "--volume", v, "--mask", "body");
        assertUsage("Missing required option: '--volume", "compare", "--reference", ref.toString());
        Path far = dir.resolve("far.mha");
        MetaImage.writeVolume(far, Volume.zeros(new VolumeGrid(4, 4, 4, 1, 1, 1, new double[] {500, 0, 0})));
        CliRun r = CliRun.of("compare", "--reference", ref.toString(), "--volume", far.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("does not overlap"), r.err());
        Path notDicom = dir.resolve("junk.dcm");
        Files.writeString(notDicom, "hello");
        r = ReconstructCommandTest.run("compare", "--reference", notDicom.toString(), "--volume", v);
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: "), r.err());
    }

    private static void assertUsage(String message, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in:\n" + r.err());
    }
}
