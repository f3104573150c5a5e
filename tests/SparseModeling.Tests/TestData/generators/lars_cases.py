#!/usr/bin/python3
"""Writes lars_cases.json: scikit-learn 1.2.1 LassoLarsIC (and a few LassoLars/Lars fits) on
diabetes.csv and on a small wide random problem, for the LARS tests.

Run from tests/SparseModeling.Tests/TestData:  /usr/bin/python3 generators/lars_cases.py
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import Lars, LassoLars, LassoLarsIC

warnings.simplefilter("ignore")
data = np.loadtxt("diabetes.csv", delimiter=",", skiprows=1)
X, y = data[:, :10], data[:, 10]

rng = np.random.RandomState(7)
Xw = rng.randn(40, 60)
yw = Xw[:, :5] @ np.array([2.0, -1.5, 1.0, 0.5, -0.75]) + 0.3 * rng.randn(40) + 1.0

cases = []


def ic_case(name, data_name, Xd, yd, **kw):
    m = LassoLarsIC(**kw).fit(Xd, yd)
    call = "LassoLarsIC(" + ", ".join(f"{k}={v!r}" for k, v in kw.items()) + ").fit(X, y)"
    cases.append({
        "name": name, "data": data_name, "estimator": "LassoLarsIC", "call": call, "params": kw,
        "alphas": m.alphas_.tolist(), "criterion": m.criterion_.tolist(), "alpha": float(m.alpha_),
        "noise_variance": float(m.noise_variance_), "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
    })


def path_case(name, data_name, Xd, yd, cls, **kw):
    m = cls(**kw).fit(Xd, yd)
    call = f"{cls.__name__}(" + ", ".join(f"{k}={v!r}" for k, v in kw.items()) + ").fit(X, y)"
    cases.append({
        "name": name, "data": data_name, "estimator": cls.__name__, "call": call, "params": kw,
        "alphas": m.alphas_.tolist(), "active": [int(a) for a in m.active_], "coef_path": m.coef_path_.tolist(),
        "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
    })


ic_case("diabetes_aic", "diabetes", X, y, criterion="aic")
ic_case("diabetes_bic", "diabetes", X, y, criterion="bic")
ic_case("diabetes_bic_no_intercept", "diabetes", X, y, criterion="bic", fit_intercept=False)
ic_case("diabetes_aic_noise_2500", "diabetes", X, y, criterion="aic", noise_variance=2500.0)
ic_case("wide_bic_noise_0.09", "wide", Xw, yw, criterion="bic", noise_variance=0.09)
path_case("diabetes_lars_5", "diabetes", X, y, Lars, n_nonzero_coefs=5)
path_case("diabetes_lassolars_0.5_no_intercept", "diabetes", X, y, LassoLars, alpha=0.5, fit_intercept=False)
path_case("wide_lassolars_0.05", "wide", Xw, yw, LassoLars, alpha=0.05)
path_case("wide_lars_12", "wide", Xw, yw, Lars, n_nonzero_coefs=12)

out = {
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    "data": {
        "diabetes": "diabetes.csv (first 10 columns = X, last = y)",
        "wide": "X = RandomState(7).randn(40, 60); y = X[:, :5] @ [2, -1.5, 1, 0.5, -0.75] + 0.3 * randn(40) + 1 (stored below)",
    },
    "wide_x": Xw.tolist(),
    "wide_y": yw.tolist(),
    "cases": cases,
}
with open("lars_cases.json", "w") as f:
    json.dump(out, f)
