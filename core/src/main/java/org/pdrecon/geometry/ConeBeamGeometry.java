package org.pdrecon.geometry;

import java.util.Optional;

/**
 * A cone-beam scan: the volume grid, the detector size and, for every view, the source position
 * {@code S}, the detector centre {@code D} and the detector's column and row steps {@code u}, {@code v}
 * (vectors from one pixel centre to the next, so their lengths are the pixel spacings). The centre of
 * detector pixel (row r, column c) is {@code D + (c + ½ − cols/2)·u + (r + ½ − rows/2)·v}.
 *
 * <p>Every geometry is held in this per-view vector form, which the operators consume; circular
 * orbits are built with {@link #circular()} and keep their {@link CircularOrbit} description for FDK.
 * A 2D fan-beam scan is the case {@code nz = 1} with one detector row. Immutable and validated: an
 * impossible geometry fails at construction with a {@link GeometryException} naming the field.
 */
public final class ConeBeamGeometry {
    private final VolumeGrid volume;
    private final int rows, cols;
    private final double[] src, det, u, v; // 3 per view
    private final CircularOrbit orbit;     // null for general vector geometries

    private ConeBeamGeometry(VolumeGrid volume, int rows, int cols, double[] src, double[] det,
                             double[] u, double[] v, CircularOrbit orbit) {
        if (volume == null) throw new GeometryException("volume is missing");
        this.volume = volume;
        this.rows = Checks.positive("detector_rows", rows);
        this.cols = Checks.positive("detector_cols", cols);
        this.src = src;
        this.det = det;
        this.u = u;
        this.v = v;
        this.orbit = orbit;
        validateViews();
    }

    /** Starts a circular-orbit geometry (the rotation axis is z, see DESIGN.md). */
    public static CircularBuilder circular() {
        return new CircularBuilder();
    }

    /**
     * A general geometry from per-view vectors, each array {@code [views][3]} in mm.
     *
     * @param sourceMm source position per view
     * @param detectorMm detector centre per view
     * @param uMm step between adjacent detector columns per view
     * @param vMm step between adjacent detector rows per view
     */
    public static ConeBeamGeometry fromVectors(VolumeGrid volume, int rows, int cols, double[][] sourceMm,
                                               double[][] detectorMm, double[][] uMm, double[][] vMm) {
        if (sourceMm == null || sourceMm.length == 0) throw new GeometryException("views is empty: a scan needs at least one view");
        int n = sourceMm.length;
        if (detectorMm.length != n || uMm.length != n || vMm.length != n) {
            throw new GeometryException("views: source, detector, u and v must have the same number of views");
        }
        double[] s = new double[3 * n], d = new double[3 * n], uu = new double[3 * n], vv = new double[3 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(Checks.finite3("views[" + i + "].source_mm", sourceMm[i]), 0, s, 3 * i, 3);
            System.arraycopy(Checks.finite3("views[" + i + "].detector_mm", detectorMm[i]), 0, d, 3 * i, 3);
            System.arraycopy(Checks.finite3("views[" + i + "].u_mm", uMm[i]), 0, uu, 3 * i, 3);
            System.arraycopy(Checks.finite3("views[" + i + "].v_mm", vMm[i]), 0, vv, 3 * i, 3);
        }
        return new ConeBeamGeometry(volume, rows, cols, s, d, uu, vv, null);
    }

    /** {@code n} angles evenly spaced over {@code arcDeg} starting at {@code startDeg}, end point excluded. */
    public static double[] evenAnglesDeg(int n, double startDeg, double arcDeg) {
        if (n <= 0) throw new GeometryException("angles_deg is empty: a scan needs at least one view");
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = startDeg + arcDeg * i / n;
        return a;
    }

    private void validateViews() {
        int n = views();
        double[] lo = volume.minCornerMm(), hi = volume.maxCornerMm();
        for (int i = 0; i < n; i++) {
            double[] uu = u(i), vv = v(i);
            if (norm(uu) == 0) throw new GeometryException("views[" + i + "].u_mm is zero: detector columns need a spacing");
            if (norm(vv) == 0) throw new GeometryException("views[" + i + "].v_mm is zero: detector rows need a spacing");
            double[] nrm = cross(uu, vv);
            if (norm(nrm) < 1e-12 * norm(uu) * norm(vv)) {
                throw new GeometryException("views[" + i + "]: u_mm and v_mm are parallel, the detector has no plane");
            }
            double[] s = source(i), d = detectorCentre(i);
            if (Math.abs(dot(sub(d, s), nrm)) < 1e-9 * norm(nrm)) {
                throw new GeometryException("views[" + i + "]: the source lies in the detector plane");
            }
            boolean inside = true;
            for (int a = 0; a < 3; a++) inside &= s[a] >= lo[a] && s[a] <= hi[a];
            if (inside) {
                throw new GeometryException("views[" + i + "]: the volume reaches the source at "
                        + fmt(s) + " (volume spans " + fmt(lo) + " to " + fmt(hi) + ")");
            }
        }
    }

