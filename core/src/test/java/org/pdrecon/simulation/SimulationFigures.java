package org.pdrecon.simulation;

import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Prints the accuracy and timing figures quoted in docs/simulation.md (not a test):
 * {@code mvn -q -B -o test-compile && java -cp core/target/classes:core/target/test-classes org.pdrecon.simulation.SimulationFigures}
 */
public final class SimulationFigures {
    public static void main(String[] args) {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("cores: " + cores);

        // Accuracy: central ray through a ball, and marker centroids against projectPoint.
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(64, 2.0)).setSodMm(500).setSddMm(800)
                .setDetector(65, 129, 0.9, 1.0).optDetectorOffsetMm(7.3, -4.1)
                .setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(36, 0, 360)).build();
        ConeBeamGeometry centred = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(64, 2.0)).setSodMm(500).setSddMm(800)
                .setDetector(65, 129, 0.9, 1.0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(36, 0, 360)).build();
        ProjectionStack ball = AnalyticProjector.project(Phantom.of(Ellipsoid.ball(new double[3], 30, 0.02)), centred, 1);
        double worst = 0;
        for (int v = 0; v < centred.views(); v++) worst = Math.max(worst, Math.abs(ball.get(v, 32, 64) - 1.2) / 1.2);
        System.out.printf("ball r=30 mm, mu=0.02: max relative error of the central ray over 36 views: %.3g%n", worst);
        double[] centre = {25, -15, 10};
        ProjectionStack marker = AnalyticProjector.project(Phantom.of(Ellipsoid.ball(centre, 2, 1)), g, 3);
        double worstPx = 0;
        for (int v = 0; v < g.views(); v++) {
            double w = 0, r = 0, c = 0;
            for (int row = 0; row < g.detectorRows(); row++) {
                for (int col = 0; col < g.detectorCols(); col++) {
                    double p = marker.get(v, row, col);
                    w += p;
                    r += p * row;
                    c += p * col;
                }
            }
            double[] pred = g.projectPoint(v, centre);
            worstPx = Math.max(worstPx, Math.hypot(r / w - pred[0], c / w - pred[1]));
        }
        System.out.printf("marker r=2 mm at (25,-15,10), 36 views, s=3: max centroid distance from projectPoint: %.4f px%n", worstPx);

        // Detector supersampling: Σ p · pixel area / M² against ∫μ dV for a ball at the isocentre.
        Phantom small = Phantom.of(Ellipsoid.ball(new double[3], 10, 0.02));
        ConeBeamGeometry flat = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(8, 4)).setSodMm(1000).setSddMm(1500)
                .setDetector(40, 40, 1.0, 1.0).setAnglesDeg(0).build();
        double mass = 4.0 / 3.0 * Math.PI * 1000 * 0.02;
        for (int s : new int[] {1, 2, 4, 8}) {
            double sum = 0;
            for (float v : AnalyticProjector.project(small, flat, s, 1, null).data()) sum += v;
            System.out.printf("ball r=10 mm, detector supersampling %d: relative error of sum(p)*area/M^2: %.2g%n", s, sum / 2.25 / mass - 1);
        }

        // Timing: Shepp-Logan, 256x256 detector, 32 views, s=2; rasterisation 128^3, s=2; noise.
        Phantom sl = SheppLogan3D.fittingRadius(100);
        ConeBeamGeometry big = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(128, 1.6)).setSodMm(500).setSddMm(1000)
                .setDetector(256, 256, 1.6, 1.6).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(32, 0, 360)).build();
        for (int threads : new int[] {1, cores, 1, cores}) { // first pair warms the JIT up
            long t0 = System.nanoTime();
            ProjectionStack p = AnalyticProjector.project(sl, big, 2, threads, null);
            long t1 = System.nanoTime();
            Rasteriser.rasterise(sl, big.volume(), 2, threads);
            long t2 = System.nanoTime();
            NoiseModel.poisson(1e5).apply(p, 1, threads);
            long t3 = System.nanoTime();
            double rays = 32.0 * 256 * 256 * 4;
            System.out.printf("threads %d: project 32x256x256 s=2 %.2f s (%.2f M rays/s), rasterise 128^3 s=2 %.2f s, noise %.2f s%n",
                    threads, (t1 - t0) / 1e9, rays / ((t1 - t0) / 1e3), (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        }
    }
}
