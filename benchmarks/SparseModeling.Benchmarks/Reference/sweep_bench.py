#!/usr/bin/python3
"""The reference side of the size sweeps that ../shared/tools/reference_bench.py does not have.

The twin of benchmarks/SparseModeling.Benchmarks/Compare/SweepCases.cs (and of LassoGridCases.cs for
`lasso_grid_NxPkK`). The data comes from the shared script's generator (it is imported, so there is one
definition of the problems); its options apply unchanged: --repeat N, --threads T, --keep-coretype.

Usage:
    /usr/bin/python3 sweep_bench.py CASE ... [--repeat N] [--threads 1] [--keep-coretype] [--shared PATH]
Cases (any sizes):
    lasso_grid_NxPkK    sklearn Lasso, sparse_regression(777, n, p, K), alpha = 0.05 alpha_max, tol 1e-4
    lars_grid_NxP       sklearn LassoLars, sparse_regression(777, n, p, k), alpha = 0.05 alpha_max
    omp_grid_NxP        sklearn OrthogonalMatchingPursuit, same data, n_nonzero_coefs = min(k, n)
    lassocv_grid_NxP    sklearn LassoCV, same data, 5 folds, 100 alphas, eps 1e-3, tol 1e-4
    nmf_mu_grid_NxMkK   sklearn NMF mu (Frobenius), nonneg(61, n, m, K), K components, nndsvda, 100 iterations, tol 0
    nmf_cd_grid_NxMkK   the same with solver cd
    ksvd_10000x64_k256  spm-image's K-SVD (_ksvd, normal update: full SVD per atom, restated below as spm-image has it)
                        on normal_matrix(73, 10000, 8) @ normal_matrix(74, 8, 64) + 0.1 normal_matrix(75, 10000, 64),
                        256 atoms started from the first 256 signals normalised, 5 non-zeros, 10 iterations
    dict_minibatch_10000x64   the shared script's case (sklearn MiniBatchDictionaryLearning, normal_matrix(51, 10000, 64),
                        100 atoms, alpha 1, batch 256, 2 epochs, random_state 0), with its quality: the final objective
                        mean(0.5 ||x - c D||^2 + alpha ||c||_1) over all samples with c = sparse_encode(lasso_lars, alpha),
                        and n_steps_ (the shared case reports none, and the speed is compared at equal objective)
    lassocd_encode_10000x64   sklearn sparse_encode(lasso_cd, alpha 1) of the shared omp_encode_10000x64_k8 problem
                        (normal_matrix(42, 10000, 64) over the 256 rows of normal_matrix(41, 256, 64) normalised)
    lassocd_encode_10000x64_a64   the same over the first 64 of those atoms
    tv_camera_512       the shared script's case (skimage denoise_tv_chambolle on camera/255 + 0.1 normal_matrix(81, 512, 512),
                        weight 0.1, eps 2e-4, max_num_iter 200), with its quality: the PSNR of the result and of the noisy
                        image against the clean one (data range 1), so that speed is compared at equal PSNR
where k = max(1, min(20, p // 10)) and alpha_max = max|X^T (y - mean y)| / n.
Prints one JSON object per case: {"case", "impl", "median_s", "min_s", "first_s", "quality"}; first_s is the
first (warm-up) fit in this process.
"""
import importlib.util
import json
import os
import re
import sys
import time

NMF_ITERATIONS = 100


def _find_shared(argv):
    if "--shared" in argv:
        i = argv.index("--shared"); path = argv[i + 1]; del argv[i:i + 2]
        return path
    for start in (os.path.dirname(os.path.abspath(__file__)), os.getcwd()):
        d = start
        while True:
            for candidate in (os.path.join(d, "..", "shared", "tools", "reference_bench.py"),
                              os.path.join(d, "shared", "tools", "reference_bench.py")):
                if os.path.isfile(candidate):
                    return os.path.abspath(candidate)
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
    sys.exit("sweep_bench.py: could not find ../shared/tools/reference_bench.py; pass --shared PATH")


