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
    fused_lasso_admm_2000   spm-image's FusedLassoADMM approach (_admm/_update restated below: dense inverse of
                        X^T X/n + rho D^T D, dense D and inverse products per iteration, its cost per iteration) on
                        X = I, y = piecewise constant (0, 2, -1, 1 on quarters) + 0.3 normal(131, 2000), alpha 3/n,
                        sparse_coef 0.1, trend_coef 1, rho 100/n, no intercept, 850 iterations (tol 0, as the C# side)
    trend_filter_admm_2000  the same with TrendFilteringADMM's D on y = sin(4 pi i/n) + ramp from i = 1200
                        + 0.3 normal(132, 2000), alpha 20/n, 25 iterations
    rpca_10000x200      Lin, Chen and Ma's inexact ALM robust PCA (inexact_alm_rpca.m, restated in NumPy with SciPy's svds for
                        PROPACK's lansvd: scikit-learn has no robust PCA) on L0 + S0, L0 = normal_matrix(81, 10000, 3) @
                        normal_matrix(82, 3, 200), S0 on the entries where u < 0.05 with value 20 v - 10 (u, v: two uniform draws
                        per entry of generator(83), row-major), tol 1e-7; quality: recovery errors, iterations, rank, tracemalloc's
                        peak for one fit (fit_alloc_mb) and the peak resident memory one fit adds (fit_peak_rss_mb)
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


def spmimage_transform_matrix(n, sparse_coef, trend_coef, order):
    """spm-image's generate_transform_matrix/merge_matrix (FusedLassoADMM: order 1, TrendFilteringADMM: order 2)."""
    if order == 1:
        trend = np.eye(n - 1, n, k=1) - np.eye(n - 1, n)
    else:
        trend = -np.eye(n - 2, n) + 2 * np.eye(n - 2, n, k=1) - np.eye(n - 2, n, k=2)
    if sparse_coef == 0:
        return trend_coef * trend
    if trend_coef == 0:
        return sparse_coef * np.identity(n)
    return np.vstack([sparse_coef * np.identity(n), trend_coef * trend])


def spmimage_admm(X, y, D, alpha, rho, tol, max_iter):
    """spm-image's _admm + _update (spmimage/linear_model/admm.py) for one target, restated."""
    n = X.shape[0]
    inv_matrix = np.linalg.inv(X.T.dot(X) / n + rho * D.T.dot(D))
    inv_Xy = inv_matrix.dot(X.T).dot(y) / n
    inv_D = inv_matrix.dot(rho * D.T)
    w = X.T.dot(y) / n
    z = D.dot(w)
    h = np.zeros_like(z)
    cost = np.linalg.norm(y - X.dot(w)) / n + alpha * np.sum(np.abs(z))
    threshold = alpha / rho
    t = 0
    for t in range(max_iter):
        w = inv_Xy + inv_D.dot(z - h / rho)
        Dw = D.dot(w)
        v = Dw + h / rho
        z = np.where(np.abs(v) <= threshold, 0, v - threshold * np.sign(v))
        h += rho * (Dw - z)
        pre_cost = cost
        cost = np.linalg.norm(y - X.dot(w)) / n + alpha * np.sum(np.abs(z))
        if np.abs(cost - pre_cost) < tol:
            break
    return w, t + 1


def signal_admm(fused):
    n = 2000
    i = np.arange(n)
    if fused:
        z = rb.SplitMix64(131).normal(n)
        y = np.select([i < 500, i < 1000, i < 1500], [0.0, 2.0, -1.0], 1.0) + 0.3 * z
        alpha, order, iterations = 3.0 / n, 1, 850
    else:
        z = rb.SplitMix64(132).normal(n)
        y = np.sin(4.0 * np.pi * i / n) + np.where(i > 1200, (i - 1200) / 400.0, 0.0) + 0.3 * z
        alpha, order, iterations = 20.0 / n, 2, 25
    X = np.identity(n)
    D = spmimage_transform_matrix(n, 0.1, 1.0, order)
    result = {}

    def fit():
        result["w"], result["n_iter"] = spmimage_admm(X, y, D, alpha, 100.0 / n, 0.0, iterations)

    _, med, mn, first = timeit(fit)
    w = result["w"]
    objective = 0.5 * np.sum((y - w) ** 2) / n + alpha * np.sum(np.abs(D.dot(w)))
    impl = "spm-image " + ("FusedLassoADMM" if fused else "TrendFilteringADMM") + " (dense inverse), restated"
    return impl, med, mn, first, {"n_iter": int(result["n_iter"]), "objective": float(objective)}


def uniform_vectorized(seed, n):
    """The shared generator's uniform(n), vectorised (uint64 arithmetic wraps as the generator's): the same numbers, fast."""
    gamma, m1, m2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, n + 1, dtype=np.uint64) * gamma
        z = (z ^ (z >> np.uint64(30))) * m1
        z = (z ^ (z >> np.uint64(27))) * m2
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def rpca_problem():
    """M = L0 + S0, 10000 x 200: L0 = normal_matrix(81, 10000, 3) @ normal_matrix(82, 3, 200); S0 from generator(83), two
    uniform draws u, v per entry in row-major order, the entry corrupted (value 20 v - 10) where u < 0.05."""
    assert np.array_equal(uniform_vectorized(83, 64), rb.SplitMix64(83).uniform(64))
    L0 = rb.normal_matrix(81, 10000, 3) @ rb.normal_matrix(82, 3, 200)
    u = uniform_vectorized(83, 2 * 10000 * 200).reshape(10000 * 200, 2)
    S0 = np.where(u[:, 0] < 0.05, 20.0 * u[:, 1] - 10.0, 0.0).reshape(10000, 200)
    return L0 + S0, L0, S0


