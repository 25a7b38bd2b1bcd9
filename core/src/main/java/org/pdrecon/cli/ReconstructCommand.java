package org.pdrecon.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdrecon.util.OutputSet;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.CircularOrbit;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.GeometryDiagram;
import org.pdrecon.geometry.GeometryJson;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.io.MetaImage;
import org.pdrecon.io.Previews;
import org.pdrecon.io.dicom.CtSeriesWriter;
import org.pdrecon.io.dicom.SeriesInfo;
import org.pdrecon.learned.ModelFiles;
import org.pdrecon.preprocessing.ClinicalScan;
import org.pdrecon.reconstruct.ReconstructionSettings;
import org.pdrecon.fields.ConditionedField;
import org.pdrecon.reconstruct.ConditionedFieldReconstructor;
import org.pdrecon.reconstruct.Reconstructor;
import org.pdrecon.reconstruct.Reconstructors;
import org.pdrecon.reconstruct.LearnedReconstructor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code pdrecon reconstruct}: a scan (projections.mha + geometry.json, or a folder of DICOM projections
 * through {@link ClinicalScan}) → a volume of μ in 1/mm with any registered method ({@link Reconstructors}),
 * written as MetaImage and/or a CT DICOM series, with a three-plane preview.
 */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reconstruct a scan (--projections + --geometry, or --dicom DIR) with FDK, SIRT, OS-SART, CGLS, TV or a trained model; "
                + "write the volume (μ in 1/mm) as MetaImage and/or a CT DICOM series.")
