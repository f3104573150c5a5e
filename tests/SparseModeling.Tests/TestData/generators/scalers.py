# SPDX-License-Identifier: BSD-3-Clause
"""Writes scalers.json: spm-image's WhiteningScaler and scikit-learn 1.2.1's StandardScaler on small random data
stored in the file.

spm-image is not installable here, so WhiteningScaler's fit, transform and inverse_transform are re-stated below
from spmimage/preprocessing/data.py at commit f0e382fb9b69b2f9ce34c46aefc8c20992c04930 (hacarus/spm-image,
BSD-3-Clause): a transcription for this fixture only (sparse input and the copy flag left out).
"""
import json

import numpy as np
import scipy
import sklearn
from sklearn.preprocessing import StandardScaler


# --- transcription of spmimage.preprocessing.WhiteningScaler (commit f0e382fb) ---
class WhiteningScaler:
    def __init__(self, eps=1e-9, thresholding=None, unbiased=True, apply_zca=False):
        self.eps = eps
        self.thresholding = thresholding
        self.unbiased = unbiased
        self.apply_zca = apply_zca

    def _fit(self, X):
        if self.eps <= 0 and self.thresholding in ['normalize', 'drop_minute']:
            raise ValueError('Threshold eps must be positive: eps={0}.'.format(self.eps))
        X = np.array(X, dtype=np.float64, copy=True)
        mean = np.mean(X, axis=0)
        X -= mean
        n_samples = X.shape[0] - 1 if self.unbiased else X.shape[0]
        _, s, V = np.linalg.svd(X / np.sqrt(n_samples), full_matrices=False)
        if self.thresholding is None:
            if np.any(np.isclose(s, np.zeros(s.shape), atol=1e-10)):
                raise ValueError("Eigenvalues of X' are degenerated")
        elif self.thresholding == 'normalize':
            s += self.eps
        elif self.thresholding == 'drop_minute':
            s = s[s > self.eps]
            V = V[:s.shape[0]]
        else:
            raise ValueError('No such parameter: thresholding={0}.'.format(self.thresholding))
        return mean, s, V

    def fit(self, X):
        self.mean_, self.var_, self.unitary_ = self._fit(X)
        return self

    def transform(self, X):
        S_inv = np.diag(np.ones(self.var_.shape[0]) / self.var_)
        X_transformed = (X - self.mean_).dot(self.unitary_.T.dot(S_inv))
        if self.apply_zca:
            return X_transformed.dot(self.unitary_)
        return X_transformed

    def inverse_transform(self, X):
        S = np.diag(self.var_)
        X_itransformed = np.copy(X)
        if self.apply_zca:
            X_itransformed = X_itransformed.dot(self.unitary_.T)
        return X_itransformed.dot(S.dot(self.unitary_)) + self.mean_
# --- end of transcription ---


rng = np.random.RandomState(0)
# Correlated tall data with distinct singular values: 40 samples × 5 features.
tall = rng.normal(size=(40, 5)).dot(rng.normal(size=(5, 5))) + np.array([1.0, -2.0, 0.5, 3.0, 0.0])
# Rank-deficient: 30 × 6 whose last column is the sum of the first two (one singular value ≈ 0).
deficient = rng.normal(size=(30, 6))
deficient[:, 5] = deficient[:, 0] + deficient[:, 1]
# Wide: 6 samples × 9 features (rank ≤ 5 after centring).
wide = rng.normal(size=(6, 9)) * 3.0
# New samples to transform with the tall model.
tall_new = rng.normal(size=(7, 5)) * 2.0
data = {"tall": tall, "deficient": deficient, "wide": wide, "tall_new": tall_new}

whitening = []
for name, kwargs in [
    ("tall", dict()),
    ("tall", dict(apply_zca=True)),
    ("tall", dict(unbiased=False)),
    ("tall", dict(thresholding="normalize", eps=0.1)),
    ("tall", dict(thresholding="drop_minute", eps=0.5, apply_zca=True)),
    ("deficient", dict(thresholding="normalize", eps=1e-6)),
    ("deficient", dict(thresholding="drop_minute", eps=1e-8)),
    ("deficient", dict(thresholding="drop_minute", eps=1e-8, apply_zca=True)),
    ("wide", dict(thresholding="drop_minute", eps=1e-8)),
    ("wide", dict(thresholding="drop_minute", eps=1e-8, apply_zca=True, unbiased=False)),
]:
    X = data[name]
    model = WhiteningScaler(**kwargs).fit(X)
    Z = model.transform(X)
    case = {
        "call": "WhiteningScaler(" + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + f").fit({name})",
        "data": name, "eps": model.eps, "thresholding": model.thresholding, "unbiased": model.unbiased,
        "apply_zca": model.apply_zca,
        "mean": model.mean_.tolist(), "var": model.var_.tolist(), "unitary": model.unitary_.tolist(),
        "transform": Z.tolist(), "inverse_transform": model.inverse_transform(Z).tolist(),
    }
    if name == "tall":
        case["transform_new"] = model.transform(tall_new).tolist()
    whitening.append(case)

standard = []
# Mixed scales, a constant column and a near-constant one.
mixed = rng.normal(size=(25, 5)) * np.array([1e-3, 1.0, 1e3, 0.0, 1.0]) + np.array([5.0, -1.0, 1e4, 7.0, 1e8])
data["mixed"] = mixed
for name, kwargs in [
    ("tall", dict()),
    ("mixed", dict()),
    ("mixed", dict(with_mean=False)),
    ("mixed", dict(with_std=False)),
    ("mixed", dict(with_mean=False, with_std=False)),
]:
    X = data[name]
    model = StandardScaler(**kwargs).fit(X)
    Z = model.transform(X)
    standard.append({
        "call": "StandardScaler(" + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + f").fit({name})",
        "data": name, "with_mean": model.with_mean, "with_std": model.with_std,
        "mean": None if model.mean_ is None else model.mean_.tolist(),
        "var": None if model.var_ is None else model.var_.tolist(),
        "scale": None if model.scale_ is None else model.scale_.tolist(),
        "transform": Z.tolist(), "inverse_transform": model.inverse_transform(Z).tolist(),
    })

json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
                     "spm-image": "transcription of commit f0e382fb9b69b2f9ce34c46aefc8c20992c04930"},
    "data_note": "numpy RandomState(0), drawn in the order of the script",
    "data": {k: v.tolist() for k, v in data.items()},
    "whitening": whitening,
    "standard": standard,
}, open("scalers.json", "w"))
