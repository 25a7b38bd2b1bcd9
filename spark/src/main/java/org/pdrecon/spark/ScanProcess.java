package org.pdrecon.spark;

import org.pdrecon.cli.Main;

/**
 * The main class of a scan's JVM: {@code ScanProcess PARENT_PID reconstruct ARGS…} runs the {@code pdrecon} command
 * line as {@link Main} does, and ends itself within a fifth of a second if the process that started it (the
 * executor) is gone. Java does not end child processes with their parent, and a reconstruction orphaned by a
 * killed job would otherwise go on writing into a folder that the rerun is redoing.
 */
public final class ScanProcess {
    private ScanProcess() {}

    public static void main(String[] args) {
        // The handle, taken once, keeps the parent's start time: a later process reusing its PID is not mistaken for it.
        ProcessHandle parent = ProcessHandle.of(Long.parseLong(args[0])).orElse(null);
        Thread watchdog = new Thread(() -> {
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("error: the batch that started this scan is gone; stopping");
            Runtime.getRuntime().halt(3);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        String[] command = java.util.Arrays.copyOfRange(args, 1, args.length);
        System.exit(Main.commandLine().execute(command));
    }
}
