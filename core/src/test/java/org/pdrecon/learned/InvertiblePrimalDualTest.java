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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.operators.NDArrayConeBeamProjector;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

/**
 * The invertible (additive-coupling) primal-dual network: exact inverses, the memory-lean backward sweep
 * against central finite differences in float64 through a whole 2-iteration network, save → load.
 */
class InvertiblePrimalDualTest {
    private static final double NORM = 1.7;
    /** 2D, 2 iterations, 4 primal and 2 dual channels, 4 filters, kernel 3, conv–PReLU–conv. */
    private static final LearnedPrimalDualConfig CFG = new LearnedPrimalDualConfig(2, 2, 4, 2, 4, 3, 2);
    private static final Shape X0 = new Shape(2, 1, 5, 4), Y = new Shape(2, 1, 3, 6);

    private static NDArrayOperator dense(NDManager m, DataType type) {
        return new DenseMatrixOperator(m, new int[] {1, 5, 4}, new int[] {3, 1, 6}, 3, type);
    }

    private static InvertiblePrimalDual randomNetwork(NDManager m, LearnedPrimalDualConfig cfg, DataType type, Shape x0, Shape y) {
        Engine.getInstance().setRandomSeed(21);
        InvertiblePrimalDual net = new InvertiblePrimalDual(cfg);
        net.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
        net.setInitializer(new NormalInitializer(0.1f), Parameter.Type.BIAS);
        net.initialize(m, type, x0, y);
        return net;
    }

