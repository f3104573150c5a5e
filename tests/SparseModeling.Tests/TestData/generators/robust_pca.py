# SPDX-License-Identifier: BSD-3-Clause
"""Writes robust_pca.json: Lin, Chen and Ma's inexact ALM for principal component pursuit (their inexact_alm_rpca.m,
restated in NumPy with an exact SVD at every step) on small random low-rank + sparse problems stored in the file.
The reference for RobustPca: same start (Y0 = X / max(||X||_2, ||X||_inf / lambda), mu0 = 1.25 / ||X||_2), same updates,
same stopping rule, with the singular value threshold of a full LAPACK SVD (the C# side computes only the values above
the threshold, which must not change the result)."""
import json

import numpy as np


def inexact_alm_rpca(D, lam, tol=1e-7, max_iter=1000, rho=1.5):
    norm_two = np.linalg.norm(D, 2)
    Y = D / max(norm_two, np.abs(D).max() / lam)
    A = np.zeros_like(D)
    E = np.zeros_like(D)
    mu = 1.25 / norm_two
    mu_bar = mu * 1e7
    d_norm = np.linalg.norm(D, "fro")
    residuals = []
    for it in range(1, max_iter + 1):
        T = D - A + Y / mu
        E = np.maximum(T - lam / mu, 0) + np.minimum(T + lam / mu, 0)
        U, S, Vt = np.linalg.svd(D - E + Y / mu, full_matrices=False)
        svp = int(np.sum(S > 1 / mu))
        A = (U[:, :svp] * (S[:svp] - 1 / mu)) @ Vt[:svp]
        Z = D - A - E
        Y = Y + mu * Z
        mu = min(mu * rho, mu_bar)
        residuals.append(float(np.linalg.norm(Z, "fro") / d_norm))
        if residuals[-1] <= tol:
            break
    return A, E, it, svp, residuals


rng = np.random.RandomState(14)
cases = {}
for name, (m, n, r, frac, lam) in {
    "tall_40x25_rank2": (40, 25, 2, 0.08, None),
    "wide_20x50_rank3": (20, 50, 3, 0.05, None),
    "lambda_0.3": (30, 30, 2, 0.1, 0.3),
}.items():
    L0 = rng.randn(m, r) @ rng.randn(r, n)
    S0 = np.where(rng.rand(m, n) < frac, rng.uniform(-5, 5, (m, n)), 0.0)
    X = L0 + S0
    lam_used = 1.0 / np.sqrt(max(m, n)) if lam is None else lam
    A, E, it, svp, residuals = inexact_alm_rpca(X, lam_used)
    cases[name] = {
        "call": f"inexact_alm_rpca(X, lambda={lam_used!r}, tol=1e-7), exact SVD per step",
        "lambda": lam,
        "X": X.tolist(),
        "L": A.tolist(),
        "S": E.tolist(),
        "rank": svp,
        "n_iter": it,
        "residuals": residuals,
        "singular_values": np.linalg.svd(A, compute_uv=False)[:svp].tolist(),
    }
json.dump({"generated_by": {"numpy": np.__version__}, "results": cases}, open("robust_pca.json", "w"))
