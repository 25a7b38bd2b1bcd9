package org.pdrecon.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * The writers: CT series and RT Images read back by this reader, by pydicom, and pass dciodvfy
 * (dicom3tools) without errors.
 */
@Timeout(180) // external tools run here; a stuck one must fail the test, not hang the build
class DicomWriterTest {
    static final double MU_WATER = 0.02; // 1/mm

    @TempDir
    Path tmp;

    /** A 3-slice 4×5 volume (off-centre, anisotropic) with μ spanning air to bone. */
    static Volume sampleVolume() {
        VolumeGrid g = new VolumeGrid(3, 4, 5, 2.5, 0.75, 0.5, new double[] {10, -20, 30});
        Volume v = Volume.zeros(g);
        Random rnd = new Random(7);
        for (int i = 0; i < v.data().length; i++) v.data()[i] = (float) (rnd.nextDouble() * 0.05);
        return v;
    }

    static List<Path> writeCt(Path dir) throws IOException {
        return CtSeriesWriter.write(sampleVolume(), dir, new SeriesInfo("Test^Patient", "PD-1", Uids.fresh(), Uids.fresh(), "unit test", 7), MU_WATER);
    }

    static ConeBeamGeometry sampleGeometry() {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(6, 4, 0.4, 0.392).optDetectorOffsetMm(3.0, -1.5).setAnglesDeg(-30, 0, 90, 359.5).build();
    }

    static ProjectionStack sampleProjections() {
        ProjectionStack p = ProjectionStack.zeros(4, 6, 4);
        for (int i = 0; i < p.data().length; i++) p.data()[i] = (float) (0.1 * i - 2.0);
        return p;
    }

    static List<Path> writeRt(Path dir) throws IOException {
        return RtImageWriter.write(sampleProjections(), RtImageWriter.Values.LINE_INTEGRALS, sampleGeometry(), dir, SeriesInfo.anonymous("simulated arc"));
    }

