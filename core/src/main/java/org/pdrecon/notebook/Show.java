package org.pdrecon.notebook;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.pdrecon.data.Volume;
import org.pdrecon.io.Previews;

/**
 * Rich output from notebook cells: {@code Show.volume(v)}, {@code Show.png(image)},
 * {@code Show.markdown("| table |")}. Cells run inside the kernel's JVM (JShell's local engine), so this
 * is the same class the kernel loaded and its sink is the kernel itself.
 */
public final class Show {
    private static volatile Consumer<Map<String, Object>> sink;

    private Show() {}

    /** Called by the kernel at start-up. */
    static void attach(Consumer<Map<String, Object>> kernel) {
        sink = kernel;
    }

    /** The three orthogonal mid-slices of a volume, in a window from its 1st to 99th percentile. */
    public static void volume(Volume v) {
        png(Previews.orthogonalSlices(v, Previews.defaultWindow(v.data())));
    }

    /** The three orthogonal mid-slices in a given window (e.g. the truth's, to compare methods). */
    public static void volume(Volume v, Previews.Window window) {
        png(Previews.orthogonalSlices(v, window));
    }

    public static void png(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) throw new IllegalArgumentException("no PNG writer for this image type");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        publish("image/png", Base64.getEncoder().encodeToString(bytes.toByteArray()), "<image " + image.getWidth() + "×" + image.getHeight() + ">");
    }

    public static void markdown(String markdown) {
        publish("text/markdown", markdown, markdown);
    }

    public static void html(String html) {
        publish("text/html", html, "[html]");
    }

    private static void publish(String mime, String data, String plain) {
        Consumer<Map<String, Object>> s = sink;
        if (s == null) throw new IllegalStateException("Show needs the pdrecon notebook kernel (pdrecon notebook install)");
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(mime, data);
        bundle.put("text/plain", plain);
        s.accept(bundle);
    }
}
