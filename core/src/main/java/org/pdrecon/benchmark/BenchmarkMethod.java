package org.pdrecon.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdrecon.fdk.FilterWindow;
import org.pdrecon.fields.FieldConfig;
import org.pdrecon.fields.NafFit;
import org.pdrecon.util.StrictJson;
import org.pdrecon.reconstruct.ReconstructionSettings;
import org.pdrecon.reconstruct.Reconstructors;

/**
 * One row of the benchmark table: a registered method with its settings ({@code "method": "tv"}) or a
 * trained model folder ({@code "model": "models/lpd-cone"}).
 *
 * @param label the row's name, file-name safe; defaults to the method's name or the model folder's name
 * @param method a name from {@link Reconstructors}, or {@code null} for a model
 * @param model the model folder (relative paths against the working directory), or {@code null}
 * @param settings the method's settings (the command line's defaults where a key is absent)
 * @param cells the cells to run on; empty = the whole grid
 * @param curves a training-curves picture to show in the report, or {@code null}
 * @param lambdas a λ grid ({@code "lambda": [..]}) from which each cell picks the best mean PSNR on the
 *     tuning phantoms; empty when {@code settings.lambda()} is used as given
 */
public record BenchmarkMethod(String label, String method, Path model, ReconstructionSettings settings, List<BenchmarkCell> cells,
                              Path curves, List<Double> lambdas) {
    public BenchmarkMethod {
        if ((method == null) == (model == null)) throw new IllegalArgumentException("a method entry needs exactly one of \"method\" and \"model\"");
        if (label == null || !label.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("method label must be letters, digits, '-', '_' or '.', got " + label);
        }
        if (method != null && !Reconstructors.names().contains(method)) {
            throw new IllegalArgumentException("unknown method \"" + method + "\"; known: " + String.join(", ", Reconstructors.names())
                    + " (or \"model\": a trained model folder)");
        }
        cells = List.copyOf(cells);
        lambdas = List.copyOf(lambdas);
        for (double l : lambdas) if (!(l >= 0)) throw new IllegalArgumentException("method " + label + ": λ must be ≥ 0, got " + l);
        if (!lambdas.isEmpty() && model != null) throw new IllegalArgumentException("method " + label + ": a model takes no λ grid");
    }

    /** The settings with λ = {@code lambda}. */
    public ReconstructionSettings withLambda(double lambda) {
        ReconstructionSettings s = settings;
        return new ReconstructionSettings(s.filter(), s.cutoff(), s.iterations(), lambda, s.relaxation(), s.tolerance(), s.nonNegative(), s.subsets(),
                s.field());
    }

    public boolean learned() {
        return model != null;
    }

    /** A neural field's keys: {@code iterations} (its Adam steps), {@code learning_rate}, {@code seed}, {@code field} (a {@link FieldConfig}). */
    private static NafFit.Settings fieldSettings(StrictJson j) {
        NafFit.Settings d = NafFit.Settings.defaults();
        FieldConfig field = j.has("field") ? FieldConfig.fromJson(j.object("field")) : d.field();
        return new NafFit.Settings(field, j.optInt("iterations", d.iterations()), j.optDouble("learning_rate", d.learningRate()),
                j.optLong("seed", d.seed()), null, d.checkpointEvery());
    }

    static BenchmarkMethod fromJson(StrictJson j) {
        String method = j.optString("method", null);
        String modelText = j.optString("model", null);
        Path model = modelText == null ? null : Path.of(modelText);
        String label = j.optString("label", method != null ? method : model != null && model.getFileName() != null ? model.getFileName().toString() : null);
        ReconstructionSettings d = ReconstructionSettings.defaults();
        boolean grid = j.isArray("lambda");
        List<Double> lambdas = grid ? j.numbers("lambda") : List.of();
        if (grid && lambdas.isEmpty()) throw new IllegalArgumentException(j.name("lambda") + " is an empty grid");
        ReconstructionSettings s = new ReconstructionSettings(FilterWindow.parse(j.optString("filter", d.filter().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))),
                j.optDouble("cutoff", d.cutoff()), j.optInt("iterations", "naf".equals(method) ? NafFit.Settings.DEFAULT_ITERATIONS : d.iterations()), grid ? lambdas.get(0) : j.optDouble("lambda", d.lambda()),
                j.optDouble("relaxation", d.relaxation()), j.optDouble("tolerance", d.tolerance()), j.optBoolean("non_negative", d.nonNegative()),
                j.optInt("subsets", d.subsets()));
        if ("naf".equals(method)) s = s.withField(fieldSettings(j));
        List<BenchmarkCell> cells = new ArrayList<>();
        int n = j.array("cells").size();
        for (int i = 0; i < n; i++) cells.add(BenchmarkCell.fromJson(j.element("cells", i)));
        String curves = j.optString("curves", null);
        j.finish();
        return new BenchmarkMethod(label, method, model, s, cells, curves == null ? null : Path.of(curves), lambdas);
    }
}
