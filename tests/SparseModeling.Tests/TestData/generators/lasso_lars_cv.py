# SPDX-License-Identifier: BSD-3-Clause
"""Writes lasso_lars_cv.json: scikit-learn 1.2.1's LassoLarsCV on diabetes.csv (unshuffled k-fold): cv_alphas_ and
mse_path_ (both in scikit-learn's increasing order of alpha), alpha_, coef_, intercept_ for a few settings. No positive case:
scikit-learn's positive Lasso path ends at a wrongly interpolated last knot on this data (see LarsSolver), ours does not."""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LassoLarsCV

here = os.path.dirname(os.path.abspath(__file__))
data = np.loadtxt(os.path.join(here, "..", "diabetes.csv"), delimiter=",", skiprows=1)
X, y = data[:, :-1], data[:, -1]

settings = [
    {"cv": 5, "fit_intercept": True, "positive": False, "max_n_alphas": 1000},
    {"cv": 3, "fit_intercept": False, "positive": False, "max_n_alphas": 1000},
    {"cv": 10, "fit_intercept": True, "positive": False, "max_n_alphas": 1000},
    {"cv": 5, "fit_intercept": True, "positive": False, "max_n_alphas": 20},
]

cases = []
for s in settings:
    m = LassoLarsCV(**s).fit(X, y)
    cases.append({
        "call": "LassoLarsCV(" + ", ".join(f"{k}={v}" for k, v in s.items()) + ").fit(X, y)",
        **s,
        "cv_alphas": m.cv_alphas_.tolist(), "mse_path": m.mse_path_.tolist(),
        "alpha": float(m.alpha_), "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
    })

with open(os.path.join(here, "..", "lasso_lars_cv.json"), "w") as fh:
    json.dump({"sklearn": sklearn.__version__, "cases": cases}, fh, indent=1)
