package org.pdrecon.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.cli.CliRun;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.io.MetaImage;
import org.pdrecon.learned.ModelEnvelope;

/**
 * The shipped models state their envelope and refuse what lies outside it: the cases, a scan of
 * the model's own geometry with μ scaled by 0.05 (MV/EPID-like attenuation), and fewer views.
 */
class ModelEnvelopeTest {
    @TempDir Path tmp;

    @Test
    void aTinyRunMeasuresItsEnvelopeAndTheJsonRoundTrips() throws Exception {
        TrainingConfig cfg = TrainingConfig.parse(TrainerTest.tinyConfig(2, 100, 1e-3), "test");
        SimulatedTrainingData data = new SimulatedTrainingData(cfg.data(), cfg.seed());
        ModelEnvelope e = ModelEnvelope.measure(data.geometry(), i -> data.sample(i).initial(), cfg.data().noiseI0());
        ModelEnvelope back = ModelEnvelope.fromJson(wrap(e));
        assertEquals(e.toJson(), back.toJson());
        ConeBeamGeometry g = data.geometry();
        assertTrue(back.geometryViolations(g).isEmpty(), back.geometryViolations(g).toString());
        double typical = ModelEnvelope.muScale(data.sample(500).initial(), org.pdrecon.metrics.Masks.fullySeenCylinder(g));
        assertNull(back.attenuationViolation(typical), "a held-out sample drawn like the training data is inside");
        assertTrue(back.attenuationViolation(0.05 * typical).startsWith("attenuation scale"), back.attenuationViolation(0.05 * typical));
        ConeBeamGeometry fewer = ConeBeamGeometry.circular().setVolume(g.volume()).setSodMm(40).setSddMm(70).setDetector(1, 24, 1, 1)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(5, 0, 360)).build();
        assertEquals(java.util.List.of("views 5 (model: 10)"), back.geometryViolations(fewer));
    }

    @Test
    void theShippedConeModelRefusesMvScaleAttenuationAndFewerViewsUnlessForced() throws Exception {
        TrainingConfig cfg = TrainingConfig.load(Path.of("training-configs/lpd-cone.json"));
        SimulatedTrainingData data = new SimulatedTrainingData(cfg.data(), 4242);
        TrainingSample s = data.sample(0);
        float[] y = s.projections().clone();
        for (int i = 0; i < y.length; i++) y[i] *= 0.05f;
        ConeBeamGeometry g = data.geometry();
        Path p = tmp.resolve("p.mha"), geo = tmp.resolve("g.json"), out = tmp.resolve("v.mha");
        MetaImage.writeProjections(p, new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), y), g);
        GeometryJson.write(geo, g);
        var r = CliRun.of("reconstruct", "--projections", p.toString(), "--geometry", geo.toString(), "--model", "models/lpd-cone",
                "--out", out.toString(), "--quiet");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("the scan lies outside what model lpd-cone was trained on: attenuation scale"), r.err());
        assertFalse(out.toFile().exists());
        r = CliRun.of("reconstruct", "--projections", p.toString(), "--geometry", geo.toString(), "--model", "models/lpd-cone",
                "--force", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: outside the envelope of model lpd-cone (run with --force): attenuation scale"), r.err());

        ConeBeamGeometry sixteen = ConeBeamGeometry.circular().setVolume(g.volume()).setSodMm(1000).setSddMm(1500).setDetector(48, 48, 8, 8)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(16, 0, 360)).build();
        MetaImage.writeProjections(p, ProjectionStack.zeros(16, 48, 48), sixteen);
        GeometryJson.write(geo, sixteen);
        r = CliRun.of("reconstruct", "--projections", p.toString(), "--geometry", geo.toString(), "--model", "models/lpd-cone",
                "--out", out.toString(), "--quiet");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("outside what model lpd-cone was trained on: views 16 (model: 32)"), r.err());
    }

    private static com.google.gson.JsonObject wrap(ModelEnvelope e) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.add("envelope", e.toJson());
        return o;
    }
}
