package org.pdrecon.operators;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * A fixed pool of daemon worker threads for the CPU kernels. Kernels split their work into numbered
 * units whose results never depend on which thread runs them or in which order (each unit owns its
 * output), so sums are deterministic for any thread count.
 *
 * <p>The shared pool has {@link org.pdrecon.util.Threads#java()} threads (one per core by default).
 */
public final class KernelPool {
    private static final KernelPool SHARED = new KernelPool(org.pdrecon.util.Threads.java());

    private final ForkJoinPool pool;

    /** A pool of {@code threads} daemon workers (ForkJoin workers are daemon threads). */
    public KernelPool(int threads) {
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
        this.pool = new ForkJoinPool(threads);
    }

    /** The process-wide pool used by operators unless another is given. */
    public static KernelPool shared() {
        return SHARED;
    }

    public int threads() {
        return pool.getParallelism();
    }

    /** Runs {@code unit.accept(i)} for every {@code i} in {@code [0, units)} on the pool and waits. */
    public void parallelFor(int units, IntConsumer unit) {
        if (units <= 0) return;
        if (units == 1) {
            unit.accept(0);
            return;
        }
        Range all = new Range(0, units, unit);
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            all.invoke();
        } else {
            pool.invoke(all);
        }
    }

    /** Splits [lo, hi) in halves until single units, so idle workers steal the remaining ones. */
    private static final class Range extends RecursiveAction {
        private final int lo, hi;
        private final IntConsumer unit;

        Range(int lo, int hi, IntConsumer unit) {
            this.lo = lo;
            this.hi = hi;
            this.unit = unit;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                unit.accept(lo);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(lo, mid, unit), new Range(mid, hi, unit));
        }
    }
}
