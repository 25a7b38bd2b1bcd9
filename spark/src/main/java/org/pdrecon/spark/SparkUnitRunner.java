package org.pdrecon.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.pdrecon.benchmark.BenchmarkRun;
import org.pdrecon.benchmark.UnitRunner;

/**
 * {@code benchmark --spark}: the grid's method × cell units as Spark tasks, each running the same
 * {@code CellWorker} process as a local benchmark, on one thread (one task per core: the table's thread columns say
 * so). A unit that fails does not stop the others; the first failure is reported once every unit has ended, and
 * finished volumes are kept for a rerun.
 */
public final class SparkUnitRunner implements UnitRunner {
    private final String master;

    SparkUnitRunner(String master) {
        this.master = master;
    }

    /** Registered in META-INF/services, so the core's {@code benchmark --spark} finds it. */
    public static final class Provider implements UnitRunner.Provider {
        @Override
        public String name() {
            return "spark";
        }

        @Override
        public UnitRunner create(String master) {
            return new SparkUnitRunner(master);
        }
    }

    @Override
    public void run(Path folder, List<Unit> units, Consumer<Unit> finished) throws IOException {
        String root = folder.toAbsolutePath().toString();
        SparkSession spark = SparkSessions.start("pdrecon benchmark", master, 1, Map.of());
        List<String> failures = new ArrayList<>();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.setJobDescription("pdrecon benchmark: " + units.size() + " method × cell units");
            List<String> outcomes = jsc.parallelize(units, units.size()).map(u -> {
                try {
                    BenchmarkRun.runUnit(Path.of(root), u, 1);
                    return "";
                } catch (Exception e) { // a row of its own, never a failed job: the other units go on
                    return String.valueOf(e.getMessage() != null ? e.getMessage() : e);
                }
            }).collect();
            for (int i = 0; i < units.size(); i++) {
                if (outcomes.get(i).isEmpty()) finished.accept(units.get(i));
                else failures.add(outcomes.get(i));
            }
        } finally {
            spark.stop();
        }
        if (!failures.isEmpty()) throw new IOException(failures.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more units failed)" : ""));
    }
}
