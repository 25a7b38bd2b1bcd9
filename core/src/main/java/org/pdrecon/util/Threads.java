package org.pdrecon.util;

/**
 * The one owner of pdrecon's thread counts. Every pool the toolkit starts (the operator kernels, the
 * phantom simulation, SSIM) and libtorch's intra-op pool take their size from here, so one setting
 * governs the whole process and {@code pdrecon info} can show it.
 *
 * <ul>
 *   <li>Java pools: {@code -Dpdrecon.threads=N}, else the environment variable {@code PDRECON_THREADS},
 *       else one per core.</li>
 *   <li>libtorch intra-op: {@code -Dpdrecon.torch.threads=N}, else {@code OMP_NUM_THREADS} (the variable
 *       libtorch itself honours), else the Java count. libtorch's inter-op pool is set to one thread:
 *       pdrecon never forks TorchScript work, and a second pool would only compete for the cores.</li>
 * </ul>
 *
 * A value that is not a positive integer is an error naming the setting, never silently replaced.
 */
public final class Threads {
    public static final String JAVA_PROPERTY = "pdrecon.threads", JAVA_ENV = "PDRECON_THREADS";
    public static final String TORCH_PROPERTY = "pdrecon.torch.threads", TORCH_ENV = "OMP_NUM_THREADS";

    private Threads() {}

    /** Threads for the Java pools. */
    public static int java() {
        Integer n = setting(JAVA_PROPERTY, JAVA_ENV);
        return n != null ? n : Runtime.getRuntime().availableProcessors();
    }

    /** Threads for libtorch's intra-op pool. */
    public static int torch() {
        Integer n = setting(TORCH_PROPERTY, TORCH_ENV);
        return n != null ? n : java();
    }

    /** Where {@link #java()} and {@link #torch()} came from, for {@code pdrecon info}. */
    public static String describe() {
        return "java pools " + java() + " (" + source(JAVA_PROPERTY, JAVA_ENV, "cores") + "), libtorch intra-op " + torch()
                + " (" + source(TORCH_PROPERTY, TORCH_ENV, "java pools") + "), libtorch inter-op 1";
    }

    private static String source(String property, String env, String fallback) {
        if (blank(System.getProperty(property)) == null) {
            return blank(System.getenv(env)) == null ? fallback : env;
        }
        return "-D" + property;
    }

    private static Integer setting(String property, String env) {
        String p = blank(System.getProperty(property));
        if (p != null) return positive(p, "-D" + property);
        String e = blank(System.getenv(env));
        if (e != null && env.equals(TORCH_ENV) && e.contains(",")) e = e.substring(0, e.indexOf(',')).trim(); // OpenMP's nested list: the outer level
        return e != null ? positive(e, env) : null;
    }

    /** Checks every setting now, so a bad value is one clear line before any pool exists. */
    public static void validate() {
        java();
        torch();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int positive(String value, String name) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, got '" + value + "'");
    }
}
