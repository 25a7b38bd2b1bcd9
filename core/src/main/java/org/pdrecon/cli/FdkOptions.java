package org.pdrecon.cli;

import org.pdrecon.fdk.FilterWindow;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** FDK's filter options, shared by {@code fdk} and {@code reconstruct}. */
final class FdkOptions {
    @Option(names = "--filter", defaultValue = "ram-lak", paramLabel = "NAME",
            description = "FDK filter: ram-lak, shepp-logan, cosine, hamming or hann (default: ${DEFAULT-VALUE}).")
    String filter;

    @Option(names = "--cutoff", defaultValue = "1.0", paramLabel = "F",
            description = "FDK filter cut-off as a fraction of Nyquist, (0, 1] (default: ${DEFAULT-VALUE}).")
    double cutoff;

    /** The parsed window; a bad name or cut-off is a usage error. */
    FilterWindow window(CommandLine cl) {
        if (!(cutoff > 0 && cutoff <= 1)) throw new CommandLine.ParameterException(cl, "--cutoff must be in (0, 1], got " + cutoff);
        try {
            return FilterWindow.parse(filter);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--filter: " + e.getMessage());
        }
    }
}
