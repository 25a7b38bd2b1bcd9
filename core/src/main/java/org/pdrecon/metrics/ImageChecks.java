package org.pdrecon.metrics;

import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/** Argument checks shared by the metrics: equal shapes, finite values, a mask that fits. */
final class ImageChecks {
    private ImageChecks() {}

    /** Checks that both images have the same shape, contain only finite values, and that the mask fits. */
    static void validate(String metric, Volume reference, Volume test, Mask mask) {
        if (reference == null) throw new IllegalArgumentException(metric + ": reference image is missing");
        if (test == null) throw new IllegalArgumentException(metric + ": test image is missing");
        VolumeGrid a = reference.grid(), b = test.grid();
        if (a.nz() != b.nz() || a.ny() != b.ny() || a.nx() != b.nx()) {
            throw new IllegalArgumentException(metric + ": shape mismatch, reference is " + shape(a)
                    + " but test is " + shape(b) + " (z×y×x)");
        }
        if (mask != null && !mask.fits(a)) {
            throw new IllegalArgumentException(metric + ": mask shape " + mask.nz() + "×" + mask.ny() + "×" + mask.nx()
                    + " does not match image shape " + shape(a) + " (z×y×x)");
        }
        if (mask != null && mask.count() == 0) {
            throw new IllegalArgumentException(metric + ": mask '" + mask.description() + "' contains no voxels");
        }
        requireFinite(metric, "reference", reference);
        requireFinite(metric, "test", test);
    }

    private static void requireFinite(String metric, String which, Volume v) {
        float[] d = v.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                VolumeGrid g = v.grid();
                int x = i % g.nx(), y = (i / g.nx()) % g.ny(), z = i / (g.nx() * g.ny());
                throw new IllegalArgumentException(metric + ": " + which + " image has a non-finite value (" + d[i]
                        + ") at voxel (z, y, x) = (" + z + ", " + y + ", " + x + ")");
            }
        }
    }

    static String shape(VolumeGrid g) {
        return g.nz() + "×" + g.ny() + "×" + g.nx();
    }
}
