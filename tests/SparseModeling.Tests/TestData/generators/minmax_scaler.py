# SPDX-License-Identifier: BSD-3-Clause
"""Writes minmax_scaler.json: scikit-learn 1.2.1's MinMaxScaler (default range, other ranges, clipping) on small random
data stored in the file: data_min_, data_max_, data_range_, scale_, min_, the transform of the training data and of new
samples outside the training range, and the inverse transform."""
import json

import numpy as np
import sklearn
from sklearn.preprocessing import MinMaxScaler

rng = np.random.RandomState(7)
# 25 samples × 5 features: ordinary, shifted far from zero, a constant column, negative, and tiny-but-varying.
train = np.column_stack([
    rng.normal(size=25),
    1e8 + rng.normal(size=25),
    np.full(25, 3.5),
    -5.0 - 2.0 * rng.uniform(size=25),
    1e-9 * rng.normal(size=25),
])
new = np.column_stack([
    3.0 * rng.normal(size=6),
    1e8 + 3.0 * rng.normal(size=6),
    np.full(6, 4.0),
    -5.0 - 4.0 * rng.uniform(size=6),
    3e-9 * rng.normal(size=6),
])

cases = []
for feature_range, clip in [((0.0, 1.0), False), ((-1.0, 1.0), False), ((2.0, 5.0), True)]:
    scaler = MinMaxScaler(feature_range=feature_range, clip=clip).fit(train)
    z = scaler.transform(train)
    cases.append({
        "call": f"MinMaxScaler(feature_range={feature_range}, clip={clip}).fit(train)",
        "feature_min": feature_range[0],
        "feature_max": feature_range[1],
        "clip": clip,
        "data_min": scaler.data_min_.tolist(),
        "data_max": scaler.data_max_.tolist(),
        "data_range": scaler.data_range_.tolist(),
        "scale": scaler.scale_.tolist(),
        "min": scaler.min_.tolist(),
        "transform": z.tolist(),
        "transform_new": scaler.transform(new).tolist(),
        "inverse_transform": scaler.inverse_transform(z).tolist(),
    })

with open("minmax_scaler.json", "w") as f:
    json.dump({"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
               "train": train.tolist(), "new": new.tolist(), "cases": cases}, f, indent=1)
