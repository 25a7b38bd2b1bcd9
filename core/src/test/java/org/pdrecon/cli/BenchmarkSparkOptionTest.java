package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core jar alone has no Spark: {@code benchmark --spark} says in one line how to get it, before any work. */
class BenchmarkSparkOptionTest {
    @TempDir
    Path tmp;

    @Test
    void withoutTheSparkModuleTheCoreSaysHowToGetIt() {
        CliRun r = CliRun.of("benchmark", "--config", "benchmarks/ci.json", "-o", tmp.resolve("out").toString(), "--spark");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--spark needs the pdrecon-spark module") && r.err().contains("./pdrecon"), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing was started");
    }
}
