package org.pdrecon.reconstruct;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FDK;
import org.pdrecon.fields.ConditionedField;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.metrics.Masks;
import org.pdrecon.learned.ModelEnvelope;

/**
 * A trained {@link ConditionedField} behind the {@link Reconstructor} contract ({@code --method condcbnt
 * --model DIR}): the conditioning is fitted to each scan with the backbone frozen. The envelope rule is
 * learned primal-dual's: a scan outside the model's geometry, or whose FDK's attenuation scale lies
 * outside what the model saw, is refused in one line unless forced (then each finding is a warning).
 */
public final class ConditionedFieldReconstructor implements Reconstructor {
    private final ConditionedField model;
    private final String name;
    private final ModelEnvelope envelope; // null: the model states none
    private final int steps;
    private boolean force;
    private final List<String> warnings = new ArrayList<>();

    private ConditionedFieldReconstructor(ConditionedField model, String name, ModelEnvelope envelope, int steps) {
        this.model = model;
        this.name = name;
        this.envelope = envelope;
        this.steps = steps;
    }

    /**
     * @param steps conditioning steps; ≤ 0 for the model's own
     */
    public static ConditionedFieldReconstructor load(Path dir, int steps) throws IOException {
        ConditionedField m = ConditionedField.load(dir);
        JsonObject root = JsonParser.parseString(Files.readString(dir.resolve(ConditionedField.CONFIG), StandardCharsets.UTF_8)).getAsJsonObject();
        return new ConditionedFieldReconstructor(m, String.valueOf(dir.toAbsolutePath().normalize().getFileName()), ModelEnvelope.fromJson(root), steps);
    }

    public ConditionedFieldReconstructor setForce(boolean force) {
        this.force = force;
        return this;
    }

    /** Envelope findings of forced runs. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public ConditionedField model() {
        return model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        String d = model.describe(name);
        return steps > 0 ? d.replaceFirst(", \\d+ steps,", ", " + steps + " steps,") : d;
    }

    @Override
    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, Progress progress) {
        List<String> outside = envelope == null ? new ArrayList<>() : new ArrayList<>(envelope.geometryViolations(geometry));
        if (!outside.isEmpty() && !force) throw refusal(outside);
        if (envelope != null) {
            Volume fdk = new FDK().reconstruct(projections, geometry);
            String mu = envelope.attenuationViolation(ModelEnvelope.muScale(fdk.data(), ModelEnvelope.scaleMask(geometry)));
            if (mu != null) outside.add(mu);
            if (!outside.isEmpty() && !force) throw refusal(outside);
            for (String o : outside) warnings.add("outside the envelope of model " + name + " (run with --force): " + o);
        }
        Progress p = progress == null ? Progress.NONE : progress;
        return model.fit(projections, geometry, steps, (done, total, loss) -> {
            p.status(String.format(Locale.ROOT, "loss %.3e", loss));
            p.update(done, total);
        }).field().toVolume();
    }

    private IllegalArgumentException refusal(List<String> outside) {
        return LearnedReconstructor.refusal(name, outside);
    }
}
