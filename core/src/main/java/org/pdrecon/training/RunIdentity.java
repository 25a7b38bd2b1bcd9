package org.pdrecon.training;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Compares the identities stored in checkpoints ({@link TrainingConfig#identity()} as JSON text).
 * Everything that shapes the model, the data or the optimiser must match for a resume; only the run's
 * length may change, so a run can be shortened or extended (its cosine schedule then spans the new length).
 */
final class RunIdentity {
    private RunIdentity() {}

    /** Whether two identities describe the same run apart from {@code steps}. */
    static boolean sameApartFromSteps(String a, String b) {
        return withoutSteps(a).equals(withoutSteps(b));
    }

    /** The {@code steps} recorded in an identity. */
    static long steps(String identity) {
        return JsonParser.parseString(identity).getAsJsonObject().get("steps").getAsLong();
    }

    private static JsonObject withoutSteps(String identity) {
        JsonObject o = JsonParser.parseString(identity).getAsJsonObject();
        o.remove("steps");
        return o;
    }
}
