#!/usr/bin/python3
"""Reference values for pdrecon's metrics (PSNR, SSIM, NRMSE), computed by scikit-image.

Run with the system Python (Debian python3-skimage, python3-numpy, python3-scipy):

    cd core/src/test/resources/metrics && /usr/bin/python3 make_fixtures.py

For each case it writes, next to this script:
    <case>_reference.f32.raw   reference image, little-endian float32, C order (z, y, x) or (y, x)
    <case>_test.f32.raw        test image, same layout
    <case>_mask.u8.raw         (masked cases only) 1 = voxel inside the mask, 0 = outside
and one fixtures.json with the shapes, the data range used and skimage's values.

The arrays are generated from a seeded numpy Generator, so the script reproduces its outputs exactly
on the same numpy version. The values in fixtures.json are computed from the float32 data *after*
converting it to float64, so skimage works in float64 (with float32 input it would work in float32).

Definitions (skimage calls):
    range  = data_range given explicitly, or max - min of the reference over the masked voxels
             (all voxels without a mask)
    PSNR   = peak_signal_noise_ratio(ref[m], test[m], data_range=range)
    NRMSE  = normalized_root_mse(ref[m], test[m])          ('euclidean': sqrt(MSE)/sqrt(mean(ref^2)))
    SSIM   = structural_similarity(ref, test, gaussian_weights=True, sigma=1.5,
                                   use_sample_covariance=False, data_range=range, full=True)
             gives (mssim, S). Without a mask SSIM = mssim (the mean of S after cropping
             pad = (win_size - 1) // 2 = 5 voxels from every side of every axis).
             With a mask: SSIM = mean of crop(S, pad)[crop(mask, pad)], i.e. the SSIM map averaged over
             the masked voxels that lie inside the cropped region. The full images (not only the masked
             voxels) are filtered.
where ref[m] selects the masked voxels (all voxels without a mask).
"""

import json
import os
import platform

import numpy as np
import scipy
import scipy.ndimage as ndi
import skimage
from skimage.metrics import normalized_root_mse, peak_signal_noise_ratio, structural_similarity
from skimage.util import crop

HERE = os.path.dirname(os.path.abspath(__file__))
SIGMA = 1.5
PAD = (2 * int(3.5 * SIGMA + 0.5) + 1 - 1) // 2  # skimage: truncate 3.5 -> 11-tap window, pad 5


