package org.pdrecon.learned;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.util.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts libtorch into the state pdrecon's networks rely on, once per process, before any network runs.
 *
 * <p><b>oneDNN is switched off.</b> libtorch 2.7.1 routes float32 CPU convolutions with a batch above one
 * (or large inputs) to oneDNN 3.7.1. Its backward-data kernels on blocked layouts read uninitialised,
 * recycled memory in the padding lanes whenever a channel count does not fill the SIMD block (16 on
 * AVX-512, 8 on AVX2): input gradients come back NaN or silently wrong (measured in docs/autodiff.md).
 * DJL has no switch for it, so this class calls libtorch's own
 * {@code at::globalContext().setUserEnabledMkldnn(false)} through JNA, the same call as PyTorch's
 * {@code torch.backends.mkldnn.enabled = False}. Convolutions then run on ATen's native kernels, whose
 * gradients {@link ConvolutionGradientCheck} compares against a plain-Java reference.
 *
 * <p>{@code -Dpdrecon.onednn=on} leaves oneDNN on, for measuring its speed only; {@code train}'s start-up
 * check still refuses to train if the gradients are wrong.
 *
 * <p><b>The libtorch version</b> must be the one DJL's JNI library was built for: {@link LibtorchVersion} refuses
 * another one named by {@code PYTORCH_LIBRARY_PATH} before DJL loads it.
 *
 * <p><b>Threads</b> come from {@link Threads}: libtorch's intra-op pool gets {@link Threads#torch()}, its
 * inter-op pool one thread.
 */
public final class TorchRuntime {
    /** {@code -Dpdrecon.onednn=on} keeps oneDNN, so that its speed can be measured against the native path. */
    public static final String ONEDNN_PROPERTY = "pdrecon.onednn";
    private static final Logger LOGGER = LoggerFactory.getLogger(TorchRuntime.class);
    static final String LIBRARY = "libtorch_cpu.so";
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String GET_MKLDNN = "_ZNK2at7Context17userEnabledMkldnnEv";

    private static volatile boolean configured;
    private static Function setMkldnn, getMkldnn;
    private static Pointer context;

    private TorchRuntime() {}

    /** Idempotent and cheap after the first call; every network construction calls it. */
    public static void configure() {
        if (configured) return;
        synchronized (TorchRuntime.class) {
            if (configured) return;
            // DJL reads this from the environment or a system property, as here.
            LibtorchVersion.requireCompatible(System.getProperty("PYTORCH_LIBRARY_PATH", System.getenv("PYTORCH_LIBRARY_PATH")));
            Engine.getEngine("PyTorch"); // loads libtorch
            bind();
            boolean oneDnn = "on".equals(System.getProperty(ONEDNN_PROPERTY));
            if (oneDnn) {
                LOGGER.warn("-D" + ONEDNN_PROPERTY + "=on: oneDNN convolutions are back on (for benchmarking only);"
                        + " their gradients are wrong on some CPUs, see docs/autodiff.md");
            }
            setOneDnn(oneDnn);
            if (JniUtils.getNumThreads() != Threads.torch()) JniUtils.setNumThreads(Threads.torch());
            try {
                if (JniUtils.getNumInteropThreads() != 1) JniUtils.setNumInteropThreads(1);
            } catch (RuntimeException e) {
                // libtorch allows this only before its first parallel work; then its pool is already fixed
            }
            configured = true;
        }
    }

    /** Whether libtorch may route operations to oneDNN now. */
    public static synchronized boolean oneDnnEnabled() {
        bind();
        return (getMkldnn.invokeInt(new Object[] {context}) & 0xff) != 0;
    }

    /**
     * Switches oneDNN on or off for the whole process. Only {@code pdrecon bench conv-gradients} and the
     * tests switch it back on, to measure what it costs and what it breaks.
     */
    public static synchronized void setOneDnn(boolean enabled) {
        bind();
        setMkldnn.invokeVoid(new Object[] {context, enabled});
        if (oneDnnEnabled() != enabled) {
            throw new IllegalStateException("libtorch did not take the oneDNN setting " + enabled);
        }
    }

    /** One line for {@code pdrecon info}. */
    public static String describe() {
        configure();
        return "oneDNN " + (oneDnnEnabled() ? "on" : "off (native convolutions)") + "; libtorch intra-op " + JniUtils.getNumThreads()
                + ", inter-op " + JniUtils.getNumInteropThreads();
    }

    private static void bind() {
        if (context != null) return;
        Engine.getEngine("PyTorch");
        Path lib = Path.of(LibUtils.getLibtorchPath()).resolve(LIBRARY);
        if (!Files.isRegularFile(lib)) {
            throw new IllegalStateException("cannot switch off oneDNN: " + lib + " not found (libtorch in " + LibUtils.getLibtorchPath() + ")");
        }
        try {
            // dlopen of an already-loaded library returns the handle DJL loaded: the same global context.
            NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
            Pointer ctx = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
            setMkldnn = torch.getFunction(SET_MKLDNN);
            getMkldnn = torch.getFunction(GET_MKLDNN);
            context = ctx;
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot switch off oneDNN in " + lib + ": " + e.getMessage(), e);
        }
    }
}
