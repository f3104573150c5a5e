# SPDX-License-Identifier: BSD-3-Clause
"""Writes dictionary_learning.json: scikit-learn 1.2.1 DictionaryLearning and MiniBatchDictionaryLearning on a small
sparse-coding problem stored in the file.

No randomness enters any case: the starts are given (dict_init, and code_init for the batch learner) or the exact SVD
(batch learner only; its signs are fixed by svd_flip), mini-batches are taken in order (shuffle=False), and every atom is
used in every step (no atom is re-drawn from the random state). Each mini-batch case records the batch cost of every step
through the callback (scikit-learn calls it after each step that did not stop the fit).
"""
import json

import numpy as np
import sklearn
from sklearn.decomposition import DictionaryLearning, MiniBatchDictionaryLearning

rs = np.random.RandomState(0)
n, m, k_true = 40, 16, 12
atoms = rs.randn(k_true, m)
atoms /= np.linalg.norm(atoms, axis=1, keepdims=True)
codes = np.zeros((n, k_true))
for i in range(n):
    support = rs.choice(k_true, 3, replace=False)
    codes[i, support] = rs.randn(3) * 2.0
X = codes @ atoms + 0.05 * rs.randn(n, m)
X2 = rs.randn(6, k_true) @ atoms + 0.05 * rs.randn(6, m)
K = 8
D0 = X[:K].copy()                       # the first samples as the starting atoms: every atom is used from the start
C0 = 0.1 * rs.randn(n, K)               # a warm start for coordinate descent


def describe(name, kwargs, extra=""):
    args = ", ".join(f"{a}={'D0' if a == 'dict_init' else 'C0' if a == 'code_init' else repr(v)}" for a, v in kwargs.items())
    return f"sklearn.decomposition.{name}({args}){extra}"


cases = {}
batch_base = dict(n_components=K, alpha=0.5, max_iter=30, tol=1e-8, fit_algorithm="lars", random_state=0)
for name, extra in {
    "batch_lars": dict(dict_init=D0, code_init=C0),
    "batch_cd": dict(dict_init=D0, code_init=C0, fit_algorithm="cd"),
    "batch_positive": dict(dict_init=np.abs(D0), code_init=np.abs(C0), fit_algorithm="cd", positive_dict=True, positive_code=True, transform_algorithm="lasso_cd"),
    "batch_svd_start": dict(),
    "batch_svd_start_cd": dict(fit_algorithm="cd"),
    "batch_tolerance_stop": dict(dict_init=D0, code_init=C0, max_iter=1000, tol=1e-3),
    "batch_transform_lasso_lars": dict(dict_init=D0, code_init=C0, transform_algorithm="lasso_lars", transform_alpha=0.1, split_sign=True),
}.items():
    kwargs = {**batch_base, **extra}
    model = DictionaryLearning(**kwargs)
    model.fit(X.copy())
    cases[name] = {
        "call": describe("DictionaryLearning", kwargs, ".fit(X)"),
        "components": model.components_.tolist(),
        "errors": [float(e) for e in model.error_],
        "n_iter": int(model.n_iter_),
        "transform_X2": model.transform(X2).tolist(),
    }

mini_base = dict(n_components=K, alpha=0.5, fit_algorithm="lars", shuffle=False, tol=0.0, max_no_improvement=None, random_state=0)
for name, extra in {
    "minibatch_one_batch": dict(dict_init=D0, batch_size=64, max_iter=20),
    "minibatch_in_order": dict(dict_init=D0, batch_size=16, max_iter=5),
    "minibatch_cd_positive": dict(dict_init=np.abs(D0), batch_size=40, max_iter=6, fit_algorithm="cd", positive_dict=True, positive_code=True, transform_algorithm="lasso_cd"),
    "minibatch_tolerance_stop": dict(dict_init=D0, batch_size=16, max_iter=200, tol=5e-3, max_no_improvement=None),
    "minibatch_no_improvement_stop": dict(dict_init=D0, batch_size=20, max_iter=200, tol=0.0, max_no_improvement=3),
    "minibatch_transform_threshold": dict(dict_init=D0, batch_size=40, max_iter=10, transform_algorithm="threshold", transform_alpha=0.05, split_sign=True),
}.items():
    kwargs = {**mini_base, **extra}
    costs = []
    model = MiniBatchDictionaryLearning(**kwargs, callback=lambda env: costs.append(float(env["batch_cost"])))
    model.fit(X.copy())
    cases[name] = {
        "call": describe("MiniBatchDictionaryLearning", kwargs, ".fit(X)"),
        "components": model.components_.tolist(),
        "n_iter": int(model.n_iter_),
        "n_steps": int(model.n_steps_),
        "batch_costs": costs,
        "transform_X2": model.transform(X2).tolist(),
    }

# partial_fit over chunks of 10 rows in order, three passes, from D0; then a fit continued by partial fits.
pf_kwargs = dict(n_components=K, alpha=0.5, dict_init=D0)
model = MiniBatchDictionaryLearning(**pf_kwargs)
for p in range(3):
    for c in range(4):
        model.partial_fit(X[10 * c:10 * c + 10])
cases["partial_fit"] = {
    "call": describe("MiniBatchDictionaryLearning", pf_kwargs) + "; partial_fit(X[10c:10c+10]) for c in 0..3, three passes",
    "components": model.components_.tolist(),
    "n_steps": int(model.n_steps_),
    "transform_X2": model.transform(X2).tolist(),
}
fit_kwargs = {**mini_base, "dict_init": D0, "batch_size": 16, "max_iter": 2}
model = MiniBatchDictionaryLearning(**fit_kwargs)
model.fit(X.copy())
model.partial_fit(X[:10])
model.partial_fit(X[10:30])
cases["fit_then_partial_fit"] = {
    "call": describe("MiniBatchDictionaryLearning", fit_kwargs, ".fit(X); partial_fit(X[:10]); partial_fit(X[10:30])"),
    "components": model.components_.tolist(),
    "n_steps": int(model.n_steps_),
}

json.dump({
    "generated_by": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    "data": "RandomState(0): 12 unit atoms randn(12,16); 40 codes with 3 atoms each (choice, then 2·randn(3)); X = codes·atoms + 0.05·randn(40,16); "
            "X2 = randn(6,12)·atoms + 0.05·randn(6,16); D0 = X[:8]; C0 = 0.1·randn(40,8) (drawn in that order)",
    "X": X.tolist(), "X2": X2.tolist(), "D0": D0.tolist(), "C0": C0.tolist(),
    "results": cases,
}, open("dictionary_learning.json", "w"))
