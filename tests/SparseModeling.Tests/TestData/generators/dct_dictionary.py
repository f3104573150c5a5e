# SPDX-License-Identifier: BSD-3-Clause
"""Writes dct_dictionary.json: spm-image's generate_dct_dictionary for several sizes.

spm-image is not installable here, so generate_dct_dictionary and zig_zag_index are re-stated below, line for line,
from spm-image's spmimage/decomposition/dct.py at commit f0e382fb9b69b2f9ce34c46aefc8c20992c04930 (hacarus/spm-image,
BSD-3-Clause): a transcription for this fixture only, not a new algorithm.
"""
import itertools
import json

import numpy as np


# --- transcription of spmimage.decomposition.dct (commit f0e382fb) ---
def zig_zag_index(k, n):
    if k >= n * (n + 1) // 2:
        i, j = zig_zag_index(n * n - 1 - k, n)
        return n - 1 - i, n - 1 - j
    i = int((np.sqrt(1 + 8 * k) - 1) / 2)
    j = k - i * (i + 1) // 2
    return (j, i - j) if i & 1 else (i - j, j)


def generate_dct_atom(u, v, n):
    atom = np.empty((n, n))
    for i, j in itertools.product(range(n), range(n)):
        atom[i, j] = np.cos(((i + 0.5) * u * np.pi) / n) * np.cos(((j + 0.5) * v * np.pi) / n)
    return atom


def generate_dct_dictionary(n_components, patch_size):
    D = np.empty((n_components, patch_size ** 2))
    if n_components > patch_size ** 2:
        raise ValueError("n_components must be smaller than patch_size ** 2")
    elif n_components == patch_size ** 2:
        for i, j in itertools.product(range(patch_size), range(patch_size)):
            D[i * patch_size + j] = generate_dct_atom(i, j, patch_size).flatten()
    else:
        for k in range(n_components):
            i, j = zig_zag_index(k, patch_size)
            D[k, :] = generate_dct_atom(i, j, patch_size).flatten()
    return D
# --- end of transcription ---


cases = []
for n_components, patch_size in [(4, 2), (64, 8), (15, 5), (24, 5), (4, 5), (10, 8), (1, 1), (1, 3), (30, 10)]:
    cases.append({
        "call": f"generate_dct_dictionary({n_components}, {patch_size})",
        "n_components": n_components,
        "patch_size": patch_size,
        "D": generate_dct_dictionary(n_components, patch_size).tolist(),
    })
zig_zag = {str(n): [list(zig_zag_index(k, n)) for k in range(n * n)] for n in (1, 2, 3, 5, 8)}
json.dump({
    "generated_by": {"spm-image": "transcription of commit f0e382fb9b69b2f9ce34c46aefc8c20992c04930", "numpy": np.__version__},
    "zig_zag_index": zig_zag,
    "cases": cases,
}, open("dct_dictionary.json", "w"))
