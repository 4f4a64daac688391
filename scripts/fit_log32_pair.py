"""Near-minimax fit of the float32 log in assembly/pairwise.ts (flog32, Jensen–Shannon on float32 rows).

m in [sqrt(1/2), sqrt(2)), s = (m - 1) / (m + 1) in [-smax, smax], t = s*s, and
    log m = 2 atanh(s) = s (2 + t R(t)),   R(t) = T0 + T1 t   (degree 1: two operations fewer than degree 2).
The fit minimises the largest absolute error of log m (the error that Σ s log s multiplies by s: the pairwise
float32 contract is 1e-6 (S + C)) by iteratively reweighted least squares (Lawson) on a dense grid in float64,
then rounds the coefficients to float32 and reports the truncation error with them (about 3.4e-8 absolute,
below the float32 rounding of the log's other steps' scale of 6e-8 relative).
Run: python3 scripts/fit_log32_pair.py
"""
import numpy as np

smax = (2 ** 0.5 - 1) / (2 ** 0.5 + 1)
s = np.linspace(1e-6, smax, 20001)
y = 2 * np.arctanh(s) - 2 * s  # the part the polynomial carries: s t R(t) = T0 s^3 + T1 s^5
for deg in (1, 2):
    A = np.stack([s ** (3 + 2 * j) for j in range(deg + 1)], 1)
    w = np.ones_like(s)
    for _ in range(200):
        c, *_ = np.linalg.lstsq(A * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)
        e = np.abs(A @ c - y)
        w = w * e
        w /= w.sum()
    c32 = np.float32(c).astype(np.float64)
    print(f"degree {deg}: float32 coefficients {[repr(float(v)) for v in c32]}, "
          f"max |error of log m| {np.max(np.abs(A @ c32 - y)):.3e}")
