package org.pdrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.Volume;
import org.pdrecon.io.MetaImage;
import picocli.CommandLine;

class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void reconstructsAHeldOutScanAndScoresEveryMethod() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("demo", "-o", tmp.toString(), "--size", "24", "--views", "30", "--methods", "fdk,cgls,tv",
                "--tv-iterations", "30", "--model-tv-iterations", "30");
        assertEquals(0, code, out.toString());
        for (String f : new String[] {"truth.mha", "fdk.mha", "cgls.mha", "tv.mha", "fdk.png", "comparison.png", "summary.md",
                "projections.mha", "geometry.json"}) {
            assertTrue(Files.size(tmp.resolve(f)) > 0, f);
        }
        // The table holds one row per method with finite, plausible metrics; TV beats FDK on sparse noisy views.
        double fdk = psnr(out.toString(), "FDK"), tv = psnr(out.toString(), "TV");
        assertTrue(fdk > 15 && fdk < 60, "FDK PSNR " + fdk);
        assertTrue(tv > fdk, "TV " + tv + " dB vs FDK " + fdk + " dB");
        Volume truth = MetaImage.readVolume(tmp.resolve("truth.mha"));
        assertEquals(24, truth.grid().nx());
        assertTrue(Files.readString(tmp.resolve("summary.md")).contains("| CGLS"));

        // The shipped model's part: a held-out fan-beam phantom, where the model is far ahead of FDK.
        String learned = out.toString().substring(out.toString().indexOf("learned: "));
        double fanFdk = psnr(learned, "FDK"), model = psnr(learned, "lpd-fan2d");
        assertTrue(model > fanFdk + 10, "lpd-fan2d " + model + " dB vs FDK " + fanFdk + " dB");
        assertTrue(Files.size(tmp.resolve("lpd-fan2d/comparison.png")) > 0);
        assertTrue(Files.readString(tmp.resolve("summary.md")).contains("| lpd-fan2d |"));
        // Then the 3D model on a held-out scan of its own cone-beam geometry.
        String cone = learned.substring(learned.indexOf("learned: lpd-cone"));
        double coneFdk = psnr(cone, "FDK"), coneModel = psnr(cone, "lpd-cone");
        assertTrue(coneModel > coneFdk + 5, "lpd-cone " + coneModel + " dB vs FDK " + coneFdk + " dB");
        assertTrue(Files.size(tmp.resolve("lpd-cone/comparison.png")) > 0);
    }

    @Test
    void aMissingModelIsAnErrorBeforeAnyWork() {
        CliRun r = CliRun.of("demo", "-o", tmp.toString(), "--model", tmp.resolve("nothing").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no model at") && r.err().contains("--model none"), r.err());
        assertFalse(Files.exists(tmp.resolve("summary.md")));
    }

    @Test
    void eachModelNeedsItsOwnTvLambda() {
        CliRun r = CliRun.of("demo", "-o", tmp.toString(), "--model", "models/lpd-fan2d,models/lpd-fan2d",
                "--model-tv-lambda", "0.4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("one λ per model: 2 models, 1 λ"), r.err());
        assertFalse(Files.exists(tmp.resolve("summary.md")));
    }

    @Test
    void unknownMethodIsAnErrorNamingTheKnownOnes() {
        CliRun r = CliRun.of("demo", "-o", tmp.toString(), "--methods", "fdk,magic");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown method 'magic'"), r.err());
    }

    private static double psnr(String table, String method) {
        Matcher m = Pattern.compile("\\| " + method + "[^|]*\\| ([0-9.]+) \\|").matcher(table);
        assertTrue(m.find(), "no row for " + method + " in\n" + table);
        return Double.parseDouble(m.group(1));
    }
}
