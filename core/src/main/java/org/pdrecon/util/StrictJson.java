package org.pdrecon.util;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON object read field by field for a config: every read names the field's path in its error, and
 * {@link #finish()} rejects keys nobody read, so a misspelt option fails loudly instead of being
 * ignored. Not thread-safe; one instance per object being read.
 */
public final class StrictJson {
    private final JsonObject object;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();

    private StrictJson(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /** Parses {@code text}, which must hold one JSON object; {@code what} names it in errors. */
    public static StrictJson parse(String text, String what) {
        JsonElement e;
        try {
            e = JsonParser.parseString(text);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + ex.getMessage(), ex);
        }
        if (e == null || !e.isJsonObject()) throw new IllegalArgumentException(what + " must be a JSON object");
        return new StrictJson(e.getAsJsonObject(), what);
    }

    /** Reads {@code object} strictly; {@code what} names it in errors. */
    public static StrictJson of(JsonObject object, String what) {
        return new StrictJson(object.deepCopy(), what);
    }

    /** A copy of this object's JSON with {@code key} set to {@code value} (nothing is marked read). */
    public JsonObject copyWith(String key, Number value) {
        JsonObject copy = object.deepCopy();
        copy.addProperty(key, value);
        return copy;
    }

    public boolean has(String key) {
        return object.has(key) && !object.get(key).isJsonNull();
    }

    /** The nested object {@code key}, or an empty one if absent. */
    public StrictJson object(String key) {
        read.add(key);
        if (!has(key)) return new StrictJson(new JsonObject(), path + "." + key);
        JsonElement e = object.get(key);
        if (!e.isJsonObject()) throw new IllegalArgumentException(name(key) + " must be a JSON object");
        return new StrictJson(e.getAsJsonObject(), path + "." + key);
    }

    public int requireInt(String key) {
        if (!has(key)) throw new IllegalArgumentException(name(key) + " is missing");
        return optInt(key, 0);
    }

    public int optInt(String key, int fallback) {
        read.add(key);
        if (!has(key)) return fallback;
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw new IllegalArgumentException(name(key) + " must be an integer, got " + d);
        return (int) d;
    }

    public long optLong(String key, long fallback) {
        read.add(key);
        if (!has(key)) return fallback;
        JsonPrimitive p = primitive(key);
        if (!p.isNumber()) throw new IllegalArgumentException(name(key) + " must be a number, got " + p);
        try {
            return p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException ex) {
            throw new IllegalArgumentException(name(key) + " must be an integer, got " + p, ex);
        }
    }

    public double requireDouble(String key) {
        if (!has(key)) throw new IllegalArgumentException(name(key) + " is missing");
        return optDouble(key, 0);
    }

    public double optDouble(String key, double fallback) {
        read.add(key);
        return has(key) ? number(key) : fallback;
    }

    public boolean optBoolean(String key, boolean fallback) {
        read.add(key);
        if (!has(key)) return fallback;
        JsonPrimitive p = primitive(key);
        if (!p.isBoolean()) throw new IllegalArgumentException(name(key) + " must be true or false, got " + p);
        return p.getAsBoolean();
    }

    public String requireString(String key) {
        if (!has(key)) throw new IllegalArgumentException(name(key) + " is missing");
        return optString(key, null);
    }

    public String optString(String key, String fallback) {
        read.add(key);
        if (!has(key)) return fallback;
        JsonPrimitive p = primitive(key);
        if (!p.isString()) throw new IllegalArgumentException(name(key) + " must be a string, got " + p);
        return p.getAsString();
    }

    /** Whether {@code key} is present and holds an array. */
    public boolean isArray(String key) {
        return has(key) && object.get(key).isJsonArray();
    }

    /** The array {@code key}'s elements, or an empty list if absent. */
    public List<JsonElement> array(String key) {
        read.add(key);
        if (!has(key)) return List.of();
        JsonElement e = object.get(key);
        if (!e.isJsonArray()) throw new IllegalArgumentException(name(key) + " must be a JSON array, got " + e);
        List<JsonElement> out = new ArrayList<>();
        e.getAsJsonArray().forEach(out::add);
        return out;
    }

    /** The array {@code key} of numbers (each finite), or an empty list if absent. */
    public List<Double> numbers(String key) {
        List<Double> out = new ArrayList<>();
        for (JsonElement e : array(key)) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || !Double.isFinite(e.getAsDouble())) {
                throw new IllegalArgumentException(name(key) + " must hold finite numbers, got " + e);
            }
            out.add(e.getAsDouble());
        }
        return out;
    }

    /** Element {@code index} of the array {@code key} as an object, read strictly like this one. */
    public StrictJson element(String key, int index) {
        JsonElement e = array(key).get(index);
        String at = path + "." + key + "[" + index + "]";
        if (!e.isJsonObject()) throw new IllegalArgumentException(at + " must be a JSON object, got " + e);
        return new StrictJson(e.getAsJsonObject(), at);
    }

    /** Fails naming every key that was present but never read, and the keys this object accepts. */
    public void finish() {
        Set<String> unknown = new TreeSet<>(object.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(path + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " (accepted: " + new TreeSet<>(read) + ")");
        }
    }

    /** The field's full name for messages, e.g. {@code training config.optimiser.lr}. */
    public String name(String key) {
        return path + "." + Objects.requireNonNull(key);
    }

    private double number(String key) {
        JsonPrimitive p = primitive(key);
        if (!p.isNumber()) throw new IllegalArgumentException(name(key) + " must be a number, got " + p);
        double d = p.getAsDouble();
        if (!Double.isFinite(d)) throw new IllegalArgumentException(name(key) + " must be finite, got " + p);
        return d;
    }

    private JsonPrimitive primitive(String key) {
        JsonElement e = object.get(key);
        if (!e.isJsonPrimitive()) throw new IllegalArgumentException(name(key) + " must be a single value, got " + e);
        return e.getAsJsonPrimitive();
    }
}
