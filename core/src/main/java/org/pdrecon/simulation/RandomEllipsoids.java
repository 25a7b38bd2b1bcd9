package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random-ellipsoid phantoms, deterministic for a seed (one {@link SplittableRandom}, draws in a fixed
 * order). Everything lies inside the field of view: the cylinder of radius {@code fovRadiusMm} and
 * half-height {@code fovHalfHeightMm} about the z axis (the region a circular scan sees).
 *
 * <p>Each phantom is, in order:
 * <ol>
 * <li>optionally (default on) an outer <b>body</b> ellipsoid centred at the origin with value
 *     {@code bodyMuPerMm} (default 0.02 /mm, water), in-plane semi-axes uniform in
 *     {@code [0.7, 0.95]·fovRadius}, z semi-axis {@code 0.95·fovHalfHeight}, rotated about z by a
 *     uniform angle;</li>
 * <li>{@code count} ellipsoids with semi-axes uniform in {@code [minSemiAxis, maxSemiAxis]}, a
 *     uniformly random 3D rotation (or about z only), additive value Δμ uniform in
 *     {@code [minValue, maxValue]} 1/mm, and a centre drawn uniformly in the cylinder until the
 *     ellipsoid provably fits the container (the body if present, else the cylinder).</li>
 * </ol>
 * With {@code nonNegative} (default on) a candidate is also redrawn unless μ ≥ 0 is guaranteed
 * everywhere: for every ellipsoid {@code i}, body + min(0, Δμ_i) + Σ min(0, Δμ_j) over the
 * ellipsoids {@code j} whose bounding balls meet {@code i}'s must be ≥ 0.
 */
public final class RandomEllipsoids {
    private static final int MAX_ATTEMPTS_PER_ELLIPSOID = 10_000;

    private final double fovRadius, fovHalfHeight;
    private final int count;
    private final double minSemi, maxSemi, minValue, maxValue;
    private final double bodyMu; // NaN: no body
    private final boolean fullRotations, nonNegative;

    private RandomEllipsoids(Builder b) {
        this.fovRadius = b.fovRadius;
        this.fovHalfHeight = Double.isNaN(b.fovHalfHeight) ? b.fovRadius : b.fovHalfHeight;
        this.count = b.count;
        this.minSemi = Double.isNaN(b.minSemi) ? 0.05 * fovRadius : b.minSemi;
        this.maxSemi = Double.isNaN(b.maxSemi) ? 0.25 * fovRadius : b.maxSemi;
        this.minValue = b.minValue;
        this.maxValue = b.maxValue;
        this.bodyMu = b.bodyMu;
        this.fullRotations = b.fullRotations;
        this.nonNegative = b.nonNegative;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The phantom for {@code seed}: the same seed always gives the same phantom. */
    public Phantom generate(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Ellipsoid> out = new ArrayList<>(count + 1);
        Ellipsoid body = null;
        if (!Double.isNaN(bodyMu)) {
            double ax = uniform(rng, 0.7, 0.95) * fovRadius, ay = uniform(rng, 0.7, 0.95) * fovRadius;
            body = new Ellipsoid(new double[3], new double[] {ax, ay, 0.95 * fovHalfHeight}, uniform(rng, 0, Math.PI), bodyMu);
            out.add(body);
        }
        double base = body == null ? 0 : bodyMu;
        List<Ellipsoid> inner = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            Ellipsoid accepted = null;
            for (int attempt = 0; attempt < MAX_ATTEMPTS_PER_ELLIPSOID && accepted == null; attempt++) {
                Ellipsoid e = draw(rng);
                if (!fits(e, body)) continue;
                if (nonNegative && !keepsNonNegative(inner, e, base)) continue;
                accepted = e;
            }
            if (accepted == null) {
                throw new IllegalArgumentException("could not place ellipsoid " + (n + 1) + " of " + count + " after "
                        + MAX_ATTEMPTS_PER_ELLIPSOID + " attempts: semi-axes up to " + maxSemi
                        + " mm are too large for the field of view, or too many negative values overlap");
            }
            inner.add(accepted);
        }
        out.addAll(inner);
        return new Phantom(out);
    }

