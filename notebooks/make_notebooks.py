#!/usr/bin/env python3
"""Writes the notebooks' sources (cells without outputs). Run `bash notebooks/run.sh` afterwards to
execute them with the pdrecon kernel and keep their outputs. Edit the cells here, not in the .ipynb."""
import nbformat as nbf
from pathlib import Path

HERE = Path(__file__).resolve().parent
KERNEL = {"name": "pdrecon", "display_name": "Java (pdrecon)", "language": "java"}


def notebook(name, cells):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "java"}
    nb.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbf.v4.new_code_cell(c) for c in cells]
    nbf.write(nb, HERE / f"{name}.ipynb")


notebook("01-quickstart", [
    """md:# Quickstart: simulate a scan, reconstruct it four ways, compare

A noisy cone-beam scan of a random-ellipsoid phantom with exact (analytic) projections, then FDK, SIRT,
TV and preconditioned TV against the phantom. Small sizes so it runs in seconds on a laptop CPU:
48³ voxels of 256/48 mm, 40 views over 360°, Poisson noise at 10⁴ photons per pixel.""",
    """import org.pdrecon.benchmark.BaselineFigures;
import org.pdrecon.data.*;
import org.pdrecon.fdk.*;
import org.pdrecon.geometry.*;
import org.pdrecon.iterative.*;
import org.pdrecon.metrics.*;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.simulation.*;

ConeBeamGeometry geometry = BaselineFigures.geometry(48, 40, 360);
SimulatedScan scan = ScanSimulator.builder()
        .setPhantom(RandomEllipsoids.builder().setFovRadiusMm(110).build().generate(1000))
        .setGeometry(geometry).optNoise(NoiseModel.poisson(1e4), 1000).build().run();
Volume truth = scan.groundTruth();
geometry""",
    """md:The phantom (μ in 1/mm), three orthogonal mid-slices:""",
    """Show.volume(truth);""",
    """md:FDK is one pass; the iterative methods run on the matched projector pair `A`/`Aᵀ`, from zero, keeping μ ≥ 0.""",
    """double[] voxel = {geometry.volume().dzMm(), geometry.volume().dyMm(), geometry.volume().dxMm()};
ConeBeamProjector a = new ConeBeamProjector(geometry);
float[] b = scan.projections().data();

Volume run(IterativeSolver solver, int iterations) {
    Volume x = Volume.zeros(geometry.volume());
    solver.solve(a, b, x.data(), SolverSettings.builder().setIterations(iterations).optNonNegative(true).build());
    return x;
}

Map<String, Volume> results = new LinkedHashMap<>();
Map<String, Double> seconds = new LinkedHashMap<>();
void timed(String name, java.util.function.Supplier<Volume> method) {
    long t0 = System.nanoTime();
    results.put(name, method.get());
    seconds.put(name, (System.nanoTime() - t0) / 1e9);
}
timed("FDK (Hann)", () -> new FDK(FilterWindow.HANN, 1.0).reconstruct(scan.projections(), geometry));
timed("SIRT, 50 iterations", () -> run(new Sirt(), 50));
timed("TV λ=3, 100 iterations", () -> run(new TvPrimalDual(3, voxel), 100));
timed("TV λ=3 preconditioned, 40 iterations", () -> run(new PreconditionedTv(3, voxel), 40));
results.keySet()""",
    """md:Scores inside the fully seen cylinder (PSNR with the truth's range there, SSIM as scikit-image computes it):""",
    """Mask mask = BaselineFigures.mask(geometry);
StringBuilder table = new StringBuilder("| method | PSNR (dB) | SSIM | seconds |\\n|---|---|---|---|\\n");
for (var e : results.entrySet()) {
    table.append(String.format(Locale.ROOT, "| %s | %.2f | %.4f | %.2f |%n", e.getKey(),
            Psnr.of(truth, e.getValue(), mask), Ssim.of(truth, e.getValue(), mask), seconds.get(e.getKey())));
}
Show.markdown(table.toString());""",
    """md:Side by side in the truth's window (the same grey levels for every method):""",
    """List<Volume> volumes = new ArrayList<>(List.of(truth));
volumes.addAll(results.values());
List<String> captions = new ArrayList<>(List.of("truth"));
captions.addAll(results.keySet());
org.pdrecon.benchmark.ComparisonFigure.of(volumes, captions, org.pdrecon.io.Previews.percentileWindow(truth.data(), 0, 100))""",
])

