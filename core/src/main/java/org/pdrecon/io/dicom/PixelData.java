package org.pdrecon.io.dicom;

/**
 * Decoded native (uncompressed) grey-scale pixel data: {@code frames × rows × cols} values in one
 * float array, {@code [frame][row][col]} (column fastest), after masking to BitsStored, sign
 * extension for PixelRepresentation 1 and the modality rescale {@code slope·stored + intercept}.
 *
 * <p>Supported: SamplesPerPixel 1, BitsAllocated 8, 16 or 32, any BitsStored ≤ BitsAllocated with
 * HighBit = BitsStored − 1 … BitsAllocated − 1, signed or unsigned, one or more frames. Stored values
 * of 32-bit data beyond 2²⁴ lose precision in float. Rejected with a {@link DicomException}:
 * encapsulated (compressed) pixel data (naming the transfer syntax), colour images, 1-bit data, float
 * pixel data, and pixel data shorter than the header declares.
 *
 * @param frames number of frames (NumberOfFrames, default 1)
 * @param rows rows per frame
 * @param cols columns per frame
 * @param values rescaled values {@code [frame][row][col]}
 * @param slope RescaleSlope applied (1 when absent)
 * @param intercept RescaleIntercept applied (0 when absent)
 */
public record PixelData(int frames, int rows, int cols, float[] values, double slope, double intercept) {
    private static final int PIXEL_DATA = 0x7FE00010;

    /** The value at (frame, row, col). */
    public float get(int frame, int row, int col) {
        return values[(frame * rows + row) * cols + col];
    }

    /** Decodes the pixel data of a file. */
    public static PixelData decode(DicomFile file) throws DicomException {
        try {
            return decode(file.dataset(), file.transferSyntax());
        } catch (DicomException e) {
            throw new DicomException(file.source() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes the pixel data of a data set stored in the given transfer syntax. */
    public static PixelData decode(DicomObject ds, TransferSyntax ts) throws DicomException {
        DicomElement pd = ds.get(PIXEL_DATA);
        if (pd == null) {
            if (ds.contains(0x7FE00008) || ds.contains(0x7FE00009)) {
                throw new DicomException("float pixel data (7FE0,0008/0009) is not supported, only integer PixelData (7FE0,0010)");
            }
            throw new DicomException("the data set has no PixelData (7FE0,0010)");
        }
        if (pd.isEncapsulated() || !ts.supported()) {
            throw new DicomException("pixel data is encapsulated (compressed) in transfer syntax " + ts.describe()
                    + ", which this reader does not decode; convert it to an uncompressed syntax first, e.g. `dcmdjpeg` or `gdcmconv --raw`");
        }
        if (pd.isSequence()) throw new DicomException("PixelData (7FE0,0010) is a sequence");
        int samples = ds.getInt(0x00280002, 1);
        if (samples != 1) throw new DicomException("SamplesPerPixel is " + samples + ": only grey-scale (1 sample per pixel) images are supported");
        String photometric = ds.getString(0x00280004);
        if (photometric != null && !photometric.isEmpty() && !photometric.trim().startsWith("MONOCHROME")) {
            throw new DicomException("PhotometricInterpretation " + photometric.trim() + " is not supported, only MONOCHROME1/MONOCHROME2 grey scale");
        }
        int rows = ds.requireInt(0x00280010), cols = ds.requireInt(0x00280011);
        if (rows <= 0 || cols <= 0) throw new DicomException("image size " + rows + "×" + cols + " (Rows×Columns) must be positive");
        int frames = ds.getInt(0x00280008, 1);
        if (frames <= 0) throw new DicomException("NumberOfFrames is " + frames + ", must be positive");
        int allocated = ds.requireInt(0x00280100);
        if (allocated != 8 && allocated != 16 && allocated != 32) {
            throw new DicomException("BitsAllocated " + allocated + " is not supported (8, 16 or 32)");
        }
        int stored = ds.getInt(0x00280101, allocated);
        int highBit = ds.getInt(0x00280102, stored - 1);
        if (stored < 1 || stored > allocated) throw new DicomException("BitsStored " + stored + " must be 1…BitsAllocated (" + allocated + ")");
        if (highBit < stored - 1 || highBit >= allocated) {
            throw new DicomException("HighBit " + highBit + " must lie in BitsStored−1 … BitsAllocated−1 (" + (stored - 1) + "…" + (allocated - 1) + ")");
        }
        int representation = ds.getInt(0x00280103, 0);
        if (representation != 0 && representation != 1) throw new DicomException("PixelRepresentation " + representation + " must be 0 or 1");
        double slope = ds.getDouble(0x00281053, 1.0), intercept = ds.getDouble(0x00281052, 0.0);

        int bytes = allocated / 8;
        byte[] raw = pd.value();
        // checked in double first: frames·rows·cols·bytes can overflow a long for hostile headers
        double needed = (double) frames * rows * cols * bytes;
        if (needed > raw.length) {
            throw new DicomException("PixelData has " + raw.length + " bytes but " + frames + " frame(s) of " + rows + "×" + cols
                    + " at " + allocated + " bits need " + String.format("%.0f", needed));
        }
        long count = (long) frames * rows * cols; // ≤ raw.length, so it fits an array
        float[] out = new float[(int) count];
        int shift = highBit + 1 - stored;
        long mask = stored == 64 ? -1L : (1L << stored) - 1;
        long signBit = 1L << (stored - 1);
        boolean signed = representation == 1;
        for (int i = 0, p = 0; i < out.length; i++, p += bytes) {
            long v;
            switch (bytes) {
                case 1: v = raw[p] & 0xFFL; break;
                case 2: v = (raw[p] & 0xFFL) | ((raw[p + 1] & 0xFFL) << 8); break;
                default: v = (raw[p] & 0xFFL) | ((raw[p + 1] & 0xFFL) << 8) | ((raw[p + 2] & 0xFFL) << 16) | ((raw[p + 3] & 0xFFL) << 24);
            }
            v = (v >>> shift) & mask;
            if (signed && (v & signBit) != 0) v -= 1L << stored;
            out[i] = (float) (slope * v + intercept);
        }
        return new PixelData(frames, rows, cols, out, slope, intercept);
    }
}
