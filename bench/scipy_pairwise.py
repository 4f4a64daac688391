"""SciPy / NumPy / PyTorch peer for the pairwise benchmark (bench/pairwise.mjs runs this
in a separate process, before its own timings).

    python3 bench/scipy_pairwise.py DIR M N COLS [--scipy-rows R] [--scipy-reps K]
                                    [--kl-reps K] [--no-torch] [--kl-only]

DIR holds the data bench/pairwise.mjs generated (little-endian float64, row-major):
    X.f64   M x COLS    rows of Dirichlet(1) distributions
    Y.f64   N x COLS
The float32 cases use X.astype(float32) (round to nearest, the same bits as JavaScript's
Float32Array copies).

Timed (time.perf_counter around one call; medians; the output matrix is allocated by each call,
as kl-wasm's is):
    cdist    scipy.spatial.distance.cdist(X[:R], Y[:R], "jensenshannon")      (natural log)
    pdist    scipy.spatial.distance.pdist(X[:R], "jensenshannon")
             R = --scipy-rows (default M): each takes ~20 s at 2000 x 2000 x 500 on a 2-core VM, so
             bench/pairwise.mjs may ask for a slice and scale the time by the number of pairs (it says so);
             K = --scipy-reps calls each, after one call on a 16-row slice (imports, first-touch)
    kl       NumPy's product form of the KL matrix, kl[i, j] = sum_k p_ik log p_ik - (P @ log(clip(Q, eps, 1)).T)[i, j]
             (eps = 1e-15, kl-wasm's default clip; P log P by scipy.special.xlogy so zeros give 0), on the full
             M x N: float64 with BLAS at one thread (threadpoolctl.threadpool_limits(1, "blas")), float64 with
             BLAS's default threads, float32 (the same expression in float32) at one thread; the three
             interleaved, after 2 warm-up calls each
    torch    the same product form in PyTorch (torch.special.xlogy, torch.log(torch.clamp(...)), a @ b.T) at
             torch.set_num_threads(1), float64 and float32, if torch imports (PyTorch has no Jensen-Shannon
             distance in torch.cdist)
Without threadpoolctl, the one-thread NumPy cases run in a child process of this script (--kl-only) with
OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = MKL_NUM_THREADS = 1 in its environment.

Prints JSON to stdout: versions, BLAS info, per case the median ms, quartiles, samples, the size
measured (rows x cols of the matrix computed) and a check block (the matrix's [:4, :4] cells; pdist's
first 8 values) that bench/pairwise.mjs compares with its own direct computation. Progress to stderr.
"""
import argparse, json, os, subprocess, sys, time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("m", type=int)
ap.add_argument("n", type=int)
ap.add_argument("cols", type=int)
ap.add_argument("--scipy-rows", type=int, default=None)
ap.add_argument("--scipy-reps", type=int, default=2)
ap.add_argument("--kl-reps", type=int, default=7)
ap.add_argument("--no-torch", action="store_true")
ap.add_argument("--kl-only", action="store_true", help="only the NumPy KL cases (the one-thread child)")
a = ap.parse_args()
EPS = 1e-15
R = min(a.scipy_rows or a.m, a.m, a.n)


def log(*s):
    print(*s, file=sys.stderr, flush=True)


def load(name, rows):
    x = np.fromfile(os.path.join(a.dir, name), dtype="<f8")
    assert x.size == rows * a.cols, (name, x.size, rows, a.cols)
    return x.reshape(rows, a.cols)


X = load("X.f64", a.m)
Y = load("Y.f64", a.n)
X32, Y32 = X.astype(np.float32), Y.astype(np.float32)


def stats(samples):
    return {"ms": float(np.median(samples)), "p25": float(np.percentile(samples, 25)),
            "p75": float(np.percentile(samples, 75)), "samples": [float(s) for s in samples]}


def block(mat):
    return np.asarray(mat[:4, :4], dtype=np.float64).ravel().tolist()


# ------------------------------------------------------------------ NumPy KL, product form
from scipy.special import xlogy


def kl_numpy(P, Q):
    H = xlogy(P, P).sum(axis=1)
    L = np.log(np.clip(Q, P.dtype.type(EPS), P.dtype.type(1)))
    out = P @ L.T
    np.subtract(H[:, None], out, out=out)
    return out


try:
    from threadpoolctl import threadpool_limits, threadpool_info
    have_tpc = True
except ImportError:
    have_tpc = False


