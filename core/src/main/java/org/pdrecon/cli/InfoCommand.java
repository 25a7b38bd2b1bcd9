package org.pdrecon.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.pdrecon.learned.TorchRuntime;
import org.pdrecon.util.Threads;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pdrecon info}: engine, versions, devices, threads and memory. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the deep-learning engine, versions, devices, threads (who sets them: docs/autodiff.md), oneDNN and memory.")
public final class InfoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        out.printf("pdrecon        %s%n", spec.root().version()[0]);
        out.printf("java           %s (%s)%n", System.getProperty("java.version"), System.getProperty("java.vm.name"));
        out.printf("os             %s %s%n", System.getProperty("os.name"), System.getProperty("os.arch"));
        out.printf("cpu threads    %d%n", rt.availableProcessors());
        out.printf("jvm heap max   %.1f GiB%n", rt.maxMemory() / (1024.0 * 1024 * 1024));
        Engine engine = Engine.getEngine("PyTorch");
        out.printf("engine         %s %s (DJL %s)%n", engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion());
        out.printf("gpus           %d%n", engine.getGpuCount());
        StringBuilder devices = new StringBuilder(Device.cpu().toString());
        for (int i = 0; i < engine.getGpuCount(); i++) devices.append(", ").append(Device.gpu(i));
        out.printf("devices        %s%n", devices);
        out.printf("default device %s%n", engine.defaultDevice());
        out.printf("threads        %s%n", Threads.describe());
        out.printf("libtorch       %s%n", TorchRuntime.describe());
        String preload = System.getenv("LD_PRELOAD"), tunables = System.getenv("GLIBC_TUNABLES");
        out.printf("allocator      %s%n", preload != null && preload.contains("jemalloc") ? "jemalloc (" + System.getenv("MALLOC_CONF") + ")"
                : tunables != null && tunables.contains("hugetlb") ? "glibc with transparent huge pages (" + tunables + ")" : "glibc (system)");
        out.printf("‖A‖ cache      %s%n", org.pdrecon.learned.OperatorNormCache.describe());
        out.flush();
        return 0;
    }
}
