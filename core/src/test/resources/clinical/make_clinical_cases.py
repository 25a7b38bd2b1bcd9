#!/usr/bin/python3
"""Derives clinical-style problem series from datasets/sample-epid-arc with pydicom and numpy only (not
pdrecon), for ClinicalInputTest. Usage: make_clinical_cases.py SAMPLE_DIR OUT_DIR

OUT_DIR/cumulative-midcircle: the 72 frames acquired from gantry 180 deg through 355, 0, to 175 deg
  (InstanceNumber and AcquisitionTime in that order), stored as cumulative (integrated) frames: frame k
  holds the sum of the signal of acquisitions 0..k, RescaleSlope 25 so that it fits 16 bits.
OUT_DIR/cumulative-repeat: the same, with acquisition 10 stored twice (same pixels, same gantry angle,
  its own InstanceNumber), as happens clinically.
OUT_DIR/two-series: the sample's 72 files plus a second series of the same geometry (new Study, Series
  and SOP Instance UIDs, SeriesDescription "repeat scan").
"""
import copy
import os
import sys
import numpy as np
import pydicom

SAMPLE, OUT = sys.argv[1], sys.argv[2]
SLOPE = 25.0


def sample():
    files = sorted(f for f in os.listdir(SAMPLE) if f.endswith(".dcm"))
    return [pydicom.dcmread(os.path.join(SAMPLE, f)) for f in files]


def write_cumulative(name, repeat_at=None):
    frames = sample()
    by_angle = {float(ds.GantryAngle): ds for ds in frames}
    order = [by_angle[(180.0 + 5.0 * k) % 360.0] for k in range(72)]
    out = os.path.join(OUT, name)
    os.makedirs(out, exist_ok=True)
    total = np.zeros((order[0].Rows, order[0].Columns))
    acquisitions = []
    for k, ds in enumerate(order):
        total = total + ds.pixel_array.astype(np.float64)
        acquisitions.append((ds, np.round(total / SLOPE).astype(np.uint16)))
        if k == repeat_at:
            acquisitions.append((ds, acquisitions[-1][1].copy()))
    for n, (src, stored) in enumerate(acquisitions):
        ds = copy.deepcopy(src)
        ds.SeriesInstanceUID = src.SeriesInstanceUID + ".7"
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = f"{src.SeriesInstanceUID}.7.{n + 1}"
        ds.InstanceNumber = n + 1
        ds.AcquisitionTime = f"12{n // 60:02d}{n % 60:02d}.000000"  # one frame a second
        ds.RescaleSlope, ds.RescaleIntercept = f"{SLOPE:g}", "0"
        ds.PixelData = stored.astype("<u2").tobytes()
        ds.save_as(os.path.join(out, f"CUM_{n + 1:03d}.dcm"), write_like_original=False)


def write_two_series():
    out = os.path.join(OUT, "two-series")
    os.makedirs(out, exist_ok=True)
    for ds in sample():
        ds.save_as(os.path.join(out, f"A_{int(ds.InstanceNumber):03d}.dcm"), write_like_original=False)
        b = copy.deepcopy(ds)
        b.StudyInstanceUID = ds.StudyInstanceUID + ".8"
        b.SeriesInstanceUID = ds.SeriesInstanceUID + ".8"
        b.SeriesDescription = "repeat scan"
        b.SOPInstanceUID = b.file_meta.MediaStorageSOPInstanceUID = f"{ds.SeriesInstanceUID}.8.{int(ds.InstanceNumber)}"
        b.save_as(os.path.join(out, f"B_{int(ds.InstanceNumber):03d}.dcm"), write_like_original=False)


write_cumulative("cumulative-midcircle")
write_cumulative("cumulative-repeat", repeat_at=10)
write_two_series()
