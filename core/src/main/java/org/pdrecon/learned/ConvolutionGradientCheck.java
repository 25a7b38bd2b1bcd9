package org.pdrecon.learned;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Checks libtorch's convolution on this CPU, in the process that is about to train: a 3×3(×3), padding-1
 * convolution with {@code c → c} channels on a random batch, its output and its input, weight and bias
 * gradients, each compared with a plain-Java reference computed in double precision.
 *
 * <p>The reference is independent of libtorch, so the check cannot be fooled by a second libtorch path
 * that is wrong in the same way. Before each backward pass the check fills and frees a large block of
 * native memory with NaN, so a kernel that reads memory it never wrote (the oneDNN fault described in
 * {@link TorchRuntime}) meets NaN rather than a lucky zero.
 *
 * <p>An entry is wrong when {@code |torch − reference| > 1e-4·max|reference| + 1e-6}, or non-finite.
 * Float32 round-off on these sizes stays below 1e-6 relative (measured in docs/autodiff.md).
 */
public final class ConvolutionGradientCheck {
    static final double RELATIVE_TOLERANCE = 1e-4, ABSOLUTE_TOLERANCE = 1e-6;
    private static final int POISON_FLOATS = 1 << 22; // 16 MiB

    /** One configuration: {@code dims}-D convolution, {@code channels → channels}, batch {@code batch}. */
    public record Case(int dims, int channels, int batch) {
        @Override
        public String toString() {
            return dims + "D conv " + channels + "→" + channels + " ch, batch " + batch;
        }
    }

