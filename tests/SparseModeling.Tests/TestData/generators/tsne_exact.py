# SPDX-License-Identifier: BSD-3-Clause
"""Writes tsne_digits_exact.json: scikit-learn 1.2.1's TSNE with method='exact' on digits.csv (perplexity 30, PCA start,
learning rate 'auto', seed 0, 1000 iterations): its kl_divergence_ and trustworthiness(k=10). The exact method's P covers
all pairs (floored at machine epsilon), so its KL divergence is not that of Barnes-Hut (tsne_digits.json): this is the
reference for TSneMethod.Exact."""
import json
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE, trustworthiness

digits = np.loadtxt("../digits.csv", delimiter=",", skiprows=1)[:, :64]
call = "TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', random_state=0, method='exact', n_iter=1000)"
start = time.perf_counter()
model = TSNE(n_components=2, perplexity=30, init="pca", learning_rate="auto", random_state=0, method="exact", n_iter=1000)
embedding = model.fit_transform(digits)
seconds = time.perf_counter() - start
with open("../tsne_digits_exact.json", "w") as f:
    json.dump({
        "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "data": "digits.csv (64 pixel columns)",
        "call": call,
        "kl_divergence": float(model.kl_divergence_),
        "n_iter": int(model.n_iter_),
        "trustworthiness_k10": float(trustworthiness(digits, embedding, n_neighbors=10)),
        "sklearn_fit_seconds": seconds,
    }, f, indent=1)
