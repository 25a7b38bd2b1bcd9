package org.pdrecon.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

class DicomVolumeReaderTest {
    @TempDir
    Path tmp;

    private Path copyFixture(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(Path.of(name).getFileName().toString());
        Files.write(p, DicomReaderFixturesTest.fixture(name));
        return p;
    }

    /** pydicom's 3-slice series, files named in reverse z order (see make_fixtures.py). */
    @Test
    void pydicomSeriesIsSortedByPositionOntoTheRightGrid() throws IOException {
        for (int i = 1; i <= 3; i++) copyFixture("ct_series/slice_" + i + ".dcm", tmp);
        DicomVolumeReader.Result r = DicomVolumeReader.read(tmp);
        VolumeGrid g = r.volume().grid();
        assertArrayEquals(new int[] {3, 2, 3}, g.shape());
        assertEquals(0.6, g.dxMm(), 1e-12);
        assertEquals(0.8, g.dyMm(), 1e-12);
        assertEquals(2.5, g.dzMm(), 1e-12);
        assertEquals(-1.0, g.x(0), 1e-12);
        assertEquals(-2.0, g.y(0), 1e-12);
        assertEquals(10.0, g.z(0), 1e-12);
        assertEquals("HU", r.units());
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) assertEquals(100 * k + 10 * y + x - 1000, r.volume().get(k, y, x), 0);
            }
        }
        assertEquals("slice_3.dcm", r.files().get(0).getFileName().toString());
    }

    @Test
    void pydicomRtDoseMultiFrameWithGridFrameOffsets() throws IOException {
        DicomVolumeReader.Result r = DicomVolumeReader.read(copyFixture("rtdose.dcm", tmp));
        VolumeGrid g = r.volume().grid();
        assertArrayEquals(new int[] {2, 3, 4}, g.shape());
        assertEquals(2.0, g.dxMm(), 1e-12);
        assertEquals(2.5, g.dyMm(), 1e-12);
        assertEquals(3.0, g.dzMm(), 1e-12);
        assertArrayEquals(new double[] {-10 + 1.5 * 2.0, 5 + 1.0 * 2.5, 20 + 1.5}, g.centreMm(), 1e-12);
        assertEquals("GY", r.units());
        assertEquals("RTDOSE", r.modality());
        for (int f = 0; f < 2; f++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) assertEquals(0.001 * (1000 * f + 10 * y + x), r.volume().get(f, y, x), 1e-6);
            }
        }
    }

    @Test
    void ctSeriesWriterRoundTrip() throws IOException {
        Volume v = DicomWriterTest.sampleVolume();
        CtSeriesWriter.write(v, tmp, SeriesInfo.anonymous("rt"), Double.NaN);
        DicomVolumeReader.Result r = DicomVolumeReader.read(tmp);
        assertEquals(v.grid().nx(), r.volume().grid().nx());
        assertArrayEquals(v.grid().centreMm(), r.volume().grid().centreMm(), 1e-9);
        assertEquals(v.grid().dzMm(), r.volume().grid().dzMm(), 1e-9);
        double step = DicomReader.read(r.files().get(0)).dataset().getDouble(DicomDictionary.tag("RescaleSlope"), 0);
        for (int i = 0; i < v.data().length; i++) assertEquals(v.data()[i], r.volume().data()[i], step / 2 + 1e-9);
        assertEquals("US", r.units());
    }

    @Test
    void twoSeriesObliqueAndGapsAreRejected() throws IOException {
        Volume v = DicomWriterTest.sampleVolume();
        Path two = tmp.resolve("two");
        List<Path> a = CtSeriesWriter.write(v, two.resolve("a"), SeriesInfo.anonymous("a"), 0.02);
        List<Path> b = CtSeriesWriter.write(v, two.resolve("b"), SeriesInfo.anonymous("b"), 0.02);
        Files.move(b.get(0), two.resolve("a/other.dcm"));
        DicomException e = assertThrows(DicomException.class, () -> DicomVolumeReader.read(two.resolve("a")));
        assertTrue(e.getMessage().contains("holds 2 series"), e.getMessage());
        String seriesA = DicomReader.read(a.get(0)).dataset().getString(DicomDictionary.tag("SeriesInstanceUID"));
        assertEquals(3, DicomVolumeReader.read(two.resolve("a"), seriesA).volume().grid().nz());

        List<Path> four = CtSeriesWriter.write(Volume.zeros(new VolumeGrid(4, 2, 2, 1.5, 1, 1, new double[3])),
                tmp.resolve("four"), SeriesInfo.anonymous("four"), 0.02);
        Files.delete(four.get(2)); // z = −2.25, −0.75, (0.75 missing), 2.25
        e = assertThrows(DicomException.class, () -> DicomVolumeReader.read(tmp.resolve("four")));
        assertTrue(e.getMessage().contains("unevenly spaced (1.5 mm, then 3.0 mm at z = 2.25"), e.getMessage());

        DicomObject ds = DicomReader.read(a.get(0)).dataset();
        ds.putDecimals(DicomDictionary.tag("ImageOrientationPatient"), 1, 0, 0, 0, 0.8, 0.6);
        Path oblique = tmp.resolve("oblique/x.dcm");
        DicomWriter.write(ds, oblique);
        e = assertThrows(DicomException.class, () -> DicomVolumeReader.read(oblique.getParent()));
        assertTrue(e.getMessage().contains("only axial"), e.getMessage());
    }
}
