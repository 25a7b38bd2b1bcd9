package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.OrderedSubsets;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.NDArrayConeBeamProjector;
import org.pdrecon.operators.NDArrayOperator;

/** Ordered view subsets ({@code model.subsets}) in the plain learned primal-dual network. */
class ViewSubsetsTest {
    private static final double NORM = 7.5;
    /** 3D: a 6³ volume, 8 views of a 7 × 9 detector. */
    private static final ConeBeamGeometry G = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(6, 1.0)).setSodMm(30).setSddMm(50)
            .setDetector(7, 9, 1.6, 1.6).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(8, 5, 360)).build();
    private static final Shape XS = new Shape(1, 1, 6, 6, 6), YS = new Shape(1, 1, 8, 7, 9);

    @Test
    void subsetsAreTheOrderedInterleavedViewsAndTheirData() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViewSubsets parts = ViewSubsets.split(G, 4, NDArrayConeBeamProjector::new);
            assertEquals(4, parts.count());
            NDArray y = m.randomNormal(YS);
            float[] all = y.toFloatArray();
            int plane = 7 * 9;
            for (int s = 0; s < 4; s++) {
                int[] views = parts.views(s);
                assertArrayEquals(OrderedSubsets.of(8, 4).get(s), views);
                assertArrayEquals(new int[] {8 / 4, 7, 9}, parts.part(s).rangeShape());
                float[] got = parts.data(y, s).toFloatArray();
                for (int i = 0; i < views.length; i++) {
                    for (int p = 0; p < plane; p++) assertEquals(all[views[i] * plane + p], got[i * plane + p], 0f);
                }
            }
            // The whole operator still is the scan's A.
            assertArrayEquals(new int[] {8, 7, 9}, parts.rangeShape());
        }
    }

    @Test
    void oneSubsetIsThePlainNetworkBitForBit() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDual lpd = model(m, new LearnedPrimalDualConfig(3, 2, 2, 2, 3, 3, 2));
            NDArray y = m.randomNormal(YS), x0 = m.randomNormal(XS);
            ParameterStore ps = new ParameterStore(m, false);
            float[] plain = lpd.reconstruct(ps, new NDArrayConeBeamProjector(G), NORM, y, x0).toFloatArray();
            float[] split = lpd.reconstruct(ps, ViewSubsets.split(G, 1, NDArrayConeBeamProjector::new), NORM, y, x0).toFloatArray();
            assertArrayEquals(plain, split, 0f);
        }
    }

    @Test
    void threeSubsetsFollowTheOrderedSubsetRecipe() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            // 4 iterations over 3 subsets: the first subset is visited twice, with its dual memory kept.
            LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(3, 4, 2, 2, 3, 3, 2, LearnedPrimalDualConfig.DEFAULT_VALUE_SCALE, 3);
            LearnedPrimalDual lpd = model(m, cfg);
            NDArray y = m.randomNormal(YS), x0 = m.randomNormal(XS);
            ParameterStore ps = new ParameterStore(m, false);
            ViewSubsets parts = ViewSubsets.split(G, 3, NDArrayConeBeamProjector::new);
            float[] net = lpd.reconstruct(ps, parts, NORM, y, x0).toFloatArray();
            float[] recipe = recipe(lpd, cfg, ps, y, x0).toFloatArray();
            assertArrayEquals(recipe, net, 1e-5f);
            IllegalArgumentException unsplit = assertThrows(IllegalArgumentException.class,
                    () -> lpd.reconstruct(ps, new NDArrayConeBeamProjector(G), NORM, y, x0));
            assertTrue(unsplit.getMessage().contains("split by views"), unsplit.getMessage());
        }
    }

    @Test
    void impossibleSplitsAreRefused() {
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class, () -> ViewSubsets.split(G, 9, NDArrayConeBeamProjector::new));
        assertTrue(many.getMessage().contains("the scan has 8"), many.getMessage());
        ViewSubsets two = ViewSubsets.split(G, 2, NDArrayConeBeamProjector::new);
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> ViewSubsets.require(two, 4));
        assertTrue(mismatch.getMessage().contains("4 view subsets"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UNetPostProcessing(
                new LearnedPrimalDualConfig(3, 2, 2, 2, 3, 3, 2, LearnedPrimalDualConfig.DEFAULT_VALUE_SCALE, 2)));
    }

    /**
     * The ordered-subset scheme written out: subset views taken from G directly, A_s·√K/‖A‖, data
     * y_s·s·√K/‖A‖, one dual memory per subset, iteration k on subset k mod K.
     */
    private static NDArray recipe(LearnedPrimalDual lpd, LearnedPrimalDualConfig cfg, ParameterStore ps, NDArray y, NDArray x0) {
        int k = cfg.subsets();
        double c = Math.sqrt(k) / NORM, s = cfg.valueScale();
        NDArray f = x0.mul(s).repeat(1, cfg.primalChannels());
        NDArray[] g = new NDArray[k], h = new NDArray[k];
        NDArrayOperator[] a = new NDArrayOperator[k];
        for (int p = 0; p < k; p++) {
            int[] views = OrderedSubsets.of(G.views(), k).get(p);
            a[p] = new NDArrayConeBeamProjector(G.subset(views));
            NDList picked = new NDList();
            for (int v : views) picked.add(y.get(":, :, " + v + ":" + (v + 1)));
            g[p] = NDArrays.concat(picked, 2).mul(s * c);
            h[p] = g[p].zerosLike().repeat(1, cfg.dualChannels());
        }
        for (int it = 0; it < cfg.iterations(); it++) {
            int p = it % k;
            NDArray af1 = a[p].apply(f.get(":, 1:2")).mul(c);
            h[p] = h[p].add(lpd.dualUpdate(it).forward(ps, new NDList(NDArrays.concat(new NDList(h[p], af1, g[p]), 1)), false).head());
            NDArray ath0 = a[p].adjoint().apply(h[p].get(":, 0:1")).mul(c);
            f = f.add(lpd.primalUpdate(it).forward(ps, new NDList(NDArrays.concat(new NDList(f, ath0), 1)), false).head());
        }
        return f.get(":, 0:1").div(s);
    }

    private static LearnedPrimalDual model(NDManager m, LearnedPrimalDualConfig cfg) {
        LearnedPrimalDual lpd = new LearnedPrimalDual(cfg);
        lpd.setInitializer(new NormalInitializer(0.2f), Parameter.Type.WEIGHT);
        lpd.setInitializer(new NormalInitializer(0.05f), Parameter.Type.BIAS);
        lpd.initialize(m, DataType.FLOAT32, XS, YS);
        return lpd;
    }
}
