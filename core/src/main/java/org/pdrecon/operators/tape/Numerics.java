package org.pdrecon.operators.tape;

import ai.djl.ndarray.NDArray;

/**
 * {@code train --check-numerics}: while switched on, every tape segment's outputs, every operator
 * cut's output, every gradient the backward sweep passes on, and every layer of an update CNN are
 * checked for NaN and ±Inf as they are made, so the first one to hold such a value is named. Off by
 * default: each check copies a reduction result to the host.
 */
public final class Numerics {
    private static volatile boolean enabled;

    private Numerics() {}

    /** Raised at the first array found holding NaN or ±Inf; the message says where. */
    public static final class NonFiniteException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public NonFiniteException(String message) {
            super(message);
        }
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    /**
     * Does nothing when switched off or when {@code a} is finite.
     *
     * @param where what {@code a} is, e.g. "forward: dual_3 conv_2 output"
     * @throws NonFiniteException naming {@code where} and counting the NaN and infinite entries
     */
    public static void check(String where, NDArray a) {
        if (!enabled || a == null || !a.getDataType().isFloating()) return;
        long nan = count(a.isNaN()), inf = count(a.isInfinite());
        if (nan + inf > 0) {
            throw new NonFiniteException("first NaN/Inf in " + where + ": " + nan + " NaN and " + inf + " infinite of "
                    + a.getShape().size() + " values (shape " + a.getShape() + ")");
        }
    }

    private static long count(NDArray flags) {
        try (flags; NDArray n = flags.countNonzero()) {
            return n.getLong();
        }
    }
}