    @Test
    void ctSeriesReadsBackWithGeometryAndHuWithinHalfAStep() throws IOException {
        Volume vol = sampleVolume();
        List<Path> files = writeCt(tmp);
        assertEquals(3, files.size());
        VolumeGrid g = vol.grid();
        String series = null;
        for (int k = 0; k < 3; k++) {
            DicomFile f = DicomReader.read(files.get(k));
            DicomObject ds = f.dataset();
            assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, f.transferSyntax());
            assertEquals(Uids.CT_IMAGE_STORAGE, ds.getString(DicomDictionary.tag("SOPClassUID")));
            assertEquals(ds.getString(DicomDictionary.tag("SOPInstanceUID")), f.meta().getString(0x00020003));
            if (series == null) series = ds.getString(DicomDictionary.tag("SeriesInstanceUID"));
            assertEquals(series, ds.getString(DicomDictionary.tag("SeriesInstanceUID")));
            assertArrayEquals(new double[] {g.x(0), g.y(0), g.z(k)}, ds.getDoubles(DicomDictionary.tag("ImagePositionPatient")), 1e-9);
            assertArrayEquals(new double[] {0.75, 0.5}, ds.getDoubles(DicomDictionary.tag("PixelSpacing")));
            assertEquals(2.5, ds.getDouble(DicomDictionary.tag("SliceThickness"), 0));
            PixelData px = PixelData.decode(f);
            assertEquals(4, px.rows());
            assertEquals(5, px.cols());
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 5; i++) {
                    double hu = 1000 * (vol.get(k, j, i) - MU_WATER) / MU_WATER;
                    assertEquals(hu, px.get(0, j, i), 0.5 * px.slope() + 1e-3, "voxel " + k + "," + j + "," + i);
                }
            }
        }
    }

    @Test
    void uidsAreFreshValidAndDistinct() {
        String a = Uids.fresh(), b = Uids.fresh();
        assertNotEquals(a, b);
        for (String u : new String[] {a, b, Uids.IMPLEMENTATION_CLASS_UID}) {
            assertTrue(u.length() <= 64, u);
            assertTrue(u.matches("2\\.25\\.(0|[1-9][0-9]*)"), u);
        }
    }

    @Test
    void rtImagesReadBackWithGantryGeometryAndFlippedRows() throws IOException {
        ProjectionStack p = sampleProjections();
        List<Path> files = writeRt(tmp);
        double[] expectAngles = {330, 0, 90, 359.5};
        for (int view = 0; view < 4; view++) {
            DicomFile f = DicomReader.read(files.get(view));
            DicomObject ds = f.dataset();
            assertEquals(expectAngles[view], ds.getDouble(DicomDictionary.tag("GantryAngle"), Double.NaN), 1e-9);
            assertEquals(1500, ds.getDouble(DicomDictionary.tag("RTImageSID"), Double.NaN));
            assertEquals(1000, ds.getDouble(DicomDictionary.tag("RadiationMachineSAD"), Double.NaN));
            assertEquals("LOG", ds.getString(DicomDictionary.tag("PixelIntensityRelationship")));
            assertEquals(-1, ds.getInt(DicomDictionary.tag("PixelIntensityRelationshipSign"), 0));
            assertArrayEquals(new double[] {0.4, 0.392}, ds.getDoubles(DicomDictionary.tag("ImagePlanePixelSpacing")));
            double[] pos = ds.getDoubles(DicomDictionary.tag("RTImagePosition"));
            // centre offset (3, -1.5): first column at 3 − 1.5·0.392, first (top) row at −1.5 + 2.5·0.4
            assertArrayEquals(new double[] {3 - 1.5 * 0.392, -1.5 + 2.5 * 0.4}, pos, 1e-9);
            assertArrayEquals(new double[] {3.0, -1.5}, RtImageGeometry.detectorOffset(6, 4, 0.4, 0.392, pos), 1e-9);
            PixelData px = PixelData.decode(f);
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(p.get(view, r, c), px.get(0, 5 - r, c), 0.5 * px.slope() + 1e-6);
                }
            }
        }
    }

    @Test
    void writesAtomicallyLeavingNoTemporaryFilesWithUsualPermissions() throws IOException {
        writeCt(tmp);
        writeRt(tmp);
        try (Stream<Path> s = Files.list(tmp)) {
            List<String> names = s.map(x -> x.getFileName().toString()).sorted().toList();
            assertEquals(7, names.size(), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp")), names.toString());
        }
        if (Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(tmp.resolve("CT_0001.dcm"))), "files must be readable by others, like any output");
        }
    }

    /** pydicom (an independent decoder) reads the files and sees the same values and attributes. */
    @Test
    void pydicomReadsWhatWeWrite() throws Exception {
        String py = ExternalTools.pythonWithPydicom();
        assumeTrue(py != null, "python3 with pydicom is not installed");
        List<Path> files = new ArrayList<>(writeCt(tmp.resolve("ct")));
        files.addAll(writeRt(tmp.resolve("rt")));
        String script = String.join("\n",
                "import sys, json, pydicom",
                "out = []",
                "for p in sys.argv[1:]:",
                "    ds = pydicom.dcmread(p)",
                "    arr = ds.pixel_array.astype(float) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)",
                "    out.append({'ts': str(ds.file_meta.TransferSyntaxUID), 'sop': str(ds.SOPClassUID),",
                "                'gantry': float(ds.get('GantryAngle', -1)), 'rows': int(ds.Rows), 'cols': int(ds.Columns),",
                "                'values': arr.ravel().tolist()})",
                "print(json.dumps(out))");
        List<String> cmd = new ArrayList<>(List.of(py, "-c", script));
        for (Path f : files) cmd.add(f.toString());
        ExternalTools.Result r = ExternalTools.run(cmd, null);
        assertEquals(0, r.exitCode(), r.output());
        JsonArray arr = JsonParser.parseString(r.output().lines().reduce((a, b) -> b).orElse("")).getAsJsonArray();
        assertEquals(files.size(), arr.size());
        for (int i = 0; i < files.size(); i++) {
            JsonObject o = arr.get(i).getAsJsonObject();
            assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), o.get("ts").getAsString());
            PixelData mine = PixelData.decode(DicomReader.read(files.get(i)));
            JsonArray values = o.getAsJsonArray("values");
            assertEquals(mine.values().length, values.size());
            for (int k = 0; k < values.size(); k++) assertEquals(mine.values()[k], values.get(k).getAsDouble(), 1e-3);
        }
        assertEquals(330.0, arr.get(3).getAsJsonObject().get("gantry").getAsDouble(), 1e-9);
    }

    /** dicom3tools' IOD verifier reports no errors for either object. */
    @Test
    void dciodvfyReportsNoErrors() throws Exception {
        String dciodvfy = ExternalTools.find("dciodvfy");
        assumeTrue(dciodvfy != null, "dciodvfy (dicom3tools) is not installed");
        List<Path> files = new ArrayList<>(writeCt(tmp.resolve("ct")));
        files.addAll(writeRt(tmp.resolve("rt")));
        for (Path f : files) {
            ExternalTools.Result r = ExternalTools.run(List.of(dciodvfy, f.toString()), null);
            List<String> errors = r.output().lines().filter(l -> l.startsWith("Error")).toList();
            assertTrue(errors.isEmpty(), f.getFileName() + ":\n" + r.output());
        }
    }

    /**
     * plastimatch (ITK's DICOM series reader underneath) turns the CT series into a MetaImage: its
     * origin, spacing, size, direction and HU values must match the volume we wrote.
     */
    @Test
    void plastimatchReadsTheCtSeriesGeometryAndHu() throws Exception {
        String plastimatch = ExternalTools.find("plastimatch");
        assumeTrue(plastimatch != null, "plastimatch is not installed");
        Volume vol = sampleVolume();
        writeCt(tmp.resolve("ct"));
        Path mha = tmp.resolve("ct.mha");
        ExternalTools.Result r = ExternalTools.run(List.of(plastimatch, "convert", "--input", tmp.resolve("ct").toString(),
                "--output-img", mha.toString(), "--output-type", "float"), null);
        assertEquals(0, r.exitCode(), r.output());
        byte[] bytes = Files.readAllBytes(mha);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int dataStart = text.indexOf("ElementDataFile = LOCAL\n") + "ElementDataFile = LOCAL\n".length();
        java.util.Map<String, String> header = new java.util.HashMap<>();
        for (String line : text.substring(0, dataStart).split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) header.put(line.substring(0, eq), line.substring(eq + 3));
        }
        VolumeGrid g = vol.grid();
        assertEquals("5 4 3", header.get("DimSize"));
        assertArrayEquals(new double[] {g.dxMm(), g.dyMm(), g.dzMm()}, numbers(header.get("ElementSpacing")), 1e-6);
        assertArrayEquals(new double[] {g.x(0), g.y(0), g.z(0)}, numbers(header.get("Offset")), 1e-6);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, numbers(header.get("TransformMatrix")), 1e-9);
        assertEquals("MET_FLOAT", header.get("ElementType"));
        java.nio.FloatBuffer fb = java.nio.ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < vol.data().length; i++) {
            double hu = 1000 * (vol.data()[i] - MU_WATER) / MU_WATER;
            assertEquals(hu, fb.get(i), 0.5 + 1e-3, "voxel " + i);
        }
    }

    private static double[] numbers(String s) {
        return java.util.Arrays.stream(s.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }
}