    @Test
    void couplingCellInverseRecoversItsInput() {
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            Engine.getInstance().setRandomSeed(3);
            try (NDManager m = NDManager.newBaseManager()) {
                AdditiveCouplingCell cell = new AdditiveCouplingCell(2, 6, 8, 3, 2);
                cell.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
                cell.setInitializer(new NormalInitializer(0.1f), Parameter.Type.BIAS);
                Shape xs = new Shape(2, 6, 9, 7), as = new Shape(2, 2, 9, 7);
                cell.initialize(m, type, xs, as);
                ParameterStore ps = new ParameterStore(m, false);
                NDArray x = m.randomNormal(xs, type), aux = m.randomNormal(as, type);
                NDArray y = cell.forward(ps, x, aux, false);
                NDArray back = cell.inverse(ps, y, aux);
                double change = maxAbs(y.sub(x)), error = maxAbs(back.sub(x));
                assertTrue(change > 0.5, "the cell must not be the identity for this test, changed by " + change);
                assertTrue(error < (type == DataType.FLOAT32 ? 1e-5 : 1e-13), type + ": inverse(forward(x)) − x = " + error);
            }
        }
    }

    private static double maxAbs(NDArray a) {
        return a.abs().max().toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void wholeNetworkInvertsBackToItsInitialState() {
        try (NDManager m = NDManager.newBaseManager()) {
            InvertiblePrimalDual net = randomNetwork(m, CFG, DataType.FLOAT32, X0, Y);
            NDArray y = m.randomNormal(Y), x0 = m.randomNormal(X0).mul(0.02);
            try (InvertiblePrimalDual.Pass pass = net.forward(new ParameterStore(m, false), dense(m, DataType.FLOAT32), NORM, y, x0, false)) {
                NDList initial = pass.invertAll();
                NDArray f0 = x0.mul(CFG.valueScale()).repeat(1, CFG.primalChannels());
                double change = maxAbs(pass.finalState().get(0).sub(f0));
                assertTrue(change > 0.5, "the network must change its state for this test, changed by " + change);
                assertTrue(maxAbs(initial.get(0).sub(f0)) < 1e-4, "primal state");
                assertTrue(maxAbs(initial.get(1)) < 1e-4, "dual state (starts at zero)");
            }
        }
    }

    @Test
    void threeDimensionalNetworkRunsAndInverts() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape xs = new Shape(1, 1, 2, 3, 3), ys = new Shape(1, 1, 2, 2, 4);
            LearnedPrimalDualConfig cfg3 = new LearnedPrimalDualConfig(3, 2, 2, 2, 3, 3, 2);
            InvertiblePrimalDual net = randomNetwork(m, cfg3, DataType.FLOAT64, xs, ys);
            NDArrayOperator op = new DenseMatrixOperator(m, new int[] {2, 3, 3}, new int[] {2, 2, 4}, 4, DataType.FLOAT64);
            NDArray y = m.randomNormal(ys, DataType.FLOAT64), x0 = m.randomNormal(xs, DataType.FLOAT64).mul(0.02);
            try (InvertiblePrimalDual.Pass pass = net.forward(new ParameterStore(m, false), op, NORM, y, x0, false)) {
                assertEquals(xs, pass.output().getShape());
                NDArray f0 = x0.mul(cfg3.valueScale()).repeat(1, cfg3.primalChannels());
                assertTrue(maxAbs(pass.finalState().get(0).sub(f0)) > 0.1, "the 3D network must change its state for this test");
                NDList initial = pass.invertAll();
                assertTrue(maxAbs(initial.get(0).sub(f0)) < 1e-12, "primal state");
                assertTrue(maxAbs(initial.get(1)) < 1e-12, "dual state");
            }
        }
    }

    @Test
    void viewSubsetsInvertBackToTheInitialStateAndOneSubsetChangesNothing() {
        // 3D, 6 views in 3 subsets, 4 iterations (subset 0 visited twice): inverting every iteration gives back
        // x0 and all three dual memories at zero; one subset through ViewSubsets is the plain network bit for bit.
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(4, 1.0)).setSodMm(25).setSddMm(40)
                .setDetector(5, 6, 1.4, 1.4).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(6, 10, 360)).build();
        Shape xs = new Shape(1, 1, 4, 4, 4), ys = new Shape(1, 1, 6, 5, 6);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(3, 4, 2, 2, 3, 3, 2, LearnedPrimalDualConfig.DEFAULT_VALUE_SCALE, 3);
            InvertiblePrimalDual net = randomNetwork(m, cfg, DataType.FLOAT64, xs, ys);
            NDArray y = m.randomNormal(ys, DataType.FLOAT64), x0 = m.randomNormal(xs, DataType.FLOAT64).mul(0.02);
            // Exact float64 matrices as the subsets' operators (the projectors compute in float32), one per subset.
            int[] seed = {40};
            ViewSubsets parts = ViewSubsets.split(g, 3, sub -> new DenseMatrixOperator(m, new int[] {4, 4, 4},
                    new int[] {sub.views(), 5, 6}, seed[0]++, DataType.FLOAT64));
            try (InvertiblePrimalDual.Pass pass = net.forward(new ParameterStore(m, false), parts, NORM, y, x0, false)) {
                assertEquals(4, pass.finalState().size(), "f and one dual memory per subset");
                NDArray f0 = x0.mul(cfg.valueScale()).repeat(1, cfg.primalChannels());
                assertTrue(maxAbs(pass.finalState().get(0).sub(f0)) > 0.1, "the network must change its state for this test");
                for (int s = 1; s <= 3; s++) {
                    assertEquals(new Shape(1, 2, 2, 5, 6), pass.finalState().get(s).getShape());
                    assertTrue(maxAbs(pass.finalState().get(s)) > 1e-3, "dual memory " + s + " was updated");
                }
                NDList initial = pass.invertAll();
                // Round-off grows through the 4 strongly random cells (8e-10 seen); a wrong subset would be off by O(1).
                assertTrue(maxAbs(initial.get(0).sub(f0)) < 1e-8, "primal state: " + maxAbs(initial.get(0).sub(f0)));
                for (int s = 1; s <= 3; s++) assertTrue(maxAbs(initial.get(s)) < 1e-8, "dual memory " + s + ": " + maxAbs(initial.get(s)));
            }
            InvertiblePrimalDual one = randomNetwork(m, new LearnedPrimalDualConfig(3, 2, 2, 2, 3, 3, 2), DataType.FLOAT32, xs, ys);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y32 = y.toType(DataType.FLOAT32, false), x32 = x0.toType(DataType.FLOAT32, false);
            assertArrayEquals(one.reconstruct(ps, ModelGeometry.cpuOperator(g), NORM, y32, x32).toFloatArray(),
                    one.reconstruct(ps, ViewSubsets.split(g, 1, ModelGeometry::cpuOperator), NORM, y32, x32).toFloatArray(), 0f);
        }
    }

    @Test
    void gradientWithViewSubsetsMatchesFiniteDifferences() {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(6, 1.0)).setSodMm(25).setSddMm(40)
                .setDetector(1, 9, 1.4, 1.4).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(6, 10, 360)).build();
        try (NDManager m = NDManager.newBaseManager()) {
            checkGradient(m, new LearnedPrimalDualConfig(2, 2, 2, 2, 3, 3, 2, LearnedPrimalDualConfig.DEFAULT_VALUE_SCALE, 2),
                    ViewSubsets.split(g, 2, NDArrayConeBeamProjector::new), new Shape(1, 1, 6, 6), new Shape(1, 1, 6, 9));
        }
    }

    @Test
    void gradientThroughADenseOperatorMatchesFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            checkGradient(m, CFG, dense(m, DataType.FLOAT64), X0, Y);
        }
    }

    @Test
    void gradientThroughTheConeBeamProjectorMatchesFiniteDifferences() {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(6, 1.0)).setSodMm(25).setSddMm(40)
                .setDetector(1, 9, 1.4, 1.4).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(4, 10, 360)).build();
        try (NDManager m = NDManager.newBaseManager()) {
            checkGradient(m, new LearnedPrimalDualConfig(2, 2, 2, 2, 3, 3, 2), new NDArrayConeBeamProjector(g),
                    new Shape(1, 1, 6, 6), new Shape(1, 1, 4, 9));
        }
    }

    /** Loss = mean((out − target)²); the pass's gradient against central differences, float64. */
    private static void checkGradient(NDManager m, LearnedPrimalDualConfig cfg, NDArrayOperator op, Shape xs, Shape ys) {
        InvertiblePrimalDual net = randomNetwork(m, cfg, DataType.FLOAT64, xs, ys);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray y = m.randomNormal(ys, DataType.FLOAT64), x0 = m.randomNormal(xs, DataType.FLOAT64).mul(0.02);
        NDArray target = m.randomNormal(xs, DataType.FLOAT64).mul(0.02);
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) params.add(p.getValue());

        List<double[]> grad = new ArrayList<>();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            SegmentTape.zeroGradients(net);
            try (InvertiblePrimalDual.Pass pass = net.forward(ps, op, NORM, y, x0, true)) {
                NDArray out = pass.output();
                pass.backward(out.sub(target).mul(2.0 / out.size())); // ∂ mean((out − t)²) / ∂out, no autograd needed
            }
            for (Parameter p : params) grad.add(p.getArray().getGradient().toDoubleArray());
        }

        Random rnd = new Random(5);
        List<double[]> d = new ArrayList<>();
        double analytic = 0;
        for (double[] gi : grad) {
            double[] di = new double[gi.length];
            for (int j = 0; j < di.length; j++) {
                di[j] = rnd.nextGaussian();
                analytic += di[j] * gi[j];
            }
            d.add(di);
        }
        double eps = 1e-6;
        assertTrue(Math.abs(analytic) > 1e-3, "gradient too small to test: " + analytic);
        assertEquals(centralDifference(net, ps, op, y, x0, target, params, d, eps), analytic, 1e-6 * Math.abs(analytic), "directional derivative");

        // Single entries: the first dual cell's F (iteration 0, reached only through the later cells and both cuts;
        // entry 13 = input channel 1 at the kernel centre, the A f⁽¹⁾ input: its state input is still zero), the
        // bias of output channel 0 of the last primal cell's F (its G feeds no output channel), a PReLU slope.
        List<String> names = net.getParameters().keys();
        String[] entryNames = {"01dual_0_01f_01conv_1_weight", "04primal_1_01f_03conv_2_bias", "02primal_0_01f_02prelu_1_alpha"};
        int[] entries = {13, 0, 1};
        for (int n = 0; n < entryNames.length; n++) {
            String name = entryNames[n];
            int pi = names.indexOf(name);
            assertTrue(pi >= 0, "no parameter " + name + " in " + names);
            List<double[]> unit = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) unit.add(new double[grad.get(i).length]);
            int entry = entries[n] % unit.get(pi).length;
            unit.get(pi)[entry] = 1;
            double fd = centralDifference(net, ps, op, y, x0, target, params, unit, eps), ad = grad.get(pi)[entry];
            assertTrue(Math.abs(ad) > 1e-9, name + ": gradient entry too small to test: " + ad);
            assertEquals(fd, ad, 1e-6 * Math.max(1e-3, Math.abs(ad)), name);
        }
    }

    private static double centralDifference(InvertiblePrimalDual net, ParameterStore ps, NDArrayOperator op, NDArray y, NDArray x0,
                                            NDArray target, List<Parameter> params, List<double[]> d, double eps) {
        ParameterShift.shift(params, d, eps);
        double plus = loss(net, ps, op, y, x0, target);
        ParameterShift.shift(params, d, -2 * eps);
        double minus = loss(net, ps, op, y, x0, target);
        ParameterShift.shift(params, d, eps);
        return (plus - minus) / (2 * eps);
    }

    private static double loss(InvertiblePrimalDual net, ParameterStore ps, NDArrayOperator op, NDArray y, NDArray x0, NDArray target) {
        try (NDArray out = net.reconstruct(ps, op, NORM, y, x0); NDArray l = out.sub(target).square().mean()) {
            return l.getDouble();
        }
    }


    @Test
    void repeatedTrainingStepsLeaveNoArraysBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            InvertiblePrimalDual net = randomNetwork(m, CFG, DataType.FLOAT32, X0, Y);
            NDArrayOperator op = dense(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y = m.randomNormal(Y), x0 = m.randomNormal(X0).mul(0.02), target = m.randomNormal(X0).mul(0.02);
            int[] counts = new int[5];
            for (int step = 0; step < counts.length; step++) {
                try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope();
                     GradientCollector gc = Engine.getInstance().newGradientCollector();
                     SegmentTape tape = new SegmentTape(SegmentTape.Mode.RECOMPUTE)) {
                    SegmentTape.zeroGradients(net);
                    net.trainingLoss(tape, ps, op, NORM, y, x0, out -> tape.segment(new NDList(out, target),
                            in -> new NDList(in.get(0).sub(in.get(1)).square().mean())).head());
                }
                counts[step] = m.getManagedArrays().size();
            }
            for (int c : counts) assertEquals(counts[0], c, "live arrays after each step: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void saveLoadGivesIdenticalOutputs() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            InvertiblePrimalDual net = randomNetwork(m, CFG, DataType.FLOAT32, X0, Y);
            NDArrayOperator op = dense(m, DataType.FLOAT32);
            NDArray y = m.randomNormal(Y), x0 = m.randomNormal(X0).mul(0.02);
            float[] before = net.reconstruct(new ParameterStore(m, false), op, NORM, y, x0).toFloatArray();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            net.saveParameters(new DataOutputStream(bytes));

            InvertiblePrimalDual loaded = new InvertiblePrimalDual(CFG);
            loaded.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            float[] after = loaded.reconstruct(new ParameterStore(m, false), op, NORM, y, x0).toFloatArray();
            assertArrayEquals(before, after, 0f);
            float[] plainX0 = x0.toFloatArray();
            double diff = 0;
            for (int i = 0; i < after.length; i++) diff = Math.max(diff, Math.abs(after[i] - plainX0[i]));
            assertTrue(diff > 1e-3, "random weights must change the output for this test");
        }
    }

    @Test
    void untrainedNetworkReturnsItsInitialImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            InvertiblePrimalDual net = new InvertiblePrimalDual(CFG);
            net.initialize(m, DataType.FLOAT32, X0, Y);
            NDArray y = m.randomNormal(Y), x0 = m.randomNormal(X0).mul(0.02);
            assertArrayEquals(x0.toFloatArray(), net.reconstruct(new ParameterStore(m, false), dense(m, DataType.FLOAT32), NORM, y, x0)
                    .toFloatArray(), 1e-7f);
        }
    }

    @Test
    void oddChannelCountsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InvertiblePrimalDual(new LearnedPrimalDualConfig(2, 2, 5, 4, 4, 3, 2)));
        assertTrue(e.getMessage().contains("even"), e.getMessage());
        assertEquals(6, InvertiblePrimalDual.defaults(2).primalChannels());
    }
}
