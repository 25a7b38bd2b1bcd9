package org.pdrecon.fields;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/** The dense multi-resolution grid and the field: interpolation weights, gradients against finite differences, memory refusal. */
class NeuralFieldTest {
    @Test
    void interpolationRowsArePartitionsOfUnityAndExactAtTheEnds() {
        for (int[] nr : new int[][] {{64, 8}, {17, 5}, {10, 10}, {7, 1}, {1, 1}, {32, 64}}) {
            int n = nr[0], r = nr[1];
            float[] u = DenseGridEncoding.interpolation(n, r);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    assertTrue(u[i * r + k] >= 0, "negative weight");
                    sum += u[i * r + k];
                }
                assertEquals(1, sum, 1e-6, "row " + i + " of " + n + "×" + r);
            }
        }
        float[] identity = DenseGridEncoding.interpolation(6, 6);
        for (int i = 0; i < 6; i++) for (int k = 0; k < 6; k++) assertEquals(i == k ? 1f : 0f, identity[i * 6 + k]);
        // a linear function of the node position is reproduced exactly between the outer nodes
        int n = 40, r = 9;
        float[] u = DenseGridEncoding.interpolation(n, r);
        for (int i = 0; i < n; i++) {
            double t = (i + 0.5) * r / n - 0.5, value = 0;
            for (int k = 0; k < r; k++) value += u[i * r + k] * (3 + 2 * k);
            if (t >= 0 && t <= r - 1) assertEquals(3 + 2 * t, value, 1e-5);
        }
    }

    @Test
    void renderGradientsMatchCentralDifferences() {
        FieldConfig config = new FieldConfig(3, 2, 6, 2, 8, 2);
        VolumeGrid grid = new VolumeGrid(5, 6, 7, 2, 2, 2, new double[3]);
        NeuralField field = NeuralField.initialise(config, grid, 0.02, 11);
        SplittableRandom random = new SplittableRandom(5);
        for (float[] v : field.values()) for (int i = 0; i < v.length; i++) v[i] += (float) (0.5 * (2 * random.nextDouble() - 1)); // grids away from zero
        double[] weights = new double[grid.voxelCount()];
        for (int i = 0; i < weights.length; i++) weights[i] = 2 * random.nextDouble() - 1;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            List<NDArray> params = field.parameterArrays(m, DataType.FLOAT64);
            NDArray w = m.create(weights, new Shape(grid.nz(), grid.ny(), grid.nx()));
            NDArray scale = m.create(new double[] {0.02}, new Shape()).duplicate();
            for (NDArray p : params) p.setRequiresGradient(true);
            List<double[]> grads = new ArrayList<>();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = field.render(m, params, scale).mul(w).sum();
                gc.backward(loss);
                for (NDArray p : params) grads.add(p.getGradient().toDoubleArray());
            }
            for (int trial = 0; trial < 3; trial++) {
                List<double[]> dir = new ArrayList<>();
                double analytic = 0;
                for (int i = 0; i < params.size(); i++) {
                    double[] d = new double[Math.toIntExact(params.get(i).size())];
                    for (int j = 0; j < d.length; j++) {
                        d[j] = 2 * random.nextDouble() - 1;
                        analytic += d[j] * grads.get(i)[j];
                    }
                    dir.add(d);
                }
                double eps = 1e-6;
                double numeric = (lossAt(m, field, params, dir, eps, w, scale) - lossAt(m, field, params, dir, -eps, w, scale)) / (2 * eps);
                assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)), "directional derivative, trial " + trial);
            }
        }
    }

    private static double lossAt(NDManager m, NeuralField field, List<NDArray> params, List<double[]> dir, double eps, NDArray w, NDArray scale) {
        List<NDArray> shifted = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            double[] base = params.get(i).toDoubleArray();
            for (int j = 0; j < base.length; j++) base[j] += eps * dir.get(i)[j];
            shifted.add(m.create(base, params.get(i).getShape()));
        }
        return field.render(m, shifted, scale).mul(w).sum().getDouble();
    }

    @Test
    void anUntrainedFieldIsHalfItsScaleEverywhereAndNonNegative() {
        VolumeGrid grid = VolumeGrid.cube(12, 2.0);
        Volume v = NeuralField.initialise(FieldConfig.defaults(), grid, 0.04, 3).toVolume();
        for (float x : v.data()) {
            assertTrue(x >= 0);
            assertEquals(0.02, x, 0.002);
        }
    }

    @Test
    void aFieldTooLargeForMemoryIsRefusedWithTheSizeItNeeds() {
        FieldConfig huge = new FieldConfig(4, 64, 512, 16, 64, 2);
        VolumeGrid grid = VolumeGrid.cube(512, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> huge.requireFits(grid, 1L << 30, 4L << 30));
        long[] need = huge.bytesNeeded(grid);
        assertTrue(e.getMessage().contains(FieldConfig.mib(need[0])) && e.getMessage().contains(FieldConfig.mib(need[1])), e.getMessage());
        assertTrue(e.getMessage().contains("1024 MiB available"), e.getMessage());
        FieldConfig.defaults().requireFits(VolumeGrid.cube(64, 3), 1L << 30, 4L << 30); // the default at 64³ fits easily
    }

    @Test
    void levelsGrowGeometricallyAndNeverExceedTheVolume() {
        FieldConfig c = new FieldConfig(4, 8, 64, 4, 32, 2);
        VolumeGrid grid = new VolumeGrid(1, 48, 80, 2, 2, 2, new double[3]);
        assertArrayEquals(new int[] {1, 8, 8}, c.resolution(0, grid));
        assertArrayEquals(new int[] {1, 16, 16}, c.resolution(1, grid));
        assertArrayEquals(new int[] {1, 32, 32}, c.resolution(2, grid));
        assertArrayEquals(new int[] {1, 48, 64}, c.resolution(3, grid));
        assertThrows(IllegalArgumentException.class, () -> new FieldConfig(2, 16, 8, 4, 32, 2));
        assertThrows(IllegalArgumentException.class, () -> FieldConfig.fromJson(org.pdrecon.util.StrictJson.parse("{\"levls\": 3}", "field")));
        assertEquals(c, FieldConfig.fromJson(org.pdrecon.util.StrictJson.parse(c.toJson(), "field")));
    }
}
