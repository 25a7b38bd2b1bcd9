package org.pdrecon.util;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of a child JVM that runs a pdrecon main class with this process's Java, JVM options and
 * class path. Work that must keep its own memory figure, or must not take this process down when native
 * code fails (a benchmark cell, one scan of a batch), runs in such a child.
 *
 * <p>The class path is {@code -Dpdrecon.runtime.classpath} when set (the tests), else this JVM's
 * {@code java.class.path} plus the jar this class was loaded from, which differs on a Spark executor: there
 * the application jar is loaded by Spark's class loader and is not on {@code java.class.path}.
 */
public final class JavaProcess {
    private JavaProcess() {}

    /**
     * @param extraJvmOptions options after this JVM's own (a later {@code -Dname=value} wins)
     * @param mainClass the class whose {@code main} the child runs
     * @param args its arguments
     */
    public static List<String> command(List<String> extraJvmOptions, Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) if (inherited(a)) command.add(a);
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /** Whether a child takes this JVM option: not agents (a debugger, a profiler) nor a JMX port, which one process at a time can hold. */
    static boolean inherited(String option) {
        return !option.startsWith("-agentlib:") && !option.startsWith("-agentpath:") && !option.startsWith("-javaagent:")
                && !option.startsWith("-Dcom.sun.management.jmxremote");
    }

    /** The class path a child JVM needs to run pdrecon's classes. */
    public static String classPath() {
        String configured = System.getProperty("pdrecon.runtime.classpath");
        if (configured != null && !configured.isBlank()) return configured;
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        try {
            var source = JavaProcess.class.getProtectionDomain().getCodeSource();
            if (source != null) entries.add(Path.of(source.getLocation().toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // a class loaded from somewhere that is not a file: java.class.path alone must do
        }
        entries.remove("");
        return String.join(File.pathSeparator, entries);
    }
}