    public VolumeGrid volume() { return volume; }
    public int views() { return src.length / 3; }
    public int detectorRows() { return rows; }
    public int detectorCols() { return cols; }

    /** The circular-orbit description, if this geometry was built as one. */
    public Optional<CircularOrbit> orbit() { return Optional.ofNullable(orbit); }

    /** The same scan with another volume grid. */
    public ConeBeamGeometry withVolume(VolumeGrid grid) {
        return new ConeBeamGeometry(grid, rows, cols, src, det, u, v, orbit);
    }

    /** The same scan restricted to {@code views}, in that order (a per-view-vector geometry; an orbit is not kept). */
    public ConeBeamGeometry subset(int[] views) {
        int n = views.length;
        if (n == 0) throw new GeometryException("a subset needs at least one view");
        double[] s = new double[3 * n], d = new double[3 * n], uu = new double[3 * n], vv = new double[3 * n];
        for (int i = 0; i < n; i++) {
            int k = views[i];
            if (k < 0 || k >= views()) throw new GeometryException("view " + k + " is not among the " + views() + " views");
            System.arraycopy(src, 3 * k, s, 3 * i, 3);
            System.arraycopy(det, 3 * k, d, 3 * i, 3);
            System.arraycopy(u, 3 * k, uu, 3 * i, 3);
            System.arraycopy(v, 3 * k, vv, 3 * i, 3);
        }
        return new ConeBeamGeometry(volume, rows, cols, s, d, uu, vv, null);
    }

    /** The source position of a view (a copy). */
    public double[] source(int view) { return slice3(src, view); }
    public double[] detectorCentre(int view) { return slice3(det, view); }
    /** Step between adjacent detector columns; its length is the column pixel spacing. */
    public double[] u(int view) { return slice3(u, view); }
    /** Step between adjacent detector rows; its length is the row pixel spacing. */
    public double[] v(int view) { return slice3(v, view); }

    /** World position of the centre of detector pixel (row, col) in a view. */
    public double[] pixelCentre(int view, double row, double col) {
        double a = col + 0.5 - cols / 2.0, b = row + 0.5 - rows / 2.0;
        double[] p = new double[3];
        for (int k = 0; k < 3; k++) p[k] = det[3 * view + k] + a * u[3 * view + k] + b * v[3 * view + k];
        return p;
    }

    /**
     * Where the ray from the source through a world point meets the detector, as continuous
     * {@code (row, col)} indices (pixel centres at integers). Returns {@code null} when the point is
     * not in front of the source towards the detector.
     */
    public double[] projectPoint(int view, double[] pointMm) {
        double[] s = source(view), d = detectorCentre(view), uu = u(view), vv = v(view);
        double[] nrm = cross(uu, vv);
        double[] dir = sub(pointMm, s);
        double denom = dot(dir, nrm);
        if (denom == 0) return null;
        double t = dot(sub(d, s), nrm) / denom;
        if (t <= 0) return null;
        double[] hit = new double[3];
        for (int k = 0; k < 3; k++) hit[k] = s[k] + t * dir[k] - d[k];
        // Solve hit = a·u + b·v in the detector plane (u, v need not be orthogonal).
        double uu2 = dot(uu, uu), vv2 = dot(vv, vv), uv = dot(uu, vv);
        double hu = dot(hit, uu), hv = dot(hit, vv);
        double det2 = uu2 * vv2 - uv * uv;
        double a = (hu * vv2 - hv * uv) / det2, b = (hv * uu2 - hu * uv) / det2;
        return new double[] {b + rows / 2.0 - 0.5, a + cols / 2.0 - 0.5};
    }

    /** Raw per-view arrays ({@code 3·views} each) for kernels; callers must not modify them. */
    public double[] sourceArray() { return src; }
    public double[] detectorArray() { return det; }
    public double[] uArray() { return u; }
    public double[] vArray() { return v; }

