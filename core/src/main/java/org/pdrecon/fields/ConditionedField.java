package org.pdrecon.fields;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.util.StrictJson;
import org.pdrecon.util.AtomicFiles;

/**
 * A conditioned neural field (CondCBNT-style): a backbone shared by every scan, and a per-scan
 * conditioning that is the only thing fitted for a new scan.
 *
 * <p>Here the conditioning is the field's multi-resolution feature grid and the backbone is the MLP
 * that decodes it, plus a trained <em>template</em> grid every fit starts from and a fixed output scale
 * {@code s}. {@link ConditionedFieldTrainer} learns the backbone and the template across many simulated
 * scans so that a short fit of the grid alone lands close to the phantom; {@link #fit} then runs that
 * short fit ({@code fitSteps} Adam steps at {@code fitLearningRate}) on a new scan with the MLP frozen.
 *
 * <p>Files: {@code config.json} ({@code "kind": "condcbnt"}, the field, the scale, the fit settings, the
 * training config and the envelope) and {@code field.params} (the template grids and the MLP; format
 * below), written atomically.
 *
 * @param field the field's shape
 * @param scale μ = scale · softplus(·), in 1/mm
 * @param prior what the MLP reads per voxel besides the grid: {@code "none"}, or {@code "fdk"} (the
 *     scan's FDK, Hann window, divided by {@code scale}), so that a fit starts from a decoded FDK
 * @param values the template grids then the MLP, in {@link NeuralField#names()} order
 */
public record ConditionedField(FieldConfig field, double scale, String prior, int fitSteps, double fitLearningRate, float[][] values, JsonObject extra) {
    public static final String KIND = "condcbnt", CONFIG = "config.json", PARAMS = "field.params";
    private static final byte[] MAGIC = "PDRFIELD".getBytes(StandardCharsets.US_ASCII);

    public ConditionedField {
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be positive, got " + scale);
        if (fitSteps < 1) throw new IllegalArgumentException("fit steps must be at least 1, got " + fitSteps);
        if (!(fitLearningRate > 0)) throw new IllegalArgumentException("fit learning rate must be positive, got " + fitLearningRate);
        extra = extra == null ? new JsonObject() : extra;
        if (!PRIORS.contains(prior)) throw new IllegalArgumentException("prior must be one of " + PRIORS + ", got \"" + prior + "\"");
    }

    /** The priors a conditioned field may read: none, FDK as an MLP input, FDK pooled into feature 0 of every grid level. */
    public static final List<String> PRIORS = List.of("none", "fdk", "fdk-grid");

    /** Inputs per voxel that {@code prior} gives the MLP. */
    public static int priorInputs(String prior) {
        return prior.equals("fdk") ? 1 : 0;
    }

