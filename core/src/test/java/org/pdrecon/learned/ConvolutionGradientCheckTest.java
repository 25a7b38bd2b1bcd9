package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * libtorch's convolution against a plain-Java reference, on whatever CPU runs the suite, for the channel
 * counts the networks use. On a CPU where oneDNN's backward is broken (docs/autodiff.md) this is the test
 * that fails unless {@link TorchRuntime} has switched oneDNN off.
 */
class ConvolutionGradientCheckTest {
    @Test
    void libtorchConvolutionGradientsMatchTheReferenceOnThisCpu() {
        TorchRuntime.configure();
        assertFalse(TorchRuntime.oneDnnEnabled(), "oneDNN must be off once the runtime is configured");
        List<ConvolutionGradientCheck.Result> failed = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int dims : new int[] {2, 3}) {
                for (var r : ConvolutionGradientCheck.run(manager, dims, new int[] {5, 8, 16, 32}, new int[] {1, 2, 4}, 3, 11)) {
                    if (!r.passed()) failed.add(r);
                }
            }
        }
        assertTrue(failed.isEmpty(), "convolution gradients disagree with the Java reference: " + failed);
    }

    @Test
    void theStartUpCheckPasses() {
        TorchRuntime.configure();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertDoesNotThrow(() -> ConvolutionGradientCheck.requireCorrect(manager));
        }
    }

    /** The reference's gradients are those of its own forward pass: central differences in double precision. */
    @Test
    void referenceGradientsMatchFiniteDifferences() {
        for (int kd : new int[] {1, 3}) {
            int n = 2, c = 3, d = kd == 1 ? 1 : 4, hw = 5;
            SplittableRandom r = new SplittableRandom(kd);
            float[] x = random(r, n * c * d * hw * hw), w = random(r, c * c * kd * 9), b = random(r, c), g = random(r, x.length);
            double[][] ref = ConvolutionGradientCheck.Reference.of(n, c, d, hw, kd, x, w, b, g);
            for (int probe = 0; probe < 12; probe++) {
                int i = r.nextInt(x.length), k = r.nextInt(w.length), o = r.nextInt(c);
                assertEquals(ref[1][i], difference(x, i, () -> loss(n, c, d, hw, kd, x, w, b, g)), 2e-3, "dx[" + i + "]");
                assertEquals(ref[2][k], difference(w, k, () -> loss(n, c, d, hw, kd, x, w, b, g)), 2e-3, "dw[" + k + "]");
                assertEquals(ref[3][o], difference(b, o, () -> loss(n, c, d, hw, kd, x, w, b, g)), 2e-3, "db[" + o + "]");
            }
        }
    }

    /** A check that cannot see a fault is no check: NaN, a wrong entry, and round-off are told apart. */
    @Test
    void comparisonFlagsNonFiniteAndWrongEntriesButNotRoundOff() {
        double[][] ref = {{1, -2, 4}, {0.5, 0.25}, {3}, {-1}};
        float[][] exact = {{1, -2, 4}, {0.5f, 0.25f}, {3}, {-1}};
        var ok = ConvolutionGradientCheck.compare(exact, ref);
        assertFalse(ok.nonFinite() || ok.wrong(), ok.toString());

        float[][] roundOff = {{1, -2, 4 + 1e-6f}, {0.5f, 0.25f}, {3}, {-1}};
        assertFalse(ConvolutionGradientCheck.compare(roundOff, ref).wrong());

        float[][] nan = {{1, -2, 4}, {Float.NaN, 0.25f}, {3}, {-1}};
        var n = ConvolutionGradientCheck.compare(nan, ref);
        assertTrue(n.nonFinite());
        assertTrue(n.first().startsWith("input gradient[0] = NaN"), n.first());

        float[][] wrong = {{1, -2, 4}, {0.5f, 0.25f + 1e-3f}, {3}, {-1}}; // 2e-3 of the tensor's scale
        var w = ConvolutionGradientCheck.compare(wrong, ref);
        assertTrue(w.wrong() && !w.nonFinite());
        assertTrue(w.first().startsWith("input gradient[1]"), w.first());
    }

    private static double loss(int n, int c, int d, int hw, int kd, float[] x, float[] w, float[] b, float[] g) {
        double[] out = ConvolutionGradientCheck.Reference.of(n, c, d, hw, kd, x, w, b, g)[0];
        double s = 0;
        for (int i = 0; i < out.length; i++) s += out[i] * g[i];
        return s;
    }

    private static double difference(float[] a, int i, java.util.function.DoubleSupplier f) {
        float keep = a[i], h = 1e-2f;
        a[i] = keep + h;
        double plus = f.getAsDouble();
        a[i] = keep - h;
        double minus = f.getAsDouble();
        a[i] = keep;
        return (plus - minus) / (2.0 * h);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }
}
