package org.pdrecon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pdrecon} command. Each subcommand is a thin class that parses its options, calls one
 * library method and returns picocli's exit codes (0 OK, 1 failure, 2 usage).
 */
@Command(name = "pdrecon", mixinStandardHelpOptions = true, version = "pdrecon 0.1.0",
        description = "Learned cone-beam CT reconstruction.",
        footer = {"", "Many scans at once: ./pdrecon batch --manifest scans.csv --out DIR (module pdrecon-spark, Apache Spark; docs/scale-out.md)."},
        subcommands = {DemoCommand.class, InfoCommand.class, SimulateCommand.class, ReconstructCommand.class,
                FdkCommand.class, IterativeCommand.class, CompareCommand.class, ImportCommand.class, DicomCommand.class, NotebookCommand.class, ProjectCommand.class,
                PreviewCommand.class, BenchCommand.class, BenchmarkCommand.class, BaselineFiguresCommand.class, TrainCommand.class, EvaluateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A command line with pdrecon's error handling: bad input prints one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + ex.getMessage());
            if (Boolean.getBoolean("pdrecon.debug")) ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        try {
            org.pdrecon.util.Threads.validate(); // a bad thread setting is a usage error, not a failed class initialiser
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }
}
