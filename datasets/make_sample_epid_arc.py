#!/usr/bin/python3
"""Writes datasets/sample-epid-arc: a small simulated EPID arc as DICOM RT Images, with pydicom and
numpy only (not pdrecon), for `pdrecon reconstruct --dicom datasets/sample-epid-arc` (issue 6).

Scan: 72 views, gantry 0..355 deg in 5 deg steps (IEC 61217), SAD 1000 mm, SID 1500 mm, an EPID of
48 rows x 64 columns at 1.6 mm, detector centre at receptor (X_r, Y_r) = (2.4, -1.6) mm. Object, in IEC
fixed coordinates (X_f to the gantry's right seen from the couch foot, Y_f towards the gantry, Z_f
up), linear attenuation for a ~6 MV beam: a water ellipsoid (semi-axes 30 x 20 x 22 mm along X, Y, Z),
a bone-like rod, an air pocket and a denser insert. Signal I = 20000 * exp(-line integral) with
Poisson noise (seed 6), stored 16-bit unsigned, one file per view, independent (not cumulative) frames.

Forward model directly in IEC terms: gantry axes X_g = (cos g, 0, -sin g), Y_g = Y_f,
Z_g = (sin g, 0, cos g); source at SAD*Z_g; receptor plane at (SAD - SID)*Z_g; RTImagePosition is the
receptor position (X_r, Y_r) of the first stored pixel; columns run along +X_r, rows along -Y_r.
Each pixel is the mean of 2x2 sub-rays.
"""
import os
import sys
import numpy as np
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample-epid-arc")
ROOT = "1.2.826.0.1.3680043.8.498.6060"  # fixed: regenerated files are identical
SAD, SID, ROWS, COLS, PIX = 1000.0, 1500.0, 48, 64, 1.6
CENTRE_R = (2.4, -1.6)
I0 = 20000.0
# (centre X, Y, Z), (semi-axes X, Y, Z), mu in 1/mm; later ones replace earlier ones where they overlap
ELLIPSOIDS = [
    ((0.0, 0.0, 0.0), (30.0, 20.0, 22.0), 0.0049),   # water body
    ((10.0, 0.0, 6.0), (4.0, 18.0, 4.0), 0.0090),    # bone-like rod along Y (the rotation axis)
    ((-12.0, 5.0, -6.0), (6.0, 6.0, 6.0), 0.0),      # air pocket
    ((-4.0, -8.0, 10.0), (5.0, 5.0, 5.0), 0.0065),   # denser insert
]


def chord(src, dirs, centre, axes):
    """Length of each ray (unit directions) inside an axis-aligned ellipsoid."""
    o = (src - np.array(centre)) / np.array(axes)
    d = dirs / np.array(axes)
    a = np.sum(d * d, axis=-1)
    b = 2 * np.sum(o * d, axis=-1)
    c = np.sum(o * o) - 1
    disc = b * b - 4 * a * c
    root = np.sqrt(np.clip(disc, 0, None))
    return np.where(disc > 0, root / a, 0.0)  # (t2 - t1) for unit-length rays


def line_integrals(g):
    xg, yg, zg = np.array([np.cos(g), 0, -np.sin(g)]), np.array([0.0, 1, 0]), np.array([np.sin(g), 0, np.cos(g)])
    src = SAD * zg
    pos = (CENTRE_R[0] - (COLS - 1) / 2 * PIX, CENTRE_R[1] + (ROWS - 1) / 2 * PIX)
    total = np.zeros((ROWS, COLS))
    for si in (-0.25, 0.25):
        for sj in (-0.25, 0.25):
            i, j = np.mgrid[0:ROWS, 0:COLS]
            xr, yr = pos[0] + (j + sj) * PIX, pos[1] - (i + si) * PIX
            pts = (SAD - SID) * zg + xr[..., None] * xg + yr[..., None] * yg
            dirs = pts - src
            dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
            p = np.zeros((ROWS, COLS))
            # nested objects: add the difference to the enclosing value (the inserts lie inside the body)
            for k, (centre, axes, mu) in enumerate(ELLIPSOIDS):
                base = ELLIPSOIDS[0][2] if k > 0 else 0.0
                p += (mu - base) * chord(src, dirs, centre, axes)
            total += p
    return total / 4, pos


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(6)
    for k in range(72):
        g_deg = 5.0 * k
        p, pos = line_integrals(np.radians(g_deg))
        signal = rng.poisson(I0 * np.exp(-p)).clip(0, 65535).astype(np.uint16)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.481.1"
        meta.MediaStorageSOPInstanceUID = f"{ROOT}.1.{k + 1}"
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        meta.ImplementationClassUID = ROOT + ".9"
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = ROOT + ".2", ROOT + ".3", ROOT + ".4"
        ds.Modality = "RTIMAGE"
        ds.PatientName, ds.PatientID = "Sample^EPID", "PDRECON-SAMPLE"
        ds.InstanceNumber = k + 1
        ds.ImageType = ["DERIVED", "SECONDARY", "PORTAL"]
        ds.RTImageLabel = f"arc {g_deg:g}"
        ds.RTImagePlane = "NORMAL"
        ds.GantryAngle = f"{g_deg:g}"
        ds.RadiationMachineSAD = f"{SAD:g}"
        ds.RTImageSID = f"{SID:g}"
        ds.ImagePlanePixelSpacing = [PIX, PIX]
        ds.RTImagePosition = [round(pos[0], 6), round(pos[1], 6)]
        ds.XRayImageReceptorTranslation = [0.0, 0.0, SAD - SID]
        ds.PixelIntensityRelationship = "LIN"
        ds.PixelIntensityRelationshipSign = 1
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.Rows, ds.Columns = ROWS, COLS
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
        ds.PixelData = signal.astype("<u2").tobytes()
        ds.save_as(os.path.join(OUT, f"RI_{k + 1:03d}.dcm"), write_like_original=False)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("Simulated EPID arc written by ../make_sample_epid_arc.py (pydicom + numpy); see its docstring.\n"
                "I0 = 20000 (signal without attenuation): `LineIntegrals.givenI0(20000)`.\n")


if __name__ == "__main__":
    main()
