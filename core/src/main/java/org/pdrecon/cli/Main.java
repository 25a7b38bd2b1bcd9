package org.pdrecon.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pdrecon} command. Each subcommand is a thin class that parses its options, calls one
 * library method and returns picocli's exit codes (0 OK, 1 failure, 2 usage).
 */
@Command(name = "pdrecon", mixinStandardHelpOptions = true, version = "pdrecon 0.1.0",
        description = "Learned cone-beam CT reconstruction.",
        footer = {"", "Many scans at once: ./pdrecon batch --manifest scans.csv --out DIR (module pdrecon-spark, Apache Spark; docs/scale-out.md)."})
public final class Main implements Callable<Integer> {
    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, InfoCommand.class, SimulateCommand.class, ReconstructCommand.class,
            FdkCommand.class, IterativeCommand.class, CompareCommand.class, ImportCommand.class, DicomCommand.class, NotebookCommand.class,
            ProjectCommand.class, PreviewCommand.class, BenchCommand.class, BenchmarkCommand.class, BaselineFiguresCommand.class, TrainCommand.class,
            EvaluateCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A command line with every subcommand and pdrecon's error handling: bad input prints one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand, only that one is built. picocli
     * reads every subcommand's options by reflection as it builds them, about 0.1 s of each start for all of them
     * (docs/fdk.md); help and unknown names get them all.
     */
    static CommandLine forArguments(String[] args) {
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                Command command = c.getAnnotation(Command.class);
                if (c != CommandLine.HelpCommand.class && command.name().equals(args[0])) return commandLine(List.of(c));
            }
        }
        return commandLine();
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : subcommands) cl.addSubcommand(c);
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
        System.exit(forArguments(args).execute(args));
    }
}
