package org.pdrecon.learned;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.Masks;

/**
 * What a trained model has seen, stated in its {@code config.json} ({@code "envelope"}) and checked by
 * {@code reconstruct --model} before it runs: a scan outside it is refused in one line naming what is out
 * of range ({@code --force} runs anyway, with a warning). A learned reconstruction outside its training
 * range can be quantitatively wrong with no sign of it (docs/learned.md).
 *
 * <ul>
 *   <li>Geometry: views, arc, SOD, SDD, detector rows, columns, pixel size and signed lateral offset (0: full
 *       fan; more than a pixel: half fan; compared to within one of the model's pixels), volume shape and voxel size: from the smallest to the largest value among the training
 *       scans, each parameter on its own (1 % tolerance on lengths). A model trained on one scan states that
 *       scan; one trained over {@code data.scans} states the box they span, which is only measured where its
 *       scans lie (docs/learned.md). No shift beyond the training scans has been measured to be safe, so none
 *       is stated. Envelopes written before the detector offset was a parameter state a centred detector.</li>
 *   <li>Attenuation scale: the 99th percentile of the initial reconstruction (FDK) inside the cylinder the
 *       scan covers ({@link Masks#scannedCylinder}: the fully seen one for a centred detector), in 1/mm, over
 *       {@value #SAMPLES} samples drawn like the training data; the observed range widened by
 *       {@value #MARGIN_PERCENT} % either way.</li>
 *   <li>Noise: the training photon count I0, stated only (a scan's noise is not measured from its data).</li>
 * </ul>
 */
public final class ModelEnvelope {
    static final int SAMPLES = 100;
    static final int MARGIN_PERCENT = 25;
    private static final double LENGTH_TOLERANCE = 0.01;
    /** The detector's lateral offset, mm, signed: 0 for a full-fan scan. */
    static final String OFFSET = "detector_offset_mm";

    private final Map<String, double[]> geometry; // name → {lo, hi}
    private final double[] muP99;
    private final double noiseI0;

    private ModelEnvelope(Map<String, double[]> geometry, double[] muP99, double noiseI0) {
        this.geometry = geometry;
        this.muP99 = muP99;
        this.noiseI0 = noiseI0;
    }

    /**
     * Measures the envelope of a model trained on scans of geometry {@code g}: {@code initial} gives the
     * initialiser's volume of training-like sample {@code i} (simulated like the training samples).
     */
    public static ModelEnvelope measure(ConeBeamGeometry g, java.util.function.IntFunction<float[]> initial, double noiseI0) {
        return measure(List.of(g), i -> 0, initial, noiseI0);
    }