def blas_info():
    if not have_tpc:
        return {"threadpoolctl": False, "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}}
    return {"threadpoolctl": True,
            "libs": [{k: d.get(k) for k in ("internal_api", "version", "num_threads", "prefix", "architecture", "threading_layer")}
                     for d in threadpool_info() if d.get("user_api") == "blas"]}


def time_interleaved(cases, reps, warmup=2):
    """cases: {name: (fn, enter)} with enter() a context manager; one call of each per repetition, order rotated."""
    names = list(cases)
    samples = {k: [] for k in names}
    values = {}
    for k in names:
        fn, enter = cases[k]
        with enter():
            for _ in range(warmup):
                values[k] = fn()
    for rep in range(reps):
        for j in range(len(names)):
            k = names[(rep + j) % len(names)]
            fn, enter = cases[k]
            with enter():
                t0 = time.perf_counter()
                values[k] = fn()
                samples[k].append((time.perf_counter() - t0) * 1e3)
    return {k: {**stats(samples[k]), "rows": values[k].shape[0], "cols": values[k].shape[1], "check": block(values[k])} for k in names}


class nothing:
    def __enter__(self):
        return self

    def __exit__(self, *e):
        return False


def one_thread():
    return threadpool_limits(limits=1, user_api="blas") if have_tpc else nothing()


out = {"numpy": np.__version__, "python": sys.version.split()[0], "blas": blas_info(), "cases": {}}

if a.kl_only:
    # the child: BLAS limited by the environment; only the one-thread NumPy cases
    log(f"numpy KL (one thread by environment): {a.kl_reps} repetitions ...")
    out["cases"].update(time_interleaved({
        "numpy_kl_f64_1": (lambda: kl_numpy(X, Y), nothing),
        "numpy_kl_f32_1": (lambda: kl_numpy(X32, Y32), nothing),
    }, a.kl_reps))
    print(json.dumps(out))
    sys.exit(0)

import scipy
from scipy.spatial.distance import cdist, pdist

out["scipy"] = scipy.__version__

# ------------------------------------------------------------------ SciPy cdist / pdist
log(f"scipy cdist/pdist 'jensenshannon' on {R} x {R} rows, {a.scipy_reps} calls each (~{20 * (R / 2000) ** 2 * 1.5 * a.scipy_reps:.0f} s) ...")
cdist(X[:16], Y[:16], "jensenshannon")
pdist(X[:16], "jensenshannon")
cs, ps = [], []
for rep in range(a.scipy_reps):
    for k in (("c", "p") if rep % 2 == 0 else ("p", "c")):
        t0 = time.perf_counter()
        if k == "c":
            D = cdist(X[:R], Y[:R], "jensenshannon")
            cs.append((time.perf_counter() - t0) * 1e3)
        else:
            d = pdist(X[:R], "jensenshannon")
            ps.append((time.perf_counter() - t0) * 1e3)
    log(f"  rep {rep + 1}: cdist {cs[-1]:.0f} ms, pdist {ps[-1]:.0f} ms")
out["cases"]["scipy_cdist"] = {**stats(cs), "rows": R, "cols": R, "check": block(D)}
out["cases"]["scipy_pdist"] = {**stats(ps), "rows": R, "cols": R, "pairs": R * (R - 1) // 2, "check": [float(v) for v in d[:8]]}
del D, d

# ------------------------------------------------------------------ NumPy KL
log(f"numpy KL product form {a.m} x {a.n}: {a.kl_reps} repetitions ...")
cases = {"numpy_kl_f64_default": (lambda: kl_numpy(X, Y), nothing)}
if have_tpc:
    cases["numpy_kl_f64_1"] = (lambda: kl_numpy(X, Y), one_thread)
    cases["numpy_kl_f32_1"] = (lambda: kl_numpy(X32, Y32), one_thread)
out["cases"].update(time_interleaved(cases, a.kl_reps))
if not have_tpc:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    child = json.loads(subprocess.run([sys.executable, __file__, a.dir, str(a.m), str(a.n), str(a.cols), "--kl-reps", str(a.kl_reps), "--kl-only"],
                                      env=env, check=True, stdout=subprocess.PIPE, text=True).stdout)
    out["cases"].update(child["cases"])
    out["blas_one_thread_child"] = child["blas"]
for k in ("numpy_kl_f64_1", "numpy_kl_f64_default", "numpy_kl_f32_1"):
    log(f"  {k}: {out['cases'][k]['ms']:.1f} ms")

# ------------------------------------------------------------------ PyTorch
if a.no_torch:
    out["torch_error"] = "skipped (--no-torch)"
else:
    try:
        import torch
        out["torch"] = torch.__version__
        out["torch_default_threads"] = torch.get_num_threads()
        torch.set_num_threads(1)
        tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
        tX32, tY32 = torch.from_numpy(X32), torch.from_numpy(Y32)

        def kl_torch(P, Q):
            with torch.inference_mode():
                H = torch.special.xlogy(P, P).sum(dim=1)
                L = torch.log(torch.clamp(Q, EPS, 1.0))
                return (H[:, None] - P @ L.T).numpy()

        log(f"torch KL product form (1 thread): {a.kl_reps} repetitions ...")
        out["cases"].update(time_interleaved({
            "torch_kl_f64_1": (lambda: kl_torch(tX, tY), nothing),
            "torch_kl_f32_1": (lambda: kl_torch(tX32, tY32), nothing),
        }, a.kl_reps))
        for k in ("torch_kl_f64_1", "torch_kl_f32_1"):
            log(f"  {k}: {out['cases'][k]['ms']:.1f} ms")
        torch.set_num_threads(out["torch_default_threads"])
    except Exception as e:  # noqa: BLE001 - torch is optional
        out["torch_error"] = f"{type(e).__name__}: {e}"
        log(f"torch not run: {out['torch_error']}")

print(json.dumps(out))
