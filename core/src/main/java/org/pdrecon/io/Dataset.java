package org.pdrecon.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryException;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.util.AtomicFiles;

/**
 * A dataset on disk: one scan geometry shared by many samples, each a ground-truth volume and its
 * projections.
 *
 * <pre>
 * &lt;dir&gt;/manifest.json        name, created, seed, generator parameters, geometry file, sample ids
 * &lt;dir&gt;/geometry.json        the shared {@link ConeBeamGeometry} (see {@link GeometryJson})
 * &lt;dir&gt;/samples/&lt;id&gt;/volume.mha       [z][y][x] on the geometry's volume grid
 * &lt;dir&gt;/samples/&lt;id&gt;/projections.mha  [view][row][col] on the geometry's detector
 * </pre>
 *
 * <p>{@link #create} returns a {@link Writer}; every file is written atomically and the manifest is
 * rewritten after each sample's files, so the manifest never lists a sample whose files are missing and
 * an interrupted run leaves a readable dataset marked {@code "complete": false}. {@link #open} checks the
 * manifest, the geometry, and that every listed sample's files exist with the geometry's shapes (reading
 * headers only).
 */
public final class Dataset {
    public static final String MANIFEST = "manifest.json";
    public static final String GEOMETRY = "geometry.json";
    public static final String SAMPLES = "samples";
    public static final String VOLUME = "volume.mha";
    public static final String PROJECTIONS = "projections.mha";
    public static final int FORMAT_VERSION = 1;

    private static final Pattern SAMPLE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Set<String> MANIFEST_KEYS = new LinkedHashSet<>(List.of("format_version", "name", "created",
            "seed", "generator", "geometry", "complete", "samples"));
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path dir;
    private final String name;
    private final String created;
    private final long seed;
    private final JsonObject generator;
    private final ConeBeamGeometry geometry;
    private final List<String> sampleIds;
    private final boolean complete;

    private Dataset(Path dir, String name, String created, long seed, JsonObject generator, ConeBeamGeometry geometry,
                    List<String> sampleIds, boolean complete) {
        this.dir = dir;
        this.name = name;
        this.created = created;
        this.seed = seed;
        this.generator = generator;
        this.geometry = geometry;
        this.sampleIds = List.copyOf(sampleIds);
        this.complete = complete;
    }

    public Path dir() { return dir; }
    public String name() { return name; }
    /** When the dataset was created, ISO-8601 UTC. */
    public String created() { return created; }
    public long seed() { return seed; }
    /** The generator's parameters as given at creation (a copy). */
    public JsonObject generator() { return generator.deepCopy(); }
    public ConeBeamGeometry geometry() { return geometry; }
    /** Sample ids in the order they were written. */
    public List<String> sampleIds() { return sampleIds; }
    public int size() { return sampleIds.size(); }
    /** False when the writer never finished (an interrupted run); the listed samples are still whole. */
    public boolean isComplete() { return complete; }

    public Path volumePath(String id) { return sampleDir(dir, id).resolve(VOLUME); }
    public Path projectionsPath(String id) { return sampleDir(dir, id).resolve(PROJECTIONS); }

    /** Reads a sample's ground-truth volume, checking it lies on the geometry's grid. */
    public Volume readVolume(String id) throws IOException {
        requireSample(id);
        Volume v = MetaImage.readVolume(volumePath(id));
        checkGrid(volumePath(id), v.grid(), geometry.volume());
        return v;
    }

    /** Reads a sample's projections, checking their shape against the geometry. */
    public ProjectionStack readProjections(String id) throws IOException {
        requireSample(id);
        ProjectionStack p = MetaImage.readProjections(projectionsPath(id));
        checkProjectionShape(projectionsPath(id), new int[] {p.cols(), p.rows(), p.views()}, geometry);
        return p;
    }

    private void requireSample(String id) throws DatasetException {
        if (!sampleIds.contains(id)) {
            throw new DatasetException(dir.resolve(MANIFEST) + ": no sample '" + id + "' (the dataset has " + size() + ")");
        }
    }

    // ------------------------------------------------------------------------------------ reading

