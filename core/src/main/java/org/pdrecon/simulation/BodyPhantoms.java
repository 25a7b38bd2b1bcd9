package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Randomised anatomical phantoms of a thorax and a pelvis, built from additive {@link QuadricSolid}s and
 * {@link Ellipsoid}s with μ of {@link Tissue} at 70 keV: a body outline of fat around muscle, organs, bone with
 * a cortical shell over spongy bone, and small lesions (lung nodules, low-contrast soft-tissue spots). Every
 * structure is nested inside the one whose μ it replaces (its value is the difference), so μ at a point is the
 * tissue there. World axes: {@code z} head-wards (the rotation axis), {@code +y} posterior, {@code +x} the
 * patient's left. The body is a 400 mm long section, longer than any CBCT field, so it is truncated along z as a
 * patient is. One seed, one phantom; sizes vary by about ±15 %.
 */
public final class BodyPhantoms {
    private static final double LENGTH = 400; // mm of body along z
    private static final double[] I = QuadricSolid.zRotation(0);
    /** μ of a rib (cortex and marrow averaged over its thin section) and of the prostate (soft tissue, +15 HU). */
    static final double RIB = 0.5 * (Tissue.CORTICAL.mu() + Tissue.TRABECULAR.mu()), PROSTATE = Tissue.SOFT.mu() + 0.0003;

    private BodyPhantoms() {}

