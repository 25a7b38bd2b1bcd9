package org.pdrecon.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.fields.FieldConfig;
import org.pdrecon.fields.NafFit;
import org.pdrecon.util.StrictJson;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The neural-field fit's options ({@code --method naf}). */
final class FieldOptions {
    @Option(names = "--lr", paramLabel = "LR", description = "naf: initial Adam learning rate, decayed by a cosine to 5%% of it (default: 0.02).")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "naf: initialisation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "naf: save the fit here every 50 steps and, if the file holds a fit of the same scan and settings, continue it.")
    Path checkpoint;

    @Option(names = "--field-config", paramLabel = "F.json",
            description = "naf: the field's shape, e.g. {\"levels\": 4, \"base_resolution\": 4, \"max_resolution\": 32, \"features\": 4,"
                    + " \"hidden\": 32, \"hidden_layers\": 2} (these are the defaults; absent keys keep them).")
    Path fieldConfig;

    /** The fit's settings with {@code iterations} steps; usage errors name the option. */
    NafFit.Settings settings(CommandLine cl, int iterations) {
        FieldConfig field = FieldConfig.defaults();
        if (fieldConfig != null) {
            try {
                field = FieldConfig.fromJson(StrictJson.parse(Files.readString(fieldConfig, StandardCharsets.UTF_8), fieldConfig.toString()));
            } catch (IOException e) {
                throw new CommandLine.ParameterException(cl, "--field-config: cannot read " + fieldConfig + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--field-config: " + e.getMessage());
            }
        }
        try {
            return new NafFit.Settings(field, iterations, learningRate == null ? NafFit.Settings.DEFAULT_LEARNING_RATE : learningRate, seed,
                    checkpoint, NafFit.Settings.defaults().checkpointEvery());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }
}
