package org.pdrecon.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pdrecon.data.ProjectionStack;
import org.pdrecon.geometry.ConeBeamGeometry;
import org.pdrecon.geometry.VolumeGrid;
import org.pdrecon.simulation.AnalyticProjector;
import org.pdrecon.simulation.Ellipsoid;
import org.pdrecon.simulation.Phantom;

/**
 * The RT Images pdrecon writes, interpreted by an independent reader in IEC 61217 terms: pydicom reads
 * each file's GantryAngle, SAD, SID, ImagePlanePixelSpacing, RTImagePosition and receptor
 * translation, projects the marker's IEC position with them (the same forward model that made the
 * epid_arc fixture), and finds the line-integral-weighted centroid of the marker's shadow in the
 * pixel data that pdrecon's analytic projector simulated. Both must agree: the files mean what the
 * toolkit's geometry meant.
 */
@Timeout(120)
class RtImageWriterIecTest {
    @TempDir
    Path tmp;

    static final String PYTHON = String.join("\n",
            "import sys, json, numpy as np, pydicom",
            "m = np.array([float(v) for v in sys.argv[1].split(',')])  # marker, IEC fixed (X, Y, Z) mm",
            "out = []",
            "for p in sys.argv[2:]:",
            "    ds = pydicom.dcmread(p)",
            "    g = np.radians(float(ds.GantryAngle)); sad = float(ds.RadiationMachineSAD); sid = float(ds.RTImageSID)",
            "    drow, dcol = [float(v) for v in ds.ImagePlanePixelSpacing]",
            "    px, py = [float(v) for v in ds.RTImagePosition]",
            "    tx, ty = [float(v) for v in ds.XRayImageReceptorTranslation][:2]",
            "    xg = np.array([np.cos(g), 0, -np.sin(g)]); yg = np.array([0.0, 1, 0]); zg = np.array([np.sin(g), 0, np.cos(g)])",
            "    s = sad * zg",
            "    t = (sid) / np.dot(s - m, zg)  # distance along the ray to the receptor plane at SAD - SID",
            "    hit = s + t * (m - s)",
            "    xr = np.dot(hit, xg) - tx; yr = np.dot(hit, yg) - ty",
            "    col = (xr - px) / dcol; row = (py - yr) / drow",
            "    li = ds.pixel_array.astype(float) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)",
            "    r, c = np.mgrid[0:li.shape[0], 0:li.shape[1]]",
            "    out.append({'gantry': float(ds.GantryAngle), 'row': row, 'col': col,",
            "                'crow': float((li * r).sum() / li.sum()), 'ccol': float((li * c).sum() / li.sum())})",
            "print(json.dumps(out))");

    @Test
    void pydicomIecModelFindsTheMarkerWhereTheSimulationPutIt() throws Exception {
        String py = ExternalTools.pythonWithPydicom();
        assumeTrue(py != null, "python3 with pydicom is not installed");
        double[] angles = {0, 70, 200, 315};
        ConeBeamGeometry g = ConeBeamGeometry.circular().setVolume(VolumeGrid.cube(32, 2.0)).setSodMm(1000).setSddMm(1500)
                .setDetector(32, 48, 2.0, 2.5).optDetectorOffsetMm(4, -3).setAnglesDeg(angles).build();
        double[] marker = {12, 10, 3}; // toolkit (x, y, z) = IEC (X_f, −Z_f, Y_f)
        ProjectionStack p = AnalyticProjector.project(Phantom.of(Ellipsoid.ball(marker, 10, 0.02)), g, 1);
        List<Path> files = RtImageWriter.write(p, RtImageWriter.Values.LINE_INTEGRALS, g, tmp, SeriesInfo.anonymous("iec check"));
        List<String> cmd = new ArrayList<>(List.of(py, "-c", PYTHON, marker[0] + "," + marker[2] + "," + (-marker[1])));
        for (Path f : files) cmd.add(f.toString());
        ExternalTools.Result r = ExternalTools.run(cmd, null);
        assertEquals(0, r.exitCode(), r.output());
        JsonArray views = JsonParser.parseString(r.output().lines().reduce((a, b) -> b).orElse("")).getAsJsonArray();
        assertEquals(angles.length, views.size());
        for (int v = 0; v < angles.length; v++) {
            JsonObject o = views.get(v).getAsJsonObject();
            assertEquals(angles[v], o.get("gantry").getAsDouble(), 1e-9);
            String where = "view at " + angles[v] + "°: " + o;
            assertTrue(o.get("row").getAsDouble() > 9 && o.get("row").getAsDouble() < 22, where); // the whole shadow is on the detector
            assertEquals(o.get("row").getAsDouble(), o.get("crow").getAsDouble(), 0.05, where);
            assertEquals(o.get("col").getAsDouble(), o.get("ccol").getAsDouble(), 0.05, where);
        }
    }
}
