package org.pdrecon.data;

import java.util.Objects;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Voxel values on a {@link VolumeGrid}, stored {@code [z][y][x]} in one float array (x fastest).
 * Values are linear attenuation μ in 1/mm unless stated otherwise. The array is shared, not copied:
 * kernels write into {@link #data()} directly.
 */
public final class Volume {
    private final VolumeGrid grid;
    private final float[] data;

    public Volume(VolumeGrid grid, float[] data) {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(data, "data");
        if (data.length != grid.voxelCount()) {
            throw new IllegalArgumentException("volume data has " + data.length + " values, grid "
                    + grid.nz() + "×" + grid.ny() + "×" + grid.nx() + " needs " + grid.voxelCount());
        }
        this.grid = grid;
        this.data = data;
    }

    /** A zero-filled volume. */
    public static Volume zeros(VolumeGrid grid) {
        return new Volume(grid, new float[grid.voxelCount()]);
    }

    public VolumeGrid grid() { return grid; }
    /** The backing array, {@code [z][y][x]} (not a copy). */
    public float[] data() { return data; }

    public float get(int z, int y, int x) { return data[grid.index(z, y, x)]; }
    public void set(int z, int y, int x, float value) { data[grid.index(z, y, x)] = value; }

    /** A deep copy. */
    public Volume copy() { return new Volume(grid, data.clone()); }
}
