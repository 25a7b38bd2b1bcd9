package org.pdrecon.data;

import java.util.Objects;

/**
 * Projections {@code [view][row][col]} in one float array (column fastest), row index along the
 * detector's v axis and column index along u. Values are line integrals (dimensionless) unless
 * stated otherwise. The array is shared, not copied.
 */
public final class ProjectionStack {
    private final int views, rows, cols;
    private final float[] data;

    public ProjectionStack(int views, int rows, int cols, float[] data) {
        if (views <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("projection stack shape must be positive, got "
                    + views + "×" + rows + "×" + cols);
        }
        Objects.requireNonNull(data, "data");
        if ((long) views * rows * cols != data.length) {
            throw new IllegalArgumentException("projection data has " + data.length + " values, shape "
                    + views + "×" + rows + "×" + cols + " needs " + (long) views * rows * cols);
        }
        this.views = views;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    public static ProjectionStack zeros(int views, int rows, int cols) {
        return new ProjectionStack(views, rows, cols, new float[Math.multiplyExact(Math.multiplyExact(views, rows), cols)]);
    }

    public int views() { return views; }
    public int rows() { return rows; }
    public int cols() { return cols; }
    /** The backing array, {@code [view][row][col]} (not a copy). */
    public float[] data() { return data; }

    public int index(int view, int row, int col) { return (view * rows + row) * cols + col; }
    public float get(int view, int row, int col) { return data[index(view, row, col)]; }
    public void set(int view, int row, int col, float value) { data[index(view, row, col)] = value; }

    public ProjectionStack copy() { return new ProjectionStack(views, rows, cols, data.clone()); }
}