    private Ellipsoid draw(SplittableRandom rng) {
        double[] semi = {uniform(rng, minSemi, maxSemi), uniform(rng, minSemi, maxSemi), uniform(rng, minSemi, maxSemi)};
        double[][] rot = fullRotations ? randomRotation(rng) : zRotation(uniform(rng, 0, Math.PI));
        double value = uniform(rng, minValue, maxValue);
        // Uniform in the cylinder: radius ∝ √U.
        double r = fovRadius * Math.sqrt(rng.nextDouble()), ang = uniform(rng, 0, 2 * Math.PI);
        double[] centre = {r * Math.cos(ang), r * Math.sin(ang), uniform(rng, -fovHalfHeight, fovHalfHeight)};
        return Ellipsoid.rotated(centre, semi, rot, value);
    }

    /** Sufficient conditions for {@code e} to lie inside the body, or inside the FOV cylinder. */
    private boolean fits(Ellipsoid e, Ellipsoid body) {
        double[] c = e.centreMm(), semi = e.semiAxesMm();
        double reach = Math.max(semi[0], Math.max(semi[1], semi[2]));
        if (body == null) {
            return Math.hypot(c[0], c[1]) + reach <= fovRadius && Math.abs(c[2]) + e.halfExtentMm()[2] <= fovHalfHeight;
        }
        // The ball of radius `reach` about c maps, in the body's unit-sphere frame, into a ball of
        // radius reach / (smallest body semi-axis) about the mapped centre.
        double[] bs = body.semiAxesMm();
        double[][] br = body.rotation();
        double q2 = 0;
        for (int i = 0; i < 3; i++) {
            double qi = (br[0][i] * c[0] + br[1][i] * c[1] + br[2][i] * c[2]) / bs[i];
            q2 += qi * qi;
        }
        return Math.sqrt(q2) + reach / Math.min(bs[0], Math.min(bs[1], bs[2])) <= 1.0;
    }

    private static boolean keepsNonNegative(List<Ellipsoid> placed, Ellipsoid candidate, double base) {
        List<Ellipsoid> all = new ArrayList<>(placed);
        all.add(candidate);
        for (int i = 0; i < all.size(); i++) {
            Ellipsoid ei = all.get(i);
            if (ei != candidate && !ballsMeet(ei, candidate)) continue; // unchanged by the candidate
            double worst = base + Math.min(0, ei.valuePerMm());
            for (int j = 0; j < all.size(); j++) {
                if (j != i && ballsMeet(ei, all.get(j))) worst += Math.min(0, all.get(j).valuePerMm());
            }
            if (worst < 0) return false;
        }
        return true;
    }

    private static boolean ballsMeet(Ellipsoid p, Ellipsoid q) {
        double[] a = p.centreMm(), b = q.centreMm();
        double d = Math.sqrt(sq(a[0] - b[0]) + sq(a[1] - b[1]) + sq(a[2] - b[2]));
        return d <= maxOf(p.semiAxesMm()) + maxOf(q.semiAxesMm());
    }

