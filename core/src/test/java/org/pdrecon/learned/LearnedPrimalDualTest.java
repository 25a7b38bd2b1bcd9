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
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;
import org.pdrecon.operators.NDArrayOperator;
import org.pdrecon.operators.tape.SegmentTape;

class LearnedPrimalDualTest {
    // 2D: a 6×5 image, 4 views × 7 detector columns.
    private static final int[] DOMAIN_2D = {1, 6, 5}, RANGE_2D = {4, 1, 7};
    /** Any positive value is a valid normalisation; a non-trivial one checks that it is applied consistently. */
    static final double NORM = 1.7;
    private static final Shape X0_2D = new Shape(2, 1, 6, 5), Y_2D = new Shape(2, 1, 4, 7);

    @Test
    void updateCnnWithOnesIsHandComputable() {
        try (NDManager m = NDManager.newBaseManager()) {
            // kernel 1, 2 layers, 4 filters, ONES everywhere (PReLU slope 1 = identity):
            // conv_1 gives 3·c + 1 per filter, conv_2 gives 4·(3·c + 1) + 1.
            UpdateCnn cnn = UpdateCnn.builder().setDimensions(2).setOutputChannels(2).optFilters(4).optKernelSize(1).optLayers(2).build();
            cnn.setInitializer(Initializer.ONES, p -> true);
            cnn.initialize(m, DataType.FLOAT32, new Shape(1, 3, 2, 2));
            NDArray x = m.full(new Shape(1, 3, 2, 2), 2f);
            NDArray y = cnn.forward(new ParameterStore(m, false), new NDList(x), false).head();
            assertEquals(new Shape(1, 2, 2, 2), y.getShape());
            for (float v : y.toFloatArray()) assertEquals(29f, v);
            NDArray neg = cnn.forward(new ParameterStore(m, false), new NDList(m.full(new Shape(1, 3, 2, 2), -1f)), false).head();
            for (float v : neg.toFloatArray()) assertEquals(-7f, v);
            assertEquals("[01conv_1, 02prelu_1, 03conv_2]", cnn.getChildren().keys().toString());
        }
    }

