# The float32 exp polynomial of assembly/logits.ts (exp's degree-6 minimax on |r| <= ln2/2, used by lseSteps32 and
# expShifted32; 165cb74): an iteratively reweighted least-squares fit of (e^r - 1 - r)/r^2 in the relative error
# of e^r, with NumPy and mpmath; prints each degree's approximation error and its float32 Horner error, for the
# degree 6 shipped also its float32 error in Estrin's form (poly32r since 2026-11-29: a shorter chain of dependent
# operations), and Cephes' degree-7 coefficients for comparison. python3 assembly/logits/fit_exp32.py
import numpy as np, mpmath as mp
mp.mp.dps = 40
a = float(mp.log(2)/2)*1.0005
N = 4000
r = np.cos(np.pi*(np.arange(N)+0.5)/N)*a
rm = [mp.mpf(x) for x in r]
target = np.array([float((mp.exp(x)-1-x)/(x*x)) if x != 0 else 0.5 for x in rm])
wrel = np.array([float(x*x/mp.exp(x)) for x in rm])  # error in e^r per unit error in q
for d in (3, 4, 5):
    V = np.vander(r, d+1, increasing=True)
    w = np.ones(N)/N
    for it in range(300):
        W = np.sqrt(w)*wrel
        c, *_ = np.linalg.lstsq(V*W[:,None], target*W, rcond=None)
        e = np.abs((V@c - target)*wrel)
        w = w*e; w /= w.sum()
    # float32 coefficients, evaluate in float32 Horner: y = ((c_d r + c_{d-1}) r + ...) ; y = y r2 + r + 1 (as poly32r)
    c32 = c.astype(np.float32)
    rr = np.linspace(-a, a, 200001).astype(np.float32)
    p = np.full_like(rr, c32[-1])
    for k in range(d-1, -1, -1): p = (p*rr + c32[k]).astype(np.float32)
    r2 = (rr*rr).astype(np.float32)
    y = ((p*r2).astype(np.float32) + rr).astype(np.float32) + np.float32(1)
    ex = np.exp(rr.astype(np.float64))
    err32 = np.max(np.abs(y.astype(np.float64)/ex - 1))
    # exact-coefficient approximation error
    errA = np.max(np.abs((1 + rr.astype(np.float64) + rr.astype(np.float64)**2 * np.polyval(c[::-1], rr.astype(np.float64)))/ex - 1))
    print(d+2, "approx", errA, "f32 eval", err32, "coeffs(c2..)", [repr(float(x)) for x in c32])
    if d == 4:
        # Estrin, as poly32r: s = (c0 + c1 r) + r2 ((c2 + c3 r) + r2 c4); y = s r2 + r + 1 (each step rounded to float32)
        f = np.float32
        A = (c32[1]*rr + c32[0]).astype(f); B = (c32[3]*rr + c32[2]).astype(f)
        S = ((((c32[4]*r2).astype(f) + B).astype(f))*r2 + A).astype(f)
        yE = ((S*r2).astype(f) + rr).astype(f) + f(1)
        print(d+2, "f32 Estrin eval", np.max(np.abs(yE.astype(np.float64)/ex - 1)))
# cephes for comparison
P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]
rr = np.linspace(-a, a, 200001).astype(np.float32)
p = np.full_like(rr, np.float32(P[0]))
for k in P[1:]: p = (p*rr + np.float32(k)).astype(np.float32)
r2 = (rr*rr).astype(np.float32)
y = ((p*r2).astype(np.float32) + rr).astype(np.float32) + np.float32(1)
print("cephes f32 eval", np.max(np.abs(y.astype(np.float64)/np.exp(rr.astype(np.float64)) - 1)))
