package org.pdrecon.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.pdrecon.fields.FieldConfig;
import org.pdrecon.fields.NafFit;
import org.pdrecon.util.StrictJson;

/** A benchmark method entry: a neural field's own keys reach its fit, and nobody else accepts them. */
class BenchmarkMethodTest {
    static BenchmarkMethod parse(String json) {
        return BenchmarkMethod.fromJson(StrictJson.parse(json, "method"));
    }

    @Test
    void nafKeysReachTheFieldFit() {
        NafFit.Settings s = parse("{\"method\": \"naf\", \"iterations\": 120, \"learning_rate\": 0.005, \"seed\": 7,"
                + " \"field\": {\"levels\": 3, \"max_resolution\": 16}}").settings().field();
        assertEquals(120, s.iterations());
        assertEquals(0.005, s.learningRate());
        assertEquals(7, s.seed());
        assertEquals(new FieldConfig(3, 4, 16, 4, 32, 2), s.field());
        assertEquals(NafFit.Settings.defaults(), parse("{\"method\": \"naf\"}").settings().field(), "defaults: 400 steps, lr 0.02, seed 0");
    }

    @Test
    void otherMethodsRefuseTheFieldKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("{\"method\": \"sirt\", \"learning_rate\": 0.01}"));
        assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("{\"method\": \"naf\", \"field\": {\"level\": 3}}"));
    }
}
