# SPDX-License-Identifier: BSD-3-Clause
"""Writes nmf_cd.json: scikit-learn 1.2.1 NMF coordinate descent on the sin·cos image (nmf_sincos.json's data)."""
import json

import numpy as np
import sklearn
from sklearn.decomposition import NMF

i = np.arange(100)[:, None]
j = np.arange(200)[None, :]
X = np.sin(0.02 * np.pi * i) * np.cos(0.04 * np.pi * j) + 1.01
cases = {}
for name, kwargs in {
    "nndsvd_tol0": dict(n_components=5, init="nndsvd", solver="cd", max_iter=200, tol=0.0),
    "nndsvd_l1l2": dict(n_components=5, init="nndsvd", solver="cd", max_iter=200, tol=0.0, alpha_W=0.001, l1_ratio=0.5),
}.items():
    m = NMF(**kwargs)
    W = m.fit_transform(X)
    cases[name] = {
        "call": "sklearn.decomposition.NMF(" + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + ").fit_transform(X)",
        "W": W.tolist(),
        "H": m.components_.tolist(),
        "reconstruction_err": float(m.reconstruction_err_),
        "n_iter": int(m.n_iter_),
    }
json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    "data": "X[i,j] = sin(0.02*pi*i)*cos(0.04*pi*j) + 1.01, i<100, j<200",
    "results": cases,
}, open("nmf_cd.json", "w"))
