package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.NDArrayConeBeamProjector;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

/**
 * The tape's gradient of a whole 2-iteration network, through the projector cuts, against central
 * finite differences in float64: the directional derivative along a random direction in parameter
 * space, and single parameter entries of the first and the last update.
 */
class LearnedPrimalDualGradientTest {
    private static final LearnedPrimalDualConfig CFG = new LearnedPrimalDualConfig(2, 2, 3, 2, 4, 3, 3);

    @Test
    void gradientThroughTheConeBeamProjectorMatchesFiniteDifferences() {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(6, 1.0)).setSodMm(25).setSddMm(40)
                .setDetector(1, 9, 1.4, 1.4).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(4, 10, 360)).build();
        check(CFG, m -> new NDArrayConeBeamProjector(g), new Shape(1, 1, 6, 6), new Shape(1, 1, 4, 9));
    }

    @Test
    void gradientWithOrderedViewSubsetsMatchesFiniteDifferences() {
        // 6 views in 3 subsets {0, 3}, {1, 4}, {2, 5}; 3 iterations visit each once (with their own dual memories).
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(6, 1.0)).setSodMm(25).setSddMm(40)
                .setDetector(1, 9, 1.4, 1.4).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(6, 10, 360)).build();
        LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(2, 3, 3, 2, 4, 3, 3, LearnedPrimalDualConfig.DEFAULT_VALUE_SCALE, 3);
        check(cfg, m -> ViewSubsets.split(g, 3, NDArrayConeBeamProjector::new), new Shape(1, 1, 6, 6), new Shape(1, 1, 6, 9));
    }

    @Test
    void gradientThroughADenseOperatorMatchesFiniteDifferences() {
        check(CFG, m -> new DenseMatrixOperator(m, new int[] {1, 5, 4}, new int[] {3, 1, 6}, 3, DataType.FLOAT64),
                new Shape(2, 1, 5, 4), new Shape(2, 1, 3, 6));
    }

    private interface OperatorFactory { NDArrayOperator make(NDManager m); }

    private static void check(LearnedPrimalDualConfig cfg, OperatorFactory factory, Shape xShape, Shape yShape) {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDual lpd = new LearnedPrimalDual(cfg);
            lpd.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
            lpd.setInitializer(new NormalInitializer(0.1f), Parameter.Type.BIAS);
            lpd.initialize(m, DataType.FLOAT64, xShape, yShape);
            NDArrayOperator op = factory.make(m);
            NDArray y = m.randomNormal(yShape, DataType.FLOAT64), x0 = m.randomNormal(xShape, DataType.FLOAT64);
            NDArray target = m.randomNormal(xShape, DataType.FLOAT64);
            ParameterStore ps = new ParameterStore(m, false);

            List<double[]> store = gradients(lpd, ps, op, y, x0, target, SegmentTape.Mode.STORE);
            List<double[]> recompute = gradients(lpd, ps, op, y, x0, target, SegmentTape.Mode.RECOMPUTE);
            for (int i = 0; i < store.size(); i++) assertArrayEquals(store.get(i), recompute.get(i), 1e-12);

            // Directional derivative along a random direction d: ⟨∇L, d⟩ vs (L(θ+εd) − L(θ−εd)) / 2ε.
            List<Parameter> params = parameters(lpd);
            java.util.Random rnd = new java.util.Random(5);
            List<double[]> d = new ArrayList<>();
            double analytic = 0;
            for (int i = 0; i < params.size(); i++) {
                double[] di = new double[store.get(i).length];
                for (int j = 0; j < di.length; j++) {
                    di[j] = rnd.nextGaussian();
                    analytic += di[j] * store.get(i)[j];
                }
                d.add(di);
            }
            double eps = 1e-5;
            ParameterShift.shift(params, d, eps);
            double plus = loss(lpd, ps, op, y, x0, target);
            ParameterShift.shift(params, d, -2 * eps);
            double minus = loss(lpd, ps, op, y, x0, target);
            ParameterShift.shift(params, d, eps);
            double numeric = (plus - minus) / (2 * eps);
            assertTrue(Math.abs(analytic) > 1e-3, "gradient too small to test: " + analytic);
            assertEquals(numeric, analytic, 1e-6 * Math.abs(analytic), "directional derivative");

            // Single entries: the first layer of the first dual update, the last layer of the last primal update.
            for (String name : new String[] {"01dual_0_01conv_1_weight", "04primal_1_05conv_3_bias", "02primal_0_02prelu_1_alpha"}) {
                int pi = lpd.getParameters().keys().indexOf(name);
                assertTrue(pi >= 0, "no parameter " + name + " in " + lpd.getParameters().keys());
                double[] e = new double[store.get(pi).length];
                e[1 % e.length] = 1;
                List<double[]> unit = new ArrayList<>();
                for (int i = 0; i < params.size(); i++) unit.add(i == pi ? e : new double[store.get(i).length]);
                ParameterShift.shift(params, unit, eps);
                double p1 = loss(lpd, ps, op, y, x0, target);
                ParameterShift.shift(params, unit, -2 * eps);
                double m1 = loss(lpd, ps, op, y, x0, target);
                ParameterShift.shift(params, unit, eps);
                double fd = (p1 - m1) / (2 * eps), ad = store.get(pi)[1 % e.length];
                assertEquals(fd, ad, 1e-6 * Math.max(1e-3, Math.abs(ad)), name);
            }
        }
    }

    private static List<Parameter> parameters(LearnedPrimalDual lpd) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : lpd.getParameters()) out.add(p.getValue());
        return out;
    }

    private static List<double[]> gradients(LearnedPrimalDual lpd, ParameterStore ps, NDArrayOperator op, NDArray y, NDArray x0,
                                            NDArray target, SegmentTape.Mode mode) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector(); SegmentTape tape = new SegmentTape(mode)) {
            SegmentTape.zeroGradients(lpd);
            NDArray out = lpd.reconstruct(tape, ps, op, LearnedPrimalDualTest.NORM, y, x0, true);
            NDArray loss = tape.segment(new NDList(out, target), in -> new NDList(in.get(0).sub(in.get(1)).square().mean())).head();
            tape.backward(loss);
            List<double[]> g = new ArrayList<>();
            for (Parameter p : parameters(lpd)) g.add(p.getArray().getGradient().toDoubleArray());
            return g;
        }
    }

    private static double loss(LearnedPrimalDual lpd, ParameterStore ps, NDArrayOperator op, NDArray y, NDArray x0, NDArray target) {
        try (NDArray out = lpd.reconstruct(ps, op, LearnedPrimalDualTest.NORM, y, x0); NDArray l = out.sub(target).square().mean()) {
            return l.getDouble();
        }
    }

}
