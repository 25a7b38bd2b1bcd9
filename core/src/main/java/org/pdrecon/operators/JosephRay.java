package org.pdrecon.operators;

/**
 * One ray of Joseph's method, set up for the samples inside a voxel block, then either summed
 * (forward projection) or scattered (its exact transpose). Mutable scratch owned by one thread: set
 * up once per ray, no allocation.
 *
 * <p>The ray is driven along the axis m where its index-space direction is largest (ties: x, y,
 * z). At every voxel-centre plane k along m with parameter t &gt; 0 it takes one bilinear sample in
 * the other two axes (p, q) at {@code p = pA + k·pB}, {@code q = qA + k·qB}; neighbours outside the
 * block count zero. The line integral is the sum of samples times {@code len}, the ray length per
 * plane in mm.
 */
final class JosephRay {
    private final JosephPlan plan;

    private int sm, sp, sq;          // flat strides of the driving axis and the two sampled axes
    private int plo, phi, qlo, qhi;  // block along p and q, [lo, hi)
    private double pA, pB, qA, qB;
    /**
     * {@code p = pA + k·pB} and q as fixed point with 32 fractional bits, {@code P0 + k·dP}: the loops step
     * them with an integer add per plane instead of a double multiply-add and a checked double-to-int
     * conversion (1.3× faster). Every sample, interior or checked, takes its coordinates from these
     * integers, so a plane's weights do not depend on where the block or the interior begins (bitwise
     * results for any thread count). Off the exact line by under (k + 1)·2⁻³³ voxels.
     */
    private long p0Fixed, dpFixed, q0Fixed, dqFixed;
    private float len;
    /** Planes with a possibly nonzero sample, and the sub-range whose four neighbours are all inside. */
    private int kLo, kHi, iLo, iHi;

    JosephRay(JosephPlan plan) {
        this.plan = plan;
    }

    /** Ray length per plane, mm (valid after a successful {@link #setup}). */
    float length() {
        return len;
    }

    /**
     * Sets up the ray of pixel (row, col) of a view for samples in the block {@code [lo, hi)} (voxel
     * indices per axis x, y, z). Returns false when no sample can be nonzero.
     */
    boolean setup(int view, int row, int col, int[] lo, int[] hi) {
        int b = 3 * view;
        double[] s = plan.src, d0 = plan.dir0, dc = plan.dirCol, dr = plan.dirRow;
        double dx = d0[b] + col * dc[b] + row * dr[b];
        double dy = d0[b + 1] + col * dc[b + 1] + row * dr[b + 1];
        double dz = d0[b + 2] + col * dc[b + 2] + row * dr[b + 2];
        double ax = Math.abs(dx), ay = Math.abs(dy), az = Math.abs(dz);
        int m, p, q;
        double dm, dp, dq;
        if (ay > ax && ay >= az) {
            m = 1; p = 0; q = 2; dm = dy; dp = dx; dq = dz;
        } else if (az > ax && az > ay) {
            m = 2; p = 0; q = 1; dm = dz; dp = dx; dq = dy;
        } else {
            m = 0; p = 1; q = 2; dm = dx; dp = dy; dq = dz;
        }
        double[] sp3 = plan.spacing;
        double wx = dx * sp3[0], wy = dy * sp3[1], wz = dz * sp3[2];
        len = (float) (Math.sqrt(wx * wx + wy * wy + wz * wz) / Math.abs(dm));
        double sM = s[b + m];
        pB = dp / dm;
        qB = dq / dm;
        pA = s[b + p] - sM * pB;
        qA = s[b + q] - sM * qB;
        p0Fixed = Math.round(pA * ONE);
        dpFixed = Math.round(pB * ONE);
        q0Fixed = Math.round(qA * ONE);
        dqFixed = Math.round(qB * ONE);
        int[] stride = plan.stride;
        sm = stride[m];
        sp = stride[p];
        sq = stride[q];
        plo = lo[p];
        phi = hi[p];
        qlo = lo[q];
        qhi = hi[q];

        int k0 = lo[m], k1 = hi[m] - 1;
        // Only planes in front of the source: t = (k − s_m) / d_m > 0.
        if (dm > 0) k0 = Math.max(k0, (int) Math.floor(sM) + 1);
        else k1 = Math.min(k1, (int) Math.ceil(sM) - 1);
        // Support of the bilinear sample: p in (plo − 1, phi), q in (qlo − 1, qhi); widened by a plane.
        long r = clip(pA, pB, plo - 1, phi, k0, k1, true);
        if (r == EMPTY) return false;
        r = clip(qA, qB, qlo - 1, qhi, (int) (r >> 32), (int) r, true);
        if (r == EMPTY) return false;
        kLo = (int) (r >> 32);
        kHi = (int) r;
        // All four neighbours inside: p in [plo, phi − 1), q in [qlo, qhi − 1); estimate, then verify.
        r = clip(pA, pB, plo, phi - 1, kLo, kHi, false);
        if (r != EMPTY) r = clip(qA, qB, qlo, qhi - 1, (int) (r >> 32), (int) r, false);
        int a = kHi + 1, z = kHi;
        if (r != EMPTY) {
            a = (int) (r >> 32);
            z = (int) r;
            while (a <= z && !interior(a)) a++;
            while (z >= a && !interior(z)) z--;
            if (a > z) {
                a = kHi + 1;
                z = kHi;
            }
        }
        iLo = a;
        iHi = z;
        return true;
    }

