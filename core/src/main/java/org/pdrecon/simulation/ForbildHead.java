package org.pdrecon.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * The 3D FORBILD head phantom (FORBILD project, Erlangen; its published definition file {@code HeadPhantom.pha}):
 * skull, brain, ventricle, frontal sinus with its septum, eyes, small low-contrast spheres near the occiput, bony
 * plates behind the eyes, the occipital protuberances (two cone frusta), the right inner ear (a clipped bony
 * ellipsoid holding 317 air cells of 3 mm on a hexagonal lattice) and, on the left, a resolution pattern of 144
 * small bony ellipsoids (16 groups: 0.25–0.36 mm wide, 0.5–4 mm long).
 *
 * <p><b>Units and axes.</b> The file's centimetres become millimetres; its axes are kept: {@code z} runs along the
 * head (the rotation axis), {@code +y} is anterior (the eyes), {@code +x} holds the ear. Every material is water at
 * a stated relative density ({@code DTMAT}), so μ = density · μ_water, with μ_water = {@link Tissue#WATER} at 70 keV:
 * brain 1.05, bone 1.8, air 0.
 *
 * <p><b>Overlaps.</b> In the file a later primitive replaces the earlier ones where they overlap ({@link #layers()};
 * {@link #muPerMmByLayers} evaluates that rule). {@link #phantom()} is the same object as additive {@link Solid}s,
 * so the projectors' exact chords apply: each primitive carries its density minus that of the primitive it sits in
 * (brain −0.75 inside the skull, the septum +1.8 inside the air of the sinus, an air cell −1.8 inside the ear's
 * bone), and where primitives overlap without nesting, {@link SolidIntersection}s add what the replacement rule
 * needs: the protuberances and the ear count only where they cover brain, and the few places where two bony
 * primitives overlap are counted once. That list was derived by sampling every pair of primitives for overlap
 * (docs/simulation.md); {@code ForbildHeadTest} checks it against the replacement rule at random points and along
 * rays.
 */
public final class ForbildHead {
    private static final double CM = 10;
    private static final double WATER = Tissue.WATER.mu();
    /** Relative densities of the file. */
    private static final double BONE = 1.8, BRAIN = 1.05;

    private ForbildHead() {}

    /** The published primitives in the file's order, each with its absolute μ (1/mm); a later one replaces earlier ones. */
    public static List<QuadricSolid> layers() {
        return new Builder().layers;
    }

    /** The phantom as additive solids: μ equals {@link #muPerMmByLayers} everywhere. */
    public static Phantom phantom() {
        Builder b = new Builder();
        List<Solid> s = new ArrayList<>();
        // Nested primitives: density minus that of the primitive around them.
        s.add(b.named("5", BONE));
        s.add(b.named("6", BRAIN - BONE));
        s.add(b.named("12", 1.045 - BRAIN));
        s.add(b.named("7", 0 - BRAIN));
        s.add(b.named("1", 1.06 - BRAIN));
        s.add(b.named("2", 1.06 - BRAIN));
        s.add(b.named("3", 1.0525 - BRAIN));
        s.add(b.named("4", 1.0475 - BRAIN));
        s.add(b.named("14", BONE - BRAIN));
        s.add(b.named("15", BONE - 0)); // the septum stands in the sinus's air
        s.add(b.named("8", BONE - BRAIN));
        s.add(b.named("9", BONE - BRAIN));
        s.add(b.named("10", BONE - BRAIN));
        s.add(b.named("11", BONE - BRAIN));
        s.add(b.named("13", 1.055 - BRAIN));
        // Bony plates that touch: their common parts are bone once, not twice.
        s.add(SolidIntersection.of(-(BONE - BRAIN) * WATER, b.layer("14"), b.layer("8")));
        s.add(SolidIntersection.of(-(BONE - BRAIN) * WATER, b.layer("14"), b.layer("9")));
        s.add(SolidIntersection.of(-(BONE - BRAIN) * WATER, b.layer("8"), b.layer("10")));
        s.add(SolidIntersection.of(-(BONE - BRAIN) * WATER, b.layer("9"), b.layer("11")));
        // The protuberances reach from the skull into the brain: bone over brain where they cover it, once where
        // they overlap each other; over the skull they change nothing.
        QuadricSolid brain = b.layer("6"), left = b.layer("16"), right = b.layer("17");
        s.add(SolidIntersection.of((BONE - BRAIN) * WATER, left, brain));
        s.add(SolidIntersection.of((BONE - BRAIN) * WATER, right, brain));
        s.add(SolidIntersection.of(-(BONE - BRAIN) * WATER, left, right, brain));
        // The ear's bone over the brain (its outer part lies in the skull), and its air cells in that bone.
        s.add(SolidIntersection.of((BONE - BRAIN) * WATER, b.layer("ear"), brain));
        for (QuadricSolid cell : b.airCells) s.add(cell.withValue(-BONE * WATER));
        for (QuadricSolid bar : b.resolution) s.add(bar.withValue((BONE - BRAIN) * WATER));
        return new Phantom(s);
    }

    /** The phantom moved by a shift drawn uniformly from ±{@code maxShiftMm} per axis with {@code seed}: a placement for training data. */
    public static Phantom shifted(long seed, double maxShiftMm) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        return phantom().translated(r.nextDouble(-maxShiftMm, maxShiftMm), r.nextDouble(-maxShiftMm, maxShiftMm),
                r.nextDouble(-maxShiftMm, maxShiftMm));
    }

    /** μ (1/mm) at a world point by the file's own rule: that of the last primitive that contains it, else 0. */
    public static double muPerMmByLayers(List<QuadricSolid> layers, double x, double y, double z) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).contains(x, y, z)) return layers.get(i).valuePerMm();
        }
        return 0;
    }

    /** The half-extents (mm) of the skull, the outermost primitive: a scan must see ±96 × ±120 × ±125 mm. */
    public static double[] skullSemiAxesMm() {
        return new double[] {9.6 * CM, 12 * CM, 12.5 * CM};
    }

    /** Builds the primitives of the file once, by name (the file's labels; "ear" for the unlabelled ear). */
    private static final class Builder {
        final List<QuadricSolid> layers = new ArrayList<>();
        final java.util.Map<String, QuadricSolid> byName = new java.util.HashMap<>();
        final List<QuadricSolid> airCells = new ArrayList<>();
        final List<QuadricSolid> resolution = new ArrayList<>();

        Builder() {
            double c15 = cos(15), s15 = sin(15), c30 = cos(30), s30 = sin(30);
            ellipsoid("5", 0, 0, 0, 9.6, 12, 12.5, BONE);
            ellipsoid("6", 0, 0, 0, 9.0, 11.4, 11.9, BRAIN);
            ellipsoid("12", 0, -3.6, 0, 1.8, 3.6, 3.6, 1.045);
            ellipsoid("7", 0, 8.4, 0, 1.8, 3.0, 3.0, 0);
            ellipsoid("1", -4.7, 4.3, 0.872, 2, 2, 2, 1.06);
            ellipsoid("2", 4.7, 4.3, 0.872, 2, 2, 2, 1.06);
            ellipsoid("3", -1.08, -9, 0, 0.4, 0.4, 0.4, 1.0525);
            ellipsoid("4", 1.08, -9, 0, 0.4, 0.4, 0.4, 1.0475);
            // Elliptic cylinders: half-axes along a_x and a_y, length along the axis.
            double[] y14 = {0, s30, c30}, axis14 = {0, -c30, s30};
            cylinder("14", 0, 3.6, 0, 1.2, 4.0, 0.5 * c15, cross(y14, axis14), y14, axis14);
            double[] y15 = {0, -s30, c30}, axis15 = {1, 0, 0};
            cylinder("15", 0, 9.6, 0, 0.525561, 2.0, 0.4, cross(y15, axis15), y15, axis15);
            // Free ellipsoids: the file gives a_x and a_z; a_y completes the right-handed frame. The file gives "8"
            // 1.206483·cos 15° × 0.420276·cos 15° and its mirror "9" 1.2·cos 15° × 0.42·cos 15°: kept as published (the 2D
            // FORBILD table's z = 0 sections of both are "8"'s).
            double c120 = cos(120), s120 = sin(120), c60 = cos(60), s60 = sin(60);
            free("8", -1.9, 5.4, 0, 1.206483 * c15, 0.420276 * c15, 3.0, new double[] {c15 * c120, s120, -s15 * c120}, new double[] {s15, 0, c15}, BONE);
            free("9", 1.9, 5.4, 0, 1.2 * c15, 0.42 * c15, 3.0, new double[] {c15 * c60, s60, s15 * c60}, new double[] {-s15, 0, c15}, BONE);
            double[] z = {0, 0, 1};
            double[] x10 = {cos(150), sin(150), 0}, x11 = {c30, s30, 0};
            cylinder("10", -4.3, 6.8, -1, 1.8, 0.24, 4.0, x10, cross(z, x10), z);
            cylinder("11", 4.3, 6.8, -1, 1.8, 0.24, 4.0, x11, cross(z, x11), z);
            free("13", 6.393945, -6.393945, 0, 1.2, 0.42, 1.2, new double[] {cos(58.1), sin(58.1), 0}, z, 1.055);
            // Cone_y: radius r1 at y − l/2, r2 at y + l/2 (the reading of RTK's FORBILD reader).
            coneY("16", 0, -11.15, -0.2, 0.5, 0.2, 1.5);
            coneY("17", 0, -11.15, 0.2, 0.5, 0.2, 1.5);
            QuadricSolid ear = QuadricSolid.ellipsoid(mm(9.1, 0, 0), mm(4.2, 1.8, 1.8), QuadricSolid.zRotation(0), BONE * WATER,
                    new QuadricSolid.Plane(1, 0, 0, 9.1 * CM));
            add("ear", ear);
            airCells();
            resolutionPattern();
        }

        /**
         * The ear's air cells: 3 mm spheres on a hexagonal lattice of pitch 4 mm in x and 0.2·√3 cm in y and z, seven
         * rows in y and seven levels in z. A row starts at x = 8.8 cm when its level and row indices have the same
         * parity, else 8.6, and runs inwards to the end the file gives for that level and row.
         */
        private void airCells() {
            double sha = 0.2 * Math.sqrt(3);
            double[][] innermost = {{5.6, 5.8, 6.0, 6.6}, {5.8, 6.0, 6.2, 6.8}, {6.0, 6.2, 6.4, 7.0}, {6.6, 6.8, 7.0, 7.6}};
            for (int level = -3; level <= 3; level++) {
                for (int row = -3; row <= 3; row++) {
                    double end = innermost[Math.abs(level)][Math.abs(row)];
                    int cells = (int) Math.round(((Math.abs(level) + Math.abs(row)) % 2 == 0 ? 8.8 - end : 8.6 - end) / 0.4) + 1;
                    double x0 = (Math.abs(level) + Math.abs(row)) % 2 == 0 ? 8.8 : 8.6;
                    for (int k = 0; k < cells; k++) {
                        QuadricSolid cell = QuadricSolid.ellipsoid(mm(x0 - 0.4 * k, row * sha, level * sha), mm(0.15, 0.15, 0.15),
                                QuadricSolid.zRotation(0), 0);
                        airCells.add(cell);
                        layers.add(cell);
                    }
                }
            }
        }

        /**
         * The resolution pattern at x = −7 cm: 4 × 4 groups, group (i, j) of bar width d_i (0.357, 0.312, 0.278, 0.250 mm)
         * and length l_j (4, 2, 1, 0.5 mm), five bars along y and four more stacked along z, each at twice its size apart.
         */
        private void resolutionPattern() {
            double[] width = {0.0357, 0.0312, 0.0278, 0.0250}, length = {0.4, 0.2, 0.1, 0.05};
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double x = -7.0 + 2 * i * 0.04, y = -1.0 + 12 * j * 0.04;
                    for (int m = 0; m < 5; m++) bar(x, y + 2 * m * width[i], 0, width[i], length[j]);
                    for (int m = 1; m < 5; m++) bar(x, y, 2 * m * length[j], width[i], length[j]);
                }
            }
        }

        private void bar(double x, double y, double z, double width, double length) {
            QuadricSolid b = QuadricSolid.ellipsoid(mm(x, y, z), mm(width / 2, width / 2, length / 2), QuadricSolid.zRotation(0), BONE * WATER);
            resolution.add(b);
            layers.add(b);
        }

        private void ellipsoid(String name, double x, double y, double z, double a, double b, double c, double density) {
            add(name, QuadricSolid.ellipsoid(mm(x, y, z), mm(a, b, c), QuadricSolid.zRotation(0), density * WATER));
        }

        private void free(String name, double x, double y, double z, double a, double b, double c, double[] ax, double[] az,
                          double density) {
            double[] ux = unit(ax), uz = unit(az);
            add(name, QuadricSolid.ellipsoid(mm(x, y, z), mm(a, b, c), columns(ux, cross(uz, ux), uz), density * WATER));
        }

        private void cylinder(String name, double x, double y, double z, double rx, double ry, double length, double[] ax, double[] ay, double[] axis) {
            add(name, QuadricSolid.cylinder(mm(x, y, z), rx * CM, ry * CM, length * CM, columns(unit(ax), unit(ay), unit(axis)), BONE * WATER));
        }

        private void coneY(String name, double x, double y, double z, double r1, double r2, double length) {
            add(name, QuadricSolid.frustum(mm(x, y, z), r1 * CM, r1 * CM, r2 / r1, length * CM, QuadricSolid.Z_TO_Y, BONE * WATER));
        }

        private void add(String name, QuadricSolid s) {
            layers.add(s);
            byName.put(name, s);
        }

        QuadricSolid layer(String name) {
            return byName.get(name);
        }

        /** The named primitive with Δμ {@code relative} · μ_water. */
        QuadricSolid named(String name, double relative) {
            return byName.get(name).withValue(relative * WATER);
        }
    }

    private static double[] mm(double x, double y, double z) {
        return new double[] {x * CM, y * CM, z * CM};
    }

    private static double cos(double deg) {
        return Math.cos(Math.toRadians(deg));
    }

    private static double sin(double deg) {
        return Math.sin(Math.toRadians(deg));
    }

    private static double[] unit(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    /** Row-major rotation whose columns are the local axes. */
    private static double[] columns(double[] x, double[] y, double[] z) {
        return new double[] {x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]};
    }
}
