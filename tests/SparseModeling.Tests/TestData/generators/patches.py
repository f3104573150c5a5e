# SPDX-License-Identifier: BSD-3-Clause
"""Writes patches.json: scikit-learn 1.2.1 extract_patches_2d / reconstruct_from_patches_2d, and spm-image's
extract_simple_patches_2d / reconstruct_from_simple_patches_2d, on crops of camera.png (scikit-image data.camera(),
CC0) stored in the file.

Usage: python3 patches.py [path/to/camera.png]   (default ../../../../../shared/data/camera.png)

spm-image is not installable here, so its two simple-patch functions are re-stated below from
spmimage/feature_extraction/image.py at commit f0e382fb9b69b2f9ce34c46aefc8c20992c04930 (hacarus/spm-image,
BSD-3-Clause), for gray images: a transcription for this fixture only.
"""
import json
import sys
from itertools import product

import numpy as np
import skimage
import skimage.io
import sklearn
from sklearn.feature_extraction.image import extract_patches_2d, reconstruct_from_patches_2d


# --- transcription of spmimage.feature_extraction.image (commit f0e382fb), gray images ---
def extract_simple_patches_2d(image, patch_size):
    i_h, i_w = image.shape[:2]
    p_h, p_w = patch_size
    patches = []
    for i in range(int(i_h / p_h)):
        for j in range(int(i_w / p_w)):
            patches.append(image[p_h * i:p_h * i + p_h, p_w * j:p_w * j + p_w].flatten())
    return np.asarray(patches).reshape(-1, p_h, p_w)


def reconstruct_from_simple_patches_2d(patches, image_size):
    i_h, i_w = image_size[:2]
    p_h, p_w = patches.shape[1:3]
    image = np.zeros(image_size, dtype=patches.dtype)
    for p, (i, j) in zip(patches, product(range(int(i_h / p_h)), range(int(i_w / p_w)))):
        image[p_h * i:p_h * i + p_h, p_w * j:p_w * j + p_w] += p
    return image
# --- end of transcription ---


path = sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/data/camera.png"
camera = skimage.io.imread(path).astype(np.float64)
cases = []


def crop(r0, r1, c0, c1):
    return camera[r0:r1, c0:c1], f"camera.png[{r0}:{r1}, {c0}:{c1}] as float64"


image, source = crop(200, 220, 240, 264)
for p_h, p_w in [(5, 6), (3, 3), (1, 1), (20, 24), (20, 1)]:
    patches = extract_patches_2d(image, (p_h, p_w))
    cases.append({
        "kind": "extract",
        "call": f"extract_patches_2d(image, ({p_h}, {p_w})).reshape(n_patches, -1)",
        "image_source": source, "image": image.tolist(), "patch": [p_h, p_w],
        "patches": patches.reshape(patches.shape[0], -1).tolist(),
    })

# Reconstruction of patches that disagree where they overlap (so that the averaging matters): the patches of a
# crop, each scaled by a random factor (numpy RandomState(0)); the input patches are stored. Patch sides stay at most
# the number of positions (p_h <= i_h - p_h + 1): beyond that scikit-learn 1.2.1 divides by a wrong overlap count
# (scikit-learn issue #10910, fixed by pull request #33643), which SparseModeling does not reproduce.
image, source = crop(300, 312, 100, 110)
rng = np.random.RandomState(0)
for p_h, p_w in [(3, 4), (1, 1), (6, 5), (5, 1)]:
    patches = extract_patches_2d(image, (p_h, p_w))
    patches = patches * rng.uniform(0.5, 1.5, size=(patches.shape[0], 1, 1))
    result = reconstruct_from_patches_2d(patches, image.shape)
    cases.append({
        "kind": "reconstruct",
        "call": f"reconstruct_from_patches_2d(patches.reshape(-1, {p_h}, {p_w}), {image.shape})",
        "patch": [p_h, p_w], "image_size": list(image.shape),
        "patches_in": patches.reshape(patches.shape[0], -1).tolist(),
        "image": result.tolist(),
    })

# spm-image's non-overlapping patches; 22×27 with 5×4 patches does not divide, so the remainder is dropped.
image, source = crop(50, 72, 400, 427)
for p_h, p_w in [(5, 4), (11, 9), (1, 1)]:
    patches = extract_simple_patches_2d(image, (p_h, p_w))
    cases.append({
        "kind": "simple",
        "call": f"extract_simple_patches_2d(image, ({p_h}, {p_w})); reconstruct_from_simple_patches_2d(patches, {image.shape})",
        "image_source": source, "image": image.tolist(), "patch": [p_h, p_w],
        "patches": patches.reshape(patches.shape[0], -1).tolist(),
        "reconstructed": reconstruct_from_simple_patches_2d(patches, image.shape).tolist(),
    })

json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "scikit-image": skimage.__version__, "numpy": np.__version__,
                     "spm-image": "transcription of commit f0e382fb9b69b2f9ce34c46aefc8c20992c04930"},
    "cases": cases,
}, open("patches.json", "w"))