notebook("02-epid-dicom-fdk", [
    """md:# From an EPID arc in DICOM to a CT volume in DICOM

The workflow of a radiotherapy physicist with portal images: a folder of RT Images acquired over a
gantry arc (`datasets/sample-epid-arc`: 72 simulated 6 MV EPID frames, gantry 0–355°, SAD 1000 mm,
SID 1500 mm, 48×64 pixels of 1.6 mm, I0 = 20000). pdrecon reads the geometry from the DICOM tags,
decides whether frames are cumulative (and differences them in acquisition order if so), turns
intensities into line integrals, reconstructs with FDK, and writes a CT series.""",
    """import org.pdrecon.data.*;
import org.pdrecon.fdk.*;
import org.pdrecon.geometry.*;
import org.pdrecon.io.dicom.*;
import org.pdrecon.iterative.*;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.preprocessing.*;

Path arc = Path.of("../datasets/sample-epid-arc");
ClinicalScan.Result scan = ClinicalScan.load(arc,
        new ClinicalScan.Options(CumulativeFrames.Mode.AUTO, LineIntegrals.givenI0(20000), false, null, 1, null));
String.join("\\n", scan.report())""",
    """md:The geometry as read from the files: the source orbit, the first (green) and last (red) views,
and the volume grid pdrecon chose to fit the field of view.""",
    """GeometryDiagram.render(scan.geometry(), 360)""",
    """md:FDK (Ram-Lak, cosine and angular weights; a full arc needs no Parker weights), in μ (1/mm):""",
    """ConeBeamGeometry g = scan.geometry();
Volume fdk = new FDK().reconstruct(scan.lineIntegrals(), g);
Show.volume(fdk);""",
    """md:A reference from the same data: 100 iterations of SIRT on the matched projector pair. The difference
map shows where FDK's streaks from 72 noisy views sit.""",
    """Volume sirt = Volume.zeros(g.volume());
new Sirt().solve(new ConeBeamProjector(g), scan.lineIntegrals().data(), sirt.data(),
        SolverSettings.builder().setIterations(100).optNonNegative(true).build());
float[] diff = new float[fdk.data().length];
for (int i = 0; i < diff.length; i++) diff[i] = fdk.data()[i] - sirt.data()[i];
Show.volume(sirt);
Show.volume(new Volume(g.volume(), diff));
org.pdrecon.metrics.Nrmse.of(sirt, fdk)""",
    """md:Out as a CT series in Hounsfield units (water μ = 0.005/mm at about 6 MV), then read back:""",
    """Path ctDir = Files.createTempDirectory("epid-ct");
List<Path> slices = CtSeriesWriter.write(fdk, ctDir, SeriesInfo.anonymous("pdrecon FDK of an EPID arc"), 0.005);
DicomVolumeReader.Result back = DicomVolumeReader.read(ctDir);
String.format(Locale.ROOT, "%d slices, modality %s, units %s, volume %s", slices.size(), back.modality(), back.units(), back.volume().grid())""",
])