    private static final long EMPTY = Long.MIN_VALUE;

    /**
     * How far past the support a constant coordinate may lie and still be kept. A coordinate on the
     * support's open edge (an exact integer, e.g. the central row of an odd detector) carries a
     * fraction of 2⁻²⁴, not 0, into the neighbour inside ({@link #fraction}); dropping it in one slab but
     * not in another would make the adjoint depend on the thread count. Kept samples that weigh nothing
     * inside add exact zeros.
     */
    private static final double SLACK = 1e-6;

    /**
     * The planes k in [k0, k1] where {@code A + B·k} lies in (lo, hi) (widened by one plane each
     * side when {@code widen}, or for a constant coordinate by {@link #SLACK}), packed as
     * {@code (first << 32) | (last & 0xffffffff)}, or EMPTY.
     */
    private static long clip(double a, double b, double lo, double hi, int k0, int k1, boolean widen) {
        if (b == 0) {
            double slack = widen ? SLACK : 0;
            if (!(a > lo - slack && a < hi + slack)) return EMPTY;
        } else {
            double t0 = (lo - a) / b, t1 = (hi - a) / b;
            if (t0 > t1) {
                double tmp = t0;
                t0 = t1;
                t1 = tmp;
            }
            double f = widen ? Math.floor(t0) - 1 : Math.ceil(t0);
            double c = widen ? Math.ceil(t1) + 1 : Math.floor(t1);
            if (f > k0) k0 = f > k1 ? k1 + 1 : (int) f;
            if (c < k1) k1 = c < k0 ? k0 - 1 : (int) c;
        }
        if (k0 > k1) return EMPTY;
        return ((long) k0 << 32) | (k1 & 0xffffffffL);
    }

    /** True when all four bilinear neighbours of plane k lie inside the block. */
    private boolean interior(int k) {
        int p0 = (int) ((p0Fixed + k * dpFixed) >> 32), q0 = (int) ((q0Fixed + k * dqFixed) >> 32);
        return p0 >= plo && p0 + 1 < phi && q0 >= qlo && q0 + 1 < qhi;
    }

    private static final double ONE = 0x1p32;

    /**
     * The fraction of a fixed-point coordinate: the middle of its 2⁻²³-wide bin (exact in a float, within
     * 2⁻²⁴ of the true value). The middle, not the bin's floor, makes a mirrored coordinate's fraction
     * exactly 1 − this one (unless the fraction is a multiple of 2⁻²³), so the projector stays
     * mirror-equivariant to float round-off ({@code MirrorHalfOperator}); the floor, biased by half a bin
     * in one direction, broke that test's 1e-5 adjoint tolerance. So an exact integer coordinate gets 2⁻²⁴,
     * not 0: the neighbour weighs 2⁻²⁴ (float round-off; {@link #SLACK} keeps such samples in every slab).
     * A long-to-float conversion would round as well but made the loop 1.5× slower.
     */
    private static float fraction(long fixed) {
        return ((int) fixed >>> 9) * 0x1p-23f + 0x1p-24f;
    }

