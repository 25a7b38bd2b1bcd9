package org.pdrecon.reconstruct;

import java.util.Locale;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fdk.FDK;
import org.pdrecon.fdk.FdkProgress;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.geometry.ConeBeamGeometry;

/** {@link FDK} as a {@link Reconstructor}; progress counts views weighted, filtered and backprojected. */
public final class FdkReconstructor implements Reconstructor {
    private final FilterWindow window;
    private final double cutoff;

    /** @param cutoff filter cut-off as a fraction of Nyquist, in (0, 1] */
    public FdkReconstructor(FilterWindow window, double cutoff) {
        if (window == null) throw new IllegalArgumentException("filter window is missing");
        if (!(cutoff > 0 && cutoff <= 1)) throw new IllegalArgumentException("cut-off must be in (0, 1], got " + cutoff);
        this.window = window;
        this.cutoff = cutoff;
    }

    @Override
    public String name() { return "fdk"; }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "FDK %s, cut-off %.2f", window.cliName(), cutoff);
    }

    @Override
    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, Progress progress) {
        FdkProgress p = (stage, done, total) -> {
            if (stage == FdkProgress.Stage.BACKPROJECTION) progress.update(done, total);
        };
        return new FDK(window, cutoff).reconstruct(projections, geometry, p);
    }
}
