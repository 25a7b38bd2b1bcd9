package org.pdrecon.learned;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses a libtorch that DJL's JNI library was not built for. {@code PYTORCH_LIBRARY_PATH} may point DJL
 * at any libtorch folder; its JNI (from {@code pytorch-jni}, built for one libtorch version) then loads and
 * even lists the GPUs, but tensors break at their first data access: with a Python wheel's libtorch 2.11
 * the first {@code NDManager.create} failed with "set_stride is not allowed on a Tensor created from .data
 * or .detach()" and the first GPU read with "Cannot access data pointer of Tensor that doesn't have storage"
 * (measured on a GPU machine, docs/autodiff.md). The version is read from the folder's neighbours: a
 * libtorch archive's {@code build-version}, or a Python wheel's {@code torch/version.py}.
 */
public final class LibtorchVersion {
    private static final Pattern PY_VERSION = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");

    private LibtorchVersion() {}

    /** The libtorch version DJL's JNI library was built for, e.g. {@code 2.7.1}. */
    public static String expected() {
        try (InputStream in = LibtorchVersion.class.getResourceAsStream("/jnilib/pytorch.properties")) {
            if (in == null) throw new IllegalStateException("pytorch-jni's jnilib/pytorch.properties is not on the class path");
            Properties p = new Properties();
            p.load(in);
            String jni = p.getProperty("jni_version", "");
            int dash = jni.indexOf('-');
            return dash > 0 ? jni.substring(0, dash) : jni;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read pytorch-jni's version: " + e.getMessage(), e);
        }
    }

    /** The version of the libtorch in {@code libDir} (its {@code lib} folder), if a marker says it. */
    public static Optional<String> of(Path libDir) {
        Path parent = libDir.toAbsolutePath().normalize().getParent();
        if (parent == null) return Optional.empty();
        try {
            Path build = parent.resolve("build-version");
            if (Files.isRegularFile(build)) return Optional.of(Files.readString(build, StandardCharsets.UTF_8).trim());
            Path py = parent.resolve("version.py");
            if (Files.isRegularFile(py)) {
                Matcher m = PY_VERSION.matcher(Files.readString(py, StandardCharsets.UTF_8));
                if (m.find()) return Optional.of(m.group(1));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Checks the folder named by {@code PYTORCH_LIBRARY_PATH}, if any.
     *
     * @throws IllegalStateException when it holds a libtorch of another version than {@link #expected()}
     */
    public static void requireCompatible(String pytorchLibraryPath) {
        if (pytorchLibraryPath == null || pytorchLibraryPath.isBlank()) return;
        Optional<String> found = of(Path.of(pytorchLibraryPath));
        String want = expected();
        if (found.isPresent() && !matches(found.get(), want)) {
            throw new IllegalStateException("PYTORCH_LIBRARY_PATH=" + pytorchLibraryPath + " holds libtorch " + found.get()
                    + ", but DJL's JNI library is built for libtorch " + want + " exactly; other versions load but corrupt tensors."
                    + " Point it at a libtorch " + want + " (CPU or CUDA build), or unset it");
        }
    }

    /** {@code 2.7.1+cu128} and {@code 2.7.1} match {@code 2.7.1}; {@code 2.7.10} does not. */
    static boolean matches(String found, String want) {
        return found.equals(want) || found.startsWith(want + "+");
    }
}
