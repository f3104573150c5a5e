# SPDX-License-Identifier: BSD-3-Clause
"""Writes total_variation.json: scikit-image 0.19.3 denoise_tv_chambolle (2-D, isotropic, no channel axis) on crops of
camera.png (scikit-image data.camera(), CC0) with noise, at several weights, stopping tolerances and iteration limits,
and on images of one row or one column; inputs and outputs stored in the file. Each case records its call and the
number of iterations the loop ran (counted by a restatement of _denoise_tv_chambolle_nd's loop that must give the same
output).

Usage: python3 total_variation.py [path/to/camera.png]   (default ../../../../../shared/data/camera.png)
"""
import json
import sys

import numpy as np
import skimage
import skimage.io
from skimage.restoration import denoise_tv_chambolle

path = sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/data/camera.png"
camera = skimage.io.imread(path).astype(np.float64)
rng = np.random.RandomState(12)


def iterations(image, weight, eps, max_num_iter):
    """The loop of skimage 0.19.3's _denoise_tv_chambolle_nd, restated to count its iterations."""
    p = np.zeros((2,) + image.shape)
    g = np.zeros_like(p)
    d = np.zeros_like(image)
    i = 0
    out = image
    while i < max_num_iter:
        if i > 0:
            d = -p.sum(0)
            d[1:, :] += p[0][:-1, :]
            d[:, 1:] += p[1][:, :-1]
            out = image + d
        else:
            out = image
        E = (d ** 2).sum()
        g[0][:-1, :] = np.diff(out, axis=0)
        g[1][:, :-1] = np.diff(out, axis=1)
        norm = np.sqrt((g ** 2).sum(axis=0))[np.newaxis, ...]
        E += weight * norm.sum()
        tau = 0.25
        norm *= tau / weight
        norm += 1.0
        p -= tau * g
        p /= norm
        E /= float(image.size)
        if i == 0:
            E_init = E
            E_previous = E
        else:
            if np.abs(E_previous - E) < eps * E_init:
                break
            E_previous = E
        i += 1
    return min(i + 1, max_num_iter), out


cases = []


def add(name, image, weight, eps, max_num_iter):
    denoised = denoise_tv_chambolle(image, weight=weight, eps=eps, max_num_iter=max_num_iter)
    count, restated = iterations(image, weight, eps, max_num_iter)
    assert np.array_equal(restated, denoised), name
    cases.append({
        "name": name,
        "call": f"denoise_tv_chambolle(image, weight={weight!r}, eps={eps!r}, max_num_iter={max_num_iter!r})",
        "weight": weight, "eps": eps, "max_num_iter": max_num_iter, "iterations": count,
        "image": image.tolist(), "denoised": denoised.tolist(),
    })


unit = camera / 255.0
a = np.clip(unit[300:340, 50:107] + 0.1 * rng.standard_normal((40, 57)), 0.0, 1.0)
add("rect_default", a, 0.1, 2e-4, 200)
add("rect_light", a, 0.02, 2e-4, 200)
add("rect_heavy_limit", a, 1.0, 1e-12, 60)
b = camera[100:131, 200:223] + 20.0 * rng.standard_normal((31, 23))
add("intensities_255", b, 25.0, 1e-3, 100)
add("one_row", unit[200:201, 0:64] + 0.05 * rng.standard_normal((1, 64)), 0.05, 1e-5, 300)
add("one_column", unit[0:48, 300:301] + 0.05 * rng.standard_normal((48, 1)), 0.05, 1e-5, 300)
add("two_by_three", np.array([[0.0, 1.0, 0.5], [0.25, -1.0, 2.0]]), 0.3, 1e-8, 500)
add("single_iteration", a[:9, :11], 0.1, 2e-4, 1)

json.dump({
    "generated_by": {"scikit-image": skimage.__version__, "numpy": np.__version__},
    "data": "crops of camera.png as float64 (scaled to [0, 1] unless named _255), noise from numpy RandomState(12) in the order of the cases",
    "cases": cases,
}, open("total_variation.json", "w"))