    /**
     * Opens and validates a dataset directory: the manifest is well formed, the geometry valid, every
     * listed sample has both files and their headers match the geometry's volume grid and detector.
     */
    public static Dataset open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new DatasetException(dir + ": dataset directory does not exist");
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new DatasetException(dir + ": no " + MANIFEST + " (not a dataset, or its writer never started)");
        }
        JsonObject m;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(manifestFile));
            if (!root.isJsonObject()) throw new DatasetException(manifestFile + ": expected a JSON object");
            m = root.getAsJsonObject();
        } catch (JsonParseException e) {
            String why = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            throw new DatasetException(manifestFile + ": not valid JSON: " + why.lines().findFirst().orElse(""), e);
        }
        for (String key : m.keySet()) {
            if (!MANIFEST_KEYS.contains(key)) {
                throw new DatasetException("unknown key '" + key + "' in " + manifestFile + " (known keys: "
                        + String.join(", ", MANIFEST_KEYS) + "; generator parameters belong in 'generator')");
            }
        }
        if (m.has("format_version")) {
            long v = integer(m, "format_version", manifestFile);
            if (v != FORMAT_VERSION) {
                throw new DatasetException(manifestFile + ": format_version " + v + " is not supported (this version reads "
                        + FORMAT_VERSION + ")");
            }
        }
        String name = string(m, "name", manifestFile);
        String created = string(m, "created", manifestFile);
        long seed = integer(m, "seed", manifestFile);
        JsonElement gen = required(m, "generator", manifestFile);
        if (!gen.isJsonObject()) throw new DatasetException(manifestFile + ": generator must be a JSON object");
        String geometryName = string(m, "geometry", manifestFile);
        boolean complete = true;
        if (m.has("complete")) {
            JsonElement c = m.get("complete");
            if (!c.isJsonPrimitive() || !c.getAsJsonPrimitive().isBoolean()) {
                throw new DatasetException(manifestFile + ": complete must be true or false, got " + c);
            }
            complete = c.getAsBoolean();
        }
        JsonElement s = required(m, "samples", manifestFile);
        if (!s.isJsonArray()) throw new DatasetException(manifestFile + ": samples must be an array of sample ids");
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < s.getAsJsonArray().size(); i++) {
            JsonElement e = s.getAsJsonArray().get(i);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new DatasetException(manifestFile + ": samples[" + i + "] must be a string, got " + e);
            }
            String id = e.getAsString();
            checkId(id, manifestFile + ": samples[" + i + "]");
            if (!seen.add(id)) throw new DatasetException(manifestFile + ": sample '" + id + "' is listed twice");
            ids.add(id);
        }

        Path geometryFile = dir.resolve(geometryName);
        if (!Files.isRegularFile(geometryFile)) {
            throw new DatasetException(manifestFile + ": the geometry file " + geometryFile + " it names does not exist");
        }
        ConeBeamGeometry geometry;
        try {
            geometry = GeometryJson.read(geometryFile);
        } catch (GeometryException e) {
            throw new DatasetException("invalid dataset geometry: " + e.getMessage(), e);
        }
        for (String id : ids) {
            Path vol = sampleDir(dir, id).resolve(VOLUME), proj = sampleDir(dir, id).resolve(PROJECTIONS);
            for (Path f : new Path[] {vol, proj}) {
                if (!Files.isRegularFile(f)) {
                    throw new DatasetException(manifestFile + " lists sample '" + id + "' but " + f + " does not exist");
                }
            }
            checkGrid(vol, MetaImage.volumeGrid(MetaImage.readHeader(vol)), geometry.volume());
            int[] dims = MetaImage.readHeader(proj).dims();
            checkProjectionShape(proj, dims.length == 3 ? dims : new int[] {dims[0], dims[1], 1}, geometry);
        }
        return new Dataset(dir, name, created, seed, gen.getAsJsonObject().deepCopy(), geometry, ids, complete);
    }

    private static JsonElement required(JsonObject m, String key, Path file) throws DatasetException {
        JsonElement e = m.get(key);
        if (e == null || e.isJsonNull()) throw new DatasetException(file + ": missing required key '" + key + "'");
        return e;
    }

    private static String string(JsonObject m, String key, Path file) throws DatasetException {
        JsonElement e = required(m, key, file);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new DatasetException(file + ": " + key + " must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static long integer(JsonObject m, String key, Path file) throws DatasetException {
        JsonElement e = required(m, key, file);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            try {
                return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException notInteger) {
                // fall through to the message below
            }
        }
        throw new DatasetException(file + ": " + key + " must be an integer, got " + e);
    }

    private static void checkId(String id, String where) throws DatasetException {
        if (!SAMPLE_ID.matcher(id).matches()) {
            throw new DatasetException(where + ": sample id '" + id + "' must be 1–128 letters, digits, '_', '.' or '-'"
                    + " starting with a letter or digit");
        }
    }

    private static Path sampleDir(Path dir, String id) {
        return dir.resolve(SAMPLES).resolve(id);
    }

    private static void checkGrid(Path file, VolumeGrid found, VolumeGrid expected) throws DatasetException {
        boolean same = java.util.Arrays.equals(found.shape(), expected.shape())
                && close(found.dxMm(), expected.dxMm()) && close(found.dyMm(), expected.dyMm())
                && close(found.dzMm(), expected.dzMm());
        double[] a = found.centreMm(), b = expected.centreMm();
        double tol = 1e-6 * Math.max(1, Math.max(expected.nx() * expected.dxMm(), Math.max(
                expected.ny() * expected.dyMm(), expected.nz() * expected.dzMm())));
        for (int i = 0; i < 3; i++) same &= Math.abs(a[i] - b[i]) <= tol;
        if (!same) {
            throw new DatasetException(file + ": volume grid does not match the dataset geometry: expected " + expected
                    + ", found " + found);
        }
    }

    private static boolean close(double x, double y) {
        return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
    }

    /** {@code dims} in MetaImage order: cols, rows, views. */
    private static void checkProjectionShape(Path file, int[] dims, ConeBeamGeometry g) throws DatasetException {
        if (dims[0] != g.detectorCols() || dims[1] != g.detectorRows() || dims[2] != g.views()) {
            throw new DatasetException(file + ": projections are " + dims[2] + " views × " + dims[1] + " rows × " + dims[0]
                    + " cols, the dataset geometry has " + g.views() + " × " + g.detectorRows() + " × " + g.detectorCols());
        }
    }

    // ------------------------------------------------------------------------------------ writing

    /**
     * Starts a new dataset in {@code dir} (created if needed): writes {@code geometry.json} and a manifest
     * with no samples. Refuses a directory that already holds a manifest.
     *
     * @param generator the generator's parameters, stored verbatim in the manifest (copied)
     */
    public static Writer create(Path dir, String name, long seed, JsonObject generator, ConeBeamGeometry geometry)
            throws IOException {
        if (Files.exists(dir.resolve(MANIFEST))) {
            throw new DatasetException(dir + ": already holds a dataset (" + MANIFEST
                    + " exists); delete the directory or choose another");
        }
        if (name == null || name.isBlank()) throw new DatasetException(dir + ": a dataset needs a name");
        Files.createDirectories(dir);
        GeometryJson.write(dir.resolve(GEOMETRY), geometry);
        Writer w = new Writer(dir, name, seed, generator == null ? new JsonObject() : generator.deepCopy(), geometry);
        w.writeManifest(false);
        return w;
    }

    /** Adds samples to a new dataset; not thread-safe. {@link #finish()} marks the dataset complete. */
    public static final class Writer {
        private final Path dir;
        private final String name, created;
        private final long seed;
        private final JsonObject generator;
        private final ConeBeamGeometry geometry;
        private final List<String> ids = new ArrayList<>();
        private boolean finished;

        private Writer(Path dir, String name, long seed, JsonObject generator, ConeBeamGeometry geometry) {
            this.dir = dir;
            this.name = name;
            this.seed = seed;
            this.generator = generator;
            this.geometry = geometry;
            this.created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        }

        /** The ids written so far. */
        public List<String> sampleIds() { return Collections.unmodifiableList(ids); }

        /**
         * Writes one sample's volume and projections, then the manifest listing it. The volume must lie on
         * the geometry's grid and the projections have its shape; nothing is written otherwise.
         */
        public void addSample(String id, Volume volume, ProjectionStack projections) throws IOException {
            if (finished) throw new IllegalStateException("dataset " + dir + " is already finished");
            checkId(id, dir.toString());
            if (ids.contains(id)) throw new DatasetException(dir + ": sample '" + id + "' was already written");
            Path sample = sampleDir(dir, id);
            checkGrid(sample.resolve(VOLUME), volume.grid(), geometry.volume());
            checkProjectionShape(sample.resolve(PROJECTIONS),
                    new int[] {projections.cols(), projections.rows(), projections.views()}, geometry);
            MetaImage.writeVolume(sample.resolve(VOLUME), volume);
            MetaImage.writeProjections(sample.resolve(PROJECTIONS), projections, geometry);
            ids.add(id);
            writeManifest(false); // only now does the dataset claim the sample
        }

        /** Marks the dataset complete and returns it, opened and validated. */
        public Dataset finish() throws IOException {
            writeManifest(true);
            finished = true;
            return open(dir);
        }

        private void writeManifest(boolean complete) throws IOException {
            JsonObject m = new JsonObject();
            m.addProperty("format_version", FORMAT_VERSION);
            m.addProperty("name", name);
            m.addProperty("created", created);
            m.addProperty("seed", seed);
            m.add("generator", generator.deepCopy());
            m.addProperty("geometry", GEOMETRY);
            m.addProperty("complete", complete);
            JsonArray samples = new JsonArray();
            ids.forEach(samples::add);
            m.add("samples", samples);
            AtomicFiles.writeString(dir.resolve(MANIFEST), PRETTY.toJson(m) + "\n");
        }
    }
}