    /**
     * Measures the envelope of a model trained over the scans {@code geometries}: sample {@code i} lies on scan
     * {@code scanOf(i)}, and {@code initial} gives its initialiser's volume.
     */
    public static ModelEnvelope measure(List<ConeBeamGeometry> geometries, java.util.function.IntUnaryOperator scanOf,
                                        java.util.function.IntFunction<float[]> initial, double noiseI0) {
        Map<String, double[]> bounds = new LinkedHashMap<>();
        for (ConeBeamGeometry g : geometries) {
            for (Map.Entry<String, double[]> e : describe(g).entrySet()) {
                bounds.merge(e.getKey(), e.getValue(), (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        Mask[] masks = geometries.stream().map(ModelEnvelope::scaleMask).toArray(Mask[]::new);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < SAMPLES; i++) {
            double p = muScale(initial.apply(i), masks[scanOf.applyAsInt(i)]);
            lo = Math.min(lo, p);
            hi = Math.max(hi, p);
        }
        double m = MARGIN_PERCENT / 100.0;
        return new ModelEnvelope(bounds, new double[] {lo * (1 - m), hi * (1 + m)}, noiseI0);
    }

    /** Where a scan's attenuation scale is measured: the cylinder it covers (for a half-fan scan its whole field of view). */
    public static Mask scaleMask(ConeBeamGeometry g) {
        return Masks.scannedCylinder(g);
    }

    /** The 99th percentile of {@code volume} inside {@code mask}: the scan's attenuation scale. */
    public static double muScale(float[] volume, Mask mask) {
        float[] inside = new float[mask.count()];
        int k = 0;
        for (int i = 0; i < volume.length; i++) if (mask.contains(i)) inside[k++] = volume[i];
        Arrays.sort(inside);
        return inside.length == 0 ? Double.NaN : inside[(int) Math.floor(0.99 * (inside.length - 1))];
    }

    /** Everything about {@code g} the envelope bounds, as a point range {lo = hi}. */
    static Map<String, double[]> describe(ConeBeamGeometry g) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("views", point(g.views()));
        CircularOrbit o = g.orbit().orElse(null);
        if (o != null) {
            double[] a = o.anglesDeg();
            double step = a.length > 1 ? (a[a.length - 1] - a[0]) / (a.length - 1) : 0;
            m.put("arc_deg", point(Math.abs(a[a.length - 1] - a[0]) + Math.abs(step)));
            m.put("sod_mm", point(o.sodMm()));
            m.put("sdd_mm", point(o.sddMm()));
        }
        m.put("detector_rows", point(g.detectorRows()));
        m.put("detector_cols", point(g.detectorCols()));
        m.put("detector_pixel_mm", point(norm(g.u(0))));
        if (o != null) m.put(OFFSET, point(o.offsetUMm())); // signed: a mirrored half fan is another scan to the network
        var v = g.volume();
        m.put("nx", point(v.nx()));
        m.put("ny", point(v.ny()));
        m.put("nz", point(v.nz()));
        m.put("voxel_mm", point(v.dxMm()));
        return m;
    }

    /** What of {@code g} lies outside, one phrase each (empty: inside). A geometry without a circular orbit is outside. */
    public List<String> geometryViolations(ConeBeamGeometry g) {
        List<String> out = new ArrayList<>();
        Map<String, double[]> scan = describe(g);
        if (g.orbit().isEmpty()) out.add("the scan is not a circular orbit (the model knows one)");
        for (Map.Entry<String, double[]> e : geometry.entrySet()) {
            double[] have = scan.get(e.getKey());
            if (have == null) continue;
            double[] r = e.getValue();
            // an offset gets one of the model's detector pixels (FDK's own threshold for a centred detector): 1 % of 0 would be no slack
            double slack = e.getKey().equals(OFFSET) ? pixelSlack(g) : LENGTH_TOLERANCE * Math.max(Math.abs(r[0]), Math.abs(r[1]));
            if (have[0] < r[0] - slack || have[0] > r[1] + slack) out.add(e.getKey() + " " + fmt(have[0]) + " (model: " + range(r) + ")");
        }
        return out;
    }

    /** One detector pixel of the model (its largest), or of the scan for an envelope that states none. */
    private double pixelSlack(ConeBeamGeometry g) {
        double[] pixel = geometry.get("detector_pixel_mm");
        return pixel != null ? pixel[1] : norm(g.u(0));
    }

    /** A phrase if the attenuation scale {@code p99} (1/mm) is outside, else {@code null}. */
    public String attenuationViolation(double p99) {
        if (p99 >= muP99[0] && p99 <= muP99[1]) return null;
        return String.format(Locale.ROOT, "attenuation scale %.4g/mm (99th percentile of the FDK start; model: %.4g–%.4g/mm)", p99, muP99[0], muP99[1]);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonObject geo = new JsonObject();
        for (Map.Entry<String, double[]> e : geometry.entrySet()) geo.add(e.getKey(), array(e.getValue()));
        o.add("geometry", geo);
        o.add("mu_p99_per_mm", array(muP99));
        o.addProperty("noise_i0", noiseI0);
        o.addProperty("how", "geometry: smallest to largest value over the training scans, per parameter (1 % tolerance; offset, signed: one pixel);"
                + " mu_p99_per_mm: 99th percentile of the FDK start in the scanned cylinder over " + SAMPLES + " training-like samples, widened by "
                + MARGIN_PERCENT + " %; noise_i0: stated, not checked");
        return o;
    }

    /** Reads {@code "envelope"} of a model's config.json; {@code null} if the model states none. */
    public static ModelEnvelope fromJson(JsonObject config) {
        JsonElement e = config.get("envelope");
        if (e == null || !e.isJsonObject()) return null;
        JsonObject o = e.getAsJsonObject();
        try {
            Map<String, double[]> geo = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> g : o.getAsJsonObject("geometry").entrySet()) geo.put(g.getKey(), pair(g.getValue()));
            // written before the offset was a training parameter: every such model was trained with a centred detector
            if (geo.containsKey("sod_mm")) geo.putIfAbsent(OFFSET, point(0));
            return new ModelEnvelope(geo, pair(o.get("mu_p99_per_mm")), o.get("noise_i0").getAsDouble());
        } catch (RuntimeException bad) { // missing keys or wrong types
            throw new IllegalArgumentException("config.json: \"envelope\" is malformed (needs geometry {name: [lo, hi]}, mu_p99_per_mm [lo, hi]"
                    + " and noise_i0): " + bad, bad);
        }
    }

    /** For the model card: one line per bound. */
    public String describeForCard() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, double[]> e : geometry.entrySet()) b.append("- ").append(e.getKey()).append(": ").append(range(e.getValue())).append('\n');
        b.append(String.format(Locale.ROOT, "- attenuation scale (99th percentile of the FDK start): %.4g–%.4g /mm%n", muP99[0], muP99[1]));
        b.append(String.format(Locale.ROOT, "- noise: trained at I0 = %.3g photons per pixel (stated, not checked)%n", noiseI0));
        return b.toString();
    }

    private static String range(double[] r) {
        return r[0] == r[1] ? fmt(r[0]) : fmt(r[0]) + "–" + fmt(r[1]);
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return String.valueOf((long) v);
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s; // 1.500 → 1.5
    }

    private static double[] point(double v) {
        return new double[] {v, v};
    }

    private static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) a.add(x);
        return a;
    }

    private static double[] pair(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        return new double[] {a.get(0).getAsDouble(), a.get(1).getAsDouble()};
    }

    private static double norm(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }
}