    @Override
    public String toString() {
        return orbit != null
                ? String.format("ConeBeamGeometry[circular, SOD %.1f mm, SDD %.1f mm, %d views, detector %d×%d, %s]",
                        orbit.sodMm(), orbit.sddMm(), views(), rows, cols, volume)
                : String.format("ConeBeamGeometry[vectors, %d views, detector %d×%d, %s]", views(), rows, cols, volume);
    }

    /** Builder for circular orbits; {@code set*} are required, {@code opt*} optional. */
    public static final class CircularBuilder {
        private VolumeGrid volume;
        private double sod = Double.NaN, sdd = Double.NaN;
        private int rows, cols;
        private double rowSpacing = Double.NaN, colSpacing = Double.NaN;
        private double offU, offV;
        private double[] angles;

        public CircularBuilder setVolume(VolumeGrid grid) { this.volume = grid; return this; }
        public CircularBuilder setSodMm(double mm) { this.sod = mm; return this; }
        public CircularBuilder setSddMm(double mm) { this.sdd = mm; return this; }

        /** Detector size and pixel spacing (row spacing along v, column spacing along u). */
        public CircularBuilder setDetector(int rows, int cols, double rowSpacingMm, double colSpacingMm) {
            this.rows = rows;
            this.cols = cols;
            this.rowSpacing = rowSpacingMm;
            this.colSpacing = colSpacingMm;
            return this;
        }

        public CircularBuilder optDetectorOffsetMm(double uMm, double vMm) { this.offU = uMm; this.offV = vMm; return this; }
        public CircularBuilder setAnglesDeg(double... deg) { this.angles = deg == null ? null : deg.clone(); return this; }

        public ConeBeamGeometry build() {
            if (volume == null) throw new GeometryException("volume is missing");
            Checks.positive("sod_mm", sod);
            Checks.positive("sdd_mm", sdd);
            if (sdd <= sod) {
                throw new GeometryException("sdd_mm (" + sdd + ") must be greater than sod_mm (" + sod
                        + "): the detector must lie beyond the rotation axis");
            }
            Checks.positive("detector_rows", rows);
            Checks.positive("detector_cols", cols);
            Checks.positive("pixel_spacing_mm[0] (row)", rowSpacing);
            Checks.positive("pixel_spacing_mm[1] (col)", colSpacing);
            Checks.finite("detector_offset_mm[0] (u)", offU);
            Checks.finite("detector_offset_mm[1] (v)", offV);
            if (angles == null || angles.length == 0) {
                throw new GeometryException("angles_deg is empty: a scan needs at least one view");
            }
            for (int i = 0; i < angles.length; i++) Checks.finite("angles_deg[" + i + "]", angles[i]);
            double[] lo = volume.minCornerMm(), hi = volume.maxCornerMm();
            double reach = Math.max(Math.hypot(lo[0], lo[1]), Math.max(Math.hypot(lo[0], hi[1]),
                    Math.max(Math.hypot(hi[0], lo[1]), Math.hypot(hi[0], hi[1]))));
            if (reach >= sod) {
                throw new GeometryException(String.format(
                        "sod_mm (%.4g) is too small: the volume reaches %.4g mm from the rotation axis, so the source would pass through it",
                        sod, reach));
            }
            int n = angles.length;
            double[] s = new double[3 * n], d = new double[3 * n], uu = new double[3 * n], vv = new double[3 * n];
            for (int i = 0; i < n; i++) {
                double t = Math.toRadians(angles[i]), c = Math.cos(t), sn = Math.sin(t);
                // S = R(θ)(0, −SOD, 0), D = R(θ)(0, SDD − SOD, 0) + offsets, u = R(θ)(1, 0, 0), v = (0, 0, 1).
                s[3 * i] = sod * sn;
                s[3 * i + 1] = -sod * c;
                d[3 * i] = -(sdd - sod) * sn + offU * c;
                d[3 * i + 1] = (sdd - sod) * c + offU * sn;
                d[3 * i + 2] = offV;
                uu[3 * i] = colSpacing * c;
                uu[3 * i + 1] = colSpacing * sn;
                vv[3 * i + 2] = rowSpacing;
            }
            return new ConeBeamGeometry(volume, rows, cols, s, d, uu, vv, new CircularOrbit(sod, sdd, angles, offU, offV));
        }
    }

    private static double[] slice3(double[] a, int view) {
        return new double[] {a[3 * view], a[3 * view + 1], a[3 * view + 2]};
    }

    static double[] sub(double[] a, double[] b) { return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
    static double dot(double[] a, double[] b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }
    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
    private static String fmt(double[] p) { return String.format("(%.4g, %.4g, %.4g)", p[0], p[1], p[2]); }
}
