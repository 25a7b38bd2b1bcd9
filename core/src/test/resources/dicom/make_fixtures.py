#!/usr/bin/python3
"""Writes the pydicom-made DICOM fixtures for pdrecon's codec tests (pydicom 2.3, numpy).

Every pixel value follows a formula stated here and repeated in DicomInteropTest, so the test checks
the Java decoder against an independent writer. Run through make_fixtures.sh (which also runs dcmtk).
"""
import sys
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
FIXED_UID = "1.2.826.0.1.3680043.8.498.4242"  # fixed so regenerated fixtures are byte-identical


def base(sop_class, ts, name):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = FIXED_UID + ".1." + str(sum(ord(ch) for ch in name))
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = FIXED_UID + ".9"
    ds = FileDataset(name, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian = ts != ExplicitVRBigEndian
    ds.is_implicit_VR = ts == ImplicitVRLittleEndian
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = FIXED_UID + ".2"
    ds.SeriesInstanceUID = FIXED_UID + ".3"
    ds.PatientName = "Fixture^Pydicom"
    ds.PatientID = "PDRECON-FIX"
    return ds


def pixels(ds, arr, bits_allocated, bits_stored, signed):
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = bits_allocated
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if arr.ndim == 3:
        ds.NumberOfFrames = arr.shape[0]
        ds.Rows, ds.Columns = arr.shape[1], arr.shape[2]
    else:
        ds.Rows, ds.Columns = arr.shape
    dtype = {8: "u1", 16: "u2", 32: "u4"}[bits_allocated]
    order = "<" if ds.is_little_endian else ">"
    # Two's complement bit patterns masked to BitsStored: the upper bits are left as junk (all ones
    # for negative values in 'ct_implicit_signed12'), which a decoder must mask away.
    raw = arr.astype(np.int64) & ((1 << bits_allocated) - 1)
    ds.PixelData = raw.astype(order + dtype).tobytes()


def ct_implicit_signed12():
    """CT, implicit VR LE, 16 allocated / 12 stored signed, stored = (r*3 + c)*37 - 200, intercept -1024."""
    ds = base("1.2.840.10008.5.1.4.1.1.2", ImplicitVRLittleEndian, "ct_implicit_signed12")
    ds.Modality = "CT"
    r, c = np.mgrid[0:4, 0:3]
    stored = (r * 3 + c) * 37 - 200
    # high nibble: copy of the sign (as a sign-extending writer would) for negatives, 0xA junk for positives
    junk = np.where(stored < 0, 0, 0xA000)
    pixels(ds, stored | junk, 16, 12, True)
    ds.RescaleSlope = "1"
    ds.RescaleIntercept = "-1024"
    ds.ImagePositionPatient = [-12.5, 30.0, 7.25]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [0.5, 0.75]
    ds.SliceThickness = "2.5"
    ds.save_as(f"{OUT}/ct_implicit_signed12.dcm", write_like_original=False)


def mf_explicit_u8():
    """Multi-frame, explicit VR LE, 8-bit unsigned, 3 frames of 2x5, value = 50*f + 5*r + c, slope 2, intercept 1."""
    ds = base("1.2.840.10008.5.1.4.1.1.7.2", ExplicitVRLittleEndian, "mf_explicit_u8")
    ds.Modality = "OT"
    f, r, c = np.mgrid[0:3, 0:2, 0:5]
    pixels(ds, 50 * f + 5 * r + c, 8, 8, False)
    ds.RescaleSlope = "2"
    ds.RescaleIntercept = "1"
    ds.save_as(f"{OUT}/mf_explicit_u8.dcm", write_like_original=False)


def rtimage_u16_undefined_sequences():
    """RT Image, explicit VR LE, 16-bit unsigned, value = 1000*r + c, gantry 90, ExposureSequence of
    undefined length whose item (undefined length) nests a BeamLimitingDeviceSequence (undefined length)."""
    ds = base("1.2.840.10008.5.1.4.1.1.481.1", ExplicitVRLittleEndian, "rtimage_u16")
    ds.Modality = "RTIMAGE"
    r, c = np.mgrid[0:6, 0:4]
    pixels(ds, 1000 * r + c, 16, 16, False)
    ds.GantryAngle = "90"
    ds.RTImageSID = "1500"
    ds.RadiationMachineSAD = "1000"
    ds.ImagePlanePixelSpacing = [0.392, 0.4]
    ds.RTImagePosition = [-200.0, 150.0]
    ds.RTImagePlane = "NORMAL"
    ds.XRayImageReceptorTranslation = [1.5, -2.0, -500.0]
    jaw = Dataset()
    jaw.RTBeamLimitingDeviceType = "ASYMX"
    jaw.NumberOfLeafJawPairs = 1
    jaw.LeafJawPositions = [-50, 60]
    inner = Sequence([jaw])
    inner.is_undefined_length = True
    exposure = Dataset()
    exposure.MetersetExposure = "12.5"
    exposure.KVP = "6000"
    exposure.BeamLimitingDeviceSequence = inner
    exposure.is_undefined_length_sequence_item = True
    jaw.is_undefined_length_sequence_item = True
    seq = Sequence([exposure])
    seq.is_undefined_length = True
    ds.ExposureSequence = seq
    ds.save_as(f"{OUT}/rtimage_u16.dcm", write_like_original=False)


def u32_rescaled():
    """Secondary capture, explicit VR LE, 32-bit unsigned, value = 70000*r + 3*c, slope 0.5, intercept -10."""
    ds = base("1.2.840.10008.5.1.4.1.1.7", ExplicitVRLittleEndian, "u32")
    ds.Modality = "OT"
    r, c = np.mgrid[0:3, 0:4]
    pixels(ds, 70000 * r + 3 * c, 32, 32, False)
    ds.RescaleSlope = "0.5"
    ds.RescaleIntercept = "-10"
    ds.save_as(f"{OUT}/u32.dcm", write_like_original=False)


def ct_big_endian_s16():
    """CT, explicit VR big endian, 16-bit signed, value = 100*r - 7*c - 300."""
    ds = base("1.2.840.10008.5.1.4.1.1.2", ExplicitVRBigEndian, "ct_big_endian")
    ds.Modality = "CT"
    r, c = np.mgrid[0:3, 0:5]
    pixels(ds, 100 * r - 7 * c - 300, 16, 16, True)
    ds.RescaleSlope = "1"
    ds.RescaleIntercept = "0"
    ds.Rows = 3  # a US element written big endian
    ds.save_as(f"{OUT}/ct_big_endian.dcm", write_like_original=False)


def rtdose_multiframe():
    """RT Dose, explicit VR LE, 2 frames of 3x4, 32-bit unsigned, value = 1000*f + 10*r + c,
    DoseGridScaling 0.001, ImagePositionPatient (-10, 5, 20), PixelSpacing 2.5\\2.0, GridFrameOffsetVector 0\\3."""
    ds = base("1.2.840.10008.5.1.4.1.1.481.2", ExplicitVRLittleEndian, "rtdose")
    ds.Modality = "RTDOSE"
    f, r, c = np.mgrid[0:2, 0:3, 0:4]
    pixels(ds, 1000 * f + 10 * r + c, 32, 32, False)
    ds.ImagePositionPatient = [-10, 5, 20]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [2.5, 2.0]
    ds.GridFrameOffsetVector = [0, 3]
    ds.DoseGridScaling = "0.001"
    ds.DoseUnits = "GY"
    ds.DoseType = "PHYSICAL"
    ds.FrameIncrementPointer = 0x3004000C
    ds.save_as(f"{OUT}/rtdose.dcm", write_like_original=False)


def ct_series():
    """CT series of 3 slices in ct_series/, implicit VR LE, file names in reverse z order,
    slice k at z = 10 + 2.5*k, value = 100*k + 10*r + c - 1000 (intercept -1000), 2x3 pixels."""
    import os
    os.makedirs(f"{OUT}/ct_series", exist_ok=True)
    for k in range(3):
        ds = base("1.2.840.10008.5.1.4.1.1.2", ImplicitVRLittleEndian, "ctseries" + str(k))
        ds.Modality = "CT"
        r, c = np.mgrid[0:2, 0:3]
        pixels(ds, 100 * k + 10 * r + c, 16, 16, True)
        ds.RescaleSlope = "1"
        ds.RescaleIntercept = "-1000"
        ds.ImagePositionPatient = [-1.0, -2.0, 10 + 2.5 * k]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [0.8, 0.6]
        ds.SliceThickness = "2.5"
        ds.save_as(f"{OUT}/ct_series/slice_{3 - k}.dcm", write_like_original=False)


def epid_arc():
    """A simulated EPID arc in epid_arc/: 16 RT Images at gantry 280 + 12.5*k degrees (crossing 0),
    SAD 1000, SID 1500, 32x32 pixels of 3.2 mm (rows) x 3.6 mm (columns), detector centre shifted to
    receptor (X_r, Y_r) = (6, -4) mm, 16-bit intensity I = 30000*exp(-mu*chord) through one ball
    (IEC fixed centre (20, 10, -15) mm, radius 12 mm, mu 0.02/mm), sampled at pixel centres.
    Computed directly in IEC 61217 terms: gantry axes X_g = (cos g, 0, -sin g), Y_g = Y_f,
    Z_g = (sin g, 0, cos g); source at SAD*Z_g; receptor plane at (SAD - SID)*Z_g; first stored pixel
    at RTImagePosition, columns along +X_r, rows along -Y_r."""
    import os
    os.makedirs(f"{OUT}/epid_arc", exist_ok=True)
    sad, sid, rows, cols, drow, dcol = 1000.0, 1500.0, 32, 32, 3.2, 3.6
    centre_r = np.array([6.0, -4.0])
    pos = [centre_r[0] - (cols - 1) / 2 * dcol, centre_r[1] + (rows - 1) / 2 * drow]
    m, radius, mu = np.array([20.0, 10.0, -15.0]), 12.0, 0.02
    for k in range(16):
        g_deg = (280 + 12.5 * k) % 360
        g = np.radians(g_deg)
        xg, yg, zg = np.array([np.cos(g), 0, -np.sin(g)]), np.array([0.0, 1, 0]), np.array([np.sin(g), 0, np.cos(g)])
        src = sad * zg
        i, j = np.mgrid[0:rows, 0:cols]
        xr, yr = pos[0] + j * dcol, pos[1] - i * drow
        pts = (sad - sid) * zg + xr[..., None] * xg + yr[..., None] * yg
        d = pts - src
        d /= np.linalg.norm(d, axis=-1, keepdims=True)
        w = m - src
        along = d @ w
        dist2 = np.sum(w * w) - along ** 2
        chord = 2 * np.sqrt(np.clip(radius ** 2 - dist2, 0, None))
        intensity = np.round(30000 * np.exp(-mu * chord)).astype(np.uint16)
        ds = base("1.2.840.10008.5.1.4.1.1.481.1", ExplicitVRLittleEndian, "epid" + str(k))
        ds.Modality = "RTIMAGE"
        pixels(ds, intensity, 16, 16, False)
        ds.GantryAngle = f"{g_deg:g}"
        ds.RTImageSID = f"{sid:g}"
        ds.RadiationMachineSAD = f"{sad:g}"
        ds.ImagePlanePixelSpacing = [drow, dcol]
        ds.RTImagePosition = [round(pos[0], 6), round(pos[1], 6)]
        ds.RTImagePlane = "NORMAL"
        ds.XRayImageReceptorTranslation = [0.0, 0.0, sad - sid]
        ds.save_as(f"{OUT}/epid_arc/frame_{(k * 7) % 16:02d}.dcm", write_like_original=False)


if __name__ == "__main__":
    epid_arc()
    rtdose_multiframe()
    ct_series()
    ct_implicit_signed12()
    mf_explicit_u8()
    rtimage_u16_undefined_sequences()
    u32_rescaled()
    ct_big_endian_s16()
