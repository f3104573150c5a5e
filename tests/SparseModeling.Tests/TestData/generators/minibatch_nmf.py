# SPDX-License-Identifier: BSD-3-Clause
"""Writes minibatch_nmf.json: scikit-learn 1.2.1 MiniBatchNMF on a small positive problem stored in the file.

Every fit uses batch_size >= n_samples, so one mini-batch holds every row in order and the result does not
depend on how rows are permuted into batches; starts are custom (W0, H0 stored) so no randomized SVD enters.
"""
import json

import numpy as np
import sklearn
from sklearn.decomposition import MiniBatchNMF

rs = np.random.RandomState(0)
X = rs.rand(40, 3) @ rs.rand(3, 12) + 0.1
X2 = rs.rand(10, 3) @ rs.rand(3, 12) + 0.1
W0 = rs.rand(40, 3) + 0.1
H0 = rs.rand(3, 12) + 0.1
base = dict(n_components=3, init="custom", batch_size=64, max_iter=50, tol=0.0, max_no_improvement=None)
cases = {}
for name, extra in {
    "frobenius": dict(beta_loss="frobenius"),
    "kullback-leibler": dict(beta_loss="kullback-leibler"),
    "itakura-saito": dict(beta_loss="itakura-saito"),
    "beta1.5": dict(beta_loss=1.5),
    "beta3": dict(beta_loss=3.0),
    "frobenius_l1l2": dict(beta_loss="frobenius", alpha_W=0.01, alpha_H=0.02, l1_ratio=0.5),
    "kl_fresh_restarts": dict(beta_loss="kullback-leibler", fresh_restarts=True, fresh_restarts_max_iter=5, transform_max_iter=20),
    "frobenius_forget1": dict(beta_loss="frobenius", forget_factor=1.0),
    "frobenius_forget0": dict(beta_loss="frobenius", forget_factor=0.0),
    "kl_tolerance_stop": dict(beta_loss="kullback-leibler", max_iter=1000, tol=1e-3, max_no_improvement=10),
}.items():
    kwargs = {**base, **extra}
    m = MiniBatchNMF(**kwargs)
    W = m.fit_transform(X, W=W0.copy(), H=H0.copy())
    cases[name] = {
        "call": "sklearn.decomposition.MiniBatchNMF(" + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + ").fit_transform(X, W=W0, H=H0)",
        "W": W.tolist(),
        "H": m.components_.tolist(),
        "reconstruction_err": float(m.reconstruction_err_),
        "n_iter": int(m.n_iter_),
        "n_steps": int(m.n_steps_),
        "transform_X2": m.transform(X2).tolist(),
    }

# partial_fit over chunks of 10 rows in order, three passes; custom H0 on the first call.
for case, kwargs in {
    "partial_fit_kl": dict(n_components=3, init="custom", beta_loss="kullback-leibler", tol=1e-4),
    "partial_fit_kl_forget0": dict(n_components=3, init="custom", beta_loss="kullback-leibler", tol=1e-4, forget_factor=0.0),
}.items():
    m = MiniBatchNMF(**kwargs)
    for p in range(3):
        for c in range(4):
            rows = slice(10 * c, 10 * c + 10)
            if p == 0 and c == 0:
                m.partial_fit(X[rows], W=W0[rows].copy(), H=H0.copy())
            else:
                m.partial_fit(X[rows])
    cases[case] = {
        "call": "MiniBatchNMF(" + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + "); partial_fit on X[10c:10c+10] for c in 0..3, three passes (first call W=W0[:10], H=H0)",
        "H": m.components_.tolist(),
        "n_steps": int(m.n_steps_),
    }
json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    "data": "RandomState(0): X = rand(40,3) @ rand(3,12) + 0.1, X2 = rand(10,3) @ rand(3,12) + 0.1, W0 = rand(40,3) + 0.1, H0 = rand(3,12) + 0.1 (drawn in that order)",
    "X": X.tolist(), "X2": X2.tolist(), "W0": W0.tolist(), "H0": H0.tolist(),
    "results": cases,
}, open("minibatch_nmf.json", "w"))
