package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.Volume;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.dicom.ExternalTools;

/**
 * Clinical input that used to go silently wrong, written by pydicom from the sample EPID arc
 * (core/src/test/resources/clinical/make_clinical_cases.py): a cumulative arc acquired from 180° through 0°,
 * the same with a frame stored twice, two series in one folder; plus the quality gate and
 * all-or-nothing outputs. The truth is the sample's objects (datasets/make_sample_epid_arc.py).
 */
class ClinicalInputTest {
    static final Path SAMPLE = Path.of("datasets/sample-epid-arc");
    @TempDir
    static Path dir;
    static Path cases;

    @BeforeAll
    static void writeCases() throws Exception {
        String python = ExternalTools.pythonWithPydicom();
        if (python == null) return;
        cases = dir.resolve("cases");
        var r = ExternalTools.run(List.of(python, "core/src/test/resources/clinical/make_clinical_cases.py", SAMPLE.toString(), cases.toString()), null);
        assertEquals(0, r.exitCode(), r.output());
    }

    private static void assertSampleValues(Path volume) throws Exception {
        Volume v = MetaImage.readVolume(volume);
        assertEquals(0.0049, ReconstructCommandTest.sphereMean(v, 0, 12, -10, 2.5), 0.0049 * 0.04, "water");
        assertEquals(0.0090, ReconstructCommandTest.sphereMean(v, 10, -6, 0, 2.5), 0.0090 * 0.06, "bone-like rod");
        assertEquals(0.0065, ReconstructCommandTest.sphereMean(v, -4, -10, -8, 2.5), 0.0065 * 0.06, "denser insert");
    }

