package org.pdrecon.reconstruct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.pdrecon.iterative.Cgls;
import org.pdrecon.iterative.DirectPseudoInverse;
import org.pdrecon.iterative.OsSart;
import org.pdrecon.iterative.PreconditionedTv;
import org.pdrecon.iterative.Sirt;
import org.pdrecon.iterative.SymmetricSplit;
import org.pdrecon.iterative.TvPrimalDual;

/**
 * The reconstruction methods by name: {@code fdk}, {@code sirt}, {@code cgls}, {@code os-sart}, {@code tv}, {@code tv-pc}, {@code pinv},
 * the symmetric splits {@code sirt-split}, {@code cgls-split}, {@code pinv-split} and the neural field {@code naf}. Another method
 * (a learned model) joins with {@link #register}; commands list and build methods only through here.
 */
public final class Reconstructors {
    private static final Map<String, Function<ReconstructionSettings, Reconstructor>> METHODS = new LinkedHashMap<>();

    static {
        register("fdk", s -> new FdkReconstructor(s.filter(), s.cutoff()));
        register("sirt", s -> {
            Sirt sirt = new Sirt(s.relaxation());
            return new IterativeReconstructor("sirt", grid -> sirt, s.iterations(), s.tolerance(), s.nonNegative(),
                    String.format(Locale.ROOT, "relaxation %.3g", s.relaxation()));
        });
        register("cgls", s -> new IterativeReconstructor("cgls", grid -> new Cgls(), s.iterations(), s.tolerance(), s.nonNegative(), ""));
        register("os-sart", s -> {
            OsSart os = new OsSart(s.subsets(), s.relaxation());
            return new IterativeReconstructor("os-sart", grid -> os, s.iterations(), s.tolerance(), s.nonNegative(),
                    String.format(Locale.ROOT, "%d subsets (at most one per view), relaxation %.3g", s.subsets(), s.relaxation()));
        });
        register("tv", s -> {
            if (!(s.lambda() >= 0) || !Double.isFinite(s.lambda())) throw new IllegalArgumentException("λ must be ≥ 0, got " + s.lambda());
            return new IterativeReconstructor("tv", grid -> new TvPrimalDual(s.lambda(), new double[] {grid.dzMm(), grid.dyMm(), grid.dxMm()}),
                    s.iterations(), s.tolerance(), s.nonNegative(), String.format(Locale.ROOT, "λ %.3g", s.lambda()));
        });
        register("tv-pc", s -> {
            if (!(s.lambda() >= 0) || !Double.isFinite(s.lambda())) throw new IllegalArgumentException("λ must be ≥ 0, got " + s.lambda());
            return new IterativeReconstructor("tv-pc", grid -> new PreconditionedTv(s.lambda(), new double[] {grid.dzMm(), grid.dyMm(), grid.dxMm()}),
                    s.iterations(), s.tolerance(), s.nonNegative(), String.format(Locale.ROOT, "λ %.3g, diagonally preconditioned", s.lambda()));
        });
        register("pinv", s -> new IterativeReconstructor("pinv", grid -> new DirectPseudoInverse(), 1, 0, s.nonNegative(), "direct"));
        register("sirt-split", s -> {
            Sirt sirt = new Sirt(s.relaxation());
            return new IterativeReconstructor("sirt-split", grid -> new SymmetricSplit(sirt), s.iterations(), s.tolerance(), s.nonNegative(),
                    String.format(Locale.ROOT, "relaxation %.3g, symmetric split", s.relaxation()));
        });
        register("cgls-split", s -> new IterativeReconstructor("cgls-split", grid -> new SymmetricSplit(new Cgls()), s.iterations(), s.tolerance(),
                s.nonNegative(), "symmetric split"));
        register("pinv-split", s -> new IterativeReconstructor("pinv-split", grid -> new SymmetricSplit(new DirectPseudoInverse()), 1, 0,
                s.nonNegative(), "direct, symmetric split"));
        register("naf", s -> new NafReconstructor(s.field()));
    }

    private Reconstructors() {}

    /** Adds (or replaces) a method; names are lower case. */
    public static synchronized void register(String name, Function<ReconstructionSettings, Reconstructor> factory) {
        METHODS.put(name.toLowerCase(Locale.ROOT), factory);
    }

    /** The registered names in registration order. */
    public static synchronized List<String> names() {
        return new ArrayList<>(METHODS.keySet());
    }

    /**
     * The method called {@code name} with {@code settings}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a bad setting
     */
    public static synchronized Reconstructor create(String name, ReconstructionSettings settings) {
        Function<ReconstructionSettings, Reconstructor> f = METHODS.get(name == null ? "" : name.toLowerCase(Locale.ROOT));
        if (f == null) throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", METHODS.keySet()));
        return f.apply(settings);
    }
}
