package org.pdrecon.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The one place pdrecon starts Spark: the master, the app name and settings for a machine-local run. */
final class SparkSessions {
    private SparkSessions() {}

    /**
     * @param master a master URL, or {@code null} to take spark-submit's ({@code spark.master}) else {@code local[*]}
     * @param threadsPerTask {@code spark.task.cpus}: each task's share of an executor's cores
     * @param conf further Spark settings ({@code --conf key=value})
     */
    static SparkSession start(String appName, String master, int threadsPerTask, Map<String, String> conf) {
        SparkConf sc = new SparkConf().setAppName(appName);
        String m = master != null ? master : sc.get("spark.master", "local[*]");
        sc.setMaster(m);
        if (m.startsWith("local")) {
            // One machine: no reliance on the host name resolving.
            sc.setIfMissing("spark.driver.bindAddress", "127.0.0.1").setIfMissing("spark.driver.host", "localhost");
        }
        sc.set("spark.task.cpus", Integer.toString(threadsPerTask));
        sc.setIfMissing("spark.ui.showConsoleProgress", "false"); // pdrecon prints its own progress bar
        conf.forEach(sc::set);
        // Not even by --conf: a speculative second attempt of a scan would empty the folder the first is still writing.
        sc.set("spark.speculation", "false");
        return SparkSession.builder().config(sc).getOrCreate();
    }
}
