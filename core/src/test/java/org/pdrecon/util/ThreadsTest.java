package org.pdrecon.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadsTest {
    @AfterEach
    void clear() {
        System.clearProperty(Threads.JAVA_PROPERTY);
        System.clearProperty(Threads.TORCH_PROPERTY);
    }

    @Test
    void propertiesSetBothPoolsAndTorchFollowsJavaUnlessSet() {
        System.setProperty(Threads.JAVA_PROPERTY, "3");
        assertEquals(3, Threads.java());
        if (System.getenv(Threads.TORCH_ENV) == null) assertEquals(3, Threads.torch());
        System.setProperty(Threads.TORCH_PROPERTY, "1");
        assertEquals(1, Threads.torch());
        assertTrue(Threads.describe().contains("java pools 3 (-Dpdrecon.threads)"), Threads.describe());
        assertTrue(Threads.describe().contains("libtorch intra-op 1 (-Dpdrecon.torch.threads)"), Threads.describe());
    }

    @Test
    void aBadValueIsAnErrorNamingTheSetting() {
        System.setProperty(Threads.JAVA_PROPERTY, "0");
        var e = assertThrows(IllegalArgumentException.class, Threads::java);
        assertEquals("-Dpdrecon.threads must be a positive integer, got '0'", e.getMessage());
        System.setProperty(Threads.JAVA_PROPERTY, "two");
        assertThrows(IllegalArgumentException.class, Threads::java);
    }
}
