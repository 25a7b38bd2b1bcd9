package org.pdrecon.iterative;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.operators.KernelPool;
import org.pdrecon.operators.LinearOperator;

/**
 * The symmetric split of shared/seeds/003 (Alikhanov et al.): when the views come in mirror pairs
 * ({@link MirrorSymmetry}), {@code A·x = b} splits into two independent systems, one for the
 * mirror-symmetric part of image and data and one for the antisymmetric part ({@link MirrorHalfOperator}),
 * each with half the unknowns and half the equations (a matrix 4× smaller). This solver runs a method on
 * both halves in two threads, one projector thread each, and adds the two images.
 *
 * <p>What is equal to the unsplit solution, and why:
 * <ul>
 *   <li>{@code pinv}: the normal pseudo-solution is the sum of the halves' (the seed's Theorem 2); both halves
 *       cut singular values at the same absolute level (the cut-off × the largest of either half, which is A's
 *       largest);</li>
 *   <li>SIRT: every iterate, since SIRT is linear in b and its weights are equal on mirror rays and voxels; the
 *       halves use the whole scan's ray and voxel sums;</li>
 *   <li>CGLS: the limit (the least-squares solution of minimum norm from a zero start), not each iterate, because
 *       CGLS's step lengths depend on the whole residual.</li>
 * </ul>
 * Non-negativity does not split (it couples the halves), so it is refused; so are OS-SART and TV.
 */
public final class SymmetricSplit implements IterativeSolver {
    private final IterativeSolver method;

    /** @param method {@link Sirt}, {@link Cgls} or {@link DirectPseudoInverse} */
    public SymmetricSplit(IterativeSolver method) {
        if (!(method instanceof Sirt || method instanceof Cgls || method instanceof DirectPseudoInverse)) {
            throw new IllegalArgumentException("the symmetric split runs sirt, cgls or pinv, not " + method.name());
        }
        this.method = method;
    }

    @Override
    public String name() {
        return method.name() + "-split";
    }

    @Override
    public SolverResult solve(LinearOperator a, float[] b, float[] x, SolverSettings settings) {
        if (!(a instanceof ConeBeamProjector full)) {
            throw new IllegalArgumentException("the symmetric split needs the scan's views: a ConeBeamProjector, got " + a.getClass().getSimpleName());
        }
        if (settings.nonNegative()) {
            throw new IllegalArgumentException("μ ≥ 0 couples the mirror-symmetric and antisymmetric halves, so the split cannot keep it:"
                    + " use --no-non-negative (or the unsplit method)");
        }
        Vectors.requireLength("data b", b, a.rangeSize());
        Vectors.requireLength("start x", x, a.domainSize());
        ConeBeamGeometry g = full.geometry();
        MirrorSymmetry symmetry = MirrorSymmetry.of(g);
        // One projector thread per half, each its own pool: a shared one-thread pool would run the halves in turn.
        MirrorHalfOperator[] halves = {new MirrorHalfOperator(g, symmetry, false, new KernelPool(1)),
                new MirrorHalfOperator(g, symmetry, true, new KernelPool(1))};
        float[][] h = new float[2][];
        SolverResult[] results = new SolverResult[2];
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "pdrecon-split");
            t.setDaemon(true);
            return t;
        });
        try {
            if (method instanceof DirectPseudoInverse) {
                Future<DirectPseudoInverse.Factorisation> fs = threads.submit(() -> DirectPseudoInverse.factorise(halves[0]));
                Future<DirectPseudoInverse.Factorisation> fa = threads.submit(() -> DirectPseudoInverse.factorise(halves[1]));
                DirectPseudoInverse.Factorisation[] f = {fs.get(), fa.get()};
                double cutoff = DirectPseudoInverse.RELATIVE_CUTOFF * Math.max(f[0].largestSingularValue(), f[1].largestSingularValue());
                for (int p = 0; p < 2; p++) {
                    h[p] = new float[halves[p].domainSize()]; // the pseudo-solution does not depend on a start
                    f[p].solve(halves[p].encodeData(b), h[p], cutoff);
                }
            } else {
                float[][] sums = {null, null};
                if (method instanceof Sirt) {
                    Future<float[]> rows = threads.submit(() -> halves[0].fullRaySums(a.rangeSize()));
                    Future<float[]> cols = threads.submit(halves[1]::fullVoxelSums);
                    sums[0] = rows.get();
                    sums[1] = cols.get();
                }
                Future<?>[] runs = new Future<?>[2];
                for (int p = 0; p < 2; p++) {
                    int half = p;
                    runs[p] = threads.submit(() -> {
                        MirrorHalfOperator op = halves[half];
                        h[half] = op.encodeImage(x);
                        float[] bh = op.encodeData(b);
                        // The first half drives the caller's progress; listeners are not expected to be thread-safe.
                        SolverSettings hs = SolverSettings.builder().setIterations(settings.iterations())
                                .optRelativeTolerance(settings.relativeTolerance()).optNonNegative(false)
                                .optListener(half == 0 ? settings.listener() : null).build();
                        results[half] = method instanceof Sirt sirt
                                ? sirt.solveWeighted(op, bh, h[half], hs, op.restrictRays(sums[0]), op.restrictVoxels(sums[1]))
                                : method.solve(op, bh, h[half], hs);
                        return null;
                    });
                }
                for (Future<?> run : runs) run.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            threads.shutdownNow();
        }
        Arrays.fill(x, 0f);
        halves[0].addImage(h[0], x);
        halves[1].addImage(h[1], x);
        SolverResult whole = DirectPseudoInverse.result(a, b, x);
        int iterations = results[0] == null ? 1 : Math.max(results[0].iterations(), results[1].iterations());
        SolverResult.StopReason stop = results[0] == null ? SolverResult.StopReason.CONVERGED : results[0].stopReason();
        return new SolverResult(iterations, whole.residualNorm(), whole.relativeResidual(), stop);
    }
}
