"""The driftReport bench's pipeline in NumPy + SciPy (bench/drift-report.mjs runs it in a separate process):
per feature, Sturges edges from the reference, counts of both windows with an extra bin below / above where
current values fall outside, PSI with a floor of 1e-4 on empty bins (renormalised), scipy's jensenshannon
(nats), wasserstein_distance and ks_2samp. Prints JSON: the median time (ms) and each feature's values.
Usage: python3 bench/numpy_drift_report.py data.bin FEATURES ROWS REPS"""
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


def feature(r, c):
    edges = np.histogram_bin_edges(r, "sturges")
    rc, ru, ro = aligned(r, edges)
    cc, cu, co = aligned(c, edges)
    if cu or ru:
        rc, cc = np.concatenate([[ru], rc]), np.concatenate([[cu], cc])
    if co or ro:
        rc, cc = np.concatenate([rc, [ro]]), np.concatenate([cc, [co]])
    p, q = floor(rc), floor(cc)
    psi = float(np.sum((p - q) * np.log(p / q)))
    js = float(jensenshannon(rc, cc))
    w = float(wasserstein_distance(r, c))
    k = ks_2samp(r, c)
    return {"psi": psi, "js": js, "w": w, "ks": float(k.statistic), "pvalue": float(k.pvalue)}


def main():
    path, features, rows, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    data = np.fromfile(path, dtype=np.float64).reshape(2 * features, rows)
    ref, cur = data[:features], data[features:]
    times, values = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        values = [feature(ref[j], cur[j]) for j in range(features)]
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({"ms": float(np.median(times)), "values": values}))


if __name__ == "__main__":
    main()