def blobs(shape, rng, count, lo, hi):
    """A smooth random image: a background plus Gaussian blobs with values in [lo, hi]."""
    grids = np.meshgrid(*[np.arange(n, dtype=np.float64) for n in shape], indexing="ij")
    img = np.full(shape, lo, dtype=np.float64)
    for _ in range(count):
        centre = [rng.uniform(0, n) for n in shape]
        width = rng.uniform(1.5, 5.0)
        amp = rng.uniform(0.2, 1.0) * (hi - lo)
        r2 = sum((g - c) ** 2 for g, c in zip(grids, centre))
        img += amp * np.exp(-0.5 * r2 / width ** 2)
    # A sharp-edged box, so that blurring changes the structure term.
    sl = tuple(slice(n // 4, n // 4 + max(2, n // 3)) for n in shape)
    img[sl] += 0.5 * (hi - lo)
    return img


def noisy(ref, rng, rel):
    return ref + rng.normal(0.0, rel * (ref.max() - ref.min()), ref.shape)


def blur_shift(ref, sigma, shift):
    return ndi.shift(ndi.gaussian_filter(ref, sigma, mode="nearest"), shift, order=1, mode="nearest")


def disc_mask(shape, radius_frac):
    """A disc in (y, x), on every slice for 3D, centred on the image (voxel centres)."""
    ny, nx = shape[-2], shape[-1]
    y, x = np.meshgrid(np.arange(ny) + 0.5 - ny / 2, np.arange(nx) + 0.5 - nx / 2, indexing="ij")
    disc = (x ** 2 + y ** 2) <= (radius_frac * min(nx, ny) / 2) ** 2
    return np.broadcast_to(disc, shape).copy()


def reference_values(ref32, test32, mask, data_range):
    ref = ref32.astype(np.float64)
    test = test32.astype(np.float64)
    sel = np.ones(ref.shape, dtype=bool) if mask is None else mask
    if data_range is None:
        data_range = float(ref[sel].max() - ref[sel].min())
    psnr = peak_signal_noise_ratio(ref[sel], test[sel], data_range=data_range)
    nrmse = normalized_root_mse(ref[sel], test[sel])
    mssim, smap = structural_similarity(ref, test, gaussian_weights=True, sigma=SIGMA,
                                        use_sample_covariance=False, data_range=data_range, full=True)
    cropped = crop(smap, PAD)
    assert abs(cropped.mean(dtype=np.float64) - mssim) < 1e-12  # our reading of skimage's crop
    if mask is None:
        ssim = float(mssim)
        ssim_voxels = int(cropped.size)
    else:
        inside = crop(mask, PAD)
        ssim = float(cropped[inside].mean(dtype=np.float64))
        ssim_voxels = int(inside.sum())
    return {"data_range": data_range, "psnr_db": float(psnr), "ssim": ssim, "nrmse": float(nrmse),
            "mask_voxels": int(sel.sum()), "ssim_voxels": ssim_voxels}


def write_raw(name, arr, dtype):
    path = os.path.join(HERE, name)
    np.ascontiguousarray(arr, dtype=dtype).tofile(path)
    return name


def main():
    rng = np.random.default_rng(20261121)
    cases = []

    def add(name, ref, test, mask=None, data_range=None, note=""):
        ref32 = ref.astype(np.float32)
        test32 = test.astype(np.float32)
        entry = {"name": name, "shape": list(ref.shape), "note": note,
                 "reference": write_raw(name + "_reference.f32.raw", ref32, "<f4"),
                 "test": write_raw(name + "_test.f32.raw", test32, "<f4"),
                 "mask": None if mask is None else write_raw(name + "_mask.u8.raw", mask, "u1"),
                 "data_range_source": "explicit" if data_range is not None else
                 ("reference max-min inside mask" if mask is not None else "reference max-min")}
        entry.update(reference_values(ref32, test32, mask, data_range))
        cases.append(entry)

    # 2D, odd sizes, attenuation-like values (1/mm).
    r = blobs((37, 41), rng, 6, 0.0, 0.04)
    add("2d_noisy", r, noisy(r, rng, 0.05), note="2D 37x41, Gaussian noise 5% of range")
    add("2d_blur_shift", r, blur_shift(r, 1.0, (0.6, -1.3)),
        note="2D 37x41, Gaussian blur sigma 1 then sub-pixel shift (0.6, -1.3)")
    # 2D, even sizes, negative values, disc mask, explicit data range.
    r = blobs((40, 36), rng, 8, -1.0, 1.0)
    add("2d_masked_explicit_range", r, blur_shift(noisy(r, rng, 0.03), 0.7, (0.0, 0.5)),
        mask=disc_mask((40, 36), 0.8), data_range=2.5,
        note="2D 40x36, noise + blur + shift, disc mask, explicit data_range 2.5")
    # 3D, odd sizes.
    r = blobs((19, 23, 29), rng, 10, 0.0, 0.03)
    add("3d_noisy", r, noisy(r, rng, 0.08), note="3D 19x23x29 (z,y,x), Gaussian noise 8% of range")
    m = disc_mask((19, 23, 29), 0.85)
    m[:3] = False
    m[-2:] = False
    add("3d_blur_shift_masked", r, blur_shift(r, 1.2, (0.0, 0.8, -0.4)), mask=m,
        note="3D 19x23x29, blur sigma 1.2 + shift, cylinder mask without the first 3 and last 2 slices")
    # 3D, even sizes.
    r = blobs((12, 14, 16), rng, 5, 0.0, 1.0)
    add("3d_even_blur_noisy", r, noisy(blur_shift(r, 0.8, (0.5, 0.0, 0.0)), rng, 0.02),
        note="3D 12x14x16, blur + z shift + noise")

    meta = {"generator": "make_fixtures.py", "seed": 20261121,
            "versions": {"python": platform.python_version(), "numpy": np.__version__,
                         "scipy": scipy.__version__, "skimage": skimage.__version__},
            "ssim_parameters": {"gaussian_weights": True, "sigma": SIGMA, "truncate": 3.5,
                                "win_size": 2 * PAD + 1, "use_sample_covariance": False,
                                "K1": 0.01, "K2": 0.03, "crop_pad": PAD},
            "layout": "little-endian, C order: (y, x) for 2D, (z, y, x) for 3D; mask uint8 0/1",
            "cases": cases}
    with open(os.path.join(HERE, "fixtures.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    for c in cases:
        print(f"{c['name']:28s} range {c['data_range']:.6g}  PSNR {c['psnr_db']:.4f} dB  "
              f"SSIM {c['ssim']:.6f}  NRMSE {c['nrmse']:.6f}")


if __name__ == "__main__":
    main()
