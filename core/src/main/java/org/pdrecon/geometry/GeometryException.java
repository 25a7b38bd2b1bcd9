package org.pdrecon.geometry;

/** Thrown when a geometry is impossible or malformed; the message names the offending field. */
public class GeometryException extends IllegalArgumentException {
    public GeometryException(String message) {
        super(message);
    }
}
