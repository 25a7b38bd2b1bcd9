package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OptimiserTest {
    @Test
    void adamFollowsKingmaAndBa() {
        Adam adam = new Adam(0.9, 0.99, 1e-8, new int[] {2});
        float[][] p = {{1f, -2f}};
        // Step 1: m = 0.1 g, v = 0.01 g², bias-corrected m̂ = g, v̂ = g², so θ moves by lr·sign(g) (up to ε).
        adam.update(p, new float[][] {{0.5f, -4f}}, 0.1);
        assertArrayEquals(new float[] {0.9f, -1.9f}, p[0], 1e-6f);
        // Step 2 by hand: g = (1, 0).
        adam.update(p, new float[][] {{1f, 0f}}, 0.1);
        double m0 = 0.9 * 0.05 + 0.1 * 1, v0 = 0.99 * 0.0025 + 0.01 * 1;
        double m1 = 0.9 * -0.4, v1 = 0.99 * 0.16;
        double c1 = 1 - 0.81, c2 = 1 - 0.9801;
        assertEquals(0.9 - 0.1 * (m0 / c1) / (Math.sqrt(v0 / c2) + 1e-8), p[0][0], 1e-6);
        assertEquals(-1.9 - 0.1 * (m1 / c1) / (Math.sqrt(v1 / c2) + 1e-8), p[0][1], 1e-6);
        assertEquals(2, adam.step());
    }

    @Test
    void adamStateRestoresExactly() {
        Adam a = new Adam(0.9, 0.99, 1e-8, new int[] {3}), b = new Adam(0.9, 0.99, 1e-8, new int[] {3});
        float[][] pa = {{1, 2, 3}}, g = {{0.3f, -0.1f, 2f}};
        a.update(pa, g, 0.01);
        b.restore(new Adam.State(a.state().step(), new float[][] {a.state().m()[0].clone()}, new float[][] {a.state().v()[0].clone()}));
        float[][] pb = {pa[0].clone()};
        a.update(pa, g, 0.01);
        b.update(pb, g, 0.01);
        assertArrayEquals(pa[0], pb[0]);
        assertThrows(IllegalArgumentException.class, () -> b.restore(new Adam.State(1, new float[][] {{1}}, new float[][] {{1}})));
    }

    @Test
    void cosineScheduleDecaysFromInitialToMinimum() {
        CosineSchedule s = new CosineSchedule(1e-3, 1e-5, 100);
        assertEquals(1e-3, s.at(0), 1e-15);
        assertEquals(0.5 * (1e-3 + 1e-5), s.at(50), 1e-15);
        assertEquals(1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * 0.99)), s.at(99), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1e-3, 2e-3, 10));
    }

    @Test
    void warmUpRampsLinearlyIntoTheCosine() {
        CosineSchedule plain = new CosineSchedule(1e-3, 1e-5, 100), warm = new CosineSchedule(1e-3, 1e-5, 100, 10);
        assertEquals(plain.at(0) / 10, warm.at(0), 1e-18);
        assertEquals(plain.at(4) * 5 / 10, warm.at(4), 1e-18);
        assertEquals(plain.at(9), warm.at(9), 1e-18);
        for (long s = 10; s < 100; s++) assertEquals(plain.at(s), warm.at(s), 0);
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1e-3, 0, 10, -1));
    }

    @Test
    void clippingScalesAllGradientsByTheGlobalNorm() {
        float[][] g = {{3f}, {0f, 4f}};
        assertEquals(5.0, GradientClipping.clip(g, 1.0), 1e-12);
        assertArrayEquals(new float[] {0.6f}, g[0], 1e-7f);
        assertArrayEquals(new float[] {0f, 0.8f}, g[1], 1e-7f);
        float[][] small = {{0.3f}};
        GradientClipping.clip(small, 1.0);
        assertArrayEquals(new float[] {0.3f}, small[0]);
        assertThrows(IllegalStateException.class, () -> GradientClipping.clip(new float[][] {{Float.NaN}}, 1.0));
    }
}