    @Test
    void aCumulativeArcStartingMidCircleIsDifferencedInAcquisitionOrder() throws Exception {
        assumeTrue(cases != null, "python3 with pydicom is not installed");
        Path out = dir.resolve("midcircle.mha");
        CliRun r = CliRun.of("reconstruct", "--dicom", cases.resolve("cumulative-midcircle").toString(), "--i0", "20000", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cumulative: mean signal grows monotonically") && r.out().contains("acquisition starts at 180.000°")
                && r.out().contains("order from InstanceNumber"), r.out());
        assertSampleValues(out);
        // The order can also be given by hand; a wrong start is refused by the quality gate, not reconstructed.
        Path byHand = dir.resolve("midcircle-start.mha"), wrong = dir.resolve("midcircle-wrong.mha");
        r = CliRun.of("reconstruct", "--dicom", cases.resolve("cumulative-midcircle").toString(), "--i0", "20000", "--start-angle", "180",
                "--direction", "increasing", "--out", byHand.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("order from --start-angle 180.000 --direction increasing"), r.out());
        assertSampleValues(byHand);
        r = CliRun.of("reconstruct", "--dicom", cases.resolve("cumulative-midcircle").toString(), "--i0", "20000", "--cumulative", "yes",
                "--start-angle", "0", "--direction", "increasing", "--out", wrong.toString(), "--quiet");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("refusing to reconstruct: the projections fail the quality gate"), r.err());
        assertFalse(Files.exists(wrong));
    }

    @Test
    void aFrameStoredTwiceIsDroppedAndTheArcReconstructs() throws Exception {
        assumeTrue(cases != null, "python3 with pydicom is not installed");
        Path out = dir.resolve("repeat.mha");
        CliRun r = CliRun.of("reconstruct", "--dicom", cases.resolve("cumulative-repeat").toString(), "--i0", "20000", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dropped CUM_012.dcm (gantry 230.000°): its pixels repeat CUM_011.dcm"), r.out());
        assertTrue(r.out().contains("imported 72 views"), r.out());
        assertSampleValues(out);
    }

    @Test
    void twoSeriesAreRefusedWithTheirListAndOneCanBeChosen() throws Exception {
        assumeTrue(cases != null, "python3 with pydicom is not installed");
        Path out = dir.resolve("series.mha");
        CliRun r = CliRun.of("reconstruct", "--dicom", cases.resolve("two-series").toString(), "--i0", "20000", "--out", out.toString(), "--quiet");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("holds 2 series; a scan is one series: choose one with --series UID"), r.err());
        assertTrue(r.err().contains("1.2.826.0.1.3680043.8.498.6060.3.8  \"repeat scan\"  72 files"), r.err());
        assertFalse(Files.exists(out));
        r = CliRun.of("reconstruct", "--dicom", cases.resolve("two-series").toString(), "--series", "1.2.826.0.1.3680043.8.498.6060.3.8",
                "--i0", "20000", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("imported 72 views"), r.out());
        assertSampleValues(out);
    }

    /**
     * A learned model runs from a DICOM folder, its geometry read from the files: an untrained 3D network of 2 view
     * subsets returns its FDK start exactly (its last layers start at zero), so it must equal the FDK reconstruction.
     */
    @Test
    void aSubsetModelReconstructsFromADicomFolder() throws Exception {
        Path model = Files.createDirectories(dir.resolve("untrained-subsets"));
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var net = new org.pdrecon.learned.LearnedPrimalDual(new org.pdrecon.learned.LearnedPrimalDualConfig(3, 2, 2, 2, 4, 3, 2,
                    org.pdrecon.learned.LearnedPrimalDualConfig.DEFAULT_VALUE_SCALE, 2));
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 4, 4, 4),
                    new ai.djl.ndarray.types.Shape(1, 1, 3, 4, 4));
            org.pdrecon.learned.ModelFiles.save(model, net, null);
        }
        Path fdk = dir.resolve("dicom-fdk.mha"), learned = dir.resolve("dicom-model.mha");
        CliRun r = CliRun.of("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "20000", "--out", fdk.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        r = CliRun.of("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "20000", "--model", model.toString(), "--out", learned.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        float[] a = MetaImage.readVolume(fdk).data(), b = MetaImage.readVolume(learned).data();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6, "voxel " + i);
    }

    /** The sample's air signal is about 20000: I0 = 100 makes every line integral negative. */
    @Test
    void anImplausibleI0IsRefusedAndForceOverridesIt() throws Exception {
        Path out = dir.resolve("lowi0.mha");
        CliRun r = CliRun.of("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "100", "--out", out.toString(), "--quiet");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("of the line integrals are below -0.05") && r.err().contains("I0 is too low"), r.err());
        assertTrue(r.err().contains("pass --force"), r.err());
        assertFalse(Files.exists(out));
        r = CliRun.of("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "100", "--force", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("quality gate overridden by --force"), r.out());
        assertTrue(Files.exists(out));
    }

    /** A target that cannot be written is found before the work, and nothing else is written. */
    @Test
    void outputsAreAllOrNothing() throws Exception {
        Path out = dir.resolve("aon/vol.mha"), blocked = Files.createDirectories(dir.resolve("aon/preview-is-a-folder.png"));
        CliRun r = CliRun.of("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "20000", "--out", out.toString(), "--preview", blocked.toString(), "--quiet");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("cannot write " + blocked.toAbsolutePath() + ": it is a folder"), r.err());
        assertFalse(r.out().contains("imported"), "the check runs before the work: " + r.out());
        assertFalse(Files.exists(out));
        Path nested = dir.resolve("aon/new/deeper/vol.mha"), png = dir.resolve("aon/new/deeper/vol.png");
        r = CliRun.of("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "20000", "--out", nested.toString(), "--preview", png.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("will create folder " + nested.getParent().toAbsolutePath()), r.out());
        try (Stream<Path> s = Files.list(nested.getParent())) {
            assertEquals(List.of("vol.mha", "vol.png"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporaries left");
        }
        Path parentIsFile = Files.writeString(dir.resolve("aon/plain.txt"), "x").resolve("vol.mha");
        r = CliRun.of("reconstruct", "--dicom", SAMPLE.toString(), "--i0", "20000", "--out", parentIsFile.toString(), "--quiet");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("is a file, not a folder"), r.err());
    }

    @Test
    void aMissingInputIsAUsageErrorInEveryCommand() {
        String missing = dir.resolve("no-such-folder").toString(), file = dir.resolve("no-such-file.mha").toString();
        assertEquals(2, CliRun.of("reconstruct", "--dicom", missing, "--out", dir.resolve("x.mha").toString()).code());
        CliRun r = CliRun.of("import", missing, "-o", dir.resolve("imp").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no such folder: " + missing), r.err());
        String[][] commands = {{"dicom", "projections", missing}, {"dicom", "dump", file}, {"preview", file}, {"train", "--config", file},
                {"fdk", "--projections", file, "--geometry", file, "--out", dir.resolve("y.mha").toString()},
                {"compare", "--reference", file, "--volume", file}};
        for (String[] c : commands) {
            r = CliRun.of(c);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("no such"), String.join(" ", c) + ": " + r.err());
        }
    }
}
