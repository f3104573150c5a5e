# SPDX-License-Identifier: BSD-3-Clause
"""Writes generalized_lasso_spmimage.json: spm-image's generalized Lasso estimators (FusedLassoADMM, TrendFilteringADMM,
QuadraticTrendFilteringADMM: spmimage/linear_model/admm.py) and sparse_encode_with_l21_norm
(spmimage/decomposition/dict_learning.py), at hacarus/spm-image master as mirrored on 2026-12-02, run as they are on the
data of spm-image's own tests (np.random.seed(0); X ~ N(0, 1) 8x4 with beta = [4, 4, 0, 0], 8x5 with beta =
[0, 10, 20, 10, 0] and [0, 1, 2, 1, 0]) plus a small L2,1 coding problem (RandomState(3)) stored in the file.

spm-image's GeneralizedLasso.fit calls self._preprocess_data, which scikit-learn 1.2 moved to a module function; the one
patch below restores it (the same function, same arguments), nothing else is changed. Run with spm-image's checkout on
the path:  PYTHONPATH=/path/to/spm-image /usr/bin/python3 generalized_lasso_spmimage.py

The estimators' coefficients are where spm-image's solver stopped (its cost-change rule, often early); the tests hold the
library to the optimum of the stated objective and check it is at least as good as spm-image's. The L2,1 codes are
spm-image's fixed-iteration result, which the library reproduces with tolerance 0.
"""
import json

import numpy as np
import sklearn
from sklearn.linear_model._base import _preprocess_data
from spmimage.linear_model.admm import GeneralizedLasso
from spmimage.linear_model import FusedLassoADMM, TrendFilteringADMM, QuadraticTrendFilteringADMM
from spmimage.decomposition.dict_learning import sparse_encode_with_l21_norm

GeneralizedLasso._preprocess_data = staticmethod(_preprocess_data)


def data(shape, beta):
    np.random.seed(0)
    X = np.random.normal(0.0, 1.0, shape)
    return X, X.dot(np.asarray(beta, dtype=float))


PROBLEMS = {
    "fused_8x4": data((8, 4), [4, 4, 0, 0]),
    "trend_8x5": data((8, 5), [0., 10., 20., 10., 0.]),
    "quadratic_8x5": data((8, 5), [0., 1., 2., 1., 0.]),
}

CASES = [
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=1e-8)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=1.0)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=10.0)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=1e-8, trend_coef=1e-4)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=1e-8, trend_coef=10.0)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=1e-8, sparse_coef=1e-4)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=1e-8, sparse_coef=10.0)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=0.5, sparse_coef=0.0, trend_coef=1.0)),
    ("FusedLassoAdmm", FusedLassoADMM, "fused_8x4", dict(alpha=0.5, sparse_coef=1.0, trend_coef=0.0)),
    ("TrendFilteringAdmm", TrendFilteringADMM, "trend_8x5", dict(alpha=1e-8)),
    ("TrendFilteringAdmm", TrendFilteringADMM, "trend_8x5", dict(alpha=0.01)),
    ("TrendFilteringAdmm", TrendFilteringADMM, "trend_8x5", dict(alpha=1.0)),
    ("TrendFilteringAdmm", TrendFilteringADMM, "trend_8x5", dict(alpha=1e5)),
    ("TrendFilteringAdmm", TrendFilteringADMM, "trend_8x5", dict(alpha=2.0, sparse_coef=0.0, rho=0.5, fit_intercept=False)),
    ("QuadraticTrendFilteringAdmm", QuadraticTrendFilteringADMM, "quadratic_8x5", dict(alpha=1e-8)),
    ("QuadraticTrendFilteringAdmm", QuadraticTrendFilteringADMM, "quadratic_8x5", dict(alpha=0.3)),
    ("QuadraticTrendFilteringAdmm", QuadraticTrendFilteringADMM, "quadratic_8x5", dict(alpha=1e5)),
]

NAMES = {"alpha": "Alpha", "sparse_coef": "SparseCoefficient", "trend_coef": "TrendCoefficient", "rho": "Rho",
         "fit_intercept": "FitIntercept", "max_iter": "MaxIterations", "tol": "Tolerance"}


def transform_matrices():
    out = []
    for name, cls in [("FusedLassoAdmm", FusedLassoADMM), ("TrendFilteringAdmm", TrendFilteringADMM),
                      ("QuadraticTrendFilteringAdmm", QuadraticTrendFilteringADMM)]:
        for sparse, trend in [(1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0), (2.5, 0.5)]:
            for n in range(1, 7):
                try:
                    d = cls(sparse_coef=sparse, trend_coef=trend).generate_transform_matrix(n)
                    out.append({"estimator": name, "sparse_coef": sparse, "trend_coef": trend, "n": n,
                                "rows": int(d.shape[0]), "d": np.asarray(d, dtype=float).ravel().tolist()})
                except ValueError as e:
                    out.append({"estimator": name, "sparse_coef": sparse, "trend_coef": trend, "n": n, "error": str(e)})
    return out


def l21_cases():
    rng = np.random.RandomState(3)
    dictionary = rng.randn(8, 12)
    dictionary /= np.linalg.norm(dictionary, axis=1, keepdims=True)
    codes = np.zeros((20, 8))
    codes[:, [1, 4, 6]] = rng.randn(20, 3)
    X = codes @ dictionary + 0.05 * rng.randn(20, 12)
    cases = []
    for alpha, tau, max_iter in [(0.05, 1.0, 30), (0.2, 1.0, 30), (0.05, 0.3, 100), (5.0, 1.0, 30)]:
        Y = sparse_encode_with_l21_norm(X, dictionary, max_iter=max_iter, alpha=alpha, tau=tau)
        cases.append({"call": f"sparse_encode_with_l21_norm(X, dictionary, max_iter={max_iter}, alpha={alpha}, tau={tau})",
                      "alpha": alpha, "tau": tau, "max_iter": max_iter, "codes": Y.ravel().tolist()})
    return {"x": X.ravel().tolist(), "samples": 20, "features": 12, "dictionary": dictionary.ravel().tolist(),
            "atoms": 8, "cases": cases}


def main():
    problems = {k: {"x": X.ravel().tolist(), "y": y.tolist(), "rows": X.shape[0], "columns": X.shape[1]}
                for k, (X, y) in PROBLEMS.items()}
    cases = []
    for name, cls, problem, kw in CASES:
        X, y = PROBLEMS[problem]
        model = cls(**kw).fit(X, y)
        cases.append({"estimator": name, "problem": problem, "call": f"{cls.__name__}({kw}).fit(X, y)",
                      "parameters": {NAMES[k]: v for k, v in kw.items()},
                      "coef": np.asarray(model.coef_, dtype=float).tolist(), "intercept": float(model.intercept_),
                      "n_iter": int(model.n_iter_)})
    out = {"numpy": np.__version__, "sklearn": sklearn.__version__, "layout": "matrices row-major",
           "problems": problems, "cases": cases, "transform_matrices": transform_matrices(), "l21": l21_cases()}
    with open("generalized_lasso_spmimage.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
