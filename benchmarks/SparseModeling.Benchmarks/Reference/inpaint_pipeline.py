#!/usr/bin/python3
"""scikit-learn's nearest equivalent of the inpainting pipeline of Compare/InpaintingCases.cs, for the README's time.

scikit-learn has no masked sparse coding, so this times the same three steps on the same damaged image with every pixel
coded: extract_patches_2d (all 8x8 patches of the 512x512 image) -> sparse_encode (OMP, 12 atoms, over the 64-atom DCT
dictionary with unit-norm atoms, patch means removed) -> reconstruct_from_patches_2d. The image and mask are the C# case's:
camera/255 with the pixels where normal_matrix(82, 512, 512) < 0 set to 0 (normal_matrix from the shared
reference_bench.py, found as sweep_bench.py finds it). Prints one JSON object with the median and minimum of --repeat
runs (default 3) after a warm-up, and the PSNR of the result (data range 1), which is low: missing pixels count as 0.

Usage: /usr/bin/python3 inpaint_pipeline.py [--repeat N] [--shared PATH]
"""
import importlib.util
import json
import os
import sys
import time


def _find_shared(argv):
    if "--shared" in argv:
        i = argv.index("--shared"); path = argv[i + 1]; del argv[i:i + 2]
        return path
    d = os.path.dirname(os.path.abspath(__file__))
    while True:
        for candidate in (os.path.join(d, "..", "shared", "tools", "reference_bench.py"),
                          os.path.join(d, "shared", "tools", "reference_bench.py")):
            if os.path.isfile(candidate):
                return os.path.abspath(candidate)
        parent = os.path.dirname(d)
        if parent == d:
            sys.exit("inpaint_pipeline.py: could not find ../shared/tools/reference_bench.py; pass --shared PATH")
        d = parent


repeat = 3
if "--repeat" in sys.argv:
    i = sys.argv.index("--repeat"); repeat = int(sys.argv[i + 1]); del sys.argv[i:i + 2]
_spec = importlib.util.spec_from_file_location("reference_bench", _find_shared(sys.argv))
rb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rb)
np = rb.np

import skimage.data  # noqa: E402
from sklearn.decomposition import sparse_encode  # noqa: E402
from sklearn.feature_extraction.image import extract_patches_2d, reconstruct_from_patches_2d  # noqa: E402

clean = skimage.data.camera().astype(float) / 255.0
mask = (rb.normal_matrix(82, 512, 512) >= 0.0).astype(float)
damaged = clean * mask
p = 8
u = np.arange(p)
one = np.cos(np.outer(u + 0.5, u) * np.pi / p)  # one[i, u] = cos((i + 1/2) u pi / p), as DctDictionary
dictionary = np.einsum("iu,jv->uvij", one, one).reshape(p * p, p * p)
dictionary /= np.linalg.norm(dictionary, axis=1, keepdims=True)


def pipeline():
    patches = extract_patches_2d(damaged, (p, p)).reshape(-1, p * p)
    means = patches.mean(axis=1, keepdims=True)
    codes = sparse_encode(patches - means, dictionary, algorithm="omp", n_nonzero_coefs=12)
    return reconstruct_from_patches_2d((codes @ dictionary + means).reshape(-1, p, p), damaged.shape)


pipeline()
times = []
for _ in range(repeat):
    t = time.perf_counter(); result = pipeline(); times.append(time.perf_counter() - t)
psnr = 10 * np.log10(1.0 / np.mean((result - clean) ** 2))
print(json.dumps({"case": "inpaint_camera_512", "impl": "sklearn extract_patches_2d + sparse_encode(omp, 12) + reconstruct_from_patches_2d",
                  "median_s": float(np.median(times)), "min_s": float(min(times)), "repeat": repeat, "quality": {"psnr": float(psnr)}}))
