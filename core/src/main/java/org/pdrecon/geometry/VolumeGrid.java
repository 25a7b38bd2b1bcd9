package org.pdrecon.geometry;

import java.util.Arrays;

/**
 * A regular voxel grid in world millimetres: shape {@code (nz, ny, nx)}, voxel size per axis and the
 * world position of the grid centre. Voxel centres sit at {@code centre − extent/2 + (i + ½)·spacing}
 * on each axis. Immutable and validated.
 */
public final class VolumeGrid {
    private final int nx, ny, nz;
    private final double dx, dy, dz;
    private final double cx, cy, cz;

    /**
     * @param nz, ny, nx  voxel counts (nz = 1 for a 2D fan-beam slice)
     * @param dzMm, dyMm, dxMm  voxel size along each axis in mm
     * @param centreMm  grid centre in world coordinates {@code (x, y, z)} in mm
     */
    public VolumeGrid(int nz, int ny, int nx, double dzMm, double dyMm, double dxMm, double[] centreMm) {
        this.nz = Checks.positive("volume_shape[0] (nz)", nz);
        this.ny = Checks.positive("volume_shape[1] (ny)", ny);
        this.nx = Checks.positive("volume_shape[2] (nx)", nx);
        if ((long) nz * ny * nx > Integer.MAX_VALUE - 8) { // one Java float[] must hold the volume
            throw new GeometryException("volume_shape [" + nz + ", " + ny + ", " + nx + "] has "
                    + (long) nz * ny * nx + " voxels, more than one array can hold");
        }
        this.dz = Checks.positive("voxel_size_mm[0] (z)", dzMm);
        this.dy = Checks.positive("voxel_size_mm[1] (y)", dyMm);
        this.dx = Checks.positive("voxel_size_mm[2] (x)", dxMm);
        double[] c = Checks.finite3("volume_centre_mm", centreMm);
        this.cx = c[0];
        this.cy = c[1];
        this.cz = c[2];
    }

    /** A cube of {@code n³} isotropic voxels of size {@code voxelMm}, centred at the origin. */
    public static VolumeGrid cube(int n, double voxelMm) {
        return new VolumeGrid(n, n, n, voxelMm, voxelMm, voxelMm, new double[3]);
    }

    /** A single-slice {@code n × n} grid (2D fan-beam), centred at the origin. */
    public static VolumeGrid slice(int n, double pixelMm) {
        return new VolumeGrid(1, n, n, pixelMm, pixelMm, pixelMm, new double[3]);
    }

    public int nx() { return nx; }
    public int ny() { return ny; }
    public int nz() { return nz; }
    /** Voxel size along x in mm. */
    public double dxMm() { return dx; }
    public double dyMm() { return dy; }
    public double dzMm() { return dz; }
    /** Grid centre {@code (x, y, z)} in mm (a copy). */
    public double[] centreMm() { return new double[] {cx, cy, cz}; }

    public int voxelCount() { return nx * ny * nz; }

    /** Shape in array order {@code [nz, ny, nx]}. */
    public int[] shape() { return new int[] {nz, ny, nx}; }

    /** World corner of the grid's lowest voxel edge, {@code (x, y, z)} in mm. */
    public double[] minCornerMm() {
        return new double[] {cx - nx * dx / 2, cy - ny * dy / 2, cz - nz * dz / 2};
    }

    /** World corner of the grid's highest voxel edge, {@code (x, y, z)} in mm. */
    public double[] maxCornerMm() {
        return new double[] {cx + nx * dx / 2, cy + ny * dy / 2, cz + nz * dz / 2};
    }

    /** World x of the centre of voxel column {@code i}. */
    public double x(int i) { return cx - nx * dx / 2 + (i + 0.5) * dx; }
    public double y(int j) { return cy - ny * dy / 2 + (j + 0.5) * dy; }
    public double z(int k) { return cz - nz * dz / 2 + (k + 0.5) * dz; }

    /** Flat index of voxel {@code (k, j, i)} in a {@code [z][y][x]} array. */
    public int index(int k, int j, int i) { return (k * ny + j) * nx + i; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VolumeGrid)) return false;
        VolumeGrid g = (VolumeGrid) o;
        return nx == g.nx && ny == g.ny && nz == g.nz && dx == g.dx && dy == g.dy && dz == g.dz
                && cx == g.cx && cy == g.cy && cz == g.cz;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {nx, ny, nz, dx, dy, dz, cx, cy, cz});
    }

    @Override
    public String toString() {
        return String.format("VolumeGrid[%d×%d×%d (z,y,x), voxel %.4g×%.4g×%.4g mm, centre (%.4g, %.4g, %.4g) mm]",
                nz, ny, nx, dz, dy, dx, cx, cy, cz);
    }
}