notebook("04-train-small-lpd", [
    """md:# Train a small learned primal-dual network, and compare it with FDK and TV

Learned primal-dual (Adler & Öktem 2018) unrolls a reconstruction algorithm: each of its iterations
applies the projector pair `A`/`Aᵀ` and a small CNN. Here a 2D model (32² pixels, 20 noisy fan-beam
views, 3 unrolled iterations, 8 filters) trains for 150 steps on random ellipsoid phantoms simulated on
the fly, on the CPU, in a minute or two. Real models (`models/lpd-fan2d`) use the same code, larger.""",
    """import ai.djl.Device;
import org.pdrecon.data.*;
import org.pdrecon.fdk.*;
import org.pdrecon.geometry.*;
import org.pdrecon.iterative.*;
import org.pdrecon.metrics.Psnr;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.training.*;
import org.pdrecon.reconstruct.LearnedReconstructor;

TrainingConfig config = TrainingConfig.parse(\"\"\"
        {"name": "notebook-lpd", "steps": 150, "batch_size": 2, "seed": 3, "checkpoint_every": 50,
         "model": {"dimensions": 2, "iterations": 3, "primal_channels": 5, "dual_channels": 5, "filters": 8},
         "data": {"scan": {"size": 32, "voxel_mm": 1.0, "sod_mm": 150, "sdd_mm": 300, "detector_cols": 64,
                           "detector_pixel_mm": 1.0, "views": 20},
                  "ellipsoids": 6, "noise_i0": 10000, "initialiser": "backprojection"},
         "validation": {"samples": 4, "every": 50},
         "optimiser": {"learning_rate": 2e-3}}
        \"\"\", "notebook config");
Path run = Files.createTempDirectory("notebook-lpd");
List<Double> losses = new ArrayList<>();
long t0 = System.nanoTime();
double last = new PrimalDualTrainer(config, Device.cpu(), null, run).run(false, new TrainingListener() {
    @Override public void onStep(StepStats s) { losses.add(s.loss()); }
});
String.format(Locale.ROOT, "%d steps in %.0f s; loss %.3e at the start, %.3e at the end", losses.size(),
        (System.nanoTime() - t0) / 1e9, losses.get(0), last)""",
    """md:The training curves the trainer draws at every checkpoint (loss per step; validation PSNR on held-out samples):""",
    """javax.imageio.ImageIO.read(run.resolve("curves.png").toFile())""",
    """md:A held-out phantom (an index training never reaches), reconstructed by the trained model, by FDK and by TV:""",
    """SimulatedTrainingData data = new SimulatedTrainingData(config.data(), 20261205L);
ConeBeamGeometry g = data.geometry();
TrainingSample sample = data.sample(TrainingConfig.ValidationConfig.FIRST_INDEX + 7);
Volume truth = new Volume(g.volume(), sample.target());
ProjectionStack p = new ProjectionStack(g.views(), g.detectorRows(), g.detectorCols(), sample.projections());
Volume learned;
try (LearnedReconstructor model = LearnedReconstructor.load(run.resolve("model"), Device.cpu())) {
    learned = model.reconstruct(p, g);
}
Volume fdk = new FDK().reconstruct(p, g);
Volume tv = Volume.zeros(g.volume());
new TvPrimalDual(0.3, new double[] {1, 1, 1}).solve(new ConeBeamProjector(g), p.data(), tv.data(),
        SolverSettings.builder().setIterations(200).optNonNegative(true).build());
Show.markdown(String.format(Locale.ROOT, "| method | PSNR (dB) |\\n|---|---|\\n| FDK | %.2f |\\n| TV λ=0.3, 200 iterations | %.2f |\\n| learned primal-dual, 150 steps | %.2f |\\n",
        Psnr.of(truth, fdk), Psnr.of(truth, tv), Psnr.of(truth, learned)));
org.pdrecon.benchmark.ComparisonFigure.of(List.of(truth, fdk, tv, learned), List.of("truth", "FDK", "TV", "learned"),
        org.pdrecon.io.Previews.percentileWindow(truth.data(), 0, 100))""",
    """md:With 150 steps the model is far from trained (the shipped `lpd-fan2d` took 6500 steps at 128²), so
whether it already beats TV depends on the phantom; `models/lpd-fan2d/MODEL_CARD.md` has the measured
figures of a real model.""",
])

