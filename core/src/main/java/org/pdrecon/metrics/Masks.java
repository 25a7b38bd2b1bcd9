package org.pdrecon.metrics;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/** Ready-made masks for the metrics: everything, the cylinder a scan fully sees, the central slices. */
public final class Masks {
    private Masks() {}

    /** Every voxel of the grid. */
    public static Mask all(VolumeGrid grid) {
        boolean[] inside = new boolean[grid.voxelCount()];
        Arrays.fill(inside, true);
        return new Mask(grid.nz(), grid.ny(), grid.nx(), inside, "all voxels");
    }

    /**
     * The voxels of the geometry's volume grid whose centres lie in the cylinder every view sees whole
     * (the default mask of DESIGN.md); see {@link FieldOfView}. For {@code nz = 1} the disc.
     */
    public static Mask fullySeenCylinder(ConeBeamGeometry geometry) {
        return FieldOfView.of(geometry).mask(geometry.volume());
    }

    /** The voxels in the cylinder the scan covers ({@link FieldOfView#scanned}): for a half-fan scan, its whole field of view. */
    public static Mask scannedCylinder(ConeBeamGeometry geometry) {
        return FieldOfView.scanned(geometry).mask(geometry.volume(), "covered by the scan");
    }

    /**
     * The central {@code fraction} of the slices (along z): {@code keep = max(1, round(fraction·nz))}
     * slices starting at {@code (nz − keep) / 2} (integer division, so an odd leftover goes to the top).
     * E.g. 80% of 128 slices keeps slices 13..114. Combine with {@link Mask#and}.
     *
     * @param fraction in (0, 1]
     */
    public static Mask centralSlices(VolumeGrid grid, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("central slice fraction must be in (0, 1], got " + fraction);
        }
        int nz = grid.nz();
        int keep = Math.max(1, (int) Math.round(fraction * nz));
        int first = (nz - keep) / 2, last = first + keep - 1;
        int plane = grid.ny() * grid.nx();
        boolean[] inside = new boolean[grid.voxelCount()];
        Arrays.fill(inside, first * plane, (last + 1) * plane, true);
        return new Mask(nz, grid.ny(), grid.nx(), inside,
                "central " + num(100 * fraction) + "% of slices (z index " + first + ".." + last + " of " + nz + ")");
    }

    /** A number with 4 significant digits and no trailing zeros, for mask descriptions and messages. */
    static String num(double v) {
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