_path = _find_shared(sys.argv)
_spec = importlib.util.spec_from_file_location("reference_bench", _path)
rb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rb)  # reads --repeat/--threads/--keep-coretype from sys.argv before numpy loads
np = rb.np


def timeit(fn):
    t = time.perf_counter(); fn(); first = time.perf_counter() - t
    ts = []
    r = None
    for _ in range(rb.REPEAT):
        t = time.perf_counter(); r = fn(); ts.append(time.perf_counter() - t)
    return r, float(np.median(ts)), float(min(ts)), first


def relevant(p):
    return max(1, min(20, p // 10))


def regression(n, p, k=None):
    X, y, _ = rb.sparse_regression(777, n, p, min(relevant(p) if k is None else k, p))
    alpha_max = np.max(np.abs(X.T @ (y - y.mean()))) / n
    return X, y, alpha_max


def lasso_grid(n, p, k):
    from sklearn.linear_model import Lasso
    X, y, alpha_max = regression(n, p, k)
    alpha = 0.05 * alpha_max
    m, med, mn, first = timeit(lambda: Lasso(alpha=alpha, tol=1e-4, max_iter=10000).fit(X, y))
    return "sklearn.Lasso", med, mn, first, {"nnz": int(np.sum(m.coef_ != 0)), "alpha": alpha}


def lars_grid(n, p):
    from sklearn.linear_model import LassoLars
    X, y, alpha_max = regression(n, p)
    alpha = 0.05 * alpha_max
    m, med, mn, first = timeit(lambda: LassoLars(alpha=alpha).fit(X, y))
    return "sklearn.LassoLars", med, mn, first, {"nnz": int(np.sum(m.coef_ != 0)), "alpha": alpha}


def omp_grid(n, p):
    from sklearn.linear_model import OrthogonalMatchingPursuit
    X, y, _ = regression(n, p)
    k = min(relevant(p), n)
    m, med, mn, first = timeit(lambda: OrthogonalMatchingPursuit(n_nonzero_coefs=k).fit(X, y))
    return "sklearn.OrthogonalMatchingPursuit", med, mn, first, {
        "nnz": int(np.sum(m.coef_ != 0)), "residual": float(np.linalg.norm(y - m.predict(X)))}


def lassocv_grid(n, p):
    from sklearn.linear_model import LassoCV
    X, y, _ = regression(n, p)
    m, med, mn, first = timeit(lambda: LassoCV(cv=5, n_alphas=100, eps=1e-3, tol=1e-4, max_iter=1000).fit(X, y))
    return "sklearn.LassoCV", med, mn, first, {"alpha": float(m.alpha_), "nnz": int(np.sum(m.coef_ != 0))}


def nmf_grid(solver, n, m, k):
    from sklearn.decomposition import NMF
    X = rb.nonneg(61, n, m, k)
    model = NMF(n_components=k, init="nndsvda", solver=solver, max_iter=NMF_ITERATIONS, tol=0.0)
    _, med, mn, first = timeit(lambda: model.fit_transform(X))
    return f"sklearn.NMF({solver})", med, mn, first, {"reconstruction_err": float(model.reconstruction_err_)}


def spmimage_ksvd(Y, dict_init, n_nonzero_coefs, max_iter):
    """spm-image's _ksvd (spmimage/decomposition/ksvd.py) with method='normal', mask=None and tol=0, restated."""
    from sklearn.decomposition import sparse_encode
    H = dict_init.copy()
    W = np.zeros((Y.shape[0], H.shape[0]))
    errors = [np.linalg.norm(Y - W.dot(H), 'fro')]
    for _ in range(max_iter):
        W = sparse_encode(Y, H, algorithm='omp', n_nonzero_coefs=n_nonzero_coefs)
        for j in range(H.shape[0]):
            x = W[:, j] != 0
            if np.sum(x) == 0:
                continue
            W[x, j] = 0
            error = Y[x, :] - np.dot(W[x, :], H)
            U, s, V = np.linalg.svd(error)
            W[x, j] = U[:, 0] * s[0]
            H[j, :] = V.T[:, 0]
        errors.append(np.linalg.norm(Y - W.dot(H), 'fro'))
    return H, errors


def ksvd_case():
    X = rb.normal_matrix(73, 10000, 8) @ rb.normal_matrix(74, 8, 64) + 0.1 * rb.normal_matrix(75, 10000, 64)
    D0 = X[:256] / np.linalg.norm(X[:256], axis=1, keepdims=True)
    result = {}

    def fit():
        result["errors"] = spmimage_ksvd(X, D0, 5, 10)[1]

    _, med, mn, first = timeit(fit)
    return "spm-image KSVD(normal), restated", med, mn, first, {"error": float(result["errors"][-1])}


def dict_minibatch():
    from sklearn.decomposition import MiniBatchDictionaryLearning, sparse_encode
    X = rb.normal_matrix(51, 10000, 64)
    m, med, mn, first = timeit(lambda: MiniBatchDictionaryLearning(n_components=100, alpha=1.0, batch_size=256, max_iter=2,
                                                                   random_state=0).fit(X))
    D = m.components_
    C = sparse_encode(X, D, algorithm="lasso_lars", alpha=1.0)
    objective = (0.5 * np.sum((X - C @ D) ** 2) + np.sum(np.abs(C))) / X.shape[0]
    return "sklearn.MiniBatchDictionaryLearning", med, mn, first, {"objective": float(objective), "n_steps": int(m.n_steps_)}


def lassocd_encode(atoms=256):
    from sklearn.decomposition import sparse_encode
    D = rb.normal_matrix(41, 256, 64)
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    D = D[:atoms]
    X = rb.normal_matrix(42, 10000, 64)
    C, med, mn, first = timeit(lambda: sparse_encode(X, D, algorithm="lasso_cd", alpha=1.0))
    return "sklearn.sparse_encode(lasso_cd)", med, mn, first, {"residual_fro": float(np.linalg.norm(X - C @ D)),
                                                               "nnz": int(np.count_nonzero(C))}


def tv_camera():
    import skimage.data
    from skimage.metrics import peak_signal_noise_ratio
    from skimage.restoration import denoise_tv_chambolle
    img = skimage.data.camera().astype(float) / 255.0
    noisy = img + 0.1 * rb.normal_matrix(81, 512, 512)
    d, med, mn, first = timeit(lambda: denoise_tv_chambolle(noisy, weight=0.1, eps=2e-4, max_num_iter=200))
    return "skimage.denoise_tv_chambolle", med, mn, first, {
        "psnr": float(peak_signal_noise_ratio(img, d, data_range=1.0)),
        "psnr_noisy": float(peak_signal_noise_ratio(img, noisy, data_range=1.0))}


PATTERNS = [
    (r"tv_camera_512", tv_camera),
    (r"ksvd_10000x64_k256", ksvd_case),
    (r"dict_minibatch_10000x64", dict_minibatch),
    (r"lassocd_encode_10000x64", lassocd_encode),
    (r"lassocd_encode_10000x64_a64", lambda: lassocd_encode(64)),
    (r"lasso_grid_(\d+)x(\d+)k(\d+)", lambda n, p, k: lasso_grid(n, p, k)),
    (r"lars_grid_(\d+)x(\d+)", lars_grid),
    (r"omp_grid_(\d+)x(\d+)", omp_grid),
    (r"lassocv_grid_(\d+)x(\d+)", lassocv_grid),
    (r"nmf_mu_grid_(\d+)x(\d+)k(\d+)", lambda n, m, k: nmf_grid("mu", n, m, k)),
    (r"nmf_cd_grid_(\d+)x(\d+)k(\d+)", lambda n, m, k: nmf_grid("cd", n, m, k)),
]


def run(name):
    for pattern, fn in PATTERNS:
        match = re.fullmatch(pattern, name)
        if match:
            return fn(*map(int, match.groups()))
    sys.exit(f"sweep_bench.py: unknown case {name}")


if __name__ == "__main__":
    if not rb.ARGS:
        sys.exit(__doc__)
    for name in rb.ARGS:
        impl, med, mn, first, q = run(name)
        print(json.dumps({"case": name, "impl": impl, "median_s": med, "min_s": mn, "first_s": first, "quality": q}),
              flush=True)
