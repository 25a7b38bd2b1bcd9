package org.pdrecon.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pdrecon.data.Volume;
import org.pdrecon.geometry.VolumeGrid;

/**
 * Times MetaImage write/read (raw and zlib) and a preview of an n³ sphere phantom, three rounds, in a
 * temporary directory. Not a test; run:
 * {@code mvn -q -o test-compile && java -cp core/target/classes:core/target/test-classes org.pdrecon.io.MetaImageBenchmark 256}
 */
public final class MetaImageBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        VolumeGrid g = VolumeGrid.cube(n, 1.0);
        Volume v = Volume.zeros(g);
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double x = g.x(i), y = g.y(j), z = g.z(k);
                    v.set(k, j, i, x * x + y * y + z * z < n * n / 5.0 ? 0.02f : 0f);
                }
            }
        }
        Path dir = Files.createTempDirectory("pdrecon-bench");
        for (int round = 1; round <= 3; round++) {
            for (boolean compress : new boolean[] {false, true}) {
                Path f = dir.resolve(compress ? "z.mha" : "u.mha");
                long t0 = System.nanoTime();
                MetaImage.writeVolume(f, v, compress);
                long t1 = System.nanoTime();
                MetaImage.readVolume(f);
                long t2 = System.nanoTime();
                System.out.printf("round %d, %d^3 %-10s write %5.0f ms, read %5.0f ms, file %.1f MiB%n", round, n,
                        compress ? "zlib" : "raw", (t1 - t0) / 1e6, (t2 - t1) / 1e6, Files.size(f) / 1048576.0);
                Files.delete(f);
            }
            Path png = dir.resolve("p.png");
            long t0 = System.nanoTime();
            Previews.writeOrthogonalSlices(png, v, Previews.defaultWindow(v.data()));
            System.out.printf("round %d, preview %.0f ms%n", round, (System.nanoTime() - t0) / 1e6);
            Files.delete(png);
        }
        Files.delete(dir);
    }
}
