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
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

class ProjectionImportTest {
    @TempDir
    Path tmp;

    /**
     * The pydicom RT Image (gantry 90°, SAD 1000, SID 1500, RTImagePosition (−200, 150), spacing
     * 0.392\0.4, receptor translation (1.5, −2)) and a marker at IEC fixed (X, Y, Z) = (0, 10, 20),
     * projected by hand in IEC 61217 terms: source at (1000, 0, 0), receptor plane X_f = −500, so the
     * ray hits (−500, 15, 30); receptor axes at 90° are X_g = −Z_f, Y_g = Y_f, so X_r = −30 − 1.5,
     * Y_r = 15 + 2; stored column (X_r + 200)/0.4, stored row (150 − Y_r)/0.392. The importer's
     * geometry must project the same marker (toolkit (x, y, z) = (X_f, −Z_f, Y_f)) to the same pixel.
     */
    @Test
    void offCentreMarkerProjectsWhereIecGeometrySaysForPydicomRtImage() throws IOException {
        Files.write(tmp.resolve("rt.dcm"), DicomReaderFixturesTest.fixture("rtimage_u16.dcm"));
        ProjectionImport.Result r = ProjectionImport.importDirectory(tmp, VolumeGrid.cube(8, 1.0));
        assertEquals(1, r.projections().views());
        double storedCol = (-31.5 + 200) / 0.4, storedRow = (150 - 17) / 0.392;
        double[] rc = r.geometry().projectPoint(0, new double[] {0, -20, 10});
        assertEquals(6 - 1 - storedRow, rc[0], 1e-9, "row (toolkit rows run along +z, stored rows along −Y_r)");
        assertEquals(storedCol, rc[1], 1e-9, "column");
        // pixels: toolkit row r is stored row 5 − r; stored value 1000·row + col
        assertEquals(1000 * 5 + 2, r.projections().get(0, 0, 2), 0);
        assertEquals(3, r.projections().get(0, 5, 3), 0);
    }

