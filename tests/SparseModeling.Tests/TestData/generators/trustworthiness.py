# SPDX-License-Identifier: BSD-3-Clause
"""Writes trustworthiness.json: scikit-learn 1.2.1's sklearn.manifold.trustworthiness on data and embeddings stored in the
file. Random cases: continuous data (no tied distances) and embeddings of several qualities (a PCA projection, the same with
noise, a random map), for several k. Digits: the 1797 samples of digits.csv (integer pixels, so many exactly tied distances)
against their two-component PCA projection (stored), for k = 5 and 10."""
import json

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness

rng = np.random.RandomState(13)
cases = []
for n, features, components in [(60, 5, 2), (41, 8, 3), (30, 3, 1)]:
    x = rng.normal(size=(n, features))
    projected = x @ rng.normal(size=(features, components))
    for label, embedding in [("projection", projected),
                             ("noisy projection", projected + 0.5 * rng.normal(size=projected.shape)),
                             ("random", rng.normal(size=(n, components)))]:
        for k in [1, 5, (n - 1) // 2]:
            cases.append({
                "call": f"trustworthiness(x, {label} embedding, n_neighbors={k})",
                "x": x.tolist(),
                "embedding": embedding.tolist(),
                "neighbors": k,
                "trustworthiness": float(trustworthiness(x, embedding, n_neighbors=k)),
            })

digits = np.loadtxt("../digits.csv", delimiter=",", skiprows=1)[:, :64]
pca = PCA(n_components=2, svd_solver="full").fit_transform(digits)
digits_cases = [{"neighbors": k, "trustworthiness": float(trustworthiness(digits, pca, n_neighbors=k))} for k in [5, 10]]

with open("../trustworthiness.json", "w") as f:
    json.dump({
        "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "cases": cases,
        "digits": {"call": "trustworthiness(digits, PCA(n_components=2, svd_solver='full').fit_transform(digits), n_neighbors=k)",
                   "embedding": pca.tolist(), "cases": digits_cases},
    }, f)
