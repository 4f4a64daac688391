"""The driftReport bench's pipeline in NumPy + SciPy (bench/drift-report.mjs runs it in a separate process):
per feature, Sturges edges from the reference, counts of both windows with an extra bin below / above where
current values fall outside, PSI with a floor of 1e-4 on empty bins (renormalised), scipy's jensenshannon
(nats), wasserstein_distance and ks_2samp. One warm-up call (on the first feature) before the timed runs.
Prints JSON: the median time (ms) of REPS runs over every feature, and each feature's values when MODE is
"values"; METRICS (default psi,js,w,ks) picks the steps (the bench's --stages).
Usage: python3 bench/numpy_drift_report.py data.bin FEATURES ROWS REPS [values|time] [METRICS]"""
import json
import sys
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp, wasserstein_distance


def aligned(x, edges):
    c = np.histogram(x, edges)[0].astype(np.float64)
    return c, np.count_nonzero(x < edges[0]), np.count_nonzero(x > edges[-1])


def floor(c, v=1e-4):
    p = c / c.sum()
    z = p == 0
    p[z] = v
    return p / p.sum()


def feature(r, c, metrics=("psi", "js", "w", "ks")):
    edges = np.histogram_bin_edges(r, "sturges")
    rc, ru, ro = aligned(r, edges)
    cc, cu, co = aligned(c, edges)
    if cu or ru:
        rc, cc = np.concatenate([[ru], rc]), np.concatenate([[cu], cc])
    if co or ro:
        rc, cc = np.concatenate([rc, [ro]]), np.concatenate([cc, [co]])
    out = {}
    if "psi" in metrics:
        p, q = floor(rc), floor(cc)
        out["psi"] = float(np.sum((p - q) * np.log(p / q)))
    if "js" in metrics:
        out["js"] = float(jensenshannon(rc, cc))
    if "w" in metrics:
        out["w"] = float(wasserstein_distance(r, c))
    if "ks" in metrics:
        k = ks_2samp(r, c)
        out["ks"], out["pvalue"] = float(k.statistic), float(k.pvalue)
    return out


def main():
    path, features, rows, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    mode = sys.argv[5] if len(sys.argv) > 5 else "values"
    metrics = tuple(sys.argv[6].split(",")) if len(sys.argv) > 6 else ("psi", "js", "w", "ks")
    data = np.fromfile(path, dtype=np.float64).reshape(2 * features, rows)
    ref, cur = data[:features], data[features:]
    feature(ref[0], cur[0], metrics)  # warm-up: SciPy's lazy imports and first calls
    times, values = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        values = [feature(ref[j], cur[j], metrics) for j in range(features)]
        times.append((time.perf_counter() - t0) * 1e3)
    out = {"ms": float(np.median(times))}
    if mode == "values":
        out["values"] = values
    print(json.dumps(out))


if __name__ == "__main__":
    main()