notebook("03-operators-and-gradients", [
    """md:# The projector pair: adjoint test, and what A and Aᵀ look like

Every solver and every learned model in pdrecon uses the same matched pair: `A` (Joseph's forward
projection) and its exact transpose `Aᵀ`. Matched means ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ for every x and y, which
is what makes gradients through the operators correct.""",
    """import org.pdrecon.benchmark.BaselineFigures;
import org.pdrecon.data.*;
import org.pdrecon.geometry.*;
import org.pdrecon.io.Previews;
import org.pdrecon.operators.ConeBeamProjector;

ConeBeamGeometry geometry = BaselineFigures.geometry(32, 24, 360);
ConeBeamProjector a = new ConeBeamProjector(geometry);
Random random = new Random(1);
float[] x = new float[a.domainSize()], y = new float[a.rangeSize()];
for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
for (int i = 0; i < y.length; i++) y[i] = (float) random.nextGaussian();

double dot(float[] u, float[] v) { double s = 0; for (int i = 0; i < u.length; i++) s += (double) u[i] * v[i]; return s; }
double lhs = dot(a.apply(x), y), rhs = dot(x, a.adjoint().apply(y));
String.format(Locale.ROOT, "<Ax, y> = %.6e, <x, A^T y> = %.6e, relative difference %.1e", lhs, rhs, Math.abs(lhs - rhs) / Math.abs(lhs))""",
    """md:The forward projection of a ball, the first view: a line-integral image on the detector.""",
    """VolumeGrid grid = geometry.volume();
float[] ball = new float[grid.voxelCount()];
for (int k = 0; k < grid.nz(); k++) for (int j = 0; j < grid.ny(); j++) for (int i = 0; i < grid.nx(); i++) {
    double px = grid.x(i) - 20, py = grid.y(j), pz = grid.z(k);
    if (px * px + py * py + pz * pz < 60 * 60) ball[grid.index(k, j, i)] = 0.02f;
}
float[] p = a.apply(ball);
int rows = geometry.detectorRows(), cols = geometry.detectorCols();
Previews.image(Arrays.copyOf(p, rows * cols), rows, cols, Previews.defaultWindow(p))""",
    """md:`Aᵀ` smears each view back along its rays: the unfiltered backprojection is a blurred ball
(filtering first, as FDK does, is what makes it sharp).""",
    """Show.volume(new Volume(grid, a.adjoint().apply(p)));""",
    """md:The operator norm ‖A‖ by power iteration (used to scale step sizes and the learned models' inputs):""",
    """a.norm()""",
])


notebook("05-benchmark", [
    """md:# Benchmarking: every method on a grid of view counts × noise levels

`pdrecon benchmark` runs each method of a config on every cell (views × photons per pixel) over
held-out phantoms and scores it against the truth: PSNR, SSIM, seconds per volume and the peak memory
of the method's own process. Here the tiny CI grid (32³, 2 phantoms per cell) runs in about 20 s;
`benchmarks/seed004-small.json` is the 64³ one whose results the README shows (docs/benchmark.md).""",
    """import org.pdrecon.benchmark.*;
import java.nio.file.*;

Path configFile = Path.of("../benchmarks/ci.json");
String text = Files.readString(configFile);
BenchmarkConfig config = BenchmarkConfig.parse(text, "ci.json");
config.cells().stream().map(BenchmarkCell::label).toList()""",
    """md:Each method × cell runs in a JVM of its own (so its memory figure is its own), on scans simulated
once per cell and stored in the output folder; a rerun into the same folder resumes.""",
    """Path out = Files.createTempDirectory("pdrecon-benchmark");
BenchmarkResults results = BenchmarkRun.run(config, text, out, BenchmarkRun.Listener.NONE);
Show.markdown(results.markdown());""",
    """md:PSNR per volume: boxes are quartiles, the line the median, whiskers the extremes.""",
    """BenchmarkCharts.psnrBoxPlots(results)""",
    """md:Time against quality (log time axis): what each method buys with its seconds.""",
    """BenchmarkCharts.timeVersusPsnr(results)""",
    """md:The rows behind the table, one per volume (also in `results.csv` and `results.json`):""",
    """results.rows().stream().limit(6).map(r -> r.cell().id() + " " + r.method() + " volume " + r.volume()
        + String.format(" %.2f dB, SSIM %.3f, %.2f s", r.psnrDb(), r.ssim(), r.seconds())).toList()""",
    """md:`report.html` holds all of this in one self-contained page, with the slices and difference maps:""",
    """String.format("%s: %d KiB", out.resolve("report.html"), Files.size(out.resolve("report.html")) / 1024)""",
])

