package org.pdrecon.operators.tape;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.learned.PRelu;
import org.pdrecon.operators.NDArrayConeBeamProjector;

/**
 * Finite differences against the segment tape on a tiny 2D problem in float64:
 * {@code x → conv → PReLU → A → [·, y] → conv → PReLU → Aᵀ → + skip → ½‖· − target‖²}.
 * The first segment's output feeds both the projector and the loss (a skip connection), so
 * gradients from two consumers must add up.
 */
class SegmentTapeGradientCheckTest {
    private static final DataType F64 = DataType.FLOAT64;
    private static NDManager manager;
    private static NDArrayConeBeamProjector projector;
    private static Conv2d conv1, conv2;
    private static PRelu act1, act2;
    private static ParameterStore store;
    private static NDArray x0, data, target;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(8, 1.0)).setSodMm(30).setSddMm(50)
                .setDetector(1, 12, 1.5, 1.5).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(4, 5, 360)).build();
        projector = new NDArrayConeBeamProjector(g);
        conv1 = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(2).build();
        conv2 = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(2).build();
        act1 = PRelu.builder().optChannels(2).build();
        act2 = PRelu.builder().build();
        manager.getEngine().setRandomSeed(11);
        conv1.initialize(manager, F64, new Shape(1, 1, 8, 8));
        act1.initialize(manager, F64, new Shape(1, 2, 8, 8));
        conv2.initialize(manager, F64, new Shape(1, 3, 4, 12));
        act2.initialize(manager, F64, new Shape(1, 2, 4, 12));
        // Biases start at zero; random values make their gradient check meaningful.
        Random rnd = new Random(3);
        for (Block b : new Block[] {conv1, conv2}) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                NDArray a = p.getValue().getArray();
                if (p.getKey().contains("bias")) withoutGrad(() -> a.addi(randomLike(rnd, a).mul(constant(0.3))));
            }
        }
        store = new ParameterStore(manager, false);
        x0 = randomLike(rnd, manager.zeros(new Shape(1, 1, 8, 8), F64));
        data = randomLike(rnd, manager.zeros(new Shape(1, 1, 4, 1, 12), F64));
        target = randomLike(rnd, manager.zeros(new Shape(1, 2, 1, 8, 8), F64));
    }

    @AfterAll
    static void tearDown() { manager.close(); }

    // The model's segments, shared by the tape run and the finite-difference evaluations.
    private static NDList first(NDList in) {
        NDArray h = act1.forward(store, conv1.forward(store, in, true), true).head();
        return new NDList(h.reshape(1, 2, 1, 8, 8));
    }

    private static NDList second(NDList in) {
        NDArray z = NDArrays.concat(new NDList(in.get(0), in.get(1)), 1).reshape(1, 3, 4, 12);
        NDArray r = act2.forward(store, conv2.forward(store, new NDList(z), true), true).head();
        return new NDList(r.reshape(1, 2, 4, 1, 12));
    }

    private static NDList loss(NDList in, NDArray half) {
        NDArray d = in.get(0).add(in.get(1)).sub(in.get(2));
        return new NDList(d.mul(d).sum().mul(half));
    }

    /** The same model without the tape, autograd off: the function finite differences sample. */
    private static double evaluate() {
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            NDArray h = first(new NDList(x0)).head();
            NDArray p = projector.apply(h);
            NDArray r = second(new NDList(p, data)).head();
            NDArray v = projector.adjoint().apply(r);
            NDArray half = constant(0.5);
            double value = loss(new NDList(v, h, target), half).head().getDouble();
            for (NDArray a : new NDArray[] {h, p, r, v, half}) a.close();
            return value;
        } finally {
            JniUtils.setGradMode(mode);
        }
    }

    @ParameterizedTest
    @EnumSource(SegmentTape.Mode.class)
    void tapeGradientsMatchFiniteDifferences(SegmentTape.Mode mode) {
        List<NDArray> params = new ArrayList<>();
        for (Block b : new Block[] {conv1, act1, conv2, act2}) {
            SegmentTape.zeroGradients(b);
            for (Pair<String, Parameter> p : b.getParameters()) params.add(p.getValue().getArray());
        }
        if (reference == null) reference = new Reference(params);
        List<double[]> tapeGrads = new ArrayList<>();
        double[] inputGrad;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector();
             SegmentTape tape = new SegmentTape(mode)) {
            NDArray x = tape.input(x0);
            NDArray h = tape.segment(new NDList(x), SegmentTapeGradientCheckTest::first).head();
            NDArray p = tape.apply(projector, h);
            NDArray r = tape.segment(new NDList(p, data), SegmentTapeGradientCheckTest::second).head();
            NDArray v = tape.apply(projector.adjoint(), r);
            NDArray half = tape.constant(manager, 0.5, F64);
            NDArray l = tape.segment(new NDList(v, h, target), in -> loss(in, half)).head();
            tape.backward(l);
            inputGrad = tape.gradient(x).toDoubleArray();
        }
        for (NDArray a : params) tapeGrads.add(a.getGradient().toDoubleArray());

        // Every entry of conv1's weight gradient by central differences.
        double weightError = relativeL2(tapeGrads.get(0), reference.conv1Weight);
        assertTrue(weightError < 1e-3, mode + ": conv1 weight gradient, relative L2 error " + weightError);
        // The input and every parameter array along fixed random directions.
        for (int k = 0; k < reference.inputDirections.size(); k++) {
            double ad = dot(inputGrad, reference.inputDirections.get(k));
            assertClose(reference.inputDerivatives[k], ad, mode + ": input, direction " + k);
        }
        for (int i = 0; i < params.size(); i++) {
            double ad = dot(tapeGrads.get(i), reference.paramDirections.get(i));
            assertClose(reference.paramDerivatives[i], ad, mode + ": parameter " + i + " " + params.get(i).getShape());
        }
    }

    private static void assertClose(double fd, double ad, String what) {
        double error = Math.abs(fd - ad) / Math.max(Math.abs(fd), 1e-9);
        System.err.printf("gradient check %s: tape %.10g, finite differences %.10g, relative error %.2e%n", what, ad, fd, error);
        assertTrue(error < 1e-3, what + ": tape " + ad + " vs finite differences " + fd);
    }

    /** Central differences of the loss, computed once for both modes (each evaluation runs the model). */
    private static final class Reference {
        final double[] conv1Weight;
        final List<double[]> inputDirections = new ArrayList<>();
        final double[] inputDerivatives;
        final List<double[]> paramDirections = new ArrayList<>();
        final double[] paramDerivatives;

        Reference(List<NDArray> params) {
            double eps = 1e-6;
            Random rnd = new Random(5);
            conv1Weight = finiteDifferences(params.get(0), eps);
            inputDerivatives = new double[3];
            for (int k = 0; k < inputDerivatives.length; k++) {
                NDArray dir = randomLike(rnd, x0);
                inputDirections.add(dir.toDoubleArray());
                inputDerivatives[k] = directional(x0, dir, eps);
                dir.close();
            }
            paramDerivatives = new double[params.size()];
            for (int i = 0; i < params.size(); i++) {
                NDArray dir = randomLike(rnd, params.get(i));
                paramDirections.add(dir.toDoubleArray());
                paramDerivatives[i] = directional(params.get(i), dir, eps);
                dir.close();
            }
        }
    }

    private static Reference reference;

    private static double[] finiteDifferences(NDArray a, double eps) {
        int n = Math.toIntExact(a.size());
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double[] e = new double[n];
            e[i] = 1;
            try (NDArray dir = manager.create(e, a.getShape())) {
                g[i] = directional(a, dir, eps);
            }
        }
        return g;
    }

    /** Central difference of the loss along {@code dir}, perturbing {@code a} in place and restoring it. */
    private static double directional(NDArray a, NDArray dir, double eps) {
        try (NDArray step = dir.mul(constant(eps))) {
            withoutGrad(() -> a.addi(step));
            double plus = evaluate();
            withoutGrad(() -> a.subi(step).subi(step));
            double minus = evaluate();
            withoutGrad(() -> a.addi(step));
            return (plus - minus) / (2 * eps);
        }
    }

    private static NDArray constant(double v) {
        return manager.create(v).duplicate();
    }

    private static void withoutGrad(Runnable r) {
        boolean mode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            r.run();
        } finally {
            JniUtils.setGradMode(mode);
        }
    }

    private static NDArray randomLike(Random rnd, NDArray a) {
        double[] v = new double[Math.toIntExact(a.size())];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
        return manager.create(v, a.getShape()).duplicate();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double relativeL2(double[] a, double[] ref) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - ref[i]) * (a[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }
}
