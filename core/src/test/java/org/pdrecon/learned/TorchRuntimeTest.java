package org.pdrecon.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;
import org.pdrecon.util.Threads;

class TorchRuntimeTest {
    @Test
    void buildingANetworkSwitchesOneDnnOffAndSetsLibtorchThreads() {
        UpdateCnn.builder().setDimensions(2).setOutputChannels(5).build();
        assertFalse(TorchRuntime.oneDnnEnabled());
        assertEquals(Threads.torch(), JniUtils.getNumThreads());
        assertEquals(1, JniUtils.getNumInteropThreads());
        assertTrue(TorchRuntime.describe().contains("oneDNN off"), TorchRuntime.describe());
    }

    @Test
    void theSwitchReachesLibtorchBothWays() {
        TorchRuntime.configure();
        try {
            TorchRuntime.setOneDnn(true);
            assertTrue(TorchRuntime.oneDnnEnabled());
        } finally {
            TorchRuntime.setOneDnn(false);
        }
        assertFalse(TorchRuntime.oneDnnEnabled());
    }
}
