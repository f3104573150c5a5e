# SPDX-License-Identifier: BSD-3-Clause
"""Writes sparse_encode_cases.json: scikit-learn 1.2.1 sparse_encode on the signals and dictionary of sparse_encode.json
(60 signals, 32 features, 48 unit atoms), for the algorithms and options that file does not cover, and the masked coding
of spm-image's sparse_encode_with_mask (a per-row call of sparse_encode on the observed features; restated here as a loop,
as spm-image's spmimage/decomposition/dict_learning.py does it) on a seeded 70% mask.

OMP with a tolerance: scikit-learn 1.2's sparse_encode ignores alpha for 'omp', so the reference is orthogonal_mp_gram with
tol = alpha (the meaning sparse_encode documents), on the same Gram matrix and correlations.
"""
import json

import numpy as np
import sklearn
from sklearn.decomposition import sparse_encode
from sklearn.linear_model import orthogonal_mp_gram

base = json.load(open("sparse_encode.json"))
X = np.array(base["X"])
D = np.array(base["dictionary"])
cases = {}


def add(name, call, codes):
    cases[name] = {"call": call, "codes": np.asarray(codes).tolist()}


for name, kwargs in {
    "lars_n_nonzero_3": dict(algorithm="lars", n_nonzero_coefs=3),
    "lars_default": dict(algorithm="lars"),
    "omp_default": dict(algorithm="omp"),
    "lasso_cd_alpha_0.05": dict(algorithm="lasso_cd", alpha=0.05),
    "lasso_cd_alpha_0.05_positive": dict(algorithm="lasso_cd", alpha=0.05, positive=True),
    "lasso_lars_alpha_0.05_positive": dict(algorithm="lasso_lars", alpha=0.05, positive=True),
    "lasso_lars_default": dict(algorithm="lasso_lars"),
    "threshold_alpha_0.5_positive": dict(algorithm="threshold", alpha=0.5, positive=True),
}.items():
    add(name, "sklearn.decomposition.sparse_encode(X, dictionary, " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + ")", sparse_encode(X, D, **kwargs))

gram = D @ D.T
cov = D @ X.T
tol = 0.5
add("omp_tol_0.5", f"sklearn.linear_model.orthogonal_mp_gram(dictionary @ dictionary.T, dictionary @ X.T, tol={tol}, norms_squared=(X**2).sum(1)).T",
    orthogonal_mp_gram(gram, cov, tol=tol, norms_squared=(X ** 2).sum(1)).T)

rs = np.random.RandomState(5)
mask = (rs.rand(*X.shape) < 0.7).astype(int)
for name, kwargs in {
    "masked_omp_n_nonzero_4": dict(algorithm="omp", n_nonzero_coefs=4),
    "masked_lasso_lars_alpha_0.05": dict(algorithm="lasso_lars", alpha=0.05),
    "masked_lasso_cd_alpha_0.05": dict(algorithm="lasso_cd", alpha=0.05),
    "masked_threshold_alpha_0.5": dict(algorithm="threshold", alpha=0.5),
}.items():
    codes = np.zeros((X.shape[0], D.shape[0]))
    for i in range(X.shape[0]):
        keep = mask[i] == 1
        codes[i] = sparse_encode(X[i, keep].reshape(1, -1), D[:, keep], **kwargs)
    add(name, "spm-image sparse_encode_with_mask(X, dictionary, mask, " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + ")", codes)

json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    "data": "X and dictionary of sparse_encode.json; mask = (RandomState(5).rand(60, 32) < 0.7), 1 = observed",
    "mask": mask.tolist(),
    "results": cases,
}, open("sparse_encode_cases.json", "w"))