    /**
     * Adds {@code volume} (per voxel), averaged onto each level's nodes with the interpolation weights,
     * to feature 0 of every grid level in {@code values} (the conditioning's start for {@code "fdk-grid"}).
     */
    static void addPooled(float[][] values, FieldConfig field, VolumeGrid grid, float[] volume) {
        int nz = grid.nz(), ny = grid.ny(), nx = grid.nx();
        for (int l = 0; l < field.levels(); l++) {
            int[] r = field.resolution(l, grid);
            float[] uz = DenseGridEncoding.interpolation(nz, r[0]), uy = DenseGridEncoding.interpolation(ny, r[1]), ux = DenseGridEncoding.interpolation(nx, r[2]);
            double[] sum = new double[r[0] * r[1] * r[2]], weight = new double[sum.length];
            for (int z = 0; z < nz; z++) for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) {
                double v = volume[(z * ny + y) * nx + x];
                for (int a = 0; a < r[0]; a++) {
                    double wz = uz[z * r[0] + a];
                    if (wz == 0) continue;
                    for (int b = 0; b < r[1]; b++) {
                        double wzy = wz * uy[y * r[1] + b];
                        if (wzy == 0) continue;
                        for (int c = 0; c < r[2]; c++) {
                            double w = wzy * ux[x * r[2] + c];
                            if (w == 0) continue;
                            int node = (a * r[1] + b) * r[2] + c;
                            sum[node] += w * v;
                            weight[node] += w;
                        }
                    }
                }
            }
            for (int node = 0; node < sum.length; node++) if (weight[node] > 0) values[l][node] += (float) (sum[node] / weight[node]); // feature 0 comes first
        }
    }

    /** The prior's per-voxel values for a scan, or null for {@code "none"}. */
    public static float[] priorValues(String prior, double scale, ProjectionStack projections, ConeBeamGeometry geometry) {
        if (prior.equals("none")) return null;
        float[] fdk = new org.pdrecon.fdk.FDK(org.pdrecon.fdk.FilterWindow.HANN, 1.0).reconstruct(projections, geometry).data();
        for (int i = 0; i < fdk.length; i++) fdk[i] /= (float) scale;
        return fdk;
    }

    /** A field for a scan, starting from the template (copied) with the backbone's MLP (copied) and the scan's prior. */
    public NeuralField instantiate(ProjectionStack projections, ConeBeamGeometry geometry) {
        float[][] copy = new float[values.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = values[i].clone();
        return withPrior(NeuralField.of(field, geometry.volume(), scale, copy, priorInputs(prior)), prior, scale, projections, geometry);
    }

    /** Applies {@code prior} to a fresh field for a scan (its MLP input, or its grids' start). */
    static NeuralField withPrior(NeuralField f, String prior, double scale, ProjectionStack projections, ConeBeamGeometry geometry) {
        float[] p = priorValues(prior, scale, projections, geometry);
        if (p == null) return f;
        if (prior.equals("fdk-grid")) {
            addPooled(f.values(), f.config(), geometry.volume(), p);
            return f;
        }
        return f.withInputs(p);
    }

    /**
     * Fits the conditioning (the grid) to a scan with the backbone frozen.
     *
     * @param steps Adam steps; the model's {@link #fitSteps} when ≤ 0
     * @return the fitted field (its MLP equal to the backbone's)
     */
    public NafFit.Fitted fit(ProjectionStack projections, ConeBeamGeometry geometry, int steps, NafFit.Listener listener) {
        int n = steps > 0 ? steps : fitSteps;
        NafFit.checkProjections(projections, geometry);
        field.requireFits(geometry.volume(), Runtime.getRuntime().maxMemory(), NafFit.availableNativeBytes());
        org.pdrecon.learned.TorchRuntime.configure();
        NeuralField f = instantiate(projections, geometry);
        double loss = NafFit.optimise(f, field.levels(), projections, geometry, n, fitLearningRate, null, 1, "",
                listener == null ? NafFit.Listener.NONE : listener);
        return new NafFit.Fitted(f, n, loss);
    }

    /** Writes {@code config.json} and {@code field.params} into {@code dir} (created), each atomically. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonObject c = extra.deepCopy();
        c.addProperty("kind", KIND);
        c.add("field", com.google.gson.JsonParser.parseString(field.toJson()));
        c.addProperty("scale_per_mm", scale);
        c.addProperty("prior", prior);
        JsonObject fit = new JsonObject();
        fit.addProperty("steps", fitSteps);
        fit.addProperty("learning_rate", fitLearningRate);
        c.add("fit", fit);
        AtomicFiles.write(dir.resolve(CONFIG), out -> out.write(new GsonBuilder().setPrettyPrinting().create().toJson(c).getBytes(StandardCharsets.UTF_8)));
        List<String> names = NeuralField.of(field, VolumeGrid.cube(1, 1), scale, null, priorInputs(prior)).names();
        AtomicFiles.write(dir.resolve(PARAMS), raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeInt(values.length);
            for (int i = 0; i < values.length; i++) {
                out.writeUTF(names.get(i));
                out.writeInt(values[i].length);
                for (float v : values[i]) out.writeFloat(v);
            }
            out.flush();
            new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
        });
    }

    /** True if {@code dir} holds a conditioned field ({@code config.json} with {@code "kind": "condcbnt"}). */
    public static boolean isModel(Path dir) {
        try {
            return Files.isRegularFile(dir.resolve(CONFIG))
                    && KIND.equals(com.google.gson.JsonParser.parseString(Files.readString(dir.resolve(CONFIG))).getAsJsonObject().get("kind").getAsString());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads a model folder; a missing, truncated or corrupt file is an {@link IOException} naming it. */
    public static ConditionedField load(Path dir) throws IOException {
        JsonObject c;
        try {
            c = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(CONFIG) + " is not a JSON object: " + e.getMessage(), e);
        }
        if (!c.has("kind") || !KIND.equals(c.get("kind").getAsString())) throw new IOException(dir + " is not a conditioned-field model (config.json has no \"kind\": \"condcbnt\")");
        FieldConfig field = FieldConfig.fromJson(StrictJson.of(c.getAsJsonObject("field"), dir.resolve(CONFIG) + ".field"));
        double scale = c.get("scale_per_mm").getAsDouble();
        JsonObject fit = c.getAsJsonObject("fit");
        String prior = c.has("prior") ? c.get("prior").getAsString() : "none";
        List<String> names = NeuralField.of(field, VolumeGrid.cube(1, 1), scale, null, priorInputs(prior)).names();
        Path params = dir.resolve(PARAMS);
        float[][] values;
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(params), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            if (!java.util.Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) throw new IOException(params + " is not a pdrecon field");
            int count = in.readInt();
            if (count != names.size()) throw new IOException(params + " holds " + count + " parameters, the config's field has " + names.size());
            values = new float[count][];
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int n = in.readInt();
                if (!name.equals(names.get(i)) || n < 0 || n > 1 << 28) throw new IOException(params + ": parameter " + i + " is " + name + " with " + n + " values, expected " + names.get(i));
                values[i] = new float[n];
                for (int j = 0; j < n; j++) values[i][j] = in.readFloat();
            }
            long expected = checked.getChecksum().getValue();
            if (new DataInputStream(raw).readLong() != expected) throw new IOException(params + " is corrupt (CRC mismatch)");
        } catch (EOFException e) {
            throw new IOException(params + " is truncated", e);
        }
        JsonObject extra = c.deepCopy();
        for (String k : List.of("kind", "field", "scale_per_mm", "prior", "fit")) extra.remove(k);
        return new ConditionedField(field, scale, prior, fit.get("steps").getAsInt(), fit.get("learning_rate").getAsDouble(), values, extra);
    }

    /** One line for summaries. */
    public String describe(String name) {
        return String.format(Locale.ROOT, "conditioned neural field %s (grid %d levels %d→%d × %d fitted, MLP %d×%d frozen, prior %s), %d steps, lr %.3g",
                name, field.levels(), field.baseResolution(), field.maxResolution(), field.features(), field.hiddenLayers(), field.hidden(), prior, fitSteps,
                fitLearningRate);
    }

}
