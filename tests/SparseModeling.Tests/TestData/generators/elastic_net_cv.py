# SPDX-License-Identifier: BSD-3-Clause
"""Writes elastic_net_cv.json: scikit-learn 1.2.1's ElasticNetCV on diabetes.csv (unshuffled 5-fold, run to tol = 1e-12):
alphas_, the fold mean of mse_path_, alpha_, l1_ratio_, coef_, intercept_, for one and for several l1 ratios."""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import ElasticNetCV

here = os.path.dirname(os.path.abspath(__file__))
data = np.loadtxt(os.path.join(here, "..", "diabetes.csv"), delimiter=",", skiprows=1)
X, y = data[:, :-1], data[:, -1]

cases = []
for l1_ratio, n_alphas in [([0.5], 30), ([0.2, 0.7, 1.0], 25)]:
    m = ElasticNetCV(l1_ratio=l1_ratio, n_alphas=n_alphas, cv=5, tol=1e-12, max_iter=100000).fit(X, y)
    alphas = np.atleast_2d(m.alphas_)
    mse = m.mse_path_.reshape(len(l1_ratio), n_alphas, 5)
    cases.append({
        "call": f"ElasticNetCV(l1_ratio={l1_ratio}, n_alphas={n_alphas}, cv=5, tol=1e-12, max_iter=100000).fit(X, y)",
        "l1_ratios": l1_ratio, "n_alphas": n_alphas,
        "alphas": alphas.tolist(), "mse_mean": mse.mean(axis=2).tolist(),
        "alpha": float(m.alpha_), "l1_ratio": float(m.l1_ratio_),
        "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
    })

with open(os.path.join(here, "..", "elastic_net_cv.json"), "w") as fh:
    json.dump({"sklearn": sklearn.__version__, "cases": cases}, fh, indent=1)
