package org.pdrecon.geometry;

/**
 * The parameters of a circular cone-beam scan, as written in {@code geometry.json}. Kept alongside the
 * per-view vectors because FDK's weights (cosine, Parker, Wang) are defined on them.
 *
 * @param sodMm source-to-rotation-axis distance
 * @param sddMm source-to-detector distance
 * @param anglesDeg gantry angle of each view, degrees, counter-clockwise about +z
 * @param offsetUMm detector shift along its column axis u
 * @param offsetVMm detector shift along its row axis v (= z)
 */
public record CircularOrbit(double sodMm, double sddMm, double[] anglesDeg, double offsetUMm, double offsetVMm) {
    public CircularOrbit {
        anglesDeg = anglesDeg.clone();
    }

    @Override
    public double[] anglesDeg() {
        return anglesDeg.clone();
    }

    public double angleRad(int view) {
        return Math.toRadians(anglesDeg[view]);
    }

    public int views() {
        return anglesDeg.length;
    }

    /** Magnification from the rotation axis to the detector, SDD / SOD. */
    public double magnification() {
        return sddMm / sodMm;
    }
}
