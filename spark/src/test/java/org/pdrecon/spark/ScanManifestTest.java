package org.pdrecon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A manifest that is itself wrong is refused as a whole, in one line naming the row and the fault. */
class ScanManifestTest {
    static final Path BASE = Path.of("/data/study");
    static final List<String> COLUMNS = List.of("scan_id", "method", "dicom", "projections", "geometry", "reference", "options");

    static Map<String, String> row(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static String refused(List<String> columns, Map<String, String> r) {
        return assertThrows(IllegalArgumentException.class, () -> ScanManifest.parse(columns, List.of(r), BASE, "m.csv")).getMessage();
    }

    @Test
    void pathsAreTakenFromTheManifestsFolderAndTheGeometryDefaultsToTheOneBesideTheProjections() {
        List<ScanSpec> specs = ScanManifest.parse(COLUMNS, List.of(
                row("scan_id", "a", "method", "fdk", "projections", "p/a.mha", "reference", "/abs/ref.mha", "options", " --iterations  5 "),
                row("scan_id", "b", "method", "sirt", "dicom", "../other/b")), BASE, "m.csv");
        ScanSpec a = specs.get(0), b = specs.get(1);
        assertEquals("/data/study/p/a.mha", a.projections());
        assertEquals("/data/study/p/geometry.json", a.geometry());
        assertEquals("/abs/ref.mha", a.reference());
        assertEquals(List.of("--iterations", "5"), a.options());
        assertEquals("/data/other/b", b.dicom());
        assertNull(b.projections());
        assertEquals("sirt", b.method());
    }

    @Test
    void aWrongManifestIsRefusedBeforeAnyWork() {
        assertTrue(refused(List.of("scan_id", "method", "dicom_dir"), row("scan_id", "a", "method", "fdk")).contains("unknown column 'dicom_dir'"));
        assertTrue(refused(List.of("scan_id", "dicom"), row("scan_id", "a", "dicom", "d")).contains("no 'method' column"));
        assertTrue(refused(COLUMNS, row("scan_id", "a/b", "method", "fdk", "dicom", "d")).contains("scan_id 'a/b'"));
        assertTrue(refused(COLUMNS, row("scan_id", "a", "method", "fdk")).contains("not both or neither"));
        assertTrue(refused(COLUMNS, row("scan_id", "a", "method", "fdk", "dicom", "d", "projections", "p.mha")).contains("not both or neither"));
        assertTrue(refused(COLUMNS, row("scan_id", "a", "method", "fdk", "dicom", "d", "geometry", "g.json")).contains("carries its own"));
        assertTrue(refused(COLUMNS, row("scan_id", "a", "method", "", "dicom", "d")).contains("no method"));
        assertTrue(refused(COLUMNS, row("scan_id", "a", "method", "fdk", "dicom", "d", "options", "--out x.mha")).contains("option --out is set by the batch"));
        assertTrue(refused(COLUMNS, row("scan_id", "a", "method", "fdk", "dicom", "d", "options", "--dicom-out=x")).contains("--dicom-out"));
        String twice = assertThrows(IllegalArgumentException.class, () -> ScanManifest.parse(COLUMNS,
                List.of(row("scan_id", "a", "method", "fdk", "dicom", "d"), row("scan_id", "a", "method", "fdk", "dicom", "e")), BASE, "m.csv")).getMessage();
        assertTrue(twice.contains("row 2") && twice.contains("appears twice"), twice);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScanManifest.parse(COLUMNS, List.of(), BASE, "m.csv")).getMessage().contains("no scans"));
        String caseTwice = assertThrows(IllegalArgumentException.class, () -> ScanManifest.parse(COLUMNS,
                List.of(row("scan_id", "P001", "method", "fdk", "dicom", "d"), row("scan_id", "p001", "method", "fdk", "dicom", "e")), BASE, "m.csv")).getMessage();
        assertTrue(caseTwice.contains("letter case"), caseTwice);
        assertTrue(refused(COLUMNS, row("scan_id", "a", "method", "naf", "dicom", "d", "options", "--checkpoint c.bin")).contains("--checkpoint"));
    }

    @Test
    void aModelFolderNeedsItsConfigAndFilesInOptionsAreTakenFromTheManifestsFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("fdk")); // a stray folder named like a method
        java.nio.file.Files.createDirectories(dir.resolve("models/m"));
        java.nio.file.Files.writeString(dir.resolve("models/m/config.json"), "{}");
        java.nio.file.Files.writeString(dir.resolve("field.json"), "{}");
        List<ScanSpec> s = ScanManifest.parse(COLUMNS, List.of(row("scan_id", "a", "method", "fdk", "dicom", "d"),
                row("scan_id", "b", "method", "models/m", "dicom", "d", "options", "--field-config field.json --iterations 5")), dir, "m.csv");
        assertEquals("fdk", s.get(0).method());
        assertEquals(dir.resolve("models/m").toString(), s.get(1).method());
        assertEquals(List.of("--field-config", dir.resolve("field.json").toString(), "--iterations", "5"), s.get(1).options());
    }
}
