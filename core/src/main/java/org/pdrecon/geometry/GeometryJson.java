package org.pdrecon.geometry;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonNull;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pdrecon.util.AtomicFiles;

/**
 * Reads and writes {@code geometry.json} (schema: {@code docs/geometry.md}). A file holds either the
 * circular form ({@code sod_mm, sdd_mm, pixel_spacing_mm, detector_offset_mm, angles_deg}) or the vector
 * form ({@code views}), plus the detector size and the volume grid. Parsing walks Gson's tree by hand (no
 * reflection binding) so every error names its field: unknown keys, missing keys, wrong types,
 * non-finite numbers and mixed forms are rejected here; physical impossibilities by
 * {@link ConeBeamGeometry} and {@link VolumeGrid}. All problems are {@link GeometryException}s whose
 * message starts with the source name.
 */
public final class GeometryJson {
    private GeometryJson() {}

    /** The schema version this code writes and reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final Set<String> COMMON = Set.of("schema_version", "detector_rows", "detector_cols",
            "volume_shape", "voxel_size_mm", "volume_centre_mm");
    private static final Set<String> CIRCULAR = Set.of("sod_mm", "sdd_mm", "pixel_spacing_mm", "detector_offset_mm",
            "angles_deg");
    private static final Set<String> VECTOR = Set.of("views");
    private static final Set<String> VIEW_KEYS = Set.of("source_mm", "detector_mm", "u_mm", "v_mm");

    // ------------------------------------------------------------------------------------- reading

    /**
     * Reads a geometry file.
     *
     * @throws IOException if the file cannot be read
     * @throws GeometryException if its content is malformed or describes an impossible scan
     */
    public static ConeBeamGeometry read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "geometry file not found");
        }
        return parse(text, file.toString());
    }

    /** Parses geometry JSON; {@code source} names it in error messages (e.g. the file path). */
    public static ConeBeamGeometry parse(String json, String source) {
        JsonElement root;
        try (JsonReader in = new JsonReader(new StringReader(json))) {
            // Lenient so that bare NaN/Infinity reach the field checks below and get a message naming the field.
            in.setStrictness(Strictness.LENIENT);
            root = readTree(in, "", source);
            if (in.peek() != JsonToken.END_DOCUMENT) throw new GeometryException(source + ": text after the JSON object");
        } catch (IOException | JsonParseException | IllegalStateException e) {
            String why = String.valueOf(rootCause(e).getMessage()).lines().findFirst().orElse("");
            throw new GeometryException(source + ": not valid JSON: " + why);
        }
        if (!root.isJsonObject()) throw new GeometryException(source + ": expected a JSON object at the top level");
        return fromJson(root.getAsJsonObject(), source);
    }

    /** Builds a geometry from an already parsed {@code geometry.json} object. */
    public static ConeBeamGeometry fromJson(JsonObject obj, String source) {
        Reader r = new Reader(source);
        Set<String> known = new TreeSet<>(COMMON);
        known.addAll(CIRCULAR);
        known.addAll(VECTOR);
        for (String key : obj.keySet()) {
            if (!known.contains(key)) {
                throw new GeometryException("unknown key '" + key + "' in " + source + " (known keys: "
                        + String.join(", ", known) + ")");
            }
        }
        if (obj.has("schema_version")) {
            int version = r.integer(obj.get("schema_version"), "schema_version");
            if (version != SCHEMA_VERSION) {
                throw r.error("schema_version " + version + " is not supported (this version reads " + SCHEMA_VERSION + ")");
            }
        }
        List<String> circularKeys = new ArrayList<>();
        for (String k : obj.keySet()) if (CIRCULAR.contains(k)) circularKeys.add(k);
        boolean vector = obj.has("views");
        if (vector && !circularKeys.isEmpty()) {
            throw r.error("mixes the vector form (views) with circular-orbit keys " + circularKeys
                    + ": use one form (in the vector form the lengths of u_mm and v_mm are the pixel spacings)");
        }
        if (!vector && circularKeys.isEmpty()) {
            throw r.error("describes no scan: give either the circular form (sod_mm, sdd_mm, pixel_spacing_mm,"
                    + " angles_deg) or the vector form (views)");
        }
        int rows = r.integer(r.required(obj, "detector_rows"), "detector_rows");
        int cols = r.integer(r.required(obj, "detector_cols"), "detector_cols");
        VolumeGrid grid = r.wrap(() -> volumeGrid(obj, r));
        if (vector) {
            JsonArray views = r.array(obj.get("views"), "views", -1);
            int n = views.size();
            double[][] s = new double[n][], d = new double[n][], u = new double[n][], v = new double[n][];
            for (int i = 0; i < n; i++) {
                String name = "views[" + i + "]";
                JsonElement e = views.get(i);
                if (!e.isJsonObject()) throw r.error(name + " must be an object with source_mm, detector_mm, u_mm, v_mm");
                JsonObject view = e.getAsJsonObject();
                for (String key : view.keySet()) {
                    if (!VIEW_KEYS.contains(key)) {
                        throw new GeometryException("unknown key '" + key + "' in " + name + " of " + source
                                + " (known keys: detector_mm, source_mm, u_mm, v_mm)");
                    }
                }
                s[i] = r.numbers(r.required(view, "source_mm", name), name + ".source_mm", 3);
                d[i] = r.numbers(r.required(view, "detector_mm", name), name + ".detector_mm", 3);
                u[i] = r.numbers(r.required(view, "u_mm", name), name + ".u_mm", 3);
                v[i] = r.numbers(r.required(view, "v_mm", name), name + ".v_mm", 3);
            }
            return r.wrap(() -> ConeBeamGeometry.fromVectors(grid, rows, cols, s, d, u, v));
        }
        double sod = r.number(r.required(obj, "sod_mm"), "sod_mm");
        double sdd = r.number(r.required(obj, "sdd_mm"), "sdd_mm");
        double[] spacing = r.numbers(r.required(obj, "pixel_spacing_mm"), "pixel_spacing_mm", 2);
        double[] offset = obj.has("detector_offset_mm")
                ? r.numbers(obj.get("detector_offset_mm"), "detector_offset_mm", 2) : new double[2];
        double[] angles = r.numbers(r.required(obj, "angles_deg"), "angles_deg", -1);
        return r.wrap(() -> ConeBeamGeometry.circular().setVolume(grid).setSodMm(sod).setSddMm(sdd)
                .setDetector(rows, cols, spacing[0], spacing[1]).optDetectorOffsetMm(offset[0], offset[1])
                .setAnglesDeg(angles).build());
    }

    private static VolumeGrid volumeGrid(JsonObject obj, Reader r) {
        double[] shape = r.numbers(r.required(obj, "volume_shape"), "volume_shape", 3);
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) n[i] = r.integerValue(shape[i], "volume_shape[" + i + "]");
        JsonElement vs = r.required(obj, "voxel_size_mm");
        double[] voxel;
        if (vs.isJsonArray()) {
            voxel = r.numbers(vs, "voxel_size_mm", 3);
        } else {
            double size = r.number(vs, "voxel_size_mm");
            voxel = new double[] {size, size, size};
        }
        double[] centre = obj.has("volume_centre_mm") ? r.numbers(obj.get("volume_centre_mm"), "volume_centre_mm", 3)
                : new double[3];
        return new VolumeGrid(n[0], n[1], n[2], voxel[0], voxel[1], voxel[2], centre);
    }

    /** Gson's tree, except that a key given twice is an error instead of the last one silently winning. */
    private static JsonElement readTree(JsonReader in, String path, String source) throws IOException {
        switch (in.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject o = new JsonObject();
                in.beginObject();
                while (in.hasNext()) {
                    String name = in.nextName();
                    if (o.has(name)) {
                        throw new GeometryException(source + ": key '" + name + "' appears twice"
                                + (path.isEmpty() ? "" : " in " + path));
                    }
                    o.add(name, readTree(in, path.isEmpty() ? name : path + "." + name, source));
                }
                in.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                JsonArray a = new JsonArray();
                in.beginArray();
                while (in.hasNext()) a.add(readTree(in, path + "[" + a.size() + "]", source));
                in.endArray();
                return a;
            }
            case NUMBER -> {
                return new JsonPrimitive(Double.parseDouble(in.nextString()));
            }
            case STRING -> {
                return new JsonPrimitive(in.nextString());
            }
            case BOOLEAN -> {
                return new JsonPrimitive(in.nextBoolean());
            }
            case NULL -> {
                in.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new GeometryException(source + ": not valid JSON: unexpected " + in.peek() + " at " + in.getPath());
        }
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e;
    }

    /** Typed access to JSON values; every message names the field and starts with the source. */
    private record Reader(String source) {
        GeometryException error(String problem) {
            return new GeometryException(source + ": " + problem);
        }

        /** Runs a constructor and prefixes its validation message with the source. */
        <T> T wrap(java.util.function.Supplier<T> build) {
            try {
                return build.get();
            } catch (GeometryException e) {
                if (e.getMessage().startsWith(source + ":") || e.getMessage().contains(" in " + source)) throw e;
                throw error(e.getMessage());
            }
        }

        JsonElement required(JsonObject obj, String key) {
            return required(obj, key, null);
        }

        JsonElement required(JsonObject obj, String key, String parent) {
            JsonElement e = obj.get(key);
            if (e == null) throw error("missing required key '" + key + "'" + (parent == null ? "" : " in " + parent));
            return e;
        }

        double number(JsonElement e, String field) {
            if (e == null || e.isJsonNull()) throw error(field + " must be a number, got null");
            if (!e.isJsonPrimitive()) throw error(field + " must be a number, got " + (e.isJsonArray() ? "an array" : "an object"));
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                double v = p.getAsDouble();
                if (!Double.isFinite(v)) throw error(field + " must be a finite number, got " + p.getAsString());
                return v;
            }
            if (p.isString()) {
                // Gson's parser turns bare NaN / Infinity into strings; report them as what they are.
                String s = p.getAsString().strip();
                if (s.matches("[+-]?(NaN|Infinity|inf|nan)")) throw error(field + " must be a finite number, got " + s);
                throw error(field + " must be a number, got the string \"" + s + "\"");
            }
            throw error(field + " must be a number, got " + p);
        }

        int integer(JsonElement e, String field) {
            return integerValue(number(e, field), field);
        }

        int integerValue(double v, String field) {
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw error(field + " must be an integer, got " + v);
            return (int) v;
        }

        JsonArray array(JsonElement e, String field, int length) {
            if (e == null || !e.isJsonArray()) {
                throw error(field + " must be an array" + (length > 0 ? " of " + length + " numbers" : "")
                        + ", got " + (e == null ? "nothing" : e.toString()));
            }
            JsonArray a = e.getAsJsonArray();
            if (length > 0 && a.size() != length) {
                throw error(field + " must have " + length + " entries, got " + a.size());
            }
            return a;
        }

        double[] numbers(JsonElement e, String field, int length) {
            JsonArray a = array(e, field, length);
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) out[i] = number(a.get(i), field + "[" + i + "]");
            return out;
        }
    }

    // ------------------------------------------------------------------------------------- writing

    /** Writes a geometry file atomically. */
    public static void write(Path file, ConeBeamGeometry geometry) throws IOException {
        AtomicFiles.writeString(file, toJson(geometry));
    }

    /** The geometry as {@code geometry.json} text (numeric arrays on one line). */
    public static String toJson(ConeBeamGeometry geometry) {
        StringBuilder b = new StringBuilder();
        format(toJsonObject(geometry), b, "", false);
        return b.append('\n').toString();
    }

    /** The geometry as a JSON object in the {@code geometry.json} schema. */
    public static JsonObject toJsonObject(ConeBeamGeometry g) {
        JsonObject o = new JsonObject();
        o.addProperty("schema_version", SCHEMA_VERSION);
        o.addProperty("detector_rows", g.detectorRows());
        o.addProperty("detector_cols", g.detectorCols());
        if (g.orbit().isPresent()) {
            CircularOrbit orbit = g.orbit().get();
            o.addProperty("sod_mm", number(orbit.sodMm()));
            o.addProperty("sdd_mm", number(orbit.sddMm()));
            // v = (0, 0, row spacing) exactly; u = col spacing·(cos θ, sin θ, 0) carries round-off, which
            // 12 significant digits remove so that files round-trip to the same text.
            o.add("pixel_spacing_mm", array(length(g.v(0)), round12(length(g.u(0)))));
            o.add("detector_offset_mm", array(orbit.offsetUMm(), orbit.offsetVMm()));
            o.add("angles_deg", array(orbit.anglesDeg()));
        } else {
            JsonArray views = new JsonArray();
            for (int i = 0; i < g.views(); i++) {
                JsonObject view = new JsonObject();
                view.add("source_mm", array(g.source(i)));
                view.add("detector_mm", array(g.detectorCentre(i)));
                view.add("u_mm", array(g.u(i)));
                view.add("v_mm", array(g.v(i)));
                views.add(view);
            }
            o.add("views", views);
        }
        VolumeGrid v = g.volume();
        o.add("volume_shape", array(v.nz(), v.ny(), v.nx()));
        if (v.dxMm() == v.dyMm() && v.dyMm() == v.dzMm()) o.addProperty("voxel_size_mm", number(v.dxMm()));
        else o.add("voxel_size_mm", array(v.dzMm(), v.dyMm(), v.dxMm()));
        o.add("volume_centre_mm", array(v.centreMm()));
        return o;
    }

    private static double length(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    private static double round12(double x) {
        return new BigDecimal(x).round(new MathContext(12)).doubleValue();
    }

    private static JsonArray array(double... values) {
        JsonArray a = new JsonArray();
        for (double v : values) a.add(number(v));
        return a;
    }

    /** Whole numbers are written without ".0" (1000, not 1000.0); they read back to the same double. */
    private static Number number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0) ? (Number) (long) v : (Number) v;
    }

    private static JsonArray array(int... values) {
        JsonArray a = new JsonArray();
        for (int v : values) a.add(v);
        return a;
    }

    private static final Gson GSON = new Gson();

    /** Pretty-prints objects one key per line, but arrays of numbers and the objects inside arrays inline. */
    private static void format(JsonElement e, StringBuilder b, String indent, boolean inline) {
        if (e.isJsonObject()) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonElement> kv : e.getAsJsonObject().entrySet()) {
                b.append(first ? "" : ",");
                if (inline) b.append(first ? "" : " ");
                else b.append('\n').append(indent).append("  ");
                b.append(GSON.toJson(kv.getKey())).append(": ");
                format(kv.getValue(), b, indent + "  ", inline);
                first = false;
            }
            if (!inline) b.append('\n').append(indent);
            b.append('}');
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            boolean objects = a.size() > 0 && a.get(0).isJsonObject();
            b.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) b.append(objects ? "," : ", ");
                if (objects) b.append('\n').append(indent).append("  ");
                format(a.get(i), b, indent + "  ", true);
            }
            if (objects) b.append('\n').append(indent);
            b.append(']');
        } else {
            b.append(GSON.toJson(e));
        }
    }
}
