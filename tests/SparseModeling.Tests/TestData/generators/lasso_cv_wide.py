# SPDX-License-Identifier: BSD-3-Clause
"""Writes lasso_cv_wide.json: scikit-learn 1.2.1 LassoCV at its default tol = 1e-4 on the wide benchmark problem
sparse_regression(777, 400, 1000, 20) of ../shared/BENCHMARKS.md (SplitMix64 + Box-Muller, rebuilt by the test)."""
import json
import math

import numpy as np
import sklearn
from sklearn.linear_model import LassoCV

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & MASK

    def next_u64(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def normal(self, n):
        m = (n + 1) // 2
        u = np.array([(self.next_u64() >> 11) * (1.0 / 9007199254740992.0) for _ in range(2 * m)])
        r = np.sqrt(-2.0 * np.log(1.0 - u[0::2]))
        z = np.empty(2 * m)
        z[0::2] = r * np.cos(2 * math.pi * u[1::2])
        z[1::2] = r * np.sin(2 * math.pi * u[1::2])
        return z[:n]


def sparse_regression(seed, n, p, k, noise=0.01):
    X = SplitMix64(seed).normal(n * p).reshape(n, p)
    w = np.zeros(p)
    w[:k] = SplitMix64(seed + 1).normal(k)
    return X, X @ w + noise * SplitMix64(seed + 2).normal(n)


X, y = sparse_regression(777, 400, 1000, 20)
params = dict(cv=5, n_alphas=100, eps=1e-3, tol=1e-4, max_iter=1000)
m = LassoCV(**params).fit(X, y)
json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    "data": "sparse_regression(777, 400, 1000, 20): X = normal_matrix(777, 400, 1000); w[:20] = generator(778).normal(20); "
            "y = X @ w + 0.01 * generator(779).normal(400)",
    "call": "LassoCV(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ").fit(X, y)",
    "params": params,
    "alphas_": m.alphas_.tolist(),
    "mse_path_": m.mse_path_.tolist(),
    "mse_mean": m.mse_path_.mean(axis=1).tolist(),
    "alpha_": float(m.alpha_),
}, open("lasso_cv_wide.json", "w"))