    /** Σ_k bilinear sample of {@code x} (a [z][y][x] volume) along the ray, without the length factor. */
    float sum(float[] x) {
        float acc = 0f;
        for (int k = kLo; k < iLo; k++) acc += sampleChecked(x, k);
        final int sm = this.sm, sp = this.sp, sq = this.sq;
        final long dp = dpFixed, dq = dqFixed;
        long p = p0Fixed + iLo * dp, q = q0Fixed + iLo * dq;
        for (int k = iLo; k <= iHi; k++, p += dp, q += dq) {
            int p0 = (int) (p >> 32), q0 = (int) (q >> 32);
            float fp = fraction(p), fq = fraction(q);
            int i = k * sm + p0 * sp + q0 * sq;
            float v00 = x[i], v01 = x[i + sp], v10 = x[i + sq], v11 = x[i + sq + sp];
            float a = v00 + fp * (v01 - v00), c = v10 + fp * (v11 - v10);
            acc += a + fq * (c - a);
        }
        for (int k = Math.max(iHi + 1, iLo); k <= kHi; k++) acc += sampleChecked(x, k);
        return acc;
    }

    /** Adds {@code value} times each sample's bilinear weights into {@code x} (the transpose of {@link #sum}). */
    void scatter(float[] x, float value) {
        for (int k = kLo; k < iLo; k++) scatterChecked(x, k, value);
        final int sm = this.sm, sp = this.sp, sq = this.sq;
        final long dp = dpFixed, dq = dqFixed;
        long p = p0Fixed + iLo * dp, q = q0Fixed + iLo * dq;
        for (int k = iLo; k <= iHi; k++, p += dp, q += dq) {
            int p0 = (int) (p >> 32), q0 = (int) (q >> 32);
            float fp = fraction(p), fq = fraction(q);
            int i = k * sm + p0 * sp + q0 * sq;
            float w1 = fq * value, w0 = value - w1;
            float w01 = fp * w0, w11 = fp * w1;
            x[i] += w0 - w01;
            x[i + sp] += w01;
            x[i + sq] += w1 - w11;
            x[i + sq + sp] += w11;
        }
        for (int k = Math.max(iHi + 1, iLo); k <= kHi; k++) scatterChecked(x, k, value);
    }

    private float sampleChecked(float[] x, int k) {
        long p = p0Fixed + k * dpFixed, q = q0Fixed + k * dqFixed;
        int p0 = (int) (p >> 32), q0 = (int) (q >> 32); // floor, also below zero
        float fp = fraction(p), fq = fraction(q);
        int base = k * sm;
        float acc = 0f;
        if (q0 >= qlo && q0 < qhi) {
            int r = base + q0 * sq;
            if (p0 >= plo && p0 < phi) acc += (1 - fq) * (1 - fp) * x[r + p0 * sp];
            if (p0 + 1 >= plo && p0 + 1 < phi) acc += (1 - fq) * fp * x[r + (p0 + 1) * sp];
        }
        if (q0 + 1 >= qlo && q0 + 1 < qhi) {
            int r = base + (q0 + 1) * sq;
            if (p0 >= plo && p0 < phi) acc += fq * (1 - fp) * x[r + p0 * sp];
            if (p0 + 1 >= plo && p0 + 1 < phi) acc += fq * fp * x[r + (p0 + 1) * sp];
        }
        return acc;
    }

    /** Same weights, computed with the same float operations as the interior loop of {@link #scatter}. */
    private void scatterChecked(float[] x, int k, float value) {
        long p = p0Fixed + k * dpFixed, q = q0Fixed + k * dqFixed;
        int p0 = (int) (p >> 32), q0 = (int) (q >> 32); // floor, also below zero
        float fp = fraction(p), fq = fraction(q);
        float w1 = fq * value, w0 = value - w1;
        float w01 = fp * w0, w11 = fp * w1;
        int base = k * sm;
        boolean pIn = p0 >= plo && p0 < phi, p1In = p0 + 1 >= plo && p0 + 1 < phi;
        if (q0 >= qlo && q0 < qhi) {
            int r = base + q0 * sq;
            if (pIn) x[r + p0 * sp] += w0 - w01;
            if (p1In) x[r + (p0 + 1) * sp] += w01;
        }
        if (q0 + 1 >= qlo && q0 + 1 < qhi) {
            int r = base + (q0 + 1) * sq;
            if (pIn) x[r + p0 * sp] += w1 - w11;
            if (p1In) x[r + (p0 + 1) * sp] += w11;
        }
    }
}
