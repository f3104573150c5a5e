# SPDX-License-Identifier: BSD-3-Clause
"""Writes model_selection.json: scikit-learn 1.2.1's regression metrics (r2_score, mean_squared_error,
mean_absolute_error, explained_variance_score, including constant targets), KFold folds without shuffling,
train_test_split sizes and unshuffled splits, StratifiedShuffleSplit class counts, cross_val_score of a Lasso and
GridSearchCV over a StandardScaler + Lasso pipeline on diabetes.csv (unshuffled 5-fold)."""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import Lasso
from sklearn.metrics import explained_variance_score, mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedShuffleSplit, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(3)

metrics = []
pairs = [
    (rng.normal(size=20), None),
    (1e6 + rng.normal(size=7), None),
    (np.full(5, 2.5), np.full(5, 2.5)),          # constant y, perfect prediction
    (np.full(5, 2.5), np.array([2.5, 2.5, 2.0, 2.5, 3.0])),  # constant y, imperfect
    (np.full(4, -1.0), np.full(4, 3.0)),          # constant y, constant offset: explained variance 1, r2 0
    (np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 3.0, 4.0, 5.0])),  # offset prediction
]
for y, p in pairs:
    if p is None:
        p = y + 0.3 * rng.normal(size=y.size)
    metrics.append({
        "y_true": y.tolist(), "y_pred": p.tolist(),
        "r2": r2_score(y, p), "mse": mean_squared_error(y, p), "mae": mean_absolute_error(y, p),
        "explained_variance": explained_variance_score(y, p),
    })

kfold = []
for n, k in [(10, 3), (11, 4), (13, 5), (7, 7), (100, 6)]:
    folds = [{"train": tr.tolist(), "test": te.tolist()} for tr, te in KFold(n_splits=k).split(np.zeros((n, 1)))]
    kfold.append({"call": f"KFold(n_splits={k}).split(n={n})", "n": n, "k": k, "folds": folds})

split = []
for n, f in [(10, 0.25), (11, 0.3), (100, 0.2), (7, 0.5), (3, 0.1)]:
    idx = np.arange(n)
    tr, te = train_test_split(idx, test_size=f, shuffle=False)
    split.append({"call": f"train_test_split(arange({n}), test_size={f}, shuffle=False)", "n": n, "test_fraction": f,
                  "train": tr.tolist(), "test": te.tolist()})

stratified = []
for labels, f in [([0] * 10 + [1] * 20 + [2] * 30, 0.2), ([0] * 4 + [1] * 9 + [2] * 17, 0.3), ([5] * 2 + [7] * 40, 0.1)]:
    labels = np.array(labels)
    counts = set()
    for seed in range(20):
        tr, te = next(StratifiedShuffleSplit(n_splits=1, test_size=f, random_state=seed).split(np.zeros(len(labels)), labels))
        counts.add((tuple(np.bincount(labels[tr], minlength=labels.max() + 1)), tuple(np.bincount(labels[te], minlength=labels.max() + 1))))
    assert len(counts) == 1, counts
    (tr_counts, te_counts), = counts
    classes = sorted(set(labels.tolist()))
    stratified.append({"call": f"StratifiedShuffleSplit(test_size={f}) class counts (same for seeds 0..19)", "labels": labels.tolist(),
                       "test_fraction": f, "train_counts": [int(tr_counts[c]) for c in classes],
                       "test_counts": [int(te_counts[c]) for c in classes], "classes": classes})

data = np.loadtxt(os.path.join(here, "..", "diabetes.csv"), delimiter=",", skiprows=1)
X, y = data[:, :-1], data[:, -1]
lasso = Lasso(alpha=0.1, tol=1e-12, max_iter=100000)
cv = {
    "call": "cross_val_score(Lasso(alpha=0.1, tol=1e-12, max_iter=100000), X, y, cv=KFold(5)) and scoring='neg_mean_squared_error'",
    "r2": cross_val_score(lasso, X, y, cv=KFold(5)).tolist(),
    "neg_mse": cross_val_score(lasso, X, y, cv=KFold(5), scoring="neg_mean_squared_error").tolist(),
}
pipe = Pipeline([("scale", StandardScaler()), ("lasso", Lasso(tol=1e-12, max_iter=100000))])
alphas = [0.01, 0.1, 1.0, 3.0, 10.0]
search = GridSearchCV(pipe, {"lasso__alpha": alphas, "scale__with_mean": [True, False]}, cv=KFold(5)).fit(X, y)
grid = {
    "call": "GridSearchCV(Pipeline([('scale', StandardScaler()), ('lasso', Lasso(tol=1e-12, max_iter=100000))]), "
            "{'lasso__alpha': [0.01, 0.1, 1, 3, 10], 'scale__with_mean': [True, False]}, cv=KFold(5)).fit(X, y)",
    "alphas": alphas,
    "params": [{"alpha": p["lasso__alpha"], "with_mean": p["scale__with_mean"]} for p in search.cv_results_["params"]],
    "mean_test_score": search.cv_results_["mean_test_score"].tolist(),
    "std_test_score": search.cv_results_["std_test_score"].tolist(),
    "rank_test_score": search.cv_results_["rank_test_score"].tolist(),
    "best_index": int(search.best_index_),
    "best_coef": search.best_estimator_.named_steps["lasso"].coef_.tolist(),
    "best_intercept": float(search.best_estimator_.named_steps["lasso"].intercept_),
}

out = {"sklearn": sklearn.__version__, "metrics": metrics, "kfold": kfold, "train_test_split": split,
       "stratified": stratified, "cross_val_score": cv, "grid_search": grid}
with open(os.path.join(here, "..", "model_selection.json"), "w") as fh:
    json.dump(out, fh, indent=1)