    @Test
    void writerToImportRoundTripSortsUnwrapsAndReportsGapsAndDuplicates() throws IOException {
        double[] angles = {5, 350, 0, 15, 355, 5};
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(6, 4, 0.4, 0.392).optDetectorOffsetMm(3.0, -1.5).setAnglesDeg(angles).build();
        ProjectionStack p = ProjectionStack.zeros(angles.length, 6, 4);
        for (int v = 0; v < angles.length; v++) {
            for (int i = 0; i < 24; i++) p.data()[v * 24 + i] = (float) (angles[v] + 0.01 * i + (v == 5 ? 0.002 : 0)); // view identified by its angle
        }
        RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g, tmp, SeriesInfo.anonymous("round trip"));
        Files.writeString(tmp.resolve("README.txt"), "not a DICOM file");
        ProjectionImport.Result r = ProjectionImport.importDirectory(tmp, VolumeGrid.cube(8, 1.0));
        assertArrayEquals(new double[] {350, 355, 360, 365, 365, 375}, r.anglesDeg(), 1e-9);
        CircularOrbit orbit = r.geometry().orbit().orElseThrow();
        assertEquals(1000, orbit.sodMm());
        assertEquals(1500, orbit.sddMm());
        assertEquals(3.0, orbit.offsetUMm(), 1e-9);
        assertEquals(-1.5, orbit.offsetVMm(), 1e-9);
        double slope = (375 + 0.23 - 0) / 65533;
        double[] expectFirst = {350, 355, 0, 5, 5, 15};
        for (int v = 0; v < 6; v++) {
            for (int row = 0; row < 6; row++) {
                for (int col = 0; col < 4; col++) {
                    assertEquals(expectFirst[v] + 0.01 * (row * 4 + col), r.projections().get(v, row, col), slope, "view " + v);
                }
            }
        }
        String notes = String.join("\n", r.notes());
        assertTrue(notes.contains("skipped README.txt: not a DICOM file"), notes);
        assertTrue(notes.contains("duplicate angle 365.000°"), notes);
        assertTrue(notes.contains("gap of 10.000° between 365.000° and 375.000°") && notes.contains("about 1 view(s) missing"), notes);
    }

    @Test
    void inconsistentGeometryIsAnError() throws IOException {
        for (double sdd : new double[] {1500, 1600}) {
            ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(sdd)
                    .setDetector(2, 2, 1, 1).setAnglesDeg(sdd == 1500 ? 0 : 90).build();
            RtImageWriter.write(ProjectionStack.zeros(1, 2, 2), RtImageWriter.Values.INTENSITIES, g, tmp.resolve("s" + (int) sdd), SeriesInfo.anonymous(""));
        }
        Path both = Files.createDirectory(tmp.resolve("both"));
        Files.copy(tmp.resolve("s1500/RI_0001.dcm"), both.resolve("a.dcm"));
        // the same series (as a scanner writing one arc would), with another SDD
        DicomObject b = DicomReader.read(tmp.resolve("s1600/RI_0001.dcm")).dataset();
        b.putString(DicomDictionary.tag("SeriesInstanceUID"), DicomReader.read(both.resolve("a.dcm")).dataset().getString(DicomDictionary.tag("SeriesInstanceUID")));
        DicomWriter.write(b, both.resolve("b.dcm"));
        DicomException e = assertThrows(DicomException.class, () -> ProjectionImport.importDirectory(both, VolumeGrid.cube(8, 1.0)));
        assertTrue(e.getMessage().contains("SDD 1600.0 vs 1500.0 mm"), e.getMessage());
        Path none = Files.createDirectory(tmp.resolve("none"));
        Files.write(none.resolve("ct.dcm"), DicomReaderFixturesTest.fixture("ct_implicit_signed12.dcm"));
        e = assertThrows(DicomException.class, () -> ProjectionImport.importDirectory(none, VolumeGrid.cube(8, 1.0)));
        assertTrue(e.getMessage().contains("no RT Image or X-ray projection files"), e.getMessage());
    }

    /** Two series in one folder are refused with a list; --series picks one. */
    @Test
    void twoSeriesInOneFolderAreRefusedUnlessOneIsChosen() throws IOException {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(2, 2, 1, 1).setAnglesDeg(0, 90, 180).build();
        ProjectionStack p = ProjectionStack.zeros(3, 2, 2);
        for (int i = 0; i < 12; i++) p.data()[i] = 100 + i;
        RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g, tmp.resolve("a"), SeriesInfo.anonymous("morning"));
        RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g, tmp.resolve("b"), SeriesInfo.anonymous("evening"));
        Path both = Files.createDirectory(tmp.resolve("both"));
        for (String s : new String[] {"a", "b"}) {
            for (int k = 1; k <= 3; k++) Files.copy(tmp.resolve(s + "/RI_000" + k + ".dcm"), both.resolve(s + k + ".dcm"));
        }
        DicomException e = assertThrows(DicomException.class, () -> ProjectionImport.importDirectory(both, VolumeGrid.cube(8, 1.0)));
        assertTrue(e.getMessage().contains("holds 2 series; a scan is one series: choose one with --series UID"), e.getMessage());
        assertTrue(e.getMessage().contains("\"morning\"  3 files") && e.getMessage().contains("\"evening\"  3 files"), e.getMessage());
        String uid = DicomReader.read(both.resolve("b1.dcm")).dataset().getString(DicomDictionary.tag("SeriesInstanceUID"));
        ProjectionImport.Result r = ProjectionImport.importDirectory(both, VolumeGrid.cube(8, 1.0), uid);
        assertEquals(3, r.projections().views());
        assertEquals(uid, r.seriesUid());
        assertTrue(r.files().stream().allMatch(f -> f.getFileName().toString().startsWith("b")), r.files().toString());
        assertArrayEquals(new int[] {0, 1, 2}, r.acquisitionOrder());
        assertEquals("InstanceNumber", r.acquisitionOrderSource());
        e = assertThrows(DicomException.class, () -> ProjectionImport.importDirectory(both, VolumeGrid.cube(8, 1.0), "1.2.3"));
        assertTrue(e.getMessage().contains("holds no series 1.2.3"), e.getMessage());
    }

    /**
     * The same frame stored twice (a clinical glitch: same pixels, same angle) is dropped, the later one in
     * acquisition order; the same pixels at another angle are kept and flagged as suspect.
     */
    @Test
    void aRepeatedFrameIsDroppedAndEqualPixelsAtAnotherAngleAreSuspect() throws IOException {
        double[] angles = {180.5, 181.5, 181.5, 183.5};
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(2, 2, 1, 1).setAnglesDeg(angles).build();
        ProjectionStack p = ProjectionStack.zeros(4, 2, 2);
        for (int v = 0; v < 4; v++) for (int i = 0; i < 4; i++) p.data()[v * 4 + i] = 100 * (v + 1) + i;
        System.arraycopy(p.data(), 4, p.data(), 8, 4); // view 2 repeats view 1
        RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g, tmp, SeriesInfo.anonymous("arc"));
        ProjectionImport.Result r = ProjectionImport.importDirectory(tmp, VolumeGrid.cube(8, 1.0));
        assertEquals(3, r.projections().views());
        assertArrayEquals(new double[] {180.5, 181.5, 183.5}, r.anglesDeg(), 1e-9);
        assertEquals("InstanceNumber", r.acquisitionOrderSource());
        String notes = String.join("\n", r.notes());
        assertTrue(notes.contains("dropped RI_0003.dcm (gantry 181.500°): its pixels repeat RI_0002.dcm (gantry 181.500°)"), notes);
        assertTrue(r.suspects().isEmpty(), r.suspects().toString());

        Path other = Files.createDirectory(tmp.resolve("other-angle"));
        ConeBeamGeometry g2 = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(2, 2, 1, 1).setAnglesDeg(180.5, 181.5, 182.5, 183.5).build();
        RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g2, other, SeriesInfo.anonymous("arc"));
        r = ProjectionImport.importDirectory(other, VolumeGrid.cube(8, 1.0));
        assertEquals(4, r.projections().views());
        assertEquals(1, r.suspects().size(), r.suspects().toString());
        assertTrue(r.suspects().get(0).startsWith("RI_0003.dcm (gantry 182.500°) has exactly the pixels of RI_0002.dcm (gantry 181.500°)"), r.suspects().get(0));
    }

    /** A hand-made XA-like file: PositionerPrimaryAngle 90 (LAO) puts the source on the patient's right (−x). */
    @Test
    void xrayPositionerAngleMapsLaoToSourceOnPatientRight() throws IOException {
        DicomObject ds = new DicomObject();
        ds.putString(DicomDictionary.tag("SOPClassUID"), "1.2.840.10008.5.1.4.1.1.12.1");
        ds.putString(DicomDictionary.tag("SOPInstanceUID"), Uids.fresh());
        ds.putDecimals(DicomDictionary.tag("PositionerPrimaryAngle"), 90);
        ds.putDecimals(DicomDictionary.tag("PositionerSecondaryAngle"), 0);
        ds.putDecimals(DicomDictionary.tag("DistanceSourceToDetector"), 1200);
        ds.putDecimals(DicomDictionary.tag("DistanceSourceToPatient"), 800);
        ds.putDecimals(DicomDictionary.tag("ImagerPixelSpacing"), 0.3, 0.3);
        ds.putInts(DicomDictionary.tag("Rows"), Vr.US, 2);
        ds.putInts(DicomDictionary.tag("Columns"), Vr.US, 2);
        ds.putInts(DicomDictionary.tag("BitsAllocated"), Vr.US, 16);
        ds.putBytes(0x7FE00010, Vr.OW, new byte[] {1, 0, 2, 0, 3, 0, 4, 0});
        DicomWriter.write(ds, tmp.resolve("xa.dcm"));
        ProjectionImport.Result r = ProjectionImport.importDirectory(tmp, VolumeGrid.cube(8, 1.0));
        assertArrayEquals(new double[] {270}, r.anglesDeg(), 1e-9);
        assertArrayEquals(new double[] {-800, 0, 0}, r.geometry().source(0), 1e-9);
        assertArrayEquals(new float[] {4, 3, 2, 1}, r.projections().data()); // rows and columns flipped
    }

    /**
     * A simulated EPID arc written by pydicom from a forward model computed directly in IEC 61217
     * coordinates (make_fixtures.py, epid_arc): one ball at IEC (20, 10, −15) mm = toolkit (20, 15, 10),
     * 16 views at 280° + 12.5°·k crossing 0°, detector centre offset (6, −4) mm, anisotropic pixels. In
     * every imported view the line-integral-weighted centroid of the ball's shadow must sit where the
     * imported geometry projects the ball's centre.
     */
    @Test
    void simulatedEpidArcBallShadowsLandWhereTheImportedGeometryProjects() throws IOException {
        for (int k = 0; k < 16; k++) {
            String name = String.format("frame_%02d.dcm", k);
            Files.write(tmp.resolve(name), DicomReaderFixturesTest.fixture("epid_arc/" + name));
        }
        ProjectionImport.Result r = ProjectionImport.importDirectory(tmp, VolumeGrid.cube(16, 4.0));
        assertTrue(r.notes().isEmpty(), r.notes().toString());
        double[] expected = new double[16];
        for (int k = 0; k < 16; k++) expected[k] = 280 + 12.5 * k;
        assertArrayEquals(expected, r.anglesDeg(), 1e-9);
        CircularOrbit orbit = r.geometry().orbit().orElseThrow();
        assertEquals(6.0, orbit.offsetUMm(), 1e-6);
        assertEquals(-4.0, orbit.offsetVMm(), 1e-6);
        ProjectionStack p = r.projections();
        for (int v = 0; v < 16; v++) {
            double sum = 0, sumRow = 0, sumCol = 0;
            for (int row = 0; row < p.rows(); row++) {
                for (int col = 0; col < p.cols(); col++) {
                    double li = -Math.log(p.get(v, row, col) / 30000.0);
                    sum += li;
                    sumRow += li * row;
                    sumCol += li * col;
                }
            }
            double[] rc = r.geometry().projectPoint(v, new double[] {20, 15, 10});
            assertTrue(sum > 10, "view " + v + " does not see the ball");
            assertEquals(rc[0], sumRow / sum, 0.05, "row of view " + v + " at " + r.anglesDeg()[v] + "°");
            assertEquals(rc[1], sumCol / sum, 0.05, "column of view " + v + " at " + r.anglesDeg()[v] + "°");
        }
    }
}
