package org.pdrecon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.dicom.CtSeriesWriter;
import org.pdrecon.io.dicom.DicomElement;
import org.pdrecon.io.dicom.DicomException;
import org.pdrecon.io.dicom.DicomFile;
import org.pdrecon.io.dicom.DicomObject;
import org.pdrecon.io.dicom.DicomReader;
import org.pdrecon.io.dicom.PixelData;
import org.pdrecon.io.dicom.RtImageWriter;
import org.pdrecon.io.dicom.SeriesInfo;

/**
 * {@code pdrecon bench fuzz}: the long hostile-input run, outside the test suite. Seeded mutations (random
 * bytes, truncation, huge or undefined lengths, deleted and duplicated chunks) of real inputs — DICOM
 * (files of a projection folder, plus a CT slice and an RT Image written here), MetaImage volumes and
 * projection stacks ({@code .mha}), and {@code geometry.json} — each read through the same code as the
 * commands. Every outcome must be a successful read or the format's own error ({@link DicomException},
 * a MetaImage {@link IOException}, a geometry {@link IllegalArgumentException} or {@link IOException});
 * anything else is a defect, reported with the seed and iteration that reproduce it.
 */
public final class InputFuzz {
    private InputFuzz() {}

    /** Counts of one format; {@code examples} names the first defects (at most 20). */
    public record Counts(String format, int accepted, int rejected, int defects, List<String> examples) {}

    /** The formats, in the order they run. */
    public enum Format { DICOM, MHA, GEOMETRY_JSON }

    /**
     * Runs {@code mutations} mutations of each format.
     *
     * @param dicomSeeds folder of DICOM files to mutate (e.g. datasets/sample-epid-arc), or {@code null}
     * @param work scratch folder for the mutated files
     */
    public static Map<Format, Counts> run(int mutations, long seed, Path dicomSeeds, Path work) throws IOException {
        Files.createDirectories(work);
        Map<Format, Counts> out = new LinkedHashMap<>();
        List<byte[]> dicom = dicomSeeds(dicomSeeds, work);
        List<byte[]> mha = mhaSeeds(work);
        byte[] json = GeometryJson.toJson(sampleGeometry()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Random rnd = new Random(seed);
        out.put(Format.DICOM, fuzz("DICOM", dicom, 132, mutations, rnd, seed, (bytes, it) -> {
            try {
                exercise(DicomReader.read(bytes, "fuzz " + it));
                return true;
            } catch (DicomException e) {
                return false;
            }
        }));
        Path mhaFile = work.resolve("fuzz.mha");
        out.put(Format.MHA, fuzz("MHA", mha, 0, mutations, rnd, seed, (bytes, it) -> {
            Files.write(mhaFile, bytes);
            try {
                MetaImage.read(mhaFile);
                return true;
            } catch (IOException e) {
                return false;
            }
        }));
        Path jsonFile = work.resolve("geometry.json");
        out.put(Format.GEOMETRY_JSON, fuzz("geometry.json", List.of(json), 0, mutations, rnd, seed, (bytes, it) -> {
            Files.write(jsonFile, bytes);
            try {
                GeometryJson.read(jsonFile);
                return true;
            } catch (IllegalArgumentException | IOException e) {
                return false;
            }
        }));
        return out;
    }

    /** Reads one mutated input: true if accepted, false if rejected with the format's own error. */
    @FunctionalInterface
    interface Reader {
        boolean read(byte[] bytes, int iteration) throws IOException;
    }

    private static Counts fuzz(String name, List<byte[]> seeds, int protectedPrefix, int mutations, Random rnd, long seed, Reader reader) {
        int accepted = 0, rejected = 0, defects = 0;
        List<String> examples = new ArrayList<>();
        for (int it = 0; it < mutations; it++) {
            byte[] mutated = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd, protectedPrefix);
            try {
                if (reader.read(mutated, it)) accepted++;
                else rejected++;
            } catch (Throwable t) { // anything but the format's own error is a defect: count it, name it
                if (defects++ < 20) examples.add(String.format(Locale.ROOT, "%s iteration %d (seed %d): %s", name, it, seed, t));
            }
        }
        return new Counts(name, accepted, rejected, defects, examples);
    }

    /** Decodes pixels and reads every element through the typed getters, recursively. */
    public static void exercise(DicomFile f) throws DicomException {
        try {
            PixelData.decode(f);
        } catch (DicomException rejected) {
            // a malformed pixel module; the header getters below must still behave
        }
        walk(f.dataset());
    }