    @Test
    void untrainedNetworkReturnsItsInitialImage() {
        Engine.getInstance().setRandomSeed(14);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDual lpd = new LearnedPrimalDual(new LearnedPrimalDualConfig(2, 3, 3, 2, 4, 3, 3));
            lpd.initialize(m, DataType.FLOAT32, X0_2D, Y_2D); // the block's own default initialisation
            NDArrayOperator op = new DenseMatrixOperator(m, DOMAIN_2D, RANGE_2D, 5, DataType.FLOAT32);
            NDArray y = m.randomNormal(Y_2D), x0 = m.randomNormal(X0_2D);
            assertArrayEquals(x0.toFloatArray(), lpd.reconstruct(new ParameterStore(m, false), op, NORM, y, x0).toFloatArray(), 1e-6f);
            assertTrue(lpd.dualUpdate(0).getParameters().get("01conv_1_weight").getArray().abs().max().getFloat() > 0);
        }
    }

    @Test
    void defaultTwoDimensionalSizeIsAdlerAndOktems() {
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDual lpd = new LearnedPrimalDual(LearnedPrimalDualConfig.defaults(2));
            lpd.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8), new Shape(1, 1, 6, 8));
            long n = 0;
            for (var p : lpd.getParameters()) n += p.getValue().getArray().size();
            // Γ: 7→32 (7·32·9 + 32), PReLU 32, 32→32 (9216 + 32), PReLU 32, 32→5 (1440 + 5) = 12,805;
            // Λ: 6→32 (1728 + 32) + 32 + 9248 + 32 + 1445 = 12,517; ten iterations: 253,220.
            assertEquals(253_220, n);
        }
    }

    @Test
    void childOrderIsFrozen() {
        LearnedPrimalDual lpd = new LearnedPrimalDual(new LearnedPrimalDualConfig(2, 2, 3, 2, 4, 3, 3));
        assertEquals("[01dual_0, 02primal_0, 03dual_1, 04primal_1]", lpd.getChildren().keys().toString());
    }

    @Test
    void tapeForwardFollowsTheRecipe() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(2, 3, 3, 2, 4, 3, 3);
            LearnedPrimalDual lpd = model(m, cfg, DataType.FLOAT32);
            NDArrayOperator op = new DenseMatrixOperator(m, DOMAIN_2D, RANGE_2D, 5, DataType.FLOAT32);
            NDArray y = m.randomNormal(Y_2D), x0 = m.randomNormal(X0_2D);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray out = lpd.reconstruct(ps, op, NORM, y, x0);
            NDArray ref = plainRecipe(lpd, cfg, ps, op, y, x0);
            assertEquals(X0_2D, out.getShape());
            assertArrayEquals(ref.toFloatArray(), out.toFloatArray(), 1e-5f);
            // The network does something: the output is not the initial image.
            assertTrue(out.sub(x0).abs().max().getFloat() > 1e-3f);
        }
    }

    @Test
    void saveLoadGivesIdenticalOutputs() throws Exception {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(2, 2, 3, 2, 4, 3, 3);
            LearnedPrimalDual a = model(m, cfg, DataType.FLOAT32);
            NDArrayOperator op = new DenseMatrixOperator(m, DOMAIN_2D, RANGE_2D, 6, DataType.FLOAT32);
            NDArray y = m.randomNormal(Y_2D), x0 = m.randomNormal(X0_2D);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));
            LearnedPrimalDual b = new LearnedPrimalDual(cfg);
            b.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            float[] outA = a.reconstruct(new ParameterStore(m, false), op, NORM, y, x0).toFloatArray();
            float[] outB = b.reconstruct(new ParameterStore(m, false), op, NORM, y, x0).toFloatArray();
            assertArrayEquals(outA, outB); // bitwise
        }
    }

    @Test
    void threeDimensionalModelRuns() {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(3, 2, 2, 1, 3, 3, 2);
            int[] domain = {3, 4, 5}, range = {2, 3, 6};
            LearnedPrimalDual lpd = new LearnedPrimalDual(cfg);
            lpd.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
            lpd.initialize(m, DataType.FLOAT32, new Shape(1, 1, 3, 4, 5), new Shape(1, 1, 2, 3, 6));
            NDArrayOperator op = new DenseMatrixOperator(m, domain, range, 7, DataType.FLOAT32);
            NDArray y = m.randomNormal(new Shape(1, 1, 2, 3, 6)), x0 = m.randomNormal(new Shape(1, 1, 3, 4, 5));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray out = lpd.reconstruct(ps, op, NORM, y, x0);
            assertArrayEquals(plainRecipe(lpd, cfg, ps, op, y, x0).toFloatArray(), out.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void patchWiseExecutionGivesTheWholeVolumeResult() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager m = NDManager.newBaseManager()) {
            // One 3-layer CNN (halo 3 slices) on 13 slices, slabs of 1, 4 and 5: the same output.
            UpdateCnn cnn = UpdateCnn.builder().setDimensions(3).setOutputChannels(2).optFilters(4).optLayers(3).build();
            cnn.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
            cnn.initialize(m, DataType.FLOAT32, new Shape(1, 3, 13, 5, 4));
            NDArray x = m.randomNormal(new Shape(1, 3, 13, 5, 4));
            ParameterStore ps = new ParameterStore(m, false);
            float[] whole = cnn.forward(ps, new NDList(x), false).head().toFloatArray();
            for (int slices : new int[] {1, 4, 5}) {
                cnn.setPatchSlices(slices);
                assertArrayEquals(whole, cnn.forward(ps, new NDList(x), false).head().toFloatArray(), 1e-5f, "slabs of " + slices);
            }
            assertThrows(IllegalArgumentException.class, () -> cnn.setPatchSlices(-1));

            // Both networks, every CNN patched (the dual ones too: 9 views along their depth axis).
            LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(3, 2, 2, 2, 4, 3, 2);
            int[] domain = {10, 4, 5}, range = {9, 3, 6};
            NDArrayOperator op = new DenseMatrixOperator(m, domain, range, 8, DataType.FLOAT32);
            NDArray y = m.randomNormal(new Shape(1, 1, 9, 3, 6)), x0 = m.randomNormal(new Shape(1, 1, 10, 4, 5));
            for (PrimalDualNetwork net : new PrimalDualNetwork[] {new LearnedPrimalDual(cfg), new InvertiblePrimalDual(cfg)}) {
                net.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
                net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 10, 4, 5), new Shape(1, 1, 9, 3, 6));
                float[] ref = net.reconstruct(ps, op, NORM, y, x0).toFloatArray();
                UpdateCnn.setPatchSlices(net, 3);
                assertArrayEquals(ref, net.reconstruct(ps, op, NORM, y, x0).toFloatArray(), 1e-5f, net.architecture());
            }
        }
    }

    @Test
    void patchWiseTrainingGivesTheWholeVolumeGradients() {
        // Training on slabs (config patch_slices) must change memory only: the loss and every parameter's
        // gradient equal the whole-volume ones up to float round-off, for both tape modes and the invertible cells.
        LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(3, 2, 2, 2, 4, 3, 2);
        int[] domain = {10, 4, 5}, range = {9, 3, 6};
        Shape xs = new Shape(1, 1, 10, 4, 5), ys = new Shape(1, 1, 9, 3, 6);
        for (String variant : new String[] {"plain:STORE", "plain:RECOMPUTE", "invertible:RECOMPUTE"}) {
            Engine.getInstance().setRandomSeed(5);
            try (NDManager m = NDManager.newBaseManager()) {
                NDArrayOperator op = new DenseMatrixOperator(m, domain, range, 8, DataType.FLOAT32);
                NDArray y = m.randomNormal(ys), x0 = m.randomNormal(xs), target = m.randomNormal(xs);
                PrimalDualNetwork net = PrimalDualNetwork.create(variant.split(":")[0], cfg);
                net.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
                net.initialize(m, DataType.FLOAT32, xs, ys);
                SegmentTape.Mode mode = SegmentTape.Mode.valueOf(variant.split(":")[1]);
                float[][] whole = gradients(net, m, op, y, x0, target, mode);
                UpdateCnn.setPatchSlices(net, 3);
                float[][] slabs = gradients(net, m, op, y, x0, target, mode);
                int live = 0;
                for (int i = 0; i < whole.length; i++) {
                    float scale = 0;
                    for (float v : whole[i]) scale = Math.max(scale, Math.abs(v));
                    if (scale > 0) live++;
                    assertArrayEquals(whole[i], slabs[i], 1e-4f * scale, variant + ": parameter " + i);
                }
                assertTrue(live > whole.length / 2, variant + ": only " + live + " of " + whole.length + " gradients are non-zero");
            }
        }
    }

    /** The loss (first row) and every parameter's gradient of one training pass of {@code net}. */
    private static float[][] gradients(PrimalDualNetwork net, NDManager m, NDArrayOperator op, NDArray y, NDArray x0, NDArray target,
                                       SegmentTape.Mode mode) {
        var params = net.getParameters();
        float[][] out = new float[params.size() + 1][];
        try (NDScope scope = new NDScope();
             GradientCollector gc = Engine.getInstance().newGradientCollector();
             SegmentTape tape = new SegmentTape(mode)) {
            SegmentTape.zeroGradients(net);
            NDArray loss = net.trainingLoss(tape, new ParameterStore(m, false), op, NORM, y, x0, r -> tape.segment(new NDList(r, target),
                    in -> new NDList(in.get(0).sub(in.get(1)).square().mean())).head());
            out[params.size()] = new float[] {loss.getFloat()};
            for (int i = 0; i < params.size(); i++) out[i] = params.get(i).getValue().getArray().getGradient().toFloatArray();
        }
        return out;
    }

    @Test
    void mismatchedShapesAreRejectedWithTheExpectedShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            LearnedPrimalDualConfig cfg = new LearnedPrimalDualConfig(2, 1, 2, 1, 2, 3, 2);
            LearnedPrimalDual lpd = model(m, cfg, DataType.FLOAT32);
            NDArrayOperator op = new DenseMatrixOperator(m, DOMAIN_2D, RANGE_2D, 6, DataType.FLOAT32);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    lpd.reconstruct(new ParameterStore(m, false), op, NORM, m.zeros(new Shape(2, 1, 4, 8)), m.zeros(X0_2D)));
            assertTrue(e.getMessage().contains("(2, 1, 4, 7)"), e.getMessage());
        }
    }

    static LearnedPrimalDual model(NDManager m, LearnedPrimalDualConfig cfg, DataType type) {
        LearnedPrimalDual lpd = new LearnedPrimalDual(cfg);
        lpd.setInitializer(new NormalInitializer(0.2f), Parameter.Type.WEIGHT);
        lpd.setInitializer(new NormalInitializer(0.05f), Parameter.Type.BIAS);
        lpd.initialize(m, type, X0_2D, Y_2D);
        return lpd;
    }

    /**
     * Adler & Öktem's Algorithm 3 written out directly (no tape), with the model's own update CNNs, the
     * normalised operator A/‖A‖, data y/‖A‖ and the value scale s: f = s·x0, …, output f⁽⁰⁾/s.
     */
    static NDArray plainRecipe(LearnedPrimalDual lpd, LearnedPrimalDualConfig cfg, ParameterStore ps, NDArrayOperator op,
                               NDArray y, NDArray x0) {
        double s = cfg.valueScale();
        Shape xs = x0.getShape(), ys = y.getShape();
        Shape opX = new Shape(xs.get(0), 1, op.domainShape()[0], op.domainShape()[1], op.domainShape()[2]);
        Shape opY = new Shape(ys.get(0), 1, op.rangeShape()[0], op.rangeShape()[1], op.rangeShape()[2]);
        NDArray g = y.mul(s / NORM);
        NDArray f = x0.mul(s).repeat(1, cfg.primalChannels());
        NDArray h = y.zerosLike().repeat(1, cfg.dualChannels());
        for (int k = 0; k < cfg.iterations(); k++) {
            UpdateCnn gamma = lpd.dualUpdate(k), lambda = lpd.primalUpdate(k);
            NDArray af1 = op.apply(f.get(":, 1:2").reshape(opX)).div(NORM).reshape(new Shape(ys.get(0), 1).addAll(ys.slice(2)));
            h = h.add(gamma.forward(ps, new NDList(NDArrays.concat(new NDList(h, af1, g), 1)), false).head());
            NDArray ath0 = op.adjoint().apply(h.get(":, 0:1").reshape(opY)).div(NORM).reshape(new Shape(xs.get(0), 1).addAll(xs.slice(2)));
            f = f.add(lambda.forward(ps, new NDList(NDArrays.concat(new NDList(f, ath0), 1)), false).head());
        }
        return f.get(":, 0:1").div(s);
    }
}
