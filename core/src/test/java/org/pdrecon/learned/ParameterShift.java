package org.pdrecon.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/** Moves parameters along a direction outside autograd, for finite-difference gradient checks. */
final class ParameterShift {
    private ParameterShift() {}

    /** {@code params[i] += step · direction[i]} for every parameter, with grad mode off. */
    static void shift(List<Parameter> params, List<double[]> direction, double step) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < params.size(); i++) {
                NDArray a = params.get(i).getArray();
                try (NDArray delta = a.getManager().create(direction.get(i), a.getShape())) {
                    a.addi(delta.mul(step));
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