    private static void walk(DicomObject ds) throws DicomException {
        for (DicomElement e : ds.elements()) {
            try {
                if (e.isSequence()) {
                    for (DicomObject item : e.items()) walk(item);
                } else if (e.vr().isText()) {
                    ds.getStrings(e.tag());
                    if (e.vr() == org.pdrecon.io.dicom.Vr.DS || e.vr() == org.pdrecon.io.dicom.Vr.IS) ds.getDoubles(e.tag());
                } else if (e.value() != null) {
                    ds.getDoubles(e.tag());
                }
            } catch (DicomException expected) {
                // a malformed value: reported, not thrown as anything else
            }
        }
    }

    /**
     * One seeded mutation of {@code original}; bytes before {@code protectedPrefix} (DICOM's preamble) are kept
     * by the in-place mutations, so they reach the parser's body.
     */
    public static byte[] mutate(byte[] original, Random rnd, int protectedPrefix) {
        byte[] b = original.clone();
        int lo = Math.min(protectedPrefix, Math.max(0, b.length - 8));
        switch (rnd.nextInt(6)) {
            case 0: { // a few random bytes
                int n = 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) b[lo + rnd.nextInt(b.length - lo)] = (byte) rnd.nextInt(256);
                return b;
            }
            case 1: // truncation
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2: { // a huge or undefined 32-bit length (or, in text, four wild bytes) somewhere
                int at = lo + rnd.nextInt(b.length - lo - 4);
                long v = rnd.nextBoolean() ? 0xFFFFFFFFL : (rnd.nextLong() & 0xFFFFFFFEL);
                for (int k = 0; k < 4; k++) b[at + k] = (byte) (v >>> (8 * k));
                return b;
            }
            case 3: { // a huge 16-bit length
                int at = lo + rnd.nextInt(b.length - lo - 2);
                b[at] = (byte) 0xFE;
                b[at + 1] = (byte) 0xFF;
                return b;
            }
            case 4: { // delete a chunk
                int from = lo + rnd.nextInt(b.length - lo), len = 1 + rnd.nextInt(Math.min(32, b.length - from));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, from + len, out, from, b.length - from - len);
                return out;
            }
            default: { // duplicate a chunk
                int from = lo + rnd.nextInt(b.length - lo), len = 1 + rnd.nextInt(Math.min(64, b.length - from));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, from + len);
                System.arraycopy(b, from, out, from + len, b.length - from);
                return out;
            }
        }
    }

    private static List<byte[]> dicomSeeds(Path dir, Path work) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        if (dir != null) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(8).toList()) seeds.add(Files.readAllBytes(f));
            }
        }
        ConeBeamGeometry g = sampleGeometry();
        ProjectionStack p = ProjectionStack.zeros(g.views(), g.detectorRows(), g.detectorCols());
        for (int i = 0; i < p.data().length; i++) p.data()[i] = 1000 + (i * 37) % 500;
        Path rt = work.resolve("rt"), ct = work.resolve("ct");
        seeds.add(Files.readAllBytes(RtImageWriter.write(p, RtImageWriter.Values.INTENSITIES, g, rt, SeriesInfo.anonymous("fuzz")).get(0)));
        Volume v = new Volume(g.volume(), new float[g.volume().nz() * g.volume().ny() * g.volume().nx()]);
        seeds.add(Files.readAllBytes(CtSeriesWriter.write(v, ct, SeriesInfo.anonymous("fuzz"), 0.02).get(0)));
        return seeds;
    }

    private static List<byte[]> mhaSeeds(Path work) throws IOException {
        ConeBeamGeometry g = sampleGeometry();
        VolumeGrid grid = g.volume();
        float[] data = new float[grid.nz() * grid.ny() * grid.nx()];
        for (int i = 0; i < data.length; i++) data[i] = (i % 7) * 0.003f;
        Path vol = work.resolve("seed-volume.mha"), proj = work.resolve("seed-projections.mha");
        MetaImage.writeVolume(vol, new Volume(grid, data));
        ProjectionStack p = ProjectionStack.zeros(g.views(), g.detectorRows(), g.detectorCols());
        MetaImage.writeProjections(proj, p, g);
        return List.of(Files.readAllBytes(vol), Files.readAllBytes(proj));
    }

    private static ConeBeamGeometry sampleGeometry() {
        return ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(6, 2.0)).setSodMm(500).setSddMm(1000).setDetector(4, 5, 1.5, 1.5)
                .optDetectorOffsetMm(0.5, -0.25).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(3, 0, 360)).build();
    }
}
