package org.pdrecon.notebook;

/**
 * Hands a cell's last value to the kernel as an object, not as JShell's string form, so an image
 * returned by a cell is shown as a picture. Used by snippets the kernel generates; not for cells.
 */
public final class CellValue {
    private static Object value;
    private static boolean set;

    private CellValue() {}

    public static synchronized void keep(Object v) {
        value = v;
        set = true;
    }

    /** The kept value and whether there was one; clears it. */
    static synchronized Object[] take() {
        Object[] r = {set, value};
        value = null;
        set = false;
        return r;
    }
}
