package org.pdrecon.spark;

import org.pdrecon.cli.Main;
import picocli.CommandLine;

/**
 * The {@code pdrecon} command with the Spark module's additions: every core command plus {@code batch}. The
 * launcher runs it for {@code batch} and {@code benchmark --spark}; spark-submit runs it as the main class.
 */
public final class SparkMain {
    private SparkMain() {}

    public static CommandLine commandLine() {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("batch", new BatchCommand());
        cl.addSubcommand("batch-bench", new BatchBenchCommand());
        return cl;
    }

    public static void main(String[] args) {
        try {
            org.pdrecon.util.Threads.validate();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }
}
