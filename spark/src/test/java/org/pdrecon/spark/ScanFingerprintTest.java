package org.pdrecon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a scan's fingerprint sees change: so that a rerun redoes a scan whose output would differ. */
class ScanFingerprintTest {
    @TempDir
    Path tmp;

    @Test
    void aHeadersDataFileAFolderBehindALinkAndTheThreadsChangeTheFingerprint() throws Exception {
        Path mhd = Files.writeString(tmp.resolve("p.mhd"), "ElementDataFile = p.raw\n"), raw = Files.write(tmp.resolve("p.raw"), new byte[16]);
        Path geometry = Files.writeString(tmp.resolve("g.json"), "{}");
        Path dicom = Files.createDirectories(tmp.resolve("real/dicom"));
        Files.write(dicom.resolve("a.dcm"), new byte[8]);
        Path link = Files.createSymbolicLink(tmp.resolve("linked"), dicom);
        ScanSpec mha = new ScanSpec("s", null, mhd.toString(), geometry.toString(), "fdk", null, List.of());
        ScanSpec viaLink = new ScanSpec("d", link.toString(), null, null, "fdk", null, List.of());
        BatchSettings one = new BatchSettings(tmp.resolve("out").toString(), 1, false, false), two = new BatchSettings(one.out(), 2, false, false);

        String before = ScanTask.fingerprint(mha, one), linked = ScanTask.fingerprint(viaLink, one);
        assertEquals(before, ScanTask.fingerprint(mha, one), "stable while nothing changes");
        assertNotEquals(before, ScanTask.fingerprint(mha, two), "threads per scan");
        Files.setLastModifiedTime(raw, FileTime.fromMillis(Files.getLastModifiedTime(raw).toMillis() + 5000));
        assertNotEquals(before, ScanTask.fingerprint(mha, one), "the .raw beside the .mhd header");
        Files.write(dicom.resolve("b.dcm"), new byte[8]);
        assertNotEquals(linked, ScanTask.fingerprint(viaLink, one), "a file added to a folder reached through a link");
    }
}
