package org.pdrecon.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads fixtures written by pydicom and dcmtk (core/src/test/resources/dicom/make_fixtures.sh) and checks
 * every decoded value against the formula the fixture script states.
 */
class DicomReaderFixturesTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = DicomReaderFixturesTest.class.getResourceAsStream("/dicom/" + name)) {
            if (in == null) throw new IOException("missing test resource /dicom/" + name);
            return in.readAllBytes();
        }
    }

    static DicomFile read(String name) throws IOException {
        return DicomReader.read(fixture(name), name);
    }

    @Test
    void implicitVrSigned12BitIsMaskedSignExtendedAndRescaled() throws IOException {
        DicomFile f = read("ct_implicit_signed12.dcm");
        assertEquals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, f.transferSyntax());
        assertTrue(f.hadPreamble());
        DicomObject ds = f.dataset();
        assertEquals("CT", ds.getString(DicomDictionary.tag("Modality")));
        assertEquals("Fixture^Pydicom", ds.getString(DicomDictionary.tag("PatientName")));
        assertArrayEquals(new double[] {-12.5, 30.0, 7.25}, ds.getDoubles(DicomDictionary.tag("ImagePositionPatient")));
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, ds.getDoubles(DicomDictionary.tag("ImageOrientationPatient")));
        assertArrayEquals(new double[] {0.5, 0.75}, ds.getDoubles(DicomDictionary.tag("PixelSpacing")));
        assertEquals(2.5, ds.getDouble(DicomDictionary.tag("SliceThickness"), 0));
        PixelData px = PixelData.decode(f);
        assertEquals(1, px.frames());
        assertEquals(4, px.rows());
        assertEquals(3, px.cols());
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals((r * 3 + c) * 37 - 200 - 1024, px.get(0, r, c), 0, "pixel " + r + "," + c);
            }
        }
    }

    @Test
    void explicitVrMultiFrame8BitUnsigned() throws IOException {
        DicomFile f = read("mf_explicit_u8.dcm");
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, f.transferSyntax());
        PixelData px = PixelData.decode(f);
        assertEquals(3, px.frames());
        assertEquals(2, px.rows());
        assertEquals(5, px.cols());
        for (int fr = 0; fr < 3; fr++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 5; c++) assertEquals(2.0 * (50 * fr + 5 * r + c) + 1, px.get(fr, r, c), 0);
            }
        }
    }

    @Test
    void rtImageGeometryAndNestedUndefinedLengthItems() throws IOException {
        DicomFile f = read("rtimage_u16.dcm");
        DicomObject ds = f.dataset();
        assertEquals("1.2.840.10008.5.1.4.1.1.481.1", ds.getString(DicomDictionary.tag("SOPClassUID")));
        assertEquals(90.0, ds.getDouble(DicomDictionary.tag("GantryAngle"), Double.NaN));
        assertEquals(1500.0, ds.getDouble(DicomDictionary.tag("RTImageSID"), Double.NaN));
        assertEquals(1000.0, ds.getDouble(DicomDictionary.tag("RadiationMachineSAD"), Double.NaN));
        assertArrayEquals(new double[] {0.392, 0.4}, ds.getDoubles(DicomDictionary.tag("ImagePlanePixelSpacing")));
        assertArrayEquals(new double[] {-200, 150}, ds.getDoubles(DicomDictionary.tag("RTImagePosition")));
        assertArrayEquals(new double[] {1.5, -2, -500}, ds.getDoubles(DicomDictionary.tag("XRayImageReceptorTranslation")));
        assertEquals("NORMAL", ds.getString(DicomDictionary.tag("RTImagePlane")));
        List<DicomObject> exposures = ds.getSequence(DicomDictionary.tag("ExposureSequence"));
        assertEquals(1, exposures.size());
        assertEquals(12.5, exposures.get(0).getDouble(DicomDictionary.tag("MetersetExposure"), 0));
        List<DicomObject> jaws = exposures.get(0).getSequence(DicomDictionary.tag("BeamLimitingDeviceSequence"));
        assertEquals(1, jaws.size());
        assertEquals("ASYMX", jaws.get(0).getString(DicomDictionary.tag("RTBeamLimitingDeviceType")));
        assertArrayEquals(new double[] {-50, 60}, jaws.get(0).getDoubles(DicomDictionary.tag("LeafJawPositions")));
        PixelData px = PixelData.decode(f);
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 4; c++) assertEquals(1000 * r + c, px.get(0, r, c), 0);
        }
    }

    @Test
    void unsigned32BitWithFractionalSlope() throws IOException {
        PixelData px = PixelData.decode(read("u32.dcm"));
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) assertEquals(0.5 * (70000 * r + 3 * c) - 10, px.get(0, r, c), 0);
        }
    }

    @Test
    void explicitBigEndianFromPydicom() throws IOException {
        DicomFile f = read("ct_big_endian.dcm");
        assertEquals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, f.transferSyntax());
        assertEquals(3, f.dataset().requireInt(DicomDictionary.tag("Rows")));
        PixelData px = PixelData.decode(f);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) assertEquals(100 * r - 7 * c - 300, px.get(0, r, c), 0);
        }
    }

    /** The dcmtk fixtures hold the same data set in two syntaxes, with undefined-length sequences. */
    @Test
    void dcmtkImplicitAndBigEndianWithUndefinedLengthSequences() throws IOException {
        for (String name : new String[] {"dcmtk_implicit_undef.dcm", "dcmtk_big_endian.dcm"}) {
            DicomFile f = read(name);
            DicomObject ds = f.dataset();
            List<DicomObject> refs = ds.getSequence(DicomDictionary.tag("ReferencedImageSequence"));
            assertEquals(1, refs.size(), name);
            assertEquals("1.2.826.0.1.3680043.8.498.4243.4", refs.get(0).getString(DicomDictionary.tag("ReferencedSOPInstanceUID")));
            List<DicomObject> src = refs.get(0).getSequence(DicomDictionary.tag("SourceImageSequence"));
            assertEquals(2, src.size(), name);
            assertEquals("1.2.826.0.1.3680043.8.498.4243.5", src.get(0).getString(DicomDictionary.tag("ReferencedSOPInstanceUID")));
            assertEquals("Source image for image processing operation", src.get(1).getString(DicomDictionary.tag("CodeMeaning")));
            assertEquals("Fixture^Dcmtk", ds.getString(DicomDictionary.tag("PatientName")));
            PixelData px = PixelData.decode(f);
            assertEquals(0.25, px.slope());
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) assertEquals(0.25 * (100 * r + c + 1) + 100, px.get(0, r, c), 0, name);
            }
        }
    }

    @Test
    void img2dcmBmpIsUncompressed8Bit() throws IOException {
        DicomFile f = read("img2dcm_bmp.dcm");
        assertEquals("Fixture^Img2dcm", f.dataset().getString(DicomDictionary.tag("PatientName")));
        PixelData px = PixelData.decode(f);
        assertEquals(5, px.rows());
        assertEquals(6, px.cols());
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 6; c++) assertEquals((7 * r + 13 * c) % 256, px.get(0, r, c), 0);
        }
    }

    @Test
    void encapsulatedJpegHeaderReadsButPixelsAreRejectedByName() throws IOException {
        DicomFile f = read("img2dcm_jpeg.dcm");
        assertFalse(f.transferSyntax().supported());
        assertEquals(16, f.dataset().requireInt(DicomDictionary.tag("Rows")));
        assertTrue(f.dataset().get(0x7FE00010).isEncapsulated());
        DicomException e = assertThrows(DicomException.class, () -> PixelData.decode(f));
        assertTrue(e.getMessage().contains("1.2.840.10008.1.2.4.50"), e.getMessage());
        assertTrue(e.getMessage().contains("JPEG Baseline"), e.getMessage());
    }

    @Test
    void deflatedSyntaxIsRejectedByName() {
        DicomException e = assertThrows(DicomException.class, () -> read("dcmtk_deflated.dcm"));
        assertTrue(e.getMessage().contains("1.2.840.10008.1.2.1.99"), e.getMessage());
        assertTrue(e.getMessage().contains("Deflated Explicit VR Little Endian"), e.getMessage());
    }
}
