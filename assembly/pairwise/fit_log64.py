"""Near-minimax cubic of the float64 table log in assembly/pairwise.ts (pairMlogm64, Jensen–Shannon on float64 rows).

The table (pairLogTable) holds, for the N = 2048 centres c = 1 + (i + 1/2)/N of [1, 2), 1/c rounded to double and
−log2(1/c)·2^20. For y in [1, 2) in bin i, r = y·(1/c) − 1 lies in [−h, h] (h = max over the bins, 2.45e-4), and
    log2(1 + r)·2^20 ≈ r (A1 + r (A2 + r A3)),
the quadratic in r interpolating log2(1 + r)·2^20 / r at the Chebyshev nodes of [−h, h] (near-minimax), computed in
200-bit arithmetic (mpmath) and rounded to double. The script prints A1..A3 and the largest absolute error of the
cubic with the rounded coefficients (in nats: about 2.2e-16; the summed Σ s log s multiplies it by Σ s).
Run: python3 assembly/pairwise/fit_log64.py
"""
import mpmath as mp

mp.mp.prec = 200
N, DEG = 2048, 3
U = mp.mpf(2) ** 20 / mp.log(2)  # log2(x)·2^20 = log(x)·U
h = 0
for i in range(N):
    invc = mp.mpf(float(1 / (1 + (mp.mpf(i) + mp.mpf("0.5")) / N)))
    for y in (1 + mp.mpf(i) / N, 1 + mp.mpf(i + 1) / N):
        h = max(h, abs(y * invc - 1))
nodes = [h * mp.cos(mp.pi * (2 * k + 1) / (2 * DEG)) for k in range(DEG)]
q = mp.lu_solve(mp.matrix([[x ** j for j in range(DEG)] for x in nodes]), mp.matrix([mp.log1p(x) / x * U for x in nodes]))
coef = [float(q[j]) for j in range(DEG)]
err = max(abs(r * sum(mp.mpf(c) * r ** j for j, c in enumerate(coef)) - mp.log1p(r) * U)
          for r in (-h + 2 * h * k / 4000 for k in range(4001)) if r != 0)
print("h =", mp.nstr(h, 6))
print("A1, A2, A3 =", ", ".join(repr(c) for c in coef))
print("max |error| =", mp.nstr(err / U, 4), "nats")
