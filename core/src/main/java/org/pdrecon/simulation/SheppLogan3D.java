package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * The 3D modified Shepp–Logan head phantom in physical units.
 *
 * <p>Geometry: the ten ellipsoids of Kak &amp; Slaney (<i>Principles of Computerized Tomographic
 * Imaging</i>, 1988, p. 102), given in units of the phantom's half-width {@code h}: the table's cube
 * {@code [−1, 1]³} maps to {@code [−h, h]³} mm with the table's (x, y, z) used as world (x, y, z), so z
 * (the rotation axis) runs along the head. Angles rotate counter-clockwise about +z (see
 * {@link Ellipsoid}). The outer ellipsoid has semi-axes {@code (0.69, 0.92, 0.90)·h}, so the phantom
 * lies inside the ball of radius {@code 0.92·h}. Published copies of this table differ in a few
 * entries; this one follows the book as reproduced with its errata in T. Sadakane's {@code sl3d}.
 *
 * <p>Contrast: the "modified" values, Toft's higher-contrast scheme carried to 3D by Yu, Ye &amp;
 * Wang (SPIE 5535, 2004): {@code 1.0, −0.8, −0.2, −0.2, 0.2, 0.2, 0.1, 0.1, 0.2, −0.2} in place of
 * Kak–Slaney's {@code 2.0, −0.98, −0.02, …}. Those unitless values are multiplied by
 * {@code μ_water / 0.2} so that the brain (value 1.0 − 0.8 = 0.2) has μ = μ_water exactly. The
 * resulting μ of each region (exact, additive sums):
 * <table>
 * <caption>μ per region</caption>
 * <tr><th>region</th><th>unitless</th><th>μ (μ_water = 0.02 /mm)</th><th>in μ_water</th></tr>
 * <tr><td>outside the head</td><td>0</td><td>0</td><td>0</td></tr>
 * <tr><td>skull shell (a not b)</td><td>1.0</td><td>0.100 /mm</td><td>5</td></tr>
 * <tr><td>brain (b only)</td><td>0.2</td><td>0.020 /mm</td><td>1</td></tr>
 * <tr><td>ventricles c, d and ellipsoid j</td><td>0.0</td><td>0</td><td>0</td></tr>
 * <tr><td>e, f, i</td><td>0.4</td><td>0.040 /mm</td><td>2</td></tr>
 * <tr><td>g, h</td><td>0.3</td><td>0.030 /mm</td><td>1.5</td></tr>
 * <tr><td>overlap of e and f</td><td>0.6</td><td>0.060 /mm</td><td>3</td></tr>
 * </table>
 * These are test contrasts, not tissue attenuations (the ventricles are as transparent as air).
 */
public final class SheppLogan3D {
    /** μ of water at about 70 keV, 1/mm: the default brain value. */
    public static final double DEFAULT_MU_WATER_PER_MM = 0.02;

    /** Unitless value of the brain region in the modified contrast; μ scales so this becomes μ_water. */
    public static final double BRAIN_VALUE = 0.2;

    /** Largest semi-axis of the outer ellipsoid in half-widths. */
    public static final double OUTER_EXTENT = 0.92;

    // a, b, c (semi-axes), x0, y0, z0 (centre), phi (deg), modified value — all in half-widths.
    private static final double[][] TABLE = {
            {0.6900, 0.920, 0.900, 0.000, 0.000, 0.000, 0, 1.0},
            {0.6624, 0.874, 0.880, 0.000, 0.000, 0.000, 0, -0.8},
            {0.4100, 0.160, 0.210, -0.220, 0.000, -0.250, 108, -0.2},
            {0.3100, 0.110, 0.220, 0.220, 0.000, -0.250, 72, -0.2},
            {0.2100, 0.250, 0.500, 0.000, 0.350, -0.250, 0, 0.2},
            {0.0460, 0.046, 0.046, 0.000, 0.100, -0.250, 0, 0.2},
            {0.0460, 0.023, 0.020, -0.080, -0.650, -0.250, 0, 0.1},
            {0.0460, 0.023, 0.020, 0.060, -0.650, -0.250, 90, 0.1},
            {0.0560, 0.040, 0.100, 0.060, -0.105, 0.625, 90, 0.2},
            {0.0560, 0.056, 0.100, 0.000, 0.100, 0.625, 0, -0.2},
    };

    private SheppLogan3D() {}

    /**
     * The phantom with half-width {@code halfWidthMm} (the table's unit length), centred at the
     * origin, brain μ = {@code muWaterPerMm}.
     */
    public static Phantom withHalfWidth(double halfWidthMm, double muWaterPerMm) {
        if (!(halfWidthMm > 0) || !Double.isFinite(halfWidthMm)) {
            throw new IllegalArgumentException("half_width_mm must be positive, got " + halfWidthMm);
        }
        if (!(muWaterPerMm > 0) || !Double.isFinite(muWaterPerMm)) {
            throw new IllegalArgumentException("mu_water_per_mm must be positive, got " + muWaterPerMm);
        }
        double muPerUnit = muWaterPerMm / BRAIN_VALUE;
        List<Ellipsoid> es = new ArrayList<>(TABLE.length);
        for (double[] t : TABLE) {
            es.add(new Ellipsoid(new double[] {t[3] * halfWidthMm, t[4] * halfWidthMm, t[5] * halfWidthMm},
                    new double[] {t[0] * halfWidthMm, t[1] * halfWidthMm, t[2] * halfWidthMm},
                    Math.toRadians(t[6]), t[7] * muPerUnit));
        }
        return new Phantom(es);
    }

    /**
     * The phantom scaled so its outer ellipsoid just fits a ball of {@code radiusMm} (its largest
     * semi-axis, along y, equals the radius; half-width = radius / 0.92), brain μ = 0.02 /mm.
     */
    public static Phantom fittingRadius(double radiusMm) {
        return fittingRadius(radiusMm, DEFAULT_MU_WATER_PER_MM);
    }

    /** As {@link #fittingRadius(double)} with a chosen μ_water (1/mm). */
    public static Phantom fittingRadius(double radiusMm, double muWaterPerMm) {
        if (!(radiusMm > 0) || !Double.isFinite(radiusMm)) {
            throw new IllegalArgumentException("radius_mm must be positive, got " + radiusMm);
        }
        return withHalfWidth(radiusMm / OUTER_EXTENT, muWaterPerMm);
    }
}
