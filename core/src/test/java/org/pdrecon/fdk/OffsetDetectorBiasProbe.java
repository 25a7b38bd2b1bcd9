package org.pdrecon.fdk;

import java.util.Locale;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.metrics.FieldOfView;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;

/**
 * How far FDK's μ drifts outside the overlap of an offset (half-fan) detector, ring by ring (not a test; run by
 * hand; docs/fdk.md, "Offset detectors: the bias outside the overlap"):
 * <pre>
 *   java -cp core/target/test-classes:core/target/classes:&lt;runtime class path&gt; org.pdrecon.fdk.OffsetDetectorBiasProbe
 * </pre>
 * A uniform ball (μ 0.02/mm, radius 30 mm) inside every scan's field of view, FdkTest's set-up otherwise: 64³ voxels
 * of 2 mm, SOD 500 mm, SDD 1000 mm, 96 rows of 2 mm, 360 views over 360°, exact line integrals, no noise. Printed per
 * detector (columns, offset): the overlap's radius at the axis, the radius the scan covers, and the mean of the
 * central slice in 5 mm rings.
 */
public final class OffsetDetectorBiasProbe {
    private OffsetDetectorBiasProbe() {}

    public static void main(String[] args) {
        VolumeGrid grid = VolumeGrid.cube(64, 2.0);
        Phantom ball = Phantom.of(Ellipsoid.ball(new double[3], 30, 0.02));
        StringBuilder head = new StringBuilder("| detector (cols × 2 mm, offset) | overlap radius | scanned radius |");
        for (int b = 0; b < 6; b++) head.append(String.format(Locale.ROOT, " %d–%d mm |", 5 * b, 5 * b + 5));
        System.out.println(head);
        System.out.println("|---|---|---|" + "---|".repeat(6));
        for (double[] d : new double[][] {{96, 0}, {96, 30}, {64, 14}, {60, 20}, {52, 24}}) {
            int cols = (int) d[0];
            ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(grid).setSodMm(500).setSddMm(1000).setDetector(96, cols, 2.0, 2.0)
                    .optDetectorOffsetMm(d[1], 0).setAnglesDeg(ConeBeamGeometry.evenAnglesDeg(360, 0, 360)).build();
            Volume v = new FDK().reconstruct(AnalyticProjector.project(ball, g, 1), g);
            double[] sum = new double[6];
            int[] n = new int[6];
            for (int j = 0; j < grid.ny(); j++) {
                for (int i = 0; i < grid.nx(); i++) {
                    int b = (int) (Math.hypot(grid.x(i), grid.y(j)) / 5);
                    if (b < 6) {
                        sum[b] += v.get(grid.nz() / 2, j, i);
                        n[b]++;
                    }
                }
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d, %.0f mm | %.1f mm | %.1f mm |", cols, d[1],
                    FieldOfView.of(g).radiusMm(), FieldOfView.scanned(g).radiusMm()));
            for (int b = 0; b < 6; b++) row.append(String.format(Locale.ROOT, " %+.1f %% |", 100 * (sum[b] / n[b] / 0.02 - 1)));
            System.out.println(row);
        }
    }
}
