package org.pdrecon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import org.pdrecon.io.dicom.DicomVolumeReader;
import org.pdrecon.metrics.FieldOfView;
import org.pdrecon.metrics.Mask;
import org.pdrecon.metrics.MetricValues;
import org.pdrecon.metrics.VolumeComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdrecon compare}: a volume against a reference (MetaImage, CT series folder, RT Dose file) on the
 * reference's grid, through {@link VolumeComparison}: trilinear resampling in world coordinates, optional
 * least-squares scale (and offset), PSNR/SSIM/NRMSE with their range and mask, a signed difference PNG.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare a volume with a reference (MetaImage, DICOM CT series folder or RT Dose file) on the reference's grid: "
                + "PSNR, SSIM, NRMSE, optional least-squares scale fit, difference-map PNG.")
public final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--reference", required = true, paramLabel = "ref.mha|ref.dcm|DIR",
            description = "Reference volume: MetaImage, a DICOM file (RT Dose, multi-frame) or a folder holding one CT/MR series.")
    Path reference;

    @Option(names = "--volume", required = true, paramLabel = "vol.mha", description = "Volume to judge (MetaImage or DICOM, as --reference).")
    Path volume;

    @Option(names = "--scale-fit", description = "Fit reference ≈ s·volume by least squares over the mask before the metrics (different units, e.g. 1/mm vs Gy).")
    boolean scaleFit;

    @Option(names = "--offset-fit", description = "Fit reference ≈ s·volume + b (e.g. μ against HU); implies a scale fit.")
    boolean offsetFit;

    @Option(names = "--mask", defaultValue = "all", paramLabel = "all|fov|scanned",
            description = {"all: every reference voxel inside the volume's extent (default); fov: also inside the cylinder every view of --geometry sees;",
                    "scanned: inside the cylinder --geometry covers (the same as fov for a centred detector; for a half-fan scan its whole field of view,",
                    "where fov is only the small cylinder both sides of the offset detector see)."})
    String mask;

    @Option(names = "--geometry", paramLabel = "g.json", description = "The volume's scan geometry, for --mask fov or scanned.")
    Path geometry;

    @Option(names = "--diff-png", paramLabel = "d.png",
            description = "Write (fitted volume − reference) as three orthogonal mid-planes, mid-grey = 0, black/white = ∓ the 99th percentile of |difference|.")
    Path diffPng;

    @Option(names = "--diff-out", paramLabel = "d.mha", description = "Write the difference volume (MetaImage, 0 outside the mask).")
    Path diffOut;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!java.util.List.of("all", "fov", "scanned").contains(mask)) {
            throw new CommandLine.ParameterException(cl, "--mask must be all, fov or scanned, got " + mask);
        }
        if (!mask.equals("all") && geometry == null) {
            throw new CommandLine.ParameterException(cl, "--mask " + mask + " needs --geometry g.json (the scan the volume came from)");
        }
        if (geometry != null && !Files.isRegularFile(geometry)) throw new CommandLine.ParameterException(cl, "--geometry: no such file: " + geometry);
        Loaded ref = load(cl, reference, "--reference");
        Loaded vol = load(cl, volume, "--volume");
        VolumeGrid g = ref.volume.grid();
        Mask region = null;
        if (!mask.equals("all")) {
            boolean fov = mask.equals("fov");
            var scan = GeometryJson.read(geometry);
            FieldOfView cylinder = fov ? FieldOfView.of(scan) : FieldOfView.scanned(scan);
            region = new Mask(g.nz(), g.ny(), g.nx(), inside(cylinder.mask(g)), fov
                    ? "the cylinder every view of " + geometry.getFileName() + " sees"
                    : "the cylinder " + geometry.getFileName() + " covers");
        }
        VolumeComparison.Fit fit = offsetFit ? VolumeComparison.Fit.SCALE_AND_OFFSET : scaleFit ? VolumeComparison.Fit.SCALE : VolumeComparison.Fit.NONE;
        VolumeComparison.Result r = VolumeComparison.compare(ref.volume, vol.volume, fit, region);

        PrintWriter pw = cl.getOut();
        pw.printf(Locale.ROOT, "reference  %s: %s%s%n", reference, grid(g), ref.units.isEmpty() ? "" : ", " + ref.units);
        pw.printf(Locale.ROOT, "volume     %s: %s%s, resampled trilinearly onto the reference grid%n", volume, grid(vol.volume.grid()),
                vol.units.isEmpty() ? "" : ", " + vol.units);
        MetricValues m = r.metrics();
        pw.printf(Locale.ROOT, "mask       %s: %d of %d voxels%n", m.maskDescription(), m.maskVoxels(), g.voxelCount());
        switch (fit) {
            case NONE -> pw.println("fit        none");
            case SCALE -> pw.printf(Locale.ROOT, "fit        reference ≈ %.6g · volume (least squares over the mask)%n", r.fit().scale());
            case SCALE_AND_OFFSET -> pw.printf(Locale.ROOT, "fit        reference ≈ %.6g · volume + %.6g (least squares over the mask)%n",
                    r.fit().scale(), r.fit().offset());
        }
        pw.printf(Locale.ROOT, "range      %.6g (max − min of the reference in the mask)%n", m.dataRange());
        String ssim = Double.isNaN(m.ssim()) ? "n/a (grid smaller than the 11-voxel window)" : String.format(Locale.ROOT, "%.4f", m.ssim());
        pw.printf(Locale.ROOT, "PSNR %.2f dB   SSIM %s   NRMSE %.4f%n", m.psnrDb(), ssim, m.nrmse());
        if (diffPng != null) {
            double w = symmetricWindow(r.difference().data(), r.mask());
            Previews.writeOrthogonalSlices(diffPng, r.difference(), new Previews.Window(-w, w));
            pw.printf(Locale.ROOT, "wrote %s (volume − reference, grey 0 = equal, black −%.4g, white +%.4g)%n", diffPng, w, w);
        }
        if (diffOut != null) {
            MetaImage.writeVolume(diffOut, r.difference());
            pw.printf("wrote %s%n", diffOut);
        }
        pw.flush();
        return 0;
    }

    private record Loaded(Volume volume, String units) {}

    /** MetaImage by extension (.mha/.mhd), DICOM for folders and everything else. */
    private static Loaded load(CommandLine cl, Path p, String option) throws IOException {
        if (!Files.exists(p)) throw new CommandLine.ParameterException(cl, option + ": no such file or folder: " + p);
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isDirectory(p) && (name.endsWith(".mha") || name.endsWith(".mhd")) && !isDicom(p)) {
            return new Loaded(MetaImage.readVolume(p), "");
        }
        DicomVolumeReader.Result d = DicomVolumeReader.read(p);
        return new Loaded(d.volume(), d.modality() + (d.units().isEmpty() ? "" : " in " + d.units()));
    }

    private static boolean isDicom(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        }
    }

    private static boolean[] inside(Mask m) {
        boolean[] b = new boolean[m.nz() * m.ny() * m.nx()];
        for (int i = 0; i < b.length; i++) b[i] = m.contains(i);
        return b;
    }

    /** The 99th percentile of |d| inside the mask (the largest value if that is 0; 1 for an all-zero difference). */
    static double symmetricWindow(float[] d, Mask mask) {
        float[] a = new float[mask.count()];
        int n = 0;
        for (int i = 0; i < d.length; i++) if (mask.contains(i)) a[n++] = Math.abs(d[i]);
        Arrays.sort(a, 0, n);
        double w = n == 0 ? 0 : a[Math.min(n - 1, (int) Math.floor(0.99 * (n - 1)))];
        if (!(w > 0)) w = n == 0 ? 0 : a[n - 1];
        return w > 0 ? w : 1;
    }

    private static String grid(VolumeGrid g) {
        double[] lo = g.minCornerMm(), hi = g.maxCornerMm();
        return String.format(Locale.ROOT, "%d×%d×%d voxels (z×y×x) of %.3g×%.3g×%.3g mm, x %.1f..%.1f y %.1f..%.1f z %.1f..%.1f mm",
                g.nz(), g.ny(), g.nx(), g.dzMm(), g.dyMm(), g.dxMm(), lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]);
    }
}