notebook("06-neural-field", [
    """md:# A neural field fitted to one scan (NAF)

A neural field is a network from a position to μ. NAF fits one field per scan, from its projections
alone: no training data. pdrecon's field is a dense multi-resolution feature grid followed by a small
MLP, μ = s·softplus(MLP(features)) ≥ 0, rendered on the voxel grid and projected by the same projector
`A` every other method uses; Adam minimises the mean squared line-integral error
([docs/neural-fields.md](../docs/neural-fields.md)). Here: 40³ voxels, 30 noisy views.""",
    """import org.pdrecon.benchmark.BaselineFigures;
import org.pdrecon.data.*;
import org.pdrecon.fdk.*;
import org.pdrecon.fields.*;
import org.pdrecon.geometry.*;
import org.pdrecon.iterative.*;
import org.pdrecon.metrics.*;
import org.pdrecon.operators.ConeBeamProjector;
import org.pdrecon.simulation.*;

ConeBeamGeometry geometry = BaselineFigures.geometry(40, 30, 360);
SimulatedScan scan = ScanSimulator.builder()
        .setPhantom(RandomEllipsoids.builder().setFovRadiusMm(110).build().generate(2024))
        .setGeometry(geometry).optNoise(NoiseModel.poisson(1e4), 2024).build().run();
Volume truth = scan.groundTruth();
FieldConfig field = FieldConfig.defaults();
String.format(Locale.ROOT, "%s: %d parameters on %d³ voxels", field.toJson(), field.parameterCount(geometry.volume()), 40)""",
    """md:The fit: 300 Adam steps, learning rate 0.02 with cosine decay; the listener keeps the data loss of every step.""",
    """List<Double> losses = new ArrayList<>();
long t0 = System.nanoTime();
Volume naf = NafFit.fit(scan.projections(), geometry, new NafFit.Settings(field, 300, 0.02, 0, null, 50),
        (done, total, loss) -> losses.add(loss));
double nafSeconds = (System.nanoTime() - t0) / 1e9;
var chart = new org.knowm.xchart.XYChartBuilder().width(560).height(300).title("NAF data loss").xAxisTitle("step")
        .yAxisTitle("mean squared line-integral error").build();
chart.getStyler().setYAxisLogarithmic(true);
chart.getStyler().setLegendVisible(false);
chart.addSeries("loss", java.util.stream.IntStream.rangeClosed(1, losses.size()).asDoubleStream().toArray(),
        losses.stream().mapToDouble(Double::doubleValue).toArray());
org.knowm.xchart.BitmapEncoder.getBufferedImage(chart)""",
    """md:Against FDK and SIRT on the same scan, inside the fully seen cylinder:""",
    """ConeBeamProjector a = new ConeBeamProjector(geometry);
Volume fdk = new FDK(FilterWindow.RAM_LAK, 1.0).reconstruct(scan.projections(), geometry);
Volume sirt = Volume.zeros(geometry.volume());
new Sirt().solve(a, scan.projections().data(), sirt.data(), SolverSettings.builder().setIterations(50).optNonNegative(true).build());
Mask mask = BaselineFigures.mask(geometry);
Show.markdown(String.format(Locale.ROOT, "| method | PSNR (dB) | SSIM |\\n|---|---|---|\\n| FDK | %.2f | %.4f |\\n| SIRT, 50 iterations | %.2f | %.4f |\\n| NAF, 300 steps (%.0f s) | %.2f | %.4f |\\n",
        Psnr.of(truth, fdk, mask), Ssim.of(truth, fdk, mask), Psnr.of(truth, sirt, mask), Ssim.of(truth, sirt, mask),
        nafSeconds, Psnr.of(truth, naf, mask), Ssim.of(truth, naf, mask)));
org.pdrecon.benchmark.ComparisonFigure.of(List.of(truth, fdk, sirt, naf), List.of("truth", "FDK", "SIRT", "NAF"),
        org.pdrecon.io.Previews.percentileWindow(truth.data(), 0, 100))""",
    """md:The same fit from the command line, with a progress bar showing the loss, and a checkpoint that a
rerun continues from: `./pdrecon reconstruct --projections p.mha --geometry g.json --method naf
--checkpoint naf.ckpt --out naf.mha`. On lpd-cone's held-out phantoms (48³, 32 and 128 views) the
benchmark `benchmarks/naf-cone.json` compares it with FDK, SIRT, TV and the shipped learned primal-dual
model.""",
])
