package org.pdrecon.io.dicom;

/**
 * Maps float values to stored integers and back through RescaleSlope/RescaleIntercept, so that
 * {@code slope·stored + intercept} reproduces each value within {@code slope/2}. Slope and intercept are
 * the values as written (DS, ≤ 16 characters), so a reader reconstructs exactly what was computed here.
 */
record Quantizer(double slope, double intercept, long minStored, long maxStored) {

    /**
     * Chooses slope 1 and intercept 0 when every value rounds into {@code [minStored, maxStored]}
     * and {@code preferUnitSlope}; otherwise spreads the values' range over the stored range.
     */
    static Quantizer fit(float[] values, long minStored, long maxStored, boolean preferUnitSlope) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException("cannot write a non-finite value (" + v + ") as DICOM pixel data");
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (preferUnitSlope && Math.rint(lo) >= minStored && Math.rint(hi) <= maxStored) {
            return new Quantizer(1, 0, minStored, maxStored);
        }
        if (hi == lo) return new Quantizer(1, ds(lo - minStored), minStored, maxStored);
        // one spare step on each side so that DS rounding of slope/intercept cannot push a value out of range
        double slope = ds((hi - lo) / (maxStored - minStored - 2));
        double intercept = ds(lo - (minStored + 1) * slope);
        return new Quantizer(slope, intercept, minStored, maxStored);
    }

    long store(float value) {
        long s = Math.round((value - intercept) / slope);
        return Math.max(minStored, Math.min(maxStored, s));
    }

    private static double ds(double v) {
        return Double.parseDouble(DicomObject.formatDs(v));
    }
}
