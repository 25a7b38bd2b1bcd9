package org.pdrecon.learned;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.util.AtomicFiles;
import org.pdrecon.util.StrictJson;

/**
 * A trained model on disk: {@code <dir>/config.json} (the network sizes under {@code "model"}, plus any
 * extra description the trainer adds) and {@code <dir>/model.params} (DJL's parameter format, children
 * in their frozen order). Both files are written atomically.
 */
public final class ModelFiles {
    public static final String CONFIG = "config.json", PARAMS = "model.params";

    private ModelFiles() {}

    /** Writes the model; {@code extra} (may be null) is stored next to {@code "model"} in config.json. */
    public static void save(Path dir, PrimalDualNetwork model, JsonObject extra) throws IOException {
        JsonObject o = extra == null ? new JsonObject() : extra.deepCopy();
        o.addProperty("architecture", model.architecture());
        o.add("model", model.config().toJson());
        AtomicFiles.write(dir.resolve(PARAMS), out -> {
            DataOutputStream d = new DataOutputStream(out);
            model.saveParameters(d);
            d.flush();
        });
        AtomicFiles.writeString(dir.resolve(CONFIG), new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n");
    }

    /** Reads the model's sizes from {@code <dir>/config.json} (other keys are the trainer's and ignored here). */
    public static LearnedPrimalDualConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("model directory " + dir + " has no " + CONFIG);
        StrictJson j = StrictJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        String arch = j.optString("architecture", "");
        if (!arch.equals("learned_primal_dual")) {
            throw new IllegalArgumentException(file + ": architecture is \"" + arch + "\", this loader reads \"learned_primal_dual\"");
        }
        return LearnedPrimalDualConfig.fromJson(j.object("model"));
    }

    /** Loads a plain model saved by {@link #save}; its parameters live on {@code manager}'s device. */
    public static LearnedPrimalDual load(Path dir, NDManager manager) throws IOException {
        return loadParameters(dir, new LearnedPrimalDual(readConfig(dir)), manager);
    }

    /**
     * Loads a model of either variant ({@code "architecture"}: {@code "learned_primal_dual"} or
     * {@code "invertible_primal_dual"}); its parameters live on {@code manager}'s device.
     */
    public static PrimalDualNetwork loadNetwork(Path dir, NDManager manager) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("model directory " + dir + " has no " + CONFIG);
        StrictJson j = StrictJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        String arch = j.optString("architecture", "");
        String variant = switch (arch) {
            case "learned_primal_dual" -> "plain";
            case "invertible_primal_dual" -> "invertible";
            case UNetPostProcessing.ARCHITECTURE -> "unet";
            default -> throw new IllegalArgumentException(file + ": architecture is \"" + arch
                    + "\", this loader reads \"learned_primal_dual\", \"invertible_primal_dual\" and \"" + UNetPostProcessing.ARCHITECTURE + "\"");
        };
        return loadParameters(dir, PrimalDualNetwork.create(variant, LearnedPrimalDualConfig.fromJson(j.object("model"))), manager);
    }

    private static <T extends PrimalDualNetwork> T loadParameters(Path dir, T model, NDManager manager) throws IOException {
        Path params = dir.resolve(PARAMS);
        if (!Files.isRegularFile(params)) throw new IllegalArgumentException("model directory " + dir + " has no " + PARAMS);
        long size = Files.size(params);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(params))) {
            model.loadParameters(manager, new DataInputStream(in));
            if (in.read() != -1) throw new IOException(params + " has bytes past the end of the network's parameters: not the file saved with config.json");
        } catch (MalformedModelException e) {
            throw new IOException(params + " does not match config.json's network sizes: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new IOException(params + " is truncated (" + size + " bytes): it ends before all of the network's parameters are read", e);
        } catch (RuntimeException e) {
            // DJL reports a damaged stream as whatever its decoder hit (often with no message)
            throw new IOException(params + " cannot be read as this network's parameters (" + size + " bytes): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        return model;
    }
}
