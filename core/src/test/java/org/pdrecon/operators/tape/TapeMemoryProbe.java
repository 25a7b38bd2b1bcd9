package org.pdrecon.operators.tape;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.learned.PRelu;
import org.pdrecon.operators.NDArrayConeBeamProjector;

/**
 * Memory of one training step through the tape, STORE vs RECOMPUTE (not a test; run by hand, one mode
 * per JVM because the peak is process-wide, see docs/autodiff.md):
 * {@code java -cp ... org.pdrecon.operators.tape.TapeMemoryProbe STORE|RECOMPUTE}.
 * An unrolled 2D model: 5 iterations of [image block → A → sinogram block → Aᵀ], each block four
 * 16-channel 3×3 convolutions with PReLU, on a 128×128 slice with 32 views of 128 detector pixels.
 * Prints the process's resident memory after the forward pass and its peak after the backward sweep.
 */
public final class TapeMemoryProbe {
    private TapeMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        SegmentTape.Mode mode = SegmentTape.Mode.valueOf(args.length > 0 ? args[0] : "RECOMPUTE");
        int n = 128, views = 32, iterations = 5, channels = 16;
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.slice(n, 1.0)).setSodMm(400).setSddMm(600)
                .setDetector(1, n, 2.0, 2.0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(views, 0, 360)).build();
        try (NDManager m = NDManager.newBaseManager();
             NDArrayConeBeamProjector a = NDArrayConeBeamProjector.builder(g).optCacheBytes(1L << 30).build()) {
            SequentialBlock[] image = new SequentialBlock[iterations], sino = new SequentialBlock[iterations];
            for (int i = 0; i < iterations; i++) {
                image[i] = block(channels);
                sino[i] = block(channels);
                image[i].initialize(m, DataType.FLOAT32, new Shape(1, channels, n, n));
                sino[i].initialize(m, DataType.FLOAT32, new Shape(1, channels, views, n));
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, channels, 1, n, n));
            a.apply(x).close(); // fill the projector's sample cache before measuring
            long before = rssKb();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector(); SegmentTape tape = new SegmentTape(mode)) {
                NDArray h = x;
                for (int i = 0; i < iterations; i++) {
                    SequentialBlock ib = image[i], sb = sino[i];
                    h = tape.segment(new NDList(h), in -> new NDList(ib.forward(ps, new NDList(in.head().reshape(1, channels, n, n)), true)
                            .head().reshape(1, channels, 1, n, n))).head();
                    NDArray p = tape.apply(a, h);
                    NDArray r = tape.segment(new NDList(p), in -> new NDList(sb.forward(ps, new NDList(in.head().reshape(1, channels, views, n)), true)
                            .head().reshape(1, channels, views, 1, n))).head();
                    h = tape.apply(a.adjoint(), r);
                }
                NDArray last = h;
                NDArray loss = tape.segment(new NDList(last), in -> new NDList(in.head().square().mean())).head();
                long afterForward = rssKb();
                tape.backward(loss);
                System.out.printf("%s: resident memory before %d MB, after forward %d MB (+%d MB), peak %d MB%n", mode,
                        before / 1024, afterForward / 1024, (afterForward - before) / 1024, peakKb() / 1024);
            }
        }
    }

    private static SequentialBlock block(int channels) {
        SequentialBlock b = new SequentialBlock();
        for (int k = 0; k < 4; k++) {
            b.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(channels).build());
            b.add(PRelu.builder().optChannels(channels).build());
        }
        return b;
    }

    private static long rssKb() throws Exception { return status("VmRSS:"); }

    private static long peakKb() throws Exception { return status("VmHWM:"); }

    private static long status(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