def choosvd(n, d):
    """Lin, Chen and Ma's rule for a partial SVD (PROPACK's lansvd) over a full one, from the ratio of wanted triplets."""
    for limit, ratio in ((100, 0.02), (200, 0.06), (300, 0.26), (400, 0.28), (500, 0.34)):
        if n <= limit:
            return d / n <= ratio
    return d / n <= 0.38


def inexact_alm_rpca(D, tol=1e-7, max_iter=1000):
    """Lin, Chen and Ma's inexact ALM for principal component pursuit (their inexact_alm_rpca.m), restated in NumPy:
    lambda = 1/sqrt(m), Y0 = D / max(||D||_2, ||D||_inf / lambda), mu0 = 1.25/||D||_2, rho = 1.5, mu_bar = 1e7 mu0, the rank
    prediction sv; SciPy's svds (ARPACK) stands in for PROPACK's lansvd where their choosvd asks for it, LAPACK's thin SVD
    otherwise. Stops when ||D - A - E||_F / ||D||_F < tol."""
    from scipy.sparse.linalg import svds
    m, n = D.shape
    lam = 1.0 / np.sqrt(m)
    norm_two = svds(D, k=1, return_singular_vectors=False)[0]
    Y = D / max(norm_two, np.abs(D).max() / lam)
    A = np.zeros_like(D)
    E = np.zeros_like(D)
    mu = 1.25 / norm_two
    mu_bar = mu * 1e7
    d_norm = np.linalg.norm(D, "fro")
    sv = min(10, min(m, n))
    it = 0
    svp = 0
    while True:
        it += 1
        T = D - A + Y / mu
        E = np.maximum(T - lam / mu, 0) + np.minimum(T + lam / mu, 0)
        G = D - E + Y / mu
        if choosvd(n, sv) and sv < min(m, n):
            U, S, Vt = svds(G, k=sv)
            order = np.argsort(S)[::-1]
            U, S, Vt = U[:, order], S[order], Vt[order]
        else:
            U, S, Vt = np.linalg.svd(G, full_matrices=False)
        svp = int(np.sum(S > 1 / mu))
        sv = min(svp + 1, n) if svp < sv else min(svp + int(round(0.05 * n)), n)
        A = (U[:, :svp] * (S[:svp] - 1 / mu)) @ Vt[:svp]
        Z = D - A - E
        Y = Y + mu * Z
        mu = min(mu * 1.5, mu_bar)
        if np.linalg.norm(Z, "fro") / d_norm < tol or it >= max_iter:
            return A, E, it, svp


def fit_peak_rss_mb(fn):
    """The peak resident memory a call of fn adds, in MiB: the kernel's high-water mark reset to the current resident set
    (/proc/self/clear_refs, 5) after a collection and malloc_trim, read after the call (VmHWM - VmRSS before), as the C#
    side measures it."""
    import ctypes
    import gc
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # freed memory back to the system, so that the baseline is what is live
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return float("nan")

    def status(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))

    base = status("VmRSS")
    fn()
    return (status("VmHWM") - base) / 1024.0


def rpca_case():
    import tracemalloc
    D, L0, S0 = rpca_problem()
    result = {}

    def fit():
        result["fit"] = inexact_alm_rpca(D)

    peak = fit_peak_rss_mb(fit)  # the first fit of the process, the problem built, as the C# side measures its first
    _, med, mn, first = timeit(fit)
    A, E, it, rank = result["fit"]
    quality = {
        "rel_err_L": float(np.linalg.norm(A - L0) / np.linalg.norm(L0)),
        "rel_err_S": float(np.linalg.norm(E - S0) / np.linalg.norm(S0)),
        "rank": rank, "iterations": it}
    tracemalloc.start()
    inexact_alm_rpca(D)
    quality["fit_alloc_mb"] = tracemalloc.get_traced_memory()[1] / 1048576.0
    tracemalloc.stop()
    quality["fit_peak_rss_mb"] = peak
    return "NumPy/SciPy inexact_alm_rpca (Lin, Chen, Ma), restated", med, mn, first, quality


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
    (r"rpca_10000x200", rpca_case),
    (r"dict_minibatch_10000x64", dict_minibatch),
    (r"fused_lasso_admm_2000", lambda: signal_admm(True)),
    (r"trend_filter_admm_2000", lambda: signal_admm(False)),
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
