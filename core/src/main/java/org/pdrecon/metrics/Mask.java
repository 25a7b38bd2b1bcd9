package org.pdrecon.metrics;

import java.util.Objects;
import org.pdrecon.geometry.VolumeGrid;

/**
 * A set of voxels of a {@code (nz, ny, nx)} grid over which metrics are evaluated, stored as one
 * boolean per voxel in {@code [z][y][x]} order, with a human-readable description that reports quote
 * (DESIGN.md: reports always state the mask). Immutable. Build them with {@link Masks}.
 */
public final class Mask {
    private final int nz, ny, nx;
    private final boolean[] inside;
    private final int count;
    private final String description;

    /**
     * @param inside one flag per voxel, {@code [z][y][x]} (copied)
     * @param description what the mask is, e.g. "cylinder r = 60 mm"; quoted by reports
     */
    public Mask(int nz, int ny, int nx, boolean[] inside, String description) {
        Objects.requireNonNull(inside, "inside");
        Objects.requireNonNull(description, "description");
        if (nz <= 0 || ny <= 0 || nx <= 0) {
            throw new IllegalArgumentException("mask shape must be positive, got " + nz + "×" + ny + "×" + nx);
        }
        if ((long) nz * ny * nx != inside.length) {
            throw new IllegalArgumentException("mask has " + inside.length + " flags, shape " + nz + "×" + ny + "×" + nx
                    + " needs " + (long) nz * ny * nx);
        }
        this.nz = nz;
        this.ny = ny;
        this.nx = nx;
        this.inside = inside.clone();
        int c = 0;
        for (boolean b : this.inside) if (b) c++;
        this.count = c;
        this.description = description;
    }

    /** Shape in array order {@code [nz, ny, nx]}. */
    public int[] shape() { return new int[] {nz, ny, nx}; }
    public int nz() { return nz; }
    public int ny() { return ny; }
    public int nx() { return nx; }

    /** Whether the voxel with flat {@code [z][y][x]} index {@code index} is in the mask. */
    public boolean contains(int index) { return inside[index]; }

    /** Number of voxels in the mask. */
    public int count() { return count; }

    public String description() { return description; }

    /** Whether this mask is defined on a grid of the given shape. */
    public boolean fits(VolumeGrid grid) {
        return grid.nz() == nz && grid.ny() == ny && grid.nx() == nx;
    }

    /** Voxels in both masks; the description joins both. */
    public Mask and(Mask other) {
        if (other.nz != nz || other.ny != ny || other.nx != nx) {
            throw new IllegalArgumentException("cannot intersect masks of shapes " + nz + "×" + ny + "×" + nx
                    + " and " + other.nz + "×" + other.ny + "×" + other.nx);
        }
        boolean[] both = new boolean[inside.length];
        for (int i = 0; i < both.length; i++) both[i] = inside[i] && other.inside[i];
        return new Mask(nz, ny, nx, both, description + " ∩ " + other.description);
    }

    /** The flags themselves, for the metric loops in this package (not a copy; do not modify). */
    boolean[] flags() { return inside; }

    @Override
    public String toString() {
        return "Mask[" + description + ", " + count + " of " + inside.length + " voxels]";
    }
}
