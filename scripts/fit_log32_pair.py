"""Near-minimax fit of the float32 log in assembly/pairwise.ts (flog32, Jensen–Shannon on float32 rows).

The kernel computes the log in units of U = 2^23 / ln 2, so that the exponent e enters as the integer e 2^23
(exact, no multiply) and the block sums are multiplied by 1/U once, in float64:
    m in [sqrt(1/2), sqrt(2)), s = (m - 1) / (m + 1) in [-smax, smax], t = s*s,
    U log m = U 2 atanh(s) ~ s (C1 + t (C3 + t C5)),
C1 = 2U rounded to float32 (fixed), C3 and C5 fitted to what C1 s leaves. The fit minimises the largest absolute
error of log m (the error that Σ s log s multiplies by s: the pairwise float32 contract is 1e-6 (S + C)) by
iteratively reweighted least squares (Lawson) on a dense grid in float64, then rounds C3 and C5 to float32 and
reports the truncation error with the float32 coefficients, in nats (about 3.5e-8 absolute: C1's rounding adds
1.3e-8 relative to the leading term, below the float32 rounding of the log's other steps' scale of 6e-8 relative).
Run: python3 scripts/fit_log32_pair.py
"""
import numpy as np

U = 2.0 ** 23 / np.log(2.0)
C1 = float(np.float32(2 * U))
smax = (2 ** 0.5 - 1) / (2 ** 0.5 + 1)
s = np.linspace(1e-7, smax, 40001)
y = 2 * np.arctanh(s) * U - C1 * s  # the part C3 s^3 + C5 s^5 carries
A = np.stack([s ** 3, s ** 5], 1)
w = np.ones_like(s)
for _ in range(300):
    c, *_ = np.linalg.lstsq(A * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)
    e = np.abs(A @ c - y)
    w = w * e
    w /= w.sum()
c32 = np.float32(c).astype(np.float64)
print(f"C1 = {C1!r} (2U = {2 * U!r}), C3, C5 = {[repr(float(v)) for v in c32]}, "
      f"max |error of log m| {np.max(np.abs(A @ c32 - y)) / U:.3e} nats")
