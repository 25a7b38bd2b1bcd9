package org.pdrecon.geometry;

/** Field-naming validation helpers shared by the geometry classes. */
final class Checks {
    private Checks() {}

    static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new GeometryException(field + " must be a finite number, got " + value);
        }
        return value;
    }

    static double positive(String field, double value) {
        finite(field, value);
        if (value <= 0) {
            throw new GeometryException(field + " must be positive, got " + value);
        }
        return value;
    }

    static int positive(String field, int value) {
        if (value <= 0) {
            throw new GeometryException(field + " must be positive, got " + value);
        }
        return value;
    }

    static double[] finite3(String field, double[] v) {
        if (v == null || v.length != 3) {
            throw new GeometryException(field + " must have 3 components");
        }
        for (int i = 0; i < 3; i++) {
            finite(field + "[" + i + "]", v[i]);
        }
        return v.clone();
    }
}
