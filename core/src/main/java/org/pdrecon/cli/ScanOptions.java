package org.pdrecon.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import picocli.CommandLine.Option;

/**
 * Options that describe a simulated circular scan, shared by {@code simulate} and {@code demo}. The
 * defaults scale the peer setup of the benchmarks (SOD 1000 mm, SDD 1500 mm, a 256 mm cube, a
 * detector 1.5× the volume's voxel count wide covering 576 mm) down to a size that runs in seconds.
 */
final class ScanOptions {
    @Option(names = "--geometry", paramLabel = "JSON",
            description = "read the scan geometry from geometry.json (overrides the geometry options below)")
    Path geometryFile;

    @Option(names = "--size", paramLabel = "N", defaultValue = "64",
            description = "volume voxels per side (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--fov-mm", paramLabel = "MM", defaultValue = "256",
            description = "side of the cubic volume in mm (default: ${DEFAULT-VALUE})")
    double fovMm;

    @Option(names = "--views", paramLabel = "V", defaultValue = "90",
            description = "number of projections (default: ${DEFAULT-VALUE})")
    int views;

    @Option(names = "--arc-deg", paramLabel = "DEG", defaultValue = "360",
            description = "arc covered by the views, degrees (default: ${DEFAULT-VALUE})")
    double arcDeg;

    @Option(names = "--sod-mm", paramLabel = "MM", defaultValue = "1000",
            description = "source to rotation axis (default: ${DEFAULT-VALUE})")
    double sodMm;

    @Option(names = "--sdd-mm", paramLabel = "MM", defaultValue = "1500",
            description = "source to detector (default: ${DEFAULT-VALUE})")
    double sddMm;

    @Option(names = "--det", arity = "2", paramLabel = "N",
            description = "detector rows and columns (default: 1.5 × size each; 1 row with --2d)")
    int[] detector;

    @Option(names = "--det-width-mm", paramLabel = "MM", defaultValue = "576",
            description = "detector width in mm; pixels are square (default: ${DEFAULT-VALUE})")
    double detectorWidthMm;

    @Option(names = "--2d", description = "2D fan-beam: one slice and one detector row")
    boolean fanBeam2d;

    /** The geometry these options describe. */
    ConeBeamGeometry geometry() throws IOException {
        if (geometryFile != null) return GeometryJson.read(geometryFile);
        if (size <= 0) throw new IllegalArgumentException("--size must be positive, got " + size);
        if (views <= 0) throw new IllegalArgumentException("--views must be positive, got " + views);
        double voxel = fovMm / size;
        VolumeGrid grid = fanBeam2d ? VolumeGrid.slice(size, voxel) : VolumeGrid.cube(size, voxel);
        int cols = detector != null ? detector[1] : (int) Math.round(1.5 * size);
        int rows = fanBeam2d ? 1 : detector != null ? detector[0] : cols;
        double pixel = detectorWidthMm / cols;
        return ConeBeamGeometry.circular()
                .setVolume(grid)
                .setSodMm(sodMm)
                .setSddMm(sddMm)
                .setDetector(rows, cols, fanBeam2d ? voxel * sddMm / sodMm : pixel, pixel)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, arcDeg))
                .build();
    }
}
