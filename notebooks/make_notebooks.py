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
