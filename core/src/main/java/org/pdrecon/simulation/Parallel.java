package org.pdrecon.simulation;

import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * Runs {@code body(i)} for {@code i = 0 … n−1} on a fixed pool. Each index must write only its own
 * part of the output, so results do not depend on scheduling or thread count.
 */
final class Parallel {
    private Parallel() {}

    /** {@link org.pdrecon.util.Threads#java()}: one per core unless set. */
    static int defaultThreads() {
        return org.pdrecon.util.Threads.java();
    }

    /**
     * @param progress receives the number of finished indices (1, 2, …, n) on the calling thread;
     *     may be {@code null}
     */
    static void forEach(int n, int threads, IntConsumer body, IntConsumer progress) {
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
        if (threads == 1 || n <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
                if (progress != null) progress.accept(i + 1);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread t = new Thread(r, "pdrecon-simulation");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < n; i++) {
                int index = i;
                done.submit(() -> {
                    body.accept(index);
                    return null;
                });
            }
            for (int finished = 1; finished <= n; finished++) {
                done.take().get();
                if (progress != null) progress.accept(finished);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
