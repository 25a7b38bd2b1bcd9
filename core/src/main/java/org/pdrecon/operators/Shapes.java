package org.pdrecon.operators;

import java.nio.FloatBuffer;

/** Argument checks and buffer access shared by the operators. */
public final class Shapes {
    private Shapes() {}

    /** Refuses a null array or one whose length is not the operator's. */
    public static void check(String what, float[] a, int expected) {
        if (a == null) throw new IllegalArgumentException(what + " array is null");
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " has " + a.length + " values, the operator expects " + expected);
        }
    }

    static void check(String what, FloatBuffer b, int expected) {
        if (b == null) throw new IllegalArgumentException(what + " buffer is null");
        if (b.capacity() != expected) {
            throw new IllegalArgumentException(what + " buffer holds " + b.capacity() + " floats, the operator expects " + expected);
        }
    }

    /** The buffer's contents as an array: its backing array when it has one, else a copy. */
    static float[] array(FloatBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.array().length == b.capacity()) return b.array();
        float[] a = new float[b.capacity()];
        b.duplicate().clear().get(a);
        return a;
    }

    /** An array to write the result into: the buffer's backing array when it has one, else a new one. */
    static float[] arrayForWrite(FloatBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.array().length == b.capacity() && !b.isReadOnly()) return b.array();
        return new float[b.capacity()];
    }

    static void writeBack(float[] a, FloatBuffer b) {
        if (b.hasArray() && b.array() == a) return;
        b.duplicate().clear().put(a);
    }
}
