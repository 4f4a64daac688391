"""scikit-learn / SciPy peer for the k-NN benchmark (bench/knn.mjs runs this in a separate process,
before its own timings).

    python3 bench/sklearn_knn.py DIR N [--reps K] [--features-reps K] [--no-features]

DIR holds the data bench/knn.mjs generated (little-endian float64, row-major, N rows each):
    X.f64       N x 20   continuous features
    y.f64       N        continuous target
    labels.f64  N        class labels 0..3 (integers stored as doubles)
    ksgx.f64    N x 2    and ksgy.f64 N x 2: correlated Gaussians
    klx.f64     N x 3    and kly.f64 N x 3: samples of P and Q (klx is also the entropy sample)

Timed (time.perf_counter around one call; medians):
    regression  sklearn.feature_selection.mutual_info_regression(X, y, n_jobs=1, random_state=0)
    classif     sklearn.feature_selection.mutual_info_classif(X, labels, n_jobs=1, random_state=0)
                (--features-reps calls each; ~7 s per call at 10^5 x 20 here)
    ksg22       KSG algorithm 1 for x and y of 2 columns each with SciPy's C++ k-d tree (scikit-learn has no
                multivariate KSG): columns scaled by their std, eps = the k-th (k = 3) neighbour distance in the
                joint max-norm (cKDTree.query, p = inf), counts within nextafter(eps, 0) in each marginal
                (query_ball_point, return_length), psi(n) + psi(k) - <psi(nx + 1) + psi(ny + 1)>, clipped at 0
    kl          Wang-Kulkarni-Verdu, k = 1, euclidean, with cKDTree: (d/n) sum log(nu/rho) + log(m/(n - 1))
    entropy     Kozachenko-Leonenko, k = 3, chebyshev, with cKDTree: psi(n) - psi(k) + d log 2 + (d/n) sum log rho
cKDTree queries run with workers = 1 (one thread, as kl-wasm).
Prints JSON to stdout: versions, per case the median ms, the samples and the estimate(s). Progress to stderr.
"""
import argparse, json, sys, time

import numpy as np
import scipy
from scipy.spatial import cKDTree
from scipy.special import digamma

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("n", type=int)
ap.add_argument("--reps", type=int, default=5)
ap.add_argument("--features-reps", type=int, default=2)
ap.add_argument("--no-features", action="store_true")
a = ap.parse_args()
n = a.n


def load(name, cols):
    v = np.fromfile(f"{a.dir}/{name}", dtype="<f8")
    assert v.size == n * cols, (name, v.size, n, cols)
    return v.reshape(n, cols) if cols > 1 else v


def timed(fn, reps, label):
    out, ms = None, []
    for r in range(reps):
        t = time.perf_counter()
        out = fn()
        ms.append((time.perf_counter() - t) * 1e3)
        print(f"  {label}: {ms[-1]:.1f} ms", file=sys.stderr)
    return {"ms": float(np.median(ms)), "samples": ms}, out


def scale(A):
    sd = A.std(axis=0)
    sd[sd < 10 * np.finfo(float).eps] = 1.0
    return A / sd


def ksg1(x, y, k=3):
    x, y = scale(x), scale(y)
    xy = np.hstack((x, y))
    eps = cKDTree(xy).query(xy, k=k + 1, p=np.inf, workers=1)[0][:, -1]
    r = np.nextafter(eps, 0)
    nx = cKDTree(x).query_ball_point(x, r, p=np.inf, return_length=True, workers=1) - 1
    ny = cKDTree(y).query_ball_point(y, r, p=np.inf, return_length=True, workers=1) - 1
    return max(0.0, float(digamma(n) + digamma(k) - np.mean(digamma(nx + 1)) - np.mean(digamma(ny + 1))))


def kl(x, y, k=1):
    d, m = x.shape[1], y.shape[0]
    rho = cKDTree(x).query(x, k=k + 1, workers=1)[0][:, -1]
    nu = cKDTree(y).query(x, k=[k], workers=1)[0][:, -1]
    return float(d / n * np.sum(np.log(nu / rho)) + np.log(m / (n - 1)))


def entropy(x, k=3):
    d = x.shape[1]
    rho = cKDTree(x).query(x, k=k + 1, p=np.inf, workers=1)[0][:, -1]
    return float(digamma(n) - digamma(k) + d * np.log(2) + d / n * np.sum(np.log(rho)))


out = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__, "n": n}
ksgx, ksgy = load("ksgx.f64", 2), load("ksgy.f64", 2)
klx, kly = load("klx.f64", 3), load("kly.f64", 3)
print("python: KSG 2+2, KL, entropy (cKDTree)", file=sys.stderr)
ksg1(ksgx[:1000], ksgy[:1000]) if n > 1000 else None  # warm-up (imports, first touch)
out["ksg22"], v = timed(lambda: ksg1(ksgx, ksgy), a.reps, "ksg22")
out["ksg22"]["value"] = v
out["kl"], v = timed(lambda: kl(klx, kly), a.reps, "kl")
out["kl"]["value"] = v
out["entropy"], v = timed(lambda: entropy(klx), a.reps, "entropy")
out["entropy"]["value"] = v
if not a.no_features:
    import sklearn
    from sklearn.feature_selection import mutual_info_classif, mutual_info_regression
    out["sklearn"] = sklearn.__version__
    X, y, labels = load("X.f64", 20), load("y.f64", 1), load("labels.f64", 1).astype(np.int64)
    print("python: mutual_info_regression / mutual_info_classif (n_jobs=1)", file=sys.stderr)
    mutual_info_regression(X[:500], y[:500], n_jobs=1, random_state=0)  # warm-up
    out["regression"], v = timed(lambda: mutual_info_regression(X, y, n_jobs=1, random_state=0), a.features_reps,
                                 "mutual_info_regression")
    out["regression"]["values"] = [float(t) for t in v]
    out["classif"], v = timed(lambda: mutual_info_classif(X, labels, n_jobs=1, random_state=0), a.features_reps,
                              "mutual_info_classif")
    out["classif"]["values"] = [float(t) for t in v]
    # scikit-learn's own noise moves counts at this size (near-tied neighbours ~1e-10 apart): one more call of each
    # with random_state=1 measures how far its results move, which bounds how close anyone can match them
    r1 = mutual_info_regression(X, y, n_jobs=1, random_state=1)
    out["regression"]["spread"] = float(np.max(np.abs(np.array(out["regression"]["values"]) - r1)))
    c1 = mutual_info_classif(X, labels, n_jobs=1, random_state=1)
    out["classif"]["spread"] = float(np.max(np.abs(np.array(out["classif"]["values"]) - c1)))
print(json.dumps(out))
