#!/usr/bin/env python3
"""NumPy/SciPy peer of bench/divergence.mjs: the row-wise formulas a user writes, on the same float64 rows.

Usage: python3 bench/numpy_divergence.py DIR ROWS COLS REPS [cold] (DIR holds p.f64 and q.f64, little-endian
row-major). cold: a 64 MiB buffer is written before each timed call, so that P and Q come from memory as the Node
contenders' do (bench/divergence.mjs runs a full GC, and the other contender, before each of its calls).
Prints JSON: {"times": {measure: median ms}, "versions": "..."}; one thread for BLAS is not needed (no matrix products).
"""
import json
import os
import sys
import time

import numpy as np
import scipy
from scipy import special

d, rows, cols, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cold = len(sys.argv) > 5 and sys.argv[5] == "cold"
junk = np.zeros(8 << 20) if cold else None
P = np.fromfile(os.path.join(d, "p.f64"), dtype="<f8").reshape(rows, cols)
Q = np.fromfile(os.path.join(d, "q.f64"), dtype="<f8").reshape(rows, cols)
M = (Q + P) / 2


def renyi_entropy(a):
    return lambda: np.log(np.sum(P ** a, axis=1)) / (1 - a)


def renyi_div(a):
    return lambda: np.log(np.sum(P ** a * Q ** (1 - a), axis=1)) / (a - 1)


CASES = {
    "renyiEntropy α=2": renyi_entropy(2.0),
    "renyiDivergence α=0.7": renyi_div(0.7),
    "renyiDivergence α=1.5": renyi_div(1.5),
    "tsallisEntropy q=1.5": lambda: (1 - np.sum(P ** 1.5, axis=1)) / (1.5 - 1),
    "tsallisEntropy q=1.3": lambda: (1 - np.sum(P ** 1.3, axis=1)) / (1.3 - 1),
    "hellingerDistance": lambda: np.sqrt(np.sum((np.sqrt(P) - np.sqrt(Q)) ** 2, axis=1) / 2),
    "totalVariation": lambda: np.sum(np.abs(P - Q), axis=1) / 2,
    "chiSquareDivergence": lambda: np.sum((P - Q) ** 2 / Q, axis=1),
    "jeffreysDivergence": lambda: special.rel_entr(Q, M).sum(axis=1) + special.rel_entr(M, Q).sum(axis=1),
    "bhattacharyyaDistance": lambda: -np.log(np.sum(np.sqrt(P * Q), axis=1)),
}
times = {}
with np.errstate(divide="ignore", invalid="ignore"):
    for name, f in CASES.items():
        f()
        ts = []
        for _ in range(reps):
            if cold:
                junk += 1.0
            t = time.perf_counter()
            f()
            ts.append((time.perf_counter() - t) * 1000)
        times[name] = float(np.median(ts))
print(json.dumps({"times": times, "versions": f"numpy {np.__version__}, scipy {scipy.__version__}"}))
