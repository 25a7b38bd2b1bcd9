package org.pdrecon.preprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.dicom.RtImageWriter;
import org.pdrecon.io.dicom.SeriesInfo;

/** ClinicalScan's own decisions, on RT Images written by pdrecon: empty views and the quality gate. */
class ClinicalScanTest {
    @TempDir Path tmp;

    /** 12 independent frames, air 20000 at the edges and 8000 behind the object; frame {@code empty} has no signal. */
    private Path write(int empty) throws Exception {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(6, 10, 1, 1).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(12, 0, 360)).build();
        ProjectionStack p = ProjectionStack.zeros(12, 6, 10);
        for (int v = 0; v < 12; v++) {
            for (int i = 0; i < 60; i++) {
                int col = i % 10;
                p.data()[v * 60 + i] = v == empty ? 0 : col < 2 || col > 7 ? 20000 : 8000 + 100 * v;
            }
        }
        Path dir = tmp.resolve("scan" + empty);
        RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g, dir, SeriesInfo.anonymous("clinical scan test"));
        return dir;
    }

    @Test
    void aViewWithNoSignalIsDroppedAndSaid() throws Exception {
        ClinicalScan.Result r = ClinicalScan.load(write(4), new ClinicalScan.Options(null, LineIntegrals.givenI0(20000), false, null, 1, null));
        assertEquals(11, r.lineIntegrals().views());
        assertEquals(11, r.geometry().views());
        String report = String.join("\n", r.report());
        assertTrue(report.contains("frames: dropped view 4 (120.000°): no signal"), report);
        assertEquals(-Math.log(8000 / 20000.0), r.lineIntegrals().get(0, 0, 5), 1e-3);
    }

    /**
     * A clean low-count scan (I0 = 1000 photons, σ ≈ 3 % in air, 40 % of the detector air) with I0 from the
     * edges: about 5 % of the air pixels read below −0.05 by noise alone, which a fixed limit refused; the
     * gate's limit follows the measured noise, so it passes.
     */
    @Test
    void noiseAloneDoesNotFailTheGate() throws Exception {
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 1.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(20, 40, 1, 1).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(24, 0, 360)).build();
        ProjectionStack p = ProjectionStack.zeros(24, 20, 40);
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < p.data().length; i++) {
            int col = i % 40;
            double mean = col < 8 || col >= 32 ? 1000 : 1000 * Math.exp(-0.5);
            p.data()[i] = (float) Math.max(0, Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
        }
        Path dir = tmp.resolve("noisy");
        RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g, dir, SeriesInfo.anonymous("noisy"));
        ClinicalScan.Result r = ClinicalScan.load(dir, new ClinicalScan.Options(null, null, false, null, 1, null));
        assertEquals(24, r.lineIntegrals().views());
        long below = 0;
        for (float v : r.lineIntegrals().data()) if (v < -0.05) below++;
        assertTrue(below > 0.01 * r.lineIntegrals().data().length, "the case must be one a fixed −0.05 limit refuses: " + below);
        assertTrue(QualityGate.airNoise(r.lineIntegrals()) > 0.025, "σ of p in air ≈ 1/√1000");
    }

    @Test
    void theQualityGateRefusesAnI0BelowTheAirSignalUnlessForced() throws Exception {
        Path dir = write(-1);
        QualityGate.Refused e = assertThrows(QualityGate.Refused.class,
                () -> ClinicalScan.load(dir, new ClinicalScan.Options(null, LineIntegrals.givenI0(9000), false, null, 1, null)));
        assertTrue(e.getMessage().contains("40.00% of the line integrals are below -0.05"), e.getMessage());
        ClinicalScan.Result r = ClinicalScan.load(dir, new ClinicalScan.Options(null, LineIntegrals.givenI0(9000), false, null, 1, null,
                null, null, null, true));
        assertTrue(String.join("\n", r.report()).contains("quality gate overridden by --force: 40.00% of the line integrals"), r.report().toString());
    }
}
