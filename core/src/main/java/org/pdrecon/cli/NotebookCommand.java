package org.pdrecon.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdrecon.notebook.JavaKernel;
import org.pdrecon.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pdrecon notebook}: the Java Jupyter kernel with pdrecon on its class path (docs/notebooks.md). */
@Command(name = "notebook", mixinStandardHelpOptions = true,
        description = {"Java notebooks with pdrecon: 'install' registers the kernel with Jupyter, 'kernel' is what Jupyter starts.",
                "Then: jupyter lab notebooks/  (or: jupyter nbconvert --execute --to notebook notebooks/01-quickstart.ipynb)"},
        subcommands = {NotebookCommand.Install.class, NotebookCommand.Kernel.class})
public final class NotebookCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Writes the kernelspec {@code pdrecon/kernel.json}: Jupyter starts {@code ./pdrecon notebook kernel}. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Register the kernel 'pdrecon' (Java with pdrecon) with Jupyter.")
    public static final class Install implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Jupyter data directory to install into (default: $JUPYTER_DATA_DIR, else ~/.local/share/jupyter)")
        Path dir;

        @Override
        public Integer call() throws IOException {
            String home = System.getProperty("pdrecon.home");
            if (home == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "run this through the ./pdrecon launcher: the kernelspec names it");
            }
            Path data = dir != null ? dir : System.getenv("JUPYTER_DATA_DIR") != null ? Path.of(System.getenv("JUPYTER_DATA_DIR"))
                    : Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
            Path spec = data.resolve("kernels").resolve("pdrecon").resolve("kernel.json");
            Files.createDirectories(spec.getParent());
            Map<String, Object> json = Map.of(
                    "argv", List.of(Path.of(home, "pdrecon").toAbsolutePath().toString(), "notebook", "kernel", "{connection_file}"),
                    "display_name", "Java (pdrecon)", "language", "java", "interrupt_mode", "message");
            String text = new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n";
            AtomicFiles.write(spec, text.getBytes(StandardCharsets.UTF_8));
            this.spec.commandLine().getOut().printf("installed kernel 'pdrecon' in %s%n", spec.getParent());
            return 0;
        }
    }

    /** What Jupyter runs: serves one kernel on the given connection file. */
    @Command(name = "kernel", mixinStandardHelpOptions = true, description = "Serve the kernel (started by Jupyter).")
    public static final class Kernel implements Callable<Integer> {
        @Parameters(paramLabel = "CONNECTION_FILE", description = "the connection file Jupyter passes")
        Path connection;

        @Override
        public Integer call() throws Exception {
            JavaKernel.serve(connection);
            return 0;
        }
    }
}
