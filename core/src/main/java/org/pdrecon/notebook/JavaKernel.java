package org.pdrecon.notebook;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * A Jupyter kernel for Java notebooks with pdrecon on the class path: the kernel protocol is
 * jjava-jupyter's ({@link BaseKernel}), cells are evaluated by the JDK's JShell.
 *
 * <p>JShell runs in its <em>local</em> execution engine, inside this JVM: cells see pdrecon's classes
 * as loaded here, {@link Show} reaches the kernel directly, and a cell's last value comes back as an
 * object (an image is shown as a picture). A cell is split into complete snippets and run in order;
 * the first compile error or exception ends it and is reported as the cell's error, so a headless run
 * ({@code jupyter nbconvert --execute}) fails on it.
 */
public final class JavaKernel extends BaseKernel {
    /** A snippet javac rejected. */
    static final class CompilationException extends RuntimeException {
        CompilationException(String message) {
            super(message, null, false, false);
        }
    }

    /** A snippet threw; the message names the exception class. */
    static final class CellException extends RuntimeException {
        CellException(String message) {
            super(message, null, false, false);
        }
    }

    private static final String VERSION = java.util.Objects.requireNonNullElse(JavaKernel.class.getPackage().getImplementationVersion(), "dev");

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private volatile boolean interrupted;

    private JavaKernel(Builder b) {
        super("pdrecon", VERSION,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java", "script"),
                List.of(), null, b.io(), b.comm(), b.renderer(), null, b.magics(), false, b.styler());
        // JShell's own messages go to the kernel's stderr; cells write to System.out, which BaseKernel
        // points at the notebook while a cell runs.
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        shell = JShell.builder().executionEngine("local").out(log).err(log).build();
        // javac inside JShell compiles against an explicit class path: this JVM's (pdrecon and its libraries).
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) shell.addToClasspath(entry);
        }
        analysis = shell.sourceCodeAnalysis();
        Show.attach(bundle -> {
            DisplayData d = new DisplayData();
            for (Map.Entry<String, Object> e : bundle.entrySet()) d.putData(e.getKey(), e.getValue());
            display(d);
        });
        shell.eval("import java.util.*;");
        shell.eval("import java.nio.file.*;");
        shell.eval("import org.pdrecon.notebook.Show;");
    }

    /** Serves the kernel on the connection file Jupyter gives; returns when Jupyter closes it. */
    public static void serve(Path connectionFile) throws Exception {
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);
        JavaKernel kernel = new Builder().build();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.onStartup();
        connection.waitUntilClose();
    }

    @Override
    public String getBanner() {
        return "pdrecon " + VERSION + " on Java " + Runtime.version() + " (JShell)";
    }

    @Override
    public Object evalRaw(String code) {
        CellValue.take();
        interrupted = false;
        String remaining = code;
        SnippetEvent last = null;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == Completeness.EMPTY) break;
            String source;
            if (info.completeness().isComplete()) {
                source = info.source();
                remaining = info.remaining();
            } else {
                source = remaining; // incomplete: let javac say what is wrong with the rest
                remaining = "";
            }
            last = evalSnippet(source);
            // JShell reports a stopped snippet as finished: make it the cell's error.
            if (interrupted) throw new CellException("interrupted");
        }
        return last == null ? null : lastValue(last);
    }

    private SnippetEvent evalSnippet(String source) {
        SnippetEvent primary = null;
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() != null) continue; // a dependent snippet updated, not this one
            primary = event;
            if (event.status() == Snippet.Status.REJECTED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                throw new CompilationException(diagnostics(event.snippet()));
            }
            JShellException e = event.exception();
            if (e != null) {
                String name = e instanceof EvalException ev ? ev.getExceptionClassName() : e.getClass().getSimpleName();
                throw new CellException(e.getMessage() == null ? name : name + ": " + e.getMessage());
            }
        }
        return primary;
    }

    private String diagnostics(Snippet snippet) {
        String text = shell.diagnostics(snippet).map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
        if (!text.isEmpty()) return text;
        if (snippet instanceof jdk.jshell.DeclarationSnippet declaration) {
            return "unresolved: " + shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
        }
        return "rejected: " + snippet.source().strip();
    }

    /** The last snippet's value as an object when it is an expression, else nothing. */
    private Object lastValue(SnippetEvent event) {
        Snippet s = event.snippet();
        String name;
        if (s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) name = ((VarSnippet) s).name();
        else if (s.kind() == Snippet.Kind.EXPRESSION) name = ((ExpressionSnippet) s).name();
        else return null;
        for (SnippetEvent e : shell.eval("org.pdrecon.notebook.CellValue.keep(" + name + ");")) {
            if (e.causeSnippet() == null) shell.drop(e.snippet());
        }
        Object[] kept = CellValue.take();
        if (!Boolean.TRUE.equals(kept[0])) return event.value();
        if (kept[1] instanceof java.awt.image.RenderedImage image) {
            Show.png(image); // a picture, with its size as the text form
            return null;
        }
        return kept[1];
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CompilationException || e instanceof CellException) {
            List<String> lines = new ArrayList<>();
            lines.add(errorStyler.primary(e instanceof CompilationException ? "compilation failed:" : "the cell threw:"));
            for (String line : e.getMessage().split("\n")) lines.add(errorStyler.secondary(line));
            return lines;
        }
        return super.formatError(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(code, at, extraDetail);
        return docs.isEmpty() ? null
                : new DisplayData(docs.stream().map(SourceCodeAnalysis.Documentation::signature).collect(Collectors.joining("\n")));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<String> options = analysis.completionSuggestions(code, at, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().collect(Collectors.toList());
        return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        Completeness c = analysis.analyzeCompletion(code).completeness();
        if (c.isComplete() || c == Completeness.EMPTY) return IS_COMPLETE_YES;
        if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) return IS_COMPLETE_MAYBE;
        return IS_COMPLETE_BAD;
    }

    @Override
    public void interrupt() {
        interrupted = true;
        shell.stop();
    }

    @Override
    public void onShutdown(boolean restart) {
        shell.close();
    }

    /** Exposes the builder's factories (they are protected in jjava-jupyter). */
    private static final class Builder extends BaseKernelBuilder<Builder, JavaKernel> {
        @Override
        public JavaKernel build() {
            return new JavaKernel(this);
        }

        org.dflib.jjava.jupyter.kernel.JupyterIO io() { return buildJupyterIO(buildJupyterIOEncoding()); }
        org.dflib.jjava.jupyter.kernel.comm.CommManager comm() { return buildCommManager(); }
        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() { return buildRenderer(); }
        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() { return buildMagicsRegistry(); }
        org.dflib.jjava.jupyter.kernel.util.StringStyler styler() { return buildErrorStyler(); }
    }
}