    /**
     * The outcome of {@code trials} random trials of one case.
     *
     * @param nonFinite trials whose libtorch result held a NaN or ±Inf
     * @param wrong trials with a finite entry off by more than the tolerance
     * @param worstError the largest finite error relative to the tensor's largest reference entry
     * @param firstFailure what failed first, e.g. "input gradient: NaN", or null
     */
    public record Result(Case check, int trials, int nonFinite, int wrong, double worstError, String firstFailure) {
        public boolean passed() {
            return nonFinite == 0 && wrong == 0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d/%d trials with NaN/Inf, %d/%d wrong, worst relative error %.2e%s", check, nonFinite,
                    trials, wrong, trials, worstError, firstFailure == null ? "" : " (first: " + firstFailure + ")");
        }
    }

    private ConvolutionGradientCheck() {}

    /** Every combination of the given channel counts and batch sizes, {@code trials} each. */
    public static List<Result> run(NDManager manager, int dims, int[] channels, int[] batches, int trials, long seed) {
        List<Result> results = new ArrayList<>();
        for (int c : channels) {
            for (int b : batches) results.add(run(manager, new Case(dims, c, b), trials, seed + 1000L * c + b));
        }
        return results;
    }

    /**
     * The cheap version {@code train} runs at start-up: 2D and 3D, the channel counts the networks use, batch
     * 1 and 2, two trials each (a few hundred milliseconds).
     *
     * @throws IllegalStateException naming the first failing case, if any
     */
    public static void requireCorrect(NDManager manager) {
        for (int dims : new int[] {2, 3}) {
            for (Result r : run(manager, dims, new int[] {5, 8, 32}, new int[] {1, 2}, 2, 20261204L)) {
                if (!r.passed()) {
                    throw new IllegalStateException("libtorch's convolution gradients are wrong on this CPU (" + r
                            + "; oneDNN " + (TorchRuntime.oneDnnEnabled() ? "on" : "off") + "): refusing to train. See docs/autodiff.md.");
                }
            }
        }
    }

    /** {@code trials} random trials of one case. */
    public static Result run(NDManager manager, Case check, int trials, long seed) {
        int spatial = check.dims() == 2 ? 16 : 8;
        int depth = check.dims() == 2 ? 1 : spatial, kd = check.dims() == 2 ? 1 : 3;
        int c = check.channels(), n = check.batch();
        SplittableRandom random = new SplittableRandom(seed);
        int nonFinite = 0, wrong = 0;
        double worst = 0;
        String first = null;
        for (int t = 0; t < trials; t++) {
            float[] x = gaussian(random, n * c * depth * spatial * spatial, 1);
            float[] w = gaussian(random, c * c * kd * 9, 1 / Math.sqrt(c * kd * 9.0));
            float[] bias = gaussian(random, c, 0.1);
            float[] g = gaussian(random, x.length, 1);
            float[][] torch = torch(manager, check.dims(), n, c, depth, spatial, x, w, bias, g);
            double[][] ref = Reference.of(n, c, depth, spatial, kd, x, w, bias, g);
            Comparison trial = compare(torch, ref);
            if (first == null) first = trial.first();
            worst = Math.max(worst, trial.worstError());
            if (trial.nonFinite()) nonFinite++;
            if (trial.wrong()) wrong++;
        }
        return new Result(check, trials, nonFinite, wrong, worst, first);
    }

    /** What one trial found; {@code first} describes the first bad entry, or is null. */
    record Comparison(boolean nonFinite, boolean wrong, double worstError, String first) {}

    /** Compares libtorch's {@code {out, dx, dw, db}} with the reference's, entry by entry. */
    static Comparison compare(float[][] torch, double[][] ref) {
        String[] names = {"output", "input gradient", "weight gradient", "bias gradient"};
        boolean nan = false, bad = false;
        double worst = 0;
        String first = null;
        for (int k = 0; k < names.length; k++) {
            double scale = 0;
            for (double v : ref[k]) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < ref[k].length; i++) {
                float v = torch[k][i];
                if (!Float.isFinite(v)) {
                    nan = true;
                    if (first == null) first = names[k] + "[" + i + "] = " + v;
                    continue;
                }
                double err = Math.abs(v - ref[k][i]);
                worst = Math.max(worst, err / Math.max(scale, 1e-30));
                if (err > RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE) {
                    bad = true;
                    if (first == null) first = String.format(Locale.ROOT, "%s[%d] = %.6g, reference %.6g", names[k], i, v, ref[k][i]);
                }
            }
        }
        return new Comparison(nan, bad, worst, first);
    }

    /** libtorch's output and gradients {@code ∂⟨out, g⟩/∂(x, w, b)}. */
    private static float[][] torch(NDManager manager, int dims, int n, int c, int depth, int hw, float[] x, float[] w, float[] b, float[] g) {
        try (NDScope scope = new NDScope()) {
            Shape xs = dims == 2 ? new Shape(n, c, hw, hw) : new Shape(n, c, depth, hw, hw);
            Shape ws = dims == 2 ? new Shape(c, c, 3, 3) : new Shape(c, c, 3, 3, 3);
            NDArray xa = manager.create(x, xs), wa = manager.create(w, ws), ba = manager.create(b, new Shape(c)), ga = manager.create(g, xs);
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            ba.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = dims == 2 ? Conv2d.conv2d(xa, wa, ba, new Shape(1, 1), new Shape(1, 1)).head()
                        : Conv3d.conv3d(xa, wa, ba, new Shape(1, 1, 1), new Shape(1, 1, 1)).head();
                NDArray loss = out.mul(ga).sum();
                poisonFreedMemory(manager);
                gc.backward(loss);
                return new float[][] {out.toFloatArray(), xa.getGradient().toFloatArray(), wa.getGradient().toFloatArray(),
                        ba.getGradient().toFloatArray()};
            }
        }
    }

    /** Leaves freed native memory full of NaN, so uninitialised reads show. */
    private static void poisonFreedMemory(NDManager manager) {
        try (NDArray poison = manager.full(new Shape(POISON_FLOATS), Float.NaN)) {
            poison.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).close();
        }
    }

    private static float[] gaussian(SplittableRandom r, int n, double sd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            // Box–Muller: SplittableRandom has no nextGaussian on Java 17
            double u = 1 - r.nextDouble(), v = r.nextDouble();
            a[i] = (float) (sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return a;
    }

    /** Direct convolution and its gradients in double precision; 2D is the case depth = 1, kd = 1. */
    static final class Reference {
        private Reference() {}

        /** {@code {out, dx, dw, db}} for input (n, c, d, hw, hw), weights (c, c, kd, 3, 3), padding 1 (0 in depth if kd = 1). */
        static double[][] of(int n, int c, int d, int hw, int kd, float[] x, float[] w, float[] b, float[] g) {
            int pd = kd / 2, vox = d * hw * hw, kvol = kd * 9;
            double[] out = new double[x.length], dx = new double[x.length], dw = new double[w.length], db = new double[c];
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < c; o++) {
                    int ob = (s * c + o) * vox;
                    for (int z = 0; z < d; z++) {
                        for (int y = 0; y < hw; y++) {
                            for (int xx = 0; xx < hw; xx++) {
                                int p = ob + (z * hw + y) * hw + xx;
                                double acc = b[o], gp = g[p];
                                db[o] += gp;
                                for (int i = 0; i < c; i++) {
                                    int ib = (s * c + i) * vox, wb = (o * c + i) * kvol;
                                    for (int a = 0; a < kd; a++) {
                                        int zz = z + a - pd;
                                        if (zz < 0 || zz >= d) continue;
                                        for (int e = 0; e < 3; e++) {
                                            int yy = y + e - 1;
                                            if (yy < 0 || yy >= hw) continue;
                                            for (int f = 0; f < 3; f++) {
                                                int xq = xx + f - 1;
                                                if (xq < 0 || xq >= hw) continue;
                                                int q = ib + (zz * hw + yy) * hw + xq, k = wb + (a * 3 + e) * 3 + f;
                                                acc += (double) w[k] * x[q];
                                                dx[q] += w[k] * gp;
                                                dw[k] += gp * x[q];
                                            }
                                        }
                                    }
                                }
                                out[p] = acc;
                            }
                        }
                    }
                }
            }
            return new double[][] {out, dx, dw, db};
        }
    }
}