public final class ReconstructCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ProjectionFileOptions files;

    @Option(names = "--dicom", paramLabel = "DIR", description = "A folder of DICOM projections (RT Image, X-ray) instead of --projections/--geometry.")
    Path dicom;

    @CommandLine.Mixin
    ClinicalImportOptions clinical;

    @Option(names = "--method", defaultValue = "fdk", paramLabel = "NAME",
            description = "Reconstruction method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = MethodNames.class)
    String method;

    @Option(names = "--model", paramLabel = "DIR",
            description = "A trained model folder (config.json + model.params, e.g. from `pdrecon train`) instead of --method;"
                    + " --method DIR does the same.")
    Path model;

    @Option(names = "--patch-slices", paramLabel = "N", defaultValue = "0",
            description = "With a 3D model: run its CNNs on z-slabs of N slices (plus halo) to bound memory; 0 = whole volume (default).")
    int patchSlices;

    @CommandLine.Mixin
    FdkOptions fdk;

    @CommandLine.Mixin
    IterativeOptions iterative;

    @CommandLine.Mixin
    FieldOptions field;

    @Option(names = "--out", paramLabel = "vol.mha", description = "Output volume (MetaImage, float32, 1/mm).")
    Path out;

    @Option(names = "--dicom-out", paramLabel = "DIR", description = "Output CT Image series, one file per axial slice.")
    Path dicomOut;

    @Option(names = "--mu-water", paramLabel = "MU", description = "μ of water in 1/mm: --dicom-out stores HU = 1000·(μ − MU)/MU (default: μ as it is).")
    Double muWater;

    @Option(names = "--preview", paramLabel = "png", description = "Also write the axial, coronal and sagittal mid-slices as a PNG.")
    Path preview;

    @Option(names = "--voxel-mm", paramLabel = "MM",
            description = "Isotropic voxel size of the output grid; the grid keeps its extent (the geometry's, or for --dicom the cylinder every view sees).")
    Double voxelMm;

    @Option(names = "--geometry-out", paramLabel = "g.json", description = "Also write the geometry used (with the output grid), e.g. for compare --mask fov.")
    Path geometryOut;

    @Option(names = "--diagram", paramLabel = "png", description = "Also draw the understood geometry (top view: sources, detectors, volume).")
    Path diagram;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Lists the registered methods in the help text, and condcbnt (which needs --model). */
    static final class MethodNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            java.util.List<String> names = new java.util.ArrayList<>(Reconstructors.names());
            names.add("condcbnt (with --model DIR)");
            return names.iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        PrintWriter pw = cl.getOut();
        if (dicom != null && files.given()) throw new CommandLine.ParameterException(cl, "give --dicom DIR or --projections/--geometry, not both");
        if (dicom == null && !files.given()) throw new CommandLine.ParameterException(cl, "no scan given: use --projections p.mha --geometry g.json, or --dicom DIR");
        if (dicom == null && clinical.given()) {
            throw new CommandLine.ParameterException(cl, "--i0, --air-region, --cumulative, --series, --start-angle, --direction,"
                    + " --repair-bad-pixels, --crop and --bin apply to --dicom input only");
        }
        if (dicom != null && !Files.isDirectory(dicom)) throw new CommandLine.ParameterException(cl, "--dicom: no such folder: " + dicom);
        if (out == null && dicomOut == null) throw new CommandLine.ParameterException(cl, "no output given: use --out vol.mha and/or --dicom-out DIR");
        if (muWater != null && dicomOut == null) throw new CommandLine.ParameterException(cl, "--mu-water applies to --dicom-out only");
        if (muWater != null && !(muWater > 0 && Double.isFinite(muWater))) {
            throw new CommandLine.ParameterException(cl, "--mu-water must be a positive number of 1/mm, got " + muWater);
        }
        if (dicomOut != null && Files.isRegularFile(dicomOut)) throw new CommandLine.ParameterException(cl, "--dicom-out " + dicomOut + " is a file, not a folder");
        if (voxelMm != null && !(voxelMm > 0 && Double.isFinite(voxelMm))) {
            throw new CommandLine.ParameterException(cl, "--voxel-mm must be a positive number of mm, got " + voxelMm);
        }
        // Every output is checked before the work and written all-or-nothing (util.OutputSet).
        OutputSet outputs = new OutputSet().file(out).folder(dicomOut).file(preview).file(geometryOut).file(diagram);
        for (String line : outputs.check()) pw.println(line);
        Reconstructor r = method(cl);

        ProjectionStack projections;
        ConeBeamGeometry geometry;
        if (dicom != null) {
            ClinicalScan.Result scan = clinical.load(cl, dicom, null);
            for (String line : scan.report()) pw.println(line);
            projections = scan.lineIntegrals();
            geometry = scan.geometry();
        } else {
            ReconInputs in = files.read(cl);
            projections = in.projections();
            geometry = in.geometry();
        }
        if (voxelMm != null) geometry = geometry.withVolume(regrid(geometry.volume(), voxelMm));
        pw.println(summary(projections, geometry));
        pw.flush();

        long t0 = System.nanoTime();
        Volume v;
        try {
            v = run(r, projections, geometry, quiet);
            if (r instanceof LearnedReconstructor l) for (String w : l.warnings()) cl.getErr().println("warning: " + w);
            if (r instanceof ConditionedFieldReconstructor c) for (String w : c.warnings()) cl.getErr().println("warning: " + w);
        } finally {
            if (r instanceof AutoCloseable c) c.close(); // a learned model holds native memory
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;

        List<String> written = new ArrayList<>();
        try (outputs) {
            if (out != null) {
                MetaImage.writeVolume(outputs.staging(out), v);
                written.add(out.toString());
            }
            if (dicomOut != null) {
                List<Path> slices = CtSeriesWriter.write(v, outputs.staging(dicomOut), SeriesInfo.anonymous("pdrecon " + r.name()),
                        muWater == null ? Double.NaN : muWater);
                written.add(dicomOut + " (" + slices.size() + " CT slices, " + (muWater == null ? "μ in 1/mm" : "HU") + ")");
            }
            if (preview != null) {
                Previews.writeOrthogonalSlices(outputs.staging(preview), v, Previews.defaultWindow(v.data()));
                written.add(preview.toString());
            }
            if (geometryOut != null) {
                GeometryJson.write(outputs.staging(geometryOut), geometry);
                written.add(geometryOut.toString());
            }
            if (diagram != null) {
                GeometryDiagram.writePng(geometry, outputs.staging(diagram), 600);
                written.add(diagram.toString());
            }
            outputs.commit();
        }
        VolumeGrid g = v.grid();
        pw.printf(Locale.ROOT, "reconstructed %d views → %d×%d×%d voxels (z×y×x) with %s in %.2f s; wrote %s%n", projections.views(),
                g.nz(), g.ny(), g.nx(), r.describe(), seconds, String.join(", ", written));
        pw.flush();
        return 0;
    }

    /** Runs {@code r} with a progress bar on standard error unless {@code quiet}. */
    static Volume run(Reconstructor r, ProjectionStack projections, ConeBeamGeometry geometry, boolean quiet) {
        if (quiet) return r.reconstruct(projections, geometry, Reconstructor.Progress.NONE);
        ProgressBar[] bar = new ProgressBar[1];
        try {
            return r.reconstruct(projections, geometry, new Reconstructor.Progress() {
                @Override
                public void update(long done, long total) {
                    if (bar[0] == null) bar[0] = Progress.bar(r.name().toUpperCase(Locale.ROOT), total, "steps");
                    bar[0].stepTo(done);
                }

                @Override
                public void status(String text) {
                    if (bar[0] != null) bar[0].setExtraMessage(" " + text);
                }
            });
        } finally {
            if (bar[0] != null) bar[0].close();
        }
    }

    /** The same centre and (up to a voxel) extent with isotropic voxels of {@code voxel} mm. */
    static VolumeGrid regrid(VolumeGrid g, double voxel) {
        int nx = Math.max(1, (int) Math.round(g.nx() * g.dxMm() / voxel));
        int ny = Math.max(1, (int) Math.round(g.ny() * g.dyMm() / voxel));
        int nz = g.nz() == 1 ? 1 : Math.max(1, (int) Math.round(g.nz() * g.dzMm() / voxel));
        return new VolumeGrid(nz, ny, nx, g.nz() == 1 ? g.dzMm() : voxel, voxel, voxel, g.centreMm());
    }

    private Reconstructor method(CommandLine cl) throws java.io.IOException {
        Path modelDir = model != null ? model : Files.isDirectory(Path.of(method)) ? Path.of(method) : null;
        boolean conditioned = method.equalsIgnoreCase("condcbnt");
        if (model != null && !method.equals("fdk") && !conditioned) throw new CommandLine.ParameterException(cl, "give --model or --method, not both");
        if (conditioned && model == null) {
            throw new CommandLine.ParameterException(cl, "--method condcbnt needs --model DIR: a trained conditioned field, e.g. models/condcbnt-cone");
        }
        if (modelDir != null) {
            if (!Files.isRegularFile(modelDir.resolve(ModelFiles.CONFIG))) {
                throw new CommandLine.ParameterException(cl, modelDir + " is not a model folder: it has no " + ModelFiles.CONFIG);
            }
            if (ConditionedField.isModel(modelDir)) {
                if (iterative.iterations != null && iterative.iterations < 1) throw new CommandLine.ParameterException(cl, "--iterations must be at least 1");
                return ConditionedFieldReconstructor.load(modelDir, iterative.iterations == null ? 0 : iterative.iterations).setForce(clinical.force);
            }
            if (conditioned) throw new CommandLine.ParameterException(cl, "--method condcbnt: " + modelDir + " is not a conditioned-field model (its config.json has no \"kind\": \"condcbnt\")");
            if (patchSlices < 0) throw new CommandLine.ParameterException(cl, "--patch-slices must be ≥ 0, got " + patchSlices);
            return LearnedReconstructor.load(modelDir, ai.djl.Device.cpu()).setPatchSlices(patchSlices).setForce(clinical.force);
        }
        String name = method.toLowerCase(Locale.ROOT);
        iterative.validate(cl, name);
        ReconstructionSettings s = new ReconstructionSettings(fdk.window(cl), fdk.cutoff, iterative.iterations(name), iterative.lambda,
                iterative.relaxation, iterative.tolerance, iterative.nonNegative, iterative.subsets)
                .withField(field.settings(cl, iterative.iterations("naf")));
        try {
            return Reconstructors.create(name, s);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--method: " + e.getMessage());
        }
    }

    /** One line saying what will be reconstructed: views, arc, orbit, detector, grid. */
    static String summary(ProjectionStack p, ConeBeamGeometry g) {
        VolumeGrid v = g.volume();
        String orbit = g.orbit().map(ReconstructCommand::orbit).orElse("per-view vector geometry");
        return String.format(Locale.ROOT, "scan: %d views, %s, detector %d×%d; volume %d×%d×%d voxels of %.3g×%.3g×%.3g mm (z×y×x)",
                p.views(), orbit, p.rows(), p.cols(), v.nz(), v.ny(), v.nx(), v.dzMm(), v.dyMm(), v.dxMm());
    }

    private static String orbit(CircularOrbit o) {
        double[] a = o.anglesDeg();
        return String.format(Locale.ROOT, "%.1f° to %.1f°, SOD %.1f mm, SDD %.1f mm", a[0], a[a.length - 1], o.sodMm(), o.sddMm());
    }
}
