# SPDX-License-Identifier: BSD-3-Clause
"""Writes image_quality.json: scikit-image 0.19.3 peak_signal_noise_ratio and structural_similarity (defaults:
7×7 uniform window, K1 = 0.01, K2 = 0.03, use_sample_covariance=True) on crops of camera.png (scikit-image
data.camera(), CC0) and noisy copies of them, all stored in the file.

Usage: python3 image_quality.py [path/to/camera.png]   (default ../../../../../shared/data/camera.png)
"""
import json
import sys

import numpy as np
import skimage
import skimage.io
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

path = sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/data/camera.png"
camera = skimage.io.imread(path).astype(np.float64)
rng = np.random.RandomState(0)


def store(image):
    """The key of image in `images`, adding it the first time (cases share their images)."""
    for key, value in images.items():
        if value.shape == image.shape and np.array_equal(value, image):
            return key
    key = f"image{len(images)}"
    images[key] = image
    return key


cases = []
images = {}


def add(name, a, b, data_range, **ssim_kwargs):
    call = ", ".join([f"data_range={data_range!r}"] + [f"{k}={v!r}" for k, v in ssim_kwargs.items()])
    with np.errstate(divide="ignore"):
        psnr = float(peak_signal_noise_ratio(a, b, data_range=data_range))
    cases.append({
        "name": name,
        "call": f"peak_signal_noise_ratio(a, b, data_range={data_range!r}); structural_similarity(a, b, {call})",
        "a": store(a), "b": store(b), "data_range": data_range,
        "win_size": ssim_kwargs.get("win_size", 7),
        "psnr": psnr if np.isfinite(psnr) else "Infinity",
        "ssim": float(structural_similarity(a, b, data_range=data_range, **ssim_kwargs)),
    })


a = camera[100:164, 200:264]
add("noisy_255", a, a + rng.normal(0.0, 10.0, a.shape), 255.0)
a = camera[300:340, 50:107]
b = np.clip(a + rng.normal(0.0, 25.0, a.shape), 0.0, 255.0)
add("clipped_noise_rect", a, b, 255.0)
add("unit_range", a / 255.0, b / 255.0, 1.0)
add("window_5", a, b, 255.0, win_size=5)
add("window_11", a, b, 255.0, win_size=11)
a = camera[10:17, 400:407]
add("single_window", a, a[::-1, :], 255.0)
a = camera[0:30, 0:30]
add("identical", a, a.copy(), 255.0)
a = camera[400:432, 400:440]
add("blur_and_shift", a, 0.8 * a + 20.0, 255.0)

json.dump({
    "generated_by": {"scikit-image": skimage.__version__, "numpy": np.__version__},
    "data": "crops of camera.png as float64; noise from numpy RandomState(0) in the order of the cases",
    "images": {key: value.tolist() for key, value in images.items()},
    "cases": cases,
}, open("image_quality.json", "w"))