    /** The phantom kinds by name, as {@code simulate --phantom} takes them. */
    public static Phantom named(String kind, long seed) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "thorax" -> thorax(seed);
            case "pelvis" -> pelvis(seed);
            default -> throw new IllegalArgumentException("unknown body phantom '" + kind + "'; known: thorax, pelvis");
        };
    }

    /** A thorax: lungs, heart, spine (vertebrae with discs between), ribs, sternum, lung nodules and a mediastinal lesion. */
    public static Phantom thorax(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double a = uniform(r, 145, 180), b = uniform(r, 95, 120), fat = uniform(r, 8, 22);
        List<Solid> s = body(a, b, fat);
        double ai = a - fat, bi = b - fat;
        // Lungs: one each side of the mediastinum, reaching from the diaphragm (z ≈ −110) to the apex.
        double lungX = 0.5 * ai, lungA = 0.3 * ai, lungB = 0.62 * bi, lungC = uniform(r, 140, 170);
        double[] left = {lungX, -0.02 * bi, 20}, right = {-lungX, -0.02 * bi, 20};
        s.add(QuadricSolid.ellipsoid(left, new double[] {lungA, lungB, lungC}, I, Tissue.LUNG.over(Tissue.SOFT)));
        s.add(QuadricSolid.ellipsoid(right, new double[] {lungA * uniform(r, 0.95, 1.05), lungB, lungC}, I, Tissue.LUNG.over(Tissue.SOFT)));
        // Heart between the lungs, towards the patient's left and front.
        s.add(new Ellipsoid(new double[] {0.03 * ai, -0.2 * bi, -40}, new double[] {0.16 * ai, 0.3 * bi, 55}, 0, Tissue.BLOOD.over(Tissue.SOFT)));
        spine(s, r, bi - 50, 18, 14, -LENGTH / 2, LENGTH / 2);
        // Ribs: rings of bone at the chest wall every ~28 mm, sloping down towards the front, from the spine to
        // short of the sternum (the front is cartilage); a left and a right half, each between two elliptic cylinders.
        double ribTilt = uniform(r, 0.25, 0.4);
        for (double z = -150; z <= 170; z += uniform(r, 26, 30)) {
            double nz = Math.cos(ribTilt), ny = -Math.sin(ribTilt);
            QuadricSolid.Plane top = new QuadricSolid.Plane(0, ny, nz, nz * z + 4.5), bottom = new QuadricSolid.Plane(0, -ny, -nz, -(nz * z - 4.5)); // 9 mm thick, through (0, 0, z)
            QuadricSolid.Plane back = new QuadricSolid.Plane(0, -1, 0, 0.55 * bi); // ends before the front midline (cartilage)
            double outerA = ai - 6, outerB = bi - 6, t = 8;
            double reach = 2 * (4.5 / nz + Math.abs(ny / nz) * outerB) + 2; // the tilted slab's extent along z
            for (int side = -1; side <= 1; side += 2) {
                QuadricSolid.Plane lateral = new QuadricSolid.Plane(-side, 0, 0, -25); // side·x ≥ 25: clear of the spine
                s.add(QuadricSolid.cylinder(new double[] {0, 0, z}, outerA, outerB, reach, I, RIB - Tissue.SOFT.mu(), top, bottom, back, lateral));
                s.add(QuadricSolid.cylinder(new double[] {0, 0, z}, outerA - t, outerB - t, reach, I, Tissue.SOFT.mu() - RIB, top, bottom, back, lateral));
            }
        }
        // Sternum: a flat bone in front, from the top of the chest to below the heart's top.
        s.add(QuadricSolid.cylinder(new double[] {0, -(bi - 14), 40}, 15, 6, 170, I, Tissue.TRABECULAR.over(Tissue.SOFT)));
        // Lung nodules (solid tissue in lung) and one low-contrast lesion in the mediastinum.
        int nodules = 1 + r.nextInt(3);
        for (int k = 0; k < nodules; k++) {
            double[] lung = k % 2 == 0 ? left : right;
            place(s, r, Tissue.LUNG, () -> pointIn(r, lung, lungA * 0.6, lungB * 0.6, lungC * 0.5), 3, 9, Tissue.SOFT.over(Tissue.LUNG));
        }
        double[] heart = {0.03 * ai, -0.2 * bi, -40};
        place(s, r, Tissue.BLOOD, () -> pointIn(r, heart, 0.08 * ai, 0.15 * bi, 25), 5, 10, uniform(r, 0.0005, 0.0010)); // 25–50 HU
        return new Phantom(s);
    }

    /** A pelvis: hip bones, femoral heads, sacrum, pubic bones, bladder, rectum with gas, prostate, low-contrast lesions. */
    public static Phantom pelvis(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double a = uniform(r, 160, 195), b = uniform(r, 105, 130), fat = uniform(r, 12, 32);
        List<Solid> s = body(a, b, fat);
        double ai = a - fat, bi = b - fat;
        double cort = Tissue.CORTICAL.over(Tissue.SOFT), spongy = Tissue.TRABECULAR.over(Tissue.CORTICAL);
        // Iliac wings: curved bone plates (a ring segment between two elliptic cylinders) on each side, above the hips.
        for (int side = -1; side <= 1; side += 2) {
            double[] c = {side * 0.55 * ai, 0.15 * bi, 60};
            QuadricSolid.Plane inner = new QuadricSolid.Plane(-side, 0, 0, -side * c[0] + 10); // keeps the lateral half
            QuadricSolid.Plane front = new QuadricSolid.Plane(0, -1, 0, 0.15 * bi);
            s.add(QuadricSolid.cylinder(c, 0.38 * ai, 0.5 * bi, 90, I, cort, inner, front));
            s.add(QuadricSolid.cylinder(c, 0.38 * ai - 9, 0.5 * bi - 9, 90, I, -cort, inner, front));
            // Femoral head (cortex over spongy bone) and neck, below the wing.
            double rh = uniform(r, 21, 26);
            double[] head = {side * 0.52 * ai, 0.02 * bi, -70};
            s.add(Ellipsoid.ball(head, rh, cort));
            s.add(Ellipsoid.ball(head, rh - 3, spongy));
            // the neck starts at the head's surface (its cap lies outside the ball) and runs out and down
            double[] neck = {head[0] + side * 0.8 * (rh + 25), head[1], head[2] - 0.6 * (rh + 25)};
            s.add(QuadricSolid.cylinder(neck, 13, 13, 50, rotationTowards(side * 0.8, 0, -0.6), Tissue.TRABECULAR.over(Tissue.SOFT)));
        }
        // Sacrum behind, and the pubic bones in front below the bladder.
        s.add(QuadricSolid.ellipsoid(new double[] {0, bi - 50, 40}, new double[] {0.2 * ai, 12, 70}, I, Tissue.TRABECULAR.over(Tissue.SOFT)));
        spine(s, r, bi - 50, 20, 16, 115, LENGTH / 2); // lumbar vertebrae above the sacrum
        for (int side = -1; side <= 1; side += 2) {
            s.add(QuadricSolid.cylinder(new double[] {side * 25, -bi + 15, -105}, 12, 10, 40, QuadricSolid.Z_TO_X, Tissue.TRABECULAR.over(Tissue.SOFT)));
        }
        // Bladder (urine), rectum with some gas, prostate.
        // Front to back: pubic bones, bladder (above them) and prostate (below it), rectum, sacrum; the bladder's
        // depth is what the body leaves between the front and the rectum.
        double[] bladder = {0, -38.5, -45};
        double bx = uniform(r, 28, 38), by = Math.min(uniform(r, 25, 35), bi - 55), bz = uniform(r, 30, 45);
        s.add(new Ellipsoid(bladder, new double[] {bx, by, bz}, 0, Tissue.WATER.over(Tissue.SOFT)));
        double rectumY = bi - 78; // just in front of the sacrum
        s.add(new Ellipsoid(new double[] {0, rectumY, -40}, new double[] {14, 12, 40}, 0, Tissue.WATER.over(Tissue.SOFT)));
        place(s, r, Tissue.WATER, () -> new double[] {uniform(r, -3, 3), rectumY + uniform(r, -2, 2), uniform(r, -60, -20)}, 4, 8,
                Tissue.AIR.over(Tissue.WATER));
        s.add(new Ellipsoid(new double[] {0, -30, -45 - bz - 20}, new double[] {20, 14, 18}, 0, PROSTATE - Tissue.SOFT.mu()));
        // Low-contrast lesions in soft tissue (±25–50 HU), placed where the muscle around them is plain soft tissue.
        int lesions = 1 + r.nextInt(3);
        for (int k = 0; k < lesions; k++) {
            place(s, r, Tissue.SOFT, () -> new double[] {uniform(r, -0.5, 0.5) * ai, uniform(r, -0.5, 0.4) * bi, uniform(r, -100, 100)}, 5, 12,
                    (r.nextBoolean() ? 1 : -1) * uniform(r, 0.0005, 0.0010));
        }
        return new Phantom(s);
    }

    /** Fat outline and the muscle inside it, 400 mm long. */
    private static List<Solid> body(double a, double b, double fat) {
        List<Solid> s = new ArrayList<>();
        s.add(QuadricSolid.cylinder(new double[] {0, 0, 0}, a, b, LENGTH, I, Tissue.FAT.mu()));
        s.add(QuadricSolid.cylinder(new double[] {0, 0, 0}, a - fat, b - fat, LENGTH, I, Tissue.SOFT.over(Tissue.FAT)));
        return s;
    }

    /**
     * Vertebrae along z at {@code y} between {@code z0} and {@code z1}: cortical cylinders with spongy cores, a disc
     * between each, a spinous process behind, and the spinal canal between them.
     */
    private static void spine(List<Solid> s, SplittableRandom r, double y, double rx, double ry, double z0, double z1) {
        double pitch = uniform(r, 28, 33), height = pitch - uniform(r, 5, 8);
        double cort = Tissue.CORTICAL.over(Tissue.SOFT), spongy = Tissue.TRABECULAR.over(Tissue.CORTICAL);
        for (double z = z0 + pitch / 2; z + pitch / 2 <= z1; z += pitch) {
            s.add(QuadricSolid.cylinder(new double[] {0, y, z}, rx, ry, height, I, cort));
            s.add(QuadricSolid.cylinder(new double[] {0, y, z}, rx - 2.5, ry - 2.5, height - 5, I, spongy));
            // posterior arch: a spinous process reaching back
            s.add(QuadricSolid.cylinder(new double[] {0, y + ry + 20, z}, 5, 9, height - 4, I, Tissue.TRABECULAR.over(Tissue.SOFT)));
        }
        s.add(QuadricSolid.cylinder(new double[] {0, y + ry + 5, (z0 + z1) / 2}, 6, 4, z1 - z0, I, Tissue.WATER.over(Tissue.SOFT)));
    }

    /**
     * Adds a ball of Δμ {@code value} with a radius in {@code [rMin, rMax]} at a centre from {@code centres}, where
     * the phantom so far holds {@code tissue} at the centre and at 26 points just outside the ball's surface, so
     * that a lesion sits in one tissue and never straddles a boundary. Gives up silently after 200 tries (a small
     * organ may hold no such ball; the phantom is then one lesion short, the same for the same seed).
     */
    private static void place(List<Solid> s, SplittableRandom r, Tissue tissue, java.util.function.Supplier<double[]> centres, double rMin, double rMax,
                              double value) {
        Phantom sofar = new Phantom(s);
        for (int attempt = 0; attempt < 200; attempt++) {
            double[] c = centres.get();
            double radius = uniform(r, rMin, rMax);
            if (uniformIn(sofar, tissue, c, radius + 1)) {
                s.add(Ellipsoid.ball(c, radius, value));
                return;
            }
        }
    }

    private static boolean uniformIn(Phantom p, Tissue tissue, double[] c, double radius) {
        if (Math.abs(p.muPerMm(c[0], c[1], c[2]) - tissue.mu()) > 1e-9) return false;
        for (int i = -1; i <= 1; i++) for (int j = -1; j <= 1; j++) for (int k = -1; k <= 1; k++) {
            if (i == 0 && j == 0 && k == 0) continue;
            double n = Math.sqrt(i * i + j * j + k * k);
            if (Math.abs(p.muPerMm(c[0] + radius * i / n, c[1] + radius * j / n, c[2] + radius * k / n) - tissue.mu()) > 1e-9) return false;
        }
        return true;
    }

    /** A rotation whose third column is the unit vector along {@code (x, y, z)}. */
    private static double[] rotationTowards(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        double[] w = {x / n, y / n, z / n};
        double[] helper = Math.abs(w[2]) < 0.9 ? new double[] {0, 0, 1} : new double[] {1, 0, 0};
        double[] u = cross(helper, w);
        double un = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        for (int i = 0; i < 3; i++) u[i] /= un;
        double[] v = cross(w, u);
        return new double[] {u[0], v[0], w[0], u[1], v[1], w[1], u[2], v[2], w[2]};
    }

    private static double[] cross(double[] p, double[] q) {
        return new double[] {p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]};
    }

    /** A uniform point inside the ellipsoid of centre {@code c} and semi-axes {@code (ax, ay, az)}. */
    private static double[] pointIn(SplittableRandom r, double[] c, double ax, double ay, double az) {
        while (true) {
            double x = uniform(r, -1, 1), y = uniform(r, -1, 1), z = uniform(r, -1, 1);
            if (x * x + y * y + z * z <= 1) return new double[] {c[0] + x * ax, c[1] + y * ay, c[2] + z * az};
        }
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