    /** A uniformly distributed rotation from a normalised Gaussian quaternion. */
    private static double[][] randomRotation(SplittableRandom rng) {
        double w, x, y, z, n;
        do {
            w = rng.nextGaussian();
            x = rng.nextGaussian();
            y = rng.nextGaussian();
            z = rng.nextGaussian();
            n = Math.sqrt(w * w + x * x + y * y + z * z);
        } while (n < 1e-6);
        w /= n;
        x /= n;
        y /= n;
        z /= n;
        return new double[][] {
                {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    }

    private static double[][] zRotation(double phi) {
        double[] r = Ellipsoid.zRotation(phi);
        return new double[][] {{r[0], r[1], r[2]}, {r[3], r[4], r[5]}, {r[6], r[7], r[8]}};
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static double maxOf(double[] v) { return Math.max(v[0], Math.max(v[1], v[2])); }
    private static double sq(double v) { return v * v; }

    /** Builder: {@code set*} required, {@code opt*} optional; {@link #build()} validates. */
    public static final class Builder {
        private double fovRadius = Double.NaN, fovHalfHeight = Double.NaN;
        private int count = 10;
        private double minSemi = Double.NaN, maxSemi = Double.NaN;
        private double minValue = -0.01, maxValue = 0.02;
        private double bodyMu = SheppLogan3D.DEFAULT_MU_WATER_PER_MM;
        private boolean fullRotations = true, nonNegative = true;

        /** Radius in mm of the cylinder about z that must contain the phantom. */
        public Builder setFovRadiusMm(double mm) { this.fovRadius = mm; return this; }
        /** Half-height in mm of that cylinder (default: the radius). */
        public Builder optFovHalfHeightMm(double mm) { this.fovHalfHeight = mm; return this; }
        /** Number of ellipsoids inside the body (default 10). */
        public Builder optCount(int n) { this.count = n; return this; }
        /** Range of each semi-axis in mm (default 0.05–0.25 × FOV radius). */
        public Builder optSemiAxisRangeMm(double min, double max) { this.minSemi = min; this.maxSemi = max; return this; }
        /** Range of the additive values Δμ in 1/mm (default −0.01 to 0.02). */
        public Builder optValueRangePerMm(double min, double max) { this.minValue = min; this.maxValue = max; return this; }
        /** Outer body value μ in 1/mm (default 0.02). */
        public Builder optBodyMuPerMm(double mu) { this.bodyMu = mu; return this; }
        /** No outer body: ellipsoids only, placed inside the FOV cylinder. */
        public Builder optNoBody() { this.bodyMu = Double.NaN; return this; }
        /** Uniform 3D rotations (default) or rotations about z only. */
        public Builder optFullRotations(boolean full) { this.fullRotations = full; return this; }
        /** Whether to guarantee μ ≥ 0 everywhere (default true). */
        public Builder optNonNegative(boolean nonNegative) { this.nonNegative = nonNegative; return this; }

        public RandomEllipsoids build() {
            positive("fov_radius_mm", fovRadius);
            if (!Double.isNaN(fovHalfHeight)) positive("fov_half_height_mm", fovHalfHeight);
            if (count < 0) throw new IllegalArgumentException("count must be non-negative, got " + count);
            double lo = Double.isNaN(minSemi) ? 0.05 * fovRadius : minSemi, hi = Double.isNaN(maxSemi) ? 0.25 * fovRadius : maxSemi;
            positive("min_semi_axis_mm", lo);
            positive("max_semi_axis_mm", hi);
            if (lo > hi) throw new IllegalArgumentException("min_semi_axis_mm (" + lo + ") exceeds max_semi_axis_mm (" + hi + ")");
            if (!Double.isFinite(minValue) || !Double.isFinite(maxValue)) {
                throw new IllegalArgumentException("value range must be finite, got " + minValue + " to " + maxValue);
            }
            if (minValue > maxValue) throw new IllegalArgumentException("min value (" + minValue + ") exceeds max value (" + maxValue + ")");
            if (!Double.isNaN(bodyMu) && !Double.isFinite(bodyMu)) throw new IllegalArgumentException("body mu must be finite, got " + bodyMu);
            double base = Double.isNaN(bodyMu) ? 0 : bodyMu;
            if (nonNegative && base + minValue < 0) {
                throw new IllegalArgumentException("values down to " + minValue + " /mm on a body of " + base
                        + " /mm can make μ negative; raise the minimum value, add a body or set nonNegative false");
            }
            return new RandomEllipsoids(this);
        }

        private static void positive(String field, double v) {
            if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(field + " must be positive, got " + v);
        }
    }
}
