package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.operators.tape.SegmentTape;

/** The U-Net post-processing baseline: identity when untrained, gradients against finite differences, size checks, save → load. */
class UNetPostProcessingTest {
    /** 2D, 3 levels (8 → 4 → 2), 2 base filters, kernel 3, 2 convolutions per level. */
    private static final LearnedPrimalDualConfig CFG = new LearnedPrimalDualConfig(2, 3, 2, 1, 2, 3, 2);
    private static final Shape X0 = new Shape(2, 1, 8, 8);

    private static UNetPostProcessing randomNetwork(NDManager m, LearnedPrimalDualConfig cfg, DataType type, Shape x0) {
        Engine.getInstance().setRandomSeed(17);
        UNetPostProcessing net = new UNetPostProcessing(cfg);
        net.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT); // the output layer too, so every path carries gradient
        net.setInitializer(new NormalInitializer(0.1f), Parameter.Type.BIAS);
        net.initialize(m, type, x0);
        return net;
    }

    @Test
    void theUntrainedNetworkReturnsItsInputExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            UNetPostProcessing net = new UNetPostProcessing(new LearnedPrimalDualConfig(3, 2, 2, 1, 3, 3, 2));
            Shape xs = new Shape(1, 1, 4, 6, 8);
            net.initialize(m, DataType.FLOAT32, xs);
            NDArray x0 = m.randomNormal(xs).mul(m.create(0.02f));
            NDArray out = net.reconstruct(new ParameterStore(m, false), null, 1, null, x0);
            assertEquals(xs, out.getShape());
            assertArrayEquals(x0.toFloatArray(), out.toFloatArray(), "zero-initialised output layer: x0 + 0");
        }
    }

    @Test
    void gradientThroughTheTapeMatchesFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNetPostProcessing net = randomNetwork(m, CFG, DataType.FLOAT64, X0);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x0 = m.randomNormal(X0, DataType.FLOAT64).mul(m.create(0.02)), target = m.randomNormal(X0, DataType.FLOAT64).mul(m.create(0.02));
            List<Parameter> params = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) params.add(p.getValue());
            List<double[]> grad = new ArrayList<>();
            double lossValue;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector(); SegmentTape tape = new SegmentTape(SegmentTape.Mode.RECOMPUTE)) {
                SegmentTape.zeroGradients(net);
                NDArray loss = net.trainingLoss(tape, ps, null, 1, null, x0,
                        out -> tape.segment(new NDList(out, target), in -> new NDList(in.get(0).sub(in.get(1)).square().mean())).head());
                lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
                for (Parameter p : params) grad.add(p.getArray().getGradient().toDoubleArray());
            }
            assertEquals(loss(net, ps, x0, target), lossValue, 1e-15, "the tape's loss is the plain forward's");
            Random rnd = new Random(3);
            List<double[]> d = new ArrayList<>();
            double analytic = 0;
            for (double[] g : grad) {
                double[] di = new double[g.length];
                for (int j = 0; j < di.length; j++) {
                    di[j] = rnd.nextGaussian();
                    analytic += di[j] * g[j];
                }
                d.add(di);
            }
            assertTrue(Math.abs(analytic) > 1e-4, "gradient too small to test: " + analytic);
            double eps = 1e-6;
            ParameterShift.shift(params, d, eps);
            double plus = loss(net, ps, x0, target);
            ParameterShift.shift(params, d, -2 * eps);
            double minus = loss(net, ps, x0, target);
            ParameterShift.shift(params, d, eps);
            assertEquals((plus - minus) / (2 * eps), analytic, 1e-6 * Math.abs(analytic), "directional derivative");
            // every block's parameters receive gradient: the deepest level and the output layer included
            List<String> names = net.getParameters().keys();
            for (String[] parts : List.of(new String[] {"down_2", "conv_1", "weight"}, new String[] {"up_0", "conv_2", "weight"},
                    new String[] {"out", "weight"})) {
                int index = -1;
                for (int i = 0; i < names.size() && index < 0; i++) {
                    final String n = names.get(i);
                    if (java.util.Arrays.stream(parts).allMatch(n::contains) && (parts[0].equals("out") ? !n.contains("down") && !n.contains("up") : true)) index = i;
                }
                String name = String.join("·", parts);
                assertTrue(index >= 0, name + " not among " + names);
                double[] g = grad.get(index);
                double norm = 0;
                for (double v : g) norm += v * v;
                assertTrue(norm > 0, name + " has no gradient (names: " + names + ")");
            }
        }
    }

    private static double loss(UNetPostProcessing net, ParameterStore ps, NDArray x0, NDArray target) {
        NDArray out = net.reconstruct(ps, null, 1, null, x0);
        return out.sub(target).square().mean().getDouble();
    }

    @Test
    void sizesThatDoNotHalveEvenlyAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNetPostProcessing net = new UNetPostProcessing(CFG);
            var e = assertThrows(IllegalArgumentException.class, () -> net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 6)));
            assertTrue(e.getMessage().contains("divisible by 4"), e.getMessage());
        }
    }

    @Test
    void savedAndLoadedModelReproducesItsOutputBitExactly(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            UNetPostProcessing net = randomNetwork(m, CFG, DataType.FLOAT32, X0);
            NDArray x0 = m.randomNormal(X0).mul(m.create(0.02f));
            float[] before = net.reconstruct(new ParameterStore(m, false), null, 1, null, x0).toFloatArray();
            ModelFiles.save(dir, net, null);
            PrimalDualNetwork loaded = ModelFiles.loadNetwork(dir, m);
            assertEquals(UNetPostProcessing.ARCHITECTURE, loaded.architecture());
            assertArrayEquals(before, loaded.reconstruct(new ParameterStore(m, false), null, 1, null, x0).toFloatArray());
        }
    }
}
