# SPDX-License-Identifier: BSD-3-Clause
"""Writes ksvd_spmimage.json: spm-image's K-SVD (spmimage/decomposition/ksvd.py, function _ksvd, at hacarus/spm-image
master as fetched on 2026-12-02) on the data of its own tests, from a given starting dictionary so that no random start
enters. spm-image is not installed here; _ksvd is restated below line for line (its loop over atoms with the 'normal'
update by np.linalg.svd and the 'approximate' one-step update, the masked coding by sparse_encode per row, the filling of
missing entries with W·H, and the errors), on scikit-learn 1.2.1's sparse_encode. Components are compared up to the sign
of each atom (an SVD's sign is arbitrary).
"""
import json

import numpy as np
import sklearn
from sklearn.decomposition import sparse_encode


def generate_dictionary_and_samples(n_samples, n_features, n_components, n_nonzero_coefs):
    # spm-image tests/utils.py
    A0 = np.random.randn(n_components, n_features)
    A0 = np.dot(A0, np.diag(1. / np.sqrt(np.diag(np.dot(A0.T, A0)))))
    X = np.zeros((n_samples, n_features))
    for i in range(n_samples):
        X[i, :] = np.dot(np.random.randn(n_nonzero_coefs), A0[np.random.permutation(range(n_components))[:n_nonzero_coefs], :])
    return A0, X


def sparse_encode_with_mask(X, dictionary, mask, **kwargs):
    code = np.zeros((X.shape[0], dictionary.shape[0]))
    for idx in range(X.shape[0]):
        code[idx, :] = sparse_encode(X[idx, :][mask[idx, :] == 1].reshape(1, -1), dictionary[:, mask[idx, :] == 1], **kwargs)
    return code


def ksvd(Y, n_components, n_nonzero_coefs, max_iter, tol, dict_init, mask=None, method=None):
    W = np.zeros((Y.shape[0], n_components))
    H = dict_init
    errors = [np.linalg.norm(Y - W.dot(H), 'fro')] if mask is None else [np.linalg.norm(mask * (Y - W.dot(H)), 'fro')]
    k = -1
    for k in range(max_iter):
        if mask is None:
            W = sparse_encode(Y, H, algorithm='omp', n_nonzero_coefs=n_nonzero_coefs)
        else:
            W = sparse_encode_with_mask(Y, H, mask, algorithm='omp', n_nonzero_coefs=n_nonzero_coefs)
            Y[mask == 0] = W.dot(H)[mask == 0]
        for j in range(n_components):
            x = W[:, j] != 0
            if np.sum(x) == 0:
                continue
            if method == 'approximate':
                H[j, :] = 0
                error = Y[x, :] - np.dot(W[x, :], H)
                g = W[x, j].T
                d = error.T.dot(g)
                d /= np.linalg.norm(d)
                g = error.dot(d)
                W[x, j] = g.T
                H[j, :] = d
            else:
                W[x, j] = 0
                error = Y[x, :] - np.dot(W[x, :], H)
                U, s, V = np.linalg.svd(error)
                W[x, j] = U[:, 0] * s[0]
                H[j, :] = V.T[:, 0]
        errors.append(np.linalg.norm(Y - W.dot(H), 'fro') if mask is None else np.linalg.norm(mask * (Y - W.dot(H)), 'fro'))
        if np.abs(errors[-1] - errors[-2]) < tol:
            break
    return W, H, errors, k + 1


np.random.seed(0)
A0, X = generate_dictionary_and_samples(128, 32, 16, 3)
D0 = np.random.randn(16, 32)
D0 /= np.linalg.norm(D0, axis=1, keepdims=True)
Xm = X.copy()
Xm[Xm < 0.1] = 0.0
cases = {}
for name, (data, method, missing) in {
    "normal": (X, "normal", None),
    "approximate": (X, "approximate", None),
    "normal_missing0": (Xm, "normal", 0.0),
    "approximate_missing0": (Xm, "approximate", 0.0),
}.items():
    mask = None if missing is None else np.where(data == missing, 0, 1)
    W, H, errors, n_iter = ksvd(data.copy(), 16, 3, 5, 1e-8, D0.copy(), mask=mask, method=method)
    cases[name] = {
        "call": f"spm-image _ksvd(X{'m' if missing is not None else ''}, n_components=16, n_nonzero_coefs=3, max_iter=5, tol=1e-8, dict_init=D0, mask={'None' if missing is None else 'X == 0'}, method={method!r})",
        "components": H.tolist(),
        "errors": [float(e) for e in errors],
        "n_iter": int(n_iter),
    }

json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__, "spm-image": "_ksvd restated from hacarus/spm-image master"},
    "data": "np.random.seed(0); A0, X = spm-image generate_dictionary_and_samples(128, 32, 16, 3); D0 = randn(16, 32) with unit rows; Xm = X with entries < 0.1 set to 0 (missing value 0)",
    "X": X.tolist(), "Xm": Xm.tolist(), "D0": D0.tolist(),
    "results": cases,
}, open("ksvd_spmimage.json", "w"))
