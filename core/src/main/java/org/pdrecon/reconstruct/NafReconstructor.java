package org.pdrecon.reconstruct;

import java.util.Locale;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.fields.NafFit;
import org.pdrecon.geometry.ConeBeamGeometry;

/** {@link NafFit} behind the {@link Reconstructor} contract: one field fitted per scan. */
final class NafReconstructor implements Reconstructor {
    private final NafFit.Settings settings;

    NafReconstructor(NafFit.Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "naf";
    }

    @Override
    public String describe() {
        var f = settings.field();
        return String.format(Locale.ROOT, "NAF neural field (%d grid levels %d→%d × %d features, MLP %d×%d), %d steps, lr %.3g, seed %d",
                f.levels(), f.baseResolution(), f.maxResolution(), f.features(), f.hiddenLayers(), f.hidden(), settings.iterations(),
                settings.learningRate(), settings.seed());
    }

    @Override
    public Volume reconstruct(ProjectionStack projections, ConeBeamGeometry geometry, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        return NafFit.fit(projections, geometry, settings, (done, total, loss) -> {
            p.status(String.format(Locale.ROOT, "loss %.3e", loss));
            p.update(done, total);
        });
    }
}
