package org.pdrecon.learned;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.util.AtomicFiles;

/**
 * ‖A‖ per scan geometry, kept on disk. Its estimate ({@link ModelGeometry#NORM_ITERATIONS} power iterations)
 * applies A and Aᵀ thirty times each, more than a learned reconstruction does itself, and at clinical size
 * one pass costs tens of seconds (docs/learned.md, "Inference at clinical size"); a clinic's scans share a
 * few protocol geometries, so each pays it once.
 *
 * <p>The key is the SHA-256 of the geometry's {@code geometry.json} text (every view, the detector and the
 * volume), the operator's kind and the iteration count; a file holds them all and is used only if they
 * match, so a stale or foreign file is recomputed and rewritten, never trusted. Files are written atomically.
 * Where: {@code -Dpdrecon.cache=DIR}, else {@code $PDRECON_CACHE}, else {@code $XDG_CACHE_HOME/pdrecon}, else
 * {@code ~/.cache/pdrecon}, in {@code operator-norms/}; the value {@code off} turns the cache off. A cache
 * that cannot be written is skipped (the estimate is returned all the same).
 */
public final class OperatorNormCache {
    private OperatorNormCache() {}

    /** ‖A‖ of {@code operatorKind} on {@code g}: from the cache, or {@code estimate}d and stored. */
    public static double normFor(ConeBeamGeometry g, String operatorKind, DoubleSupplier estimate) {
        Optional<Path> dir = directory();
        if (dir.isEmpty()) return estimate.getAsDouble();
        String geometry = GeometryJson.toJson(g);
        String sha = sha256(geometry + "\n" + operatorKind + "\n" + ModelGeometry.NORM_ITERATIONS);
        Path file = dir.get().resolve("operator-norms").resolve(sha + ".json");
        Double cached = read(file, sha);
        if (cached != null) return cached;
        double norm = estimate.getAsDouble();
        JsonObject o = new JsonObject();
        o.addProperty("key_sha256", sha);
        o.addProperty("operator", operatorKind);
        o.addProperty("iterations", ModelGeometry.NORM_ITERATIONS);
        o.addProperty("norm", norm);
        try {
            AtomicFiles.write(file, out -> out.write(o.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            // A read-only or full disk costs the next scan another estimate, nothing more.
        }
        return norm;
    }

    /** Where the norms are kept, for {@code pdrecon info}. */
    public static String describe() {
        return directory().map(d -> d.resolve("operator-norms").toString()).orElse("off");
    }

    /** Where the cache lives, or empty when it is off. */
    static Optional<Path> directory() {
        String dir = System.getProperty("pdrecon.cache");
        if (dir == null || dir.isBlank()) dir = System.getenv("PDRECON_CACHE");
        if (dir != null && !dir.isBlank()) return dir.trim().toLowerCase(Locale.ROOT).equals("off") ? Optional.empty() : Optional.of(Path.of(dir));
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Optional.of(Path.of(xdg, "pdrecon"));
        return Optional.of(Path.of(System.getProperty("user.home"), ".cache", "pdrecon"));
    }

    private static Double read(Path file, String sha) {
        try {
            if (!Files.isRegularFile(file)) return null;
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!sha.equals(o.get("key_sha256").getAsString())) return null;
            double norm = o.get("norm").getAsDouble();
            return norm > 0 && Double.isFinite(norm) ? norm : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or not ours: estimate again and overwrite
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
