"""Near-minimax polynomial fits for the vectorised logs in assembly/vecmath.ts.

Both logs reduce to s = (a - b) / (a + b), t = s*s, and use
    log(a/b) = 2*atanh(s) = 2s + s*t*R(t),   R(t) = sum_{j>=1} 2 t^(j-1) / (2j+1).
This script interpolates R at Chebyshev nodes on [0, T] in 60-digit decimal
arithmetic and prints the monomial coefficients rounded to double (and float32).
Run: python3 scripts/fit_log.py
"""
from decimal import Decimal as D, getcontext
import math, struct

getcontext().prec = 60

def R(t):
    # series sum; t <= 1/9 converges fast enough at 60 digits
    s, tp, j = D(0), D(1), 1
    while True:
        term = D(2) * tp / D(2 * j + 1)
        s += term
        if abs(term) < D(10) ** -58:
            return s
        tp *= t
        j += 1

def cheb_fit(T, n):
    T = D(T)
    pi = D("3.14159265358979323846264338327950288419716939937510582097494")
    # Chebyshev nodes on [0, T]
    def cos(x):
        getcontext().prec += 2
        i, lasts, s, fact, num, sign = 0, 0, D(1), D(1), D(1), 1
        while s != lasts:
            lasts = s
            i += 2
            fact *= i * (i - 1)
            num *= x * x
            sign *= -1
            s += num / fact * sign
        getcontext().prec -= 2
        return +s
    xs = [T / 2 * (1 + cos((2 * k + 1) * pi / (2 * n))) for k in range(n)]
    ys = [R(x) for x in xs]
    # solve Vandermonde exactly enough at 60 digits (n <= 12)
    A = [[x ** j for j in range(n)] + [y] for x, y in zip(xs, ys)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(A[r][c]))
        A[c], A[piv] = A[piv], A[c]
        for r in range(n):
            if r != c:
                f = A[r][c] / A[c][c]
                A[r] = [a - f * b for a, b in zip(A[r], A[c])]
    coef = [A[i][n] / A[i][i] for i in range(n)]
    # max relative error of the double-rounded polynomial over a dense grid
    cd = [float(c) for c in coef]
    err = 0.0
    for k in range(2001):
        x = T * D(k) / D(2000)
        p = D(0)
        for c in reversed(cd):
            p = p * x + D(c)
        err = max(err, abs(float((p - R(x)) / R(x))))
    return coef, err

def f32(x):
    return struct.unpack("f", struct.pack("f", float(x)))[0]

SQRT2 = D(2).sqrt()
# ratio log: a' = a 2^-k with k rounded from the high words, so |log2(a'/b)| <= 0.5 + 0.0861
# (0.0861 = max of log2(m) - (m - 1) on [1, 2), the error of the bits as a log2) + slack
R_RATIO = D(2) ** D("0.5862")
T_ratio = ((R_RATIO - 1) / (R_RATIO + 1)) ** 2   # |s| <= 0.2004
T_log = ((SQRT2 - 1) / (SQRT2 + 1)) ** 2   # s for m in [sqrt(1/2), sqrt(2))
for name, T, n in [("RATIO_F64", T_ratio, 7), ("LOG_F64", T_log, 7),
                   ("RATIO_F32", T_ratio, 3), ("LOG_F32", T_log, 3)]:
    coef, err = cheb_fit(T, n)
    conv = f32 if name.endswith("F32") else float
    print(f"// {name}: R(t) on [0, {float(T):.6f}], {n} terms, max rel err {err:.2e}")
    print("  " + ", ".join(repr(conv(c)) for c in coef))
