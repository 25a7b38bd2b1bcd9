package org.pdrecon.fdk;

import java.util.Locale;

/**
 * Apodisation windows of the ramp-filter family, multiplied onto the ramp's spectrum. Each is a
 * function of {@code f}, the frequency as a fraction of the detector's Nyquist frequency, and of a
 * cut-off {@code c ∈ (0, 1]} (also a fraction of Nyquist) above which the filter is zero. The
 * definitions follow TIGRE's {@code filtering.py} and Kak &amp; Slaney ch. 3.
 */
public enum FilterWindow {
    /** Pure band-limited ramp: 1 up to the cut-off. */
    RAM_LAK("ram-lak"),
    /** sinc(f / 2c) = sin(πf/2c) / (πf/2c). */
    SHEPP_LOGAN("shepp-logan"),
    /** cos(πf / 2c). */
    COSINE("cosine"),
    /** 0.54 + 0.46·cos(πf / c). */
    HAMMING("hamming"),
    /** ½ + ½·cos(πf / c). */
    HANN("hann");

    private final String cliName;

    FilterWindow(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in files, e.g. {@code "ram-lak"}. */
    public String cliName() {
        return cliName;
    }

    /**
     * The window's gain at frequency {@code f} (fraction of Nyquist, 0..1) with cut-off {@code c};
     * zero above the cut-off.
     */
    public double gain(double f, double c) {
        if (f > c) return 0;
        double x = Math.PI * f / c;
        switch (this) {
            case RAM_LAK: return 1;
            case SHEPP_LOGAN: return f == 0 ? 1 : Math.sin(x / 2) / (x / 2);
            case COSINE: return Math.cos(x / 2);
            case HAMMING: return 0.54 + 0.46 * Math.cos(x);
            case HANN: return 0.5 + 0.5 * Math.cos(x);
            default: throw new AssertionError(this);
        }
    }

    /** Parses a CLI name ({@code ram-lak}, {@code shepp-logan}, {@code cosine}, {@code hamming}, {@code hann}). */
    public static FilterWindow parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals("ramlak") || n.equals("ramp")) return RAM_LAK;
        if (n.equals("hanning")) return HANN;
        if (n.equals("shepplogan")) return SHEPP_LOGAN;
        for (FilterWindow w : values()) if (w.cliName.equals(n)) return w;
        throw new IllegalArgumentException("unknown filter '" + name
                + "': use ram-lak, shepp-logan, cosine, hamming or hann");
    }
}
