package org.pdrecon.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

class ScanSimulatorTest {
    private final ConeBeamGeometry geometry = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(16, 2.0))
            .setSodMm(300).setSddMm(500).setDetector(16, 24, 2.0, 2.0)
            .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(12, 0, 360)).build();
    private final Phantom phantom = SheppLogan3D.fittingRadius(14);

    @Test
    void noiselessScanIsTheRasterisedVolumeAndTheAnalyticProjections() {
        AtomicInteger last = new AtomicInteger();
        SimulatedScan scan = ScanSimulator.builder().setPhantom(phantom).setGeometry(geometry)
                .optVolumeSupersampling(2).optDetectorSupersampling(3).optThreads(2).optProgress(last::set).build().run();
        assertEquals(geometry.volume(), scan.groundTruth().grid());
        assertArrayEquals(Rasteriser.rasterise(phantom, geometry.volume(), 2, 1).data(), scan.groundTruth().data());
        assertArrayEquals(AnalyticProjector.project(phantom, geometry, 3, 1, null).data(), scan.projections().data());
        assertSame(scan.cleanProjections(), scan.projections());
        assertFalse(scan.noisy());
        assertEquals(12, last.get());
        assertEquals(0.02, scan.groundTruth().get(8, 8, 8), 1e-7); // brain next to the centre
    }

    @Test
    void noisyScanIsDeterministicForASeedAndThreadCount() {
        NoiseModel noise = NoiseModel.poisson(2000).withElectronicNoise(1.5);
        SimulatedScan a = ScanSimulator.builder().setPhantom(phantom).setGeometry(geometry).optNoise(noise, 5).optThreads(1).build().run();
        SimulatedScan b = ScanSimulator.builder().setPhantom(phantom).setGeometry(geometry).optNoise(noise, 5).optThreads(3).build().run();
        assertTrue(a.noisy());
        assertArrayEquals(a.projections().data(), b.projections().data());
        assertArrayEquals(a.groundTruth().data(), b.groundTruth().data());
        assertArrayEquals(noise.apply(a.cleanProjections(), 5, 1).data(), a.projections().data());
        assertFalse(java.util.Arrays.equals(a.cleanProjections().data(), a.projections().data()));
    }

    @Test
    void missingInputsAreNamed() {
        var ex = assertThrows(IllegalArgumentException.class, () -> ScanSimulator.builder().setGeometry(geometry).build());
        assertTrue(ex.getMessage().contains("phantom"));
        ex = assertThrows(IllegalArgumentException.class, () -> ScanSimulator.builder().setPhantom(phantom).build());
        assertTrue(ex.getMessage().contains("geometry"));
        ex = assertThrows(IllegalArgumentException.class,
                () -> ScanSimulator.builder().setPhantom(phantom).setGeometry(geometry).optDetectorSupersampling(0).build());
        assertTrue(ex.getMessage().contains("detector supersampling"));
    }
}
