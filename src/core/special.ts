// Special functions for the closed-form divergences (src/distributions/) and anyone else who needs them:
// lgamma, digamma, lbeta, written once. Plain TypeScript (scalar code: no WebAssembly kernel).
//
// Accuracy (test/special.test.ts, against mpmath at 50 digits in test/fixtures/special.json; bounds
// tested 1e-15, measured at most 3e-16 on ~2400 arguments):
//  - x > 0: lgamma and digamma within 1e-15 relative, also next to their zeros (lgamma at 1 and 2,
//    digamma at x0 = 1.4616...): the series there are about the zero itself.
//  - x < 0 (reflection): within 1e-15 of the reflection's terms, max(|lgamma(x)|, 1 + |lgamma(1 - x)|)
//    and 1 + |digamma(1 - x)| + |pi cot(pi x)|; no relative bound next to the negative zeros.
//  - lbeta: within 1e-15 max(1, |lbeta|) when max(a, b) >= 10 (Stirling's form, no cancellation),
//    else within 1e-15 (|lgamma(a)| + |lgamma(b)| + |lgamma(a + b)|).
//
// Coefficients: mpmath at 60 digits, printed by `python3 scripts/fixtures/special.py --coefficients`.

import { R, twoProd } from "./dd.js";
import { digammaTail, digammaAsymptotic } from "./digamma-series.js";
export { digammaTail, digammaAsymptotic };

// X0 = 1.461632144968362341262659542325721328468
const X0_HI = 1.4616321449683622, X0_LO = 9.549995429965697e-17;
const PSI_X0 = [
  0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652,
  0.10782405069126237, -0.07219956125645471, 0.04880428816414311, -0.03316112647484736,
  0.022597648232218104, -0.01542476590494896, 0.010538791616612175, -0.007204534386356869,
  0.004926781395729853, -0.003369801655439328, 0.002305126326734928, -0.0015769367714301972,
  0.0010788252019162967, -0.0007380709389960052, 0.000504953265834602, -0.0003454680251063077,
  0.00023635601564027053, -0.00016170622091974803, 0.0001106337276874741, -7.569179582195066e-05,
  5.178575795222081e-05, -3.5430070947659604e-05, 2.424006611860132e-05, -1.6584242271854135e-05,
  1.134638458466385e-05, -7.762817668462094e-06, 5.3110609208898636e-06, -3.6336507898010456e-06,
  2.486022733129538e-06, -1.7008538854332607e-06, 1.1636675363548843e-06, -7.96142543124197e-07,
  5.446941930669446e-07, -3.7266161283438227e-07, 2.549626552021554e-07, -1.7443695117727745e-07,
  1.1934394829830244e-07, -8.165115189488409e-08,
];
const LG1 = [
  -0.5772156649015329, 0.8224670334241132, -0.40068563438653143, 0.27058080842778454,
  -0.20738555102867398, 0.1695571769974082, -0.1440498967688461, 0.12550966952474304,
  -0.11133426586956469, 0.1000994575127818, -0.09095401714582904, 0.083353840546109,
  -0.0769325164113522, 0.07143294629536133, -0.06666870588242046, 0.06250095514121304,
  -0.058823978658684585, 0.055555767627403614, -0.05263167937961666, 0.05000004769810169,
  -0.047619070330142226, 0.04545455629320467, -0.04347826605304026, 0.04166666915034121,
  -0.04000000119214014, 0.03846153903467518, -0.037037037312989324, 0.035714285847333355,
  -0.034482758684919304, 0.03333333336437758, -0.03225806453115042, 0.03125000000727597,
  -0.030303030306558044, 0.029411764707594344, -0.02857142857226011, 0.027777777778181998,
  -0.027027027027223673, 0.02631578947377995, -0.025641025641072283, 0.025000000000022737,
  -0.024390243902450117, 0.023809523809529224, -0.023255813953491015, 0.02272727272727402,
  -0.022222222222222855, 0.021739130434782917, -0.021276595744681003, 0.02083333333333341,
  -0.02040816326530616, 0.020000000000000018, -0.019607843137254912, 0.019230769230769235,
  -0.01886792452830189, 0.01851851851851852, -0.01818181818181818, 0.017857142857142856,
  -0.017543859649122806,
];
const LG2 = [
  0.42278433509846713, 0.3224670334241132, -0.0673523010531981, 0.020580808427784546,
  -0.007385551028673986, 0.0028905103307415234, -0.001192753911703261, 0.0005096695247430425,
  -0.00022315475845357939, 9.945751278180853e-05, -4.492623673813314e-05, 2.050721277567069e-05,
  -9.439488275268397e-06, 4.374866789907488e-06, -2.039215753801366e-06, 9.55141213040742e-07,
  -4.492469198764566e-07, 2.1207184805554665e-07, -1.0043224823968099e-07, 4.7698101693639804e-08,
  -2.2711094608943164e-08, 1.0838659214896955e-08, -5.183475041970047e-09, 2.4836745438024785e-09,
  -1.1921401405860912e-09, 5.731367241678862e-10, -2.7595228851242334e-10, 1.330476437424449e-10,
  -6.4229645638381e-11, 3.1044247747322276e-11,
];

/** Euler's constant and 1/2 log(2 pi). */
const EULER = 0.5772156649015329, HALF_LOG_2PI = 0.9189385332046728;

/** sum c[k] z^(k+1), Horner from the top. */
function series(c: readonly number[], z: number): number {
  let s = c[c.length - 1];
  for (let k = c.length - 2; k >= 0; k--) s = s * z + c[k];
  return s * z + 0; // + 0: lgamma(1) = lgamma(2) = +0, not -0
}

/** lgamma(x) - ((x - 1/2) log x - x + 1/2 log(2 pi)) for x >= 10: Stirling's series
 *  sum B_2k / (2k (2k - 1) x^(2k-1)), k = 1..11 (the first omitted term is below 2e-20 there). */
export function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 + r * (-1 / 360 + r * (1 / 1260 + r * (-1 / 1680 + r * (1 / 1188 + r * (-691 / 360360
    + r * (1 / 156 + r * (-3617 / 122400 + r * (43867 / 244188 + r * (-174611 / 125400 + r * (77683 / 5796))))))))))) / x;
}

/** x - round(x), exact for finite x (|result| <= 1/2). */
function frac(x: number): number {
  return x - Math.round(x);
}

/**
 * log |Gamma(x)|, the natural logarithm of the absolute value of the gamma function (C's lgamma,
 * torch.lgamma, scipy.special.gammaln except at -Infinity).
 *  - x > 0: within 1e-15 relative, also next to the zeros at x = 1 and 2 (series about 1 and 2).
 *  - x < 0, not an integer: by reflection, log(pi / |sin(pi x)|) - lgamma(1 - x); within
 *    1e-15 max(|lgamma(x)|, 1 + |lgamma(1 - x)|) (not relative next to its negative zeros, -2.457...).
 *  - +Infinity at 0, -0, the negative integers, +Infinity and -Infinity (as torch; scipy gives
 *    -Infinity at -Infinity); NaN for NaN. Overflows to +Infinity past x = 2.55e305.
 * Never throws: a number in, a number out (the callers check their arguments).
 */
export function lgamma(x: number): number {
  if (!(x > 0)) {
    if (Number.isNaN(x)) return NaN;
    if (x === -Infinity || Number.isInteger(x)) return Infinity; // 0, -0 and the negative integers: poles
    // |Gamma(x)| = Gamma(1 + x) / |x| for x in (-1/2, 0): the series about 1 at z = x (exact)
    if (x > -0.5) return series(LG1, x) - Math.log(-x);
    // reflection: |Gamma(x) Gamma(1 - x)| = pi / |sin(pi x)|
    const s = Math.abs(Math.sin(Math.PI * frac(x)));
    return Math.log(Math.PI / s) - lgamma(1 - x);
  }
  if (x < 0.5) return series(LG1, x) - Math.log(x);   // Gamma(x) = Gamma(1 + x) / x
  if (x < 1.5) return series(LG1, x - 1);             // x - 1 exact (Sterbenz)
  if (x < 2.5) return series(LG2, x - 2);             // x - 2 exact
  if (x < 10) {
    // Gamma(x) = Gamma(y) (y)(y + 1)...(x - 1), y = x - n in [1.5, 2.5): every x - i exact
    let y = x - 1, p = y;
    while (y >= 2.5) { y -= 1; p *= y; }
    return series(LG2, y - 2) + Math.log(p);
  }
  if (x === Infinity) return Infinity;
  const lx = Math.log(x);
  // (x - 1/2) log x - x + ..., as x (log x - 1) - log(x) / 2 where (x - 1/2) log x alone would overflow
  if (x > 1e17) return x * (lx - 1) - 0.5 * lx + HALF_LOG_2PI;
  return (x - 0.5) * lx - x + HALF_LOG_2PI + stirlingCorrection(x);
}

/** psi(y) for y in [1, 2] (and a little beyond): the Taylor series about the zero x0, h = y - x0 to
 *  about 2^-106 (y - X0_HI is exact by Sterbenz). */
function digammaNearZero(h: number): number {
  return series(PSI_X0, h);
}

/**
 * The digamma function psi(x) = d/dx log Gamma(x) (torch.digamma, scipy.special.psi).
 *  - x > 0: within 1e-15 relative, also next to its zero x0 = 1.4616321449683622 (a series about x0).
 *  - x < 0, not an integer: by reflection, psi(1 - x) - pi / tan(pi x); within
 *    1e-15 (1 + |psi(1 - x)| + |pi cot(pi x)|) (not relative next to its negative zeros, -0.5040...).
 *  - -Infinity at +0, +Infinity at -0 (torch and scipy), NaN at the negative integers and at -Infinity,
 *    +Infinity at +Infinity, NaN for NaN. At x < 1e-308 the value -1/x - gamma overflows to -Infinity.
 * Never throws.
 */
export function digamma(x: number): number {
  if (!(x > 0)) {
    if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
    if (Number.isNaN(x) || x === -Infinity || Number.isInteger(x)) return NaN;
    // reflection: psi(x) = psi(1 - x) - pi cot(pi x); cot has period 1, so the exact frac(x) is used
    const r = Math.PI * frac(x);
    return digamma(1 - x) - Math.cos(r) / Math.sin(r) * Math.PI;
  }
  // psi(x) = psi(1 + x) - 1/x, psi(1 + x) about x0 with h = x + (1 - X0_HI) - X0_LO (1 - X0_HI exact)
  if (x < 1) return digammaNearZero(x + (1 - X0_HI) - X0_LO) - 1 / x;
  if (x <= 2) return digammaNearZero((x - X0_HI) - X0_LO);
  if (x < 10) {
    // psi(x) = psi(y) + 1/y + ... + 1/(x - 1), y = x - n in [1, 2): every x - i exact, positive terms
    let y = x - 1, s = 1 / y;
    while (y >= 2) { y -= 1; s += 1 / y; }
    return digammaNearZero((y - X0_HI) - X0_LO) + s;
  }
  if (x === Infinity) return Infinity;
  return digammaAsymptotic(x);
}

/**
 * log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b) for a, b > 0 (scipy.special.betaln).
 * With s = a + b and a <= b: b < 10, the three lgammas; b >= 10, lgamma(b) - lgamma(s) as
 * -(b - 1/2) log1p(a / b) - a log s + a plus Stirling's corrections (no cancellation of two huge
 * lgammas); both >= 10, (a - 1/2) log(a / s) + (b - 1/2) log(b / s) - log(s) / 2 + 1/2 log(2 pi)
 * plus the corrections. Within 1e-15 max(1, |lbeta|) when max(a, b) >= 10, else within
 * 1e-15 (|lgamma(a)| + |lgamma(b)| + |lgamma(a + b)|).
 * +Infinity when a or b is 0 (the other >= 0), -Infinity when one is +Infinity (the other > 0),
 * NaN when either is negative or NaN. Never throws.
 */
export function lbeta(a: number, b: number): number {
  if (a > b) { const t = a; a = b; b = t; } // a <= b (NaN stays NaN below)
  if (!(a > 0)) return a === 0 && b >= 0 ? Infinity : NaN;
  if (!(b >= 0)) return NaN;
  if (b === Infinity) return -Infinity;
  const s = a + b;
  if (b < 10) return lgamma(a) + lgamma(b) - lgamma(s);
  const corr = stirlingCorrection(b) - stirlingCorrection(s);
  if (a < 10) return lgamma(a) + ((-(b - 0.5) * Math.log1p(a / b) - a * Math.log(s) + a) + corr);
  return ((a - 0.5) * Math.log(a / s) - (b - 0.5) * Math.log1p(a / b) - 0.5 * Math.log(s)) + HALF_LOG_2PI
    + (stirlingCorrection(a) + corr);
}

/** x log y, 0 when x = 0 (whatever y is, as torch.xlogy and scipy.special.xlogy; NaN for NaN). */
export function xlogy(x: number, y: number): number {
  if (Number.isNaN(y)) return NaN;
  return x === 0 ? 0 : x * Math.log(y);
}

export { EULER };

/**
 * lgamma(1 + z) + gamma z for z > -1, from z itself (1 + z is never rounded): >= 0, zero at z = 0
 * to second order (lgamma's tangent at 1 removed). |z| <= 1/2: the series about 1 from its
 * second term, within a few ulp relative; otherwise lgamma(1 + z) + gamma z. The Gumbel KL's
 * scale term (lgamma(rho) + gamma (rho - 1) with z = rho - 1).
 */
export function lgammaExcess(z: number): number {
  if (Math.abs(z) <= 0.5) return series(LG1_TAIL, z) * z;
  return lgamma(1 + z) + EULER * z;
}
const LG1_TAIL = LG1.slice(1);

/** Coefficients of the Itakura–Saito series: c_n = 1 (n even), 1 - 1/(n + 2) (n odd), n = 0..35. */
const IS_COEF = Array.from({ length: 36 }, (_, n) => (n % 2 === 0 ? 1 : 1 - 1 / (n + 2)));

/**
 * a / b - 1 - log(a / b) for a, b > 0 (the Itakura–Saito divergence of two positive numbers; >= 0,
 * 0 only at a = b), with d = a - b passed by a caller that can form it exactly (or better than
 * a - b would be rounded). Within b/2 <= a <= 2b it is 2 s^2 sum c_n s^n with s = d / (a + b)
 * (a / b = (1 + s) / (1 - s), |s| <= 1/3): relative error a few ulp plus the relative errors
 * of d and a + b, so nearly equal a and b give the tiny true value (d^2 / (2 b^2)), not the
 * rounding noise of a / b - 1 - log(a / b). Outside, a / b - 1 - log(a / b) directly (>= 0.19:
 * a few ulp), with log a - log b where a / b underflows; +Infinity where a / b overflows. The
 * KL of Poisson, exponential, Laplace and Gamma rates, Bernoulli and categorical probabilities.
 */
export function itakuraSaito(a: number, b: number, d = a - b): number {
  if (a >= 0.5 * b && a <= 2 * b) {
    if (d === 0) return 0;
    const s = Number.isFinite(a + b) ? d / (a + b) : (0.5 * d) / (0.5 * a + 0.5 * b);
    let t = IS_COEF[IS_COEF.length - 1];
    for (let n = IS_COEF.length - 2; n >= 0; n--) t = t * s + IS_COEF[n];
    return 2 * s * s * t;
  }
  const r = a / b;
  if (r === Infinity) return Infinity;
  if (r < 1e-300) return (Math.log(b) - Math.log(a)) - 1 + r;
  return (r - 1) - Math.log(r);
}

/**
 * e^x - 1 - x (>= 0, zero only at 0): |x| < 1 by its Taylor series x^2/2 + x^3/6 + ... (within a
 * few ulp relative, so tiny x give x^2 / 2, not noise), otherwise expm1(x) - x. +Infinity when e^x
 * overflows or x = -Infinity. The Laplace and Gumbel KLs' location terms.
 */
export function expm1MinusX(x: number): number {
  if (Math.abs(x) < 1) {
    // x^2 / 2 (1 + x/3 (1 + x/4 (1 + ... x/20))): the first omitted term below 2^-60 of the sum
    let t = 1;
    for (let k = 20; k >= 3; k--) t = 1 + (x * t) / k;
    return ((x * x) / 2) * t;
  }
  return x === -Infinity || x === Infinity ? Infinity : Math.expm1(x) - x;
}

const TWO_OVER_SQRT_PI = 1.1283791670955126, ONE_OVER_SQRT_PI = 0.5641895835477563;

/** e^(-x^2) with x^2 taken exactly (as hi + lo): e^-hi (1 - lo), no error from rounding x^2. */
function expMinusSquare(x: number): number {
  twoProd(x, x);
  return Math.exp(-R[0]) * (1 - R[1]);
}

/**
 * The error function erf(x) = 2/sqrt(pi) int_0^x e^(-t^2) dt (JavaScript has none). |x| < 1.5:
 * 2/sqrt(pi) x e^(-x^2) sum (2x^2)^n / (1 3 ... (2n + 1)) (every term positive: no cancellation);
 * beyond, 1 - erfc(x) with erfc by its continued fraction (Lentz). Within 1e-15 relative
 * (test/special.test.ts against mpmath). ±1 beyond |x| = 6, ±0 kept, NaN for NaN. Never throws.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 1.5)) {
    if (Number.isNaN(x)) return NaN;
    const v = ax > 6 ? 1 : 1 - erfcLarge(ax);
    return x < 0 ? -v : v;
  }
  if (ax < 1e-300) return x * TWO_OVER_SQRT_PI;
  const y = 2 * x * x;
  let t = 1, s = 1;
  for (let n = 1; n < 60 && t > 1e-17 * s; n++) { t *= y / (2 * n + 1); s += t; }
  return TWO_OVER_SQRT_PI * x * expMinusSquare(x) * s;
}

/** erfc(x) for x >= 1.5: e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))), by Lentz. */
function erfcLarge(x: number): number {
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    D = x + a * D;
    D = D === 0 ? tiny : 1 / D;
    C = x + a / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return ONE_OVER_SQRT_PI * expMinusSquare(x) / f;
}

/**
 * The trigamma function psi'(x) for x > 0: psi'(x) = psi'(x + 1) + 1/x^2 up to x >= 10, then
 * 1/x + 1/(2x^2) + sum B_2k / x^(2k+1), k = 1..8 (every term of the recurrence positive: a few ulp
 * relative). NaN unless x > 0 (+Infinity at +0).
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return 0;
  let s = 0;
  while (x < 10) { s += 1 / (x * x); x += 1; }
  return s + 1 / x + trigammaTail(x);
}

/** c^2 (psi'(x) - 1/x) for x >= 10: (c/x)^2 (1/2 + sum B_2k / x^(2k-1)), k = 1..8 (c / x formed first: no
 *  overflow or underflow of c^2 or 1/x^2 on the way). */
function trigammaTail(x: number, c = 1): number {
  const ix = 1 / x, r = ix * ix, q = c * ix;
  return q * q * (0.5 + (1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - r * (5 / 66 - r * (691 / 2730 - r * (7 / 6 - r * (3617 / 510)))))))) * ix);
}

/**
 * psi'(x) - 1/x for x > 0 (> 0, ~1/(2x^2) for large x), without cancellation: below 10,
 * sum 1/((x + i)^2 (x + i + 1)) (psi'(x) - 1/x telescoped: 1/(x + i)^2 - 1/(x + i) + 1/(x + i + 1),
 * every term positive) plus the tail at x + n. A few ulp relative.
 */
export function trigammaMinusInverse(x: number): number {
  return trigammaMinusInverseTimes(x, 1);
}

/** c^2 (psi'(x) - 1/x), c^2 applied before anything can overflow or underflow. */
function trigammaMinusInverseTimes(x: number, c: number): number {
  if (x >= 10) return trigammaTail(x, c);
  let s = 0;
  while (x < 10) { const q = c / x; s += (q * q) / (x + 1); x += 1; } // (c / x)^2: no 1/x^2 overflow for tiny x
  return s + trigammaTail(x, c);
}

/** Gauss–Legendre nodes and weights on [-1, 1], 24 points (Newton on P_24 from Chebyshev guesses). */
const GL_N = 24;
const GL_X = new Float64Array(GL_N), GL_W = new Float64Array(GL_N);
(() => {
  for (let i = 0; i < GL_N; i++) {
    let z = Math.cos(Math.PI * (i + 0.75) / (GL_N + 0.5)), pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1, p2 = 0;
      for (let j = 1; j <= GL_N; j++) { const p3 = p2; p2 = p1; p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j; }
      pp = (GL_N * (z * p1 - p2)) / (z * z - 1);
      const dz = p1 / pp;
      z -= dz;
      if (Math.abs(dz) < 1e-17) break;
    }
    GL_X[i] = z;
    GL_W[i] = 2 / ((1 - z * z) * pp * pp);
  }
})();

/** int_a^b f by the 24-point Gauss–Legendre rule (exact for polynomials of degree 47). */
export function gaussLegendre(f: (t: number) => number, a: number, b: number): number {
  const c = 0.5 * (a + b), r = 0.5 * (b - a);
  let s = 0;
  for (let i = 0; i < GL_N; i++) s += GL_W[i] * f(c + r * GL_X[i]);
  return r * s;
}

/**
 * G(x + h) - G(x) - h G'(x) for G(x) = lgamma(x) - x log x + x (G' = psi - log, G'' = psi' - 1/x > 0):
 * the Bregman divergence of lgamma with its Stirling leading part x log x - x removed (>= 0, ~h^2 / (4 x^2)
 * for large x). It is what the gamma, Beta and Dirichlet KLs have left once their means' divergence is
 * taken out. For -3x/4 <= h <= 4x: the integral of (x + h - t)(psi'(t) - 1/t) over [x, x + h] by 24-point
 * Gauss–Legendre (a positive integrand whose pole at 0 is at least 1.5 half-lengths from the interval's
 * centre: the rule's error below 1e-20,
 * so a few ulp relative however small h is). Beyond: G(x + h) - G(x) - h (psi(x) - log x), each of G and
 * psi - log computed without cancellation (stirlingG, digammaMinusLog).
 */
export function lgammaStirlingBregman(x: number, h: number, y = x + h): number {
  if (h === 0) return 0;
  if (h >= -0.75 * x && h <= 4 * x) {
    // t = x + h u, u in [0, 1]: int_0^1 (1 - u) h^2 (psi'(t) - 1/t) du, h^2 taken inside (h^2 alone may overflow)
    return gaussLegendre((u) => (1 - u) * trigammaMinusInverseTimes(x + h * u, h), 0, 1);
  }
  return stirlingG(y) - stirlingG(x) - h * digammaMinusLog(x);
}

/**
 * G(x) = lgamma(x) - x log x + x for x > 0 (Stirling's remainder with its -1/2 log x: ~ -1/2 log x + 1/2 log 2 pi).
 * From 10, -1/2 log x + 1/2 log(2 pi) + C(x); below, G(x) = G(x + 1) + (x + 1) IS(x, x + 1) up to 10 (every
 * step positive: lgamma and x log x, ~20 each near 10, never cancel).
 */
function stirlingG(x: number): number {
  let s = 0;
  while (x < 10) { s += (x + 1) * itakuraSaito(x, x + 1, -1); x += 1; }
  return s + (-0.5 * Math.log(x) + HALF_LOG_2PI + stirlingCorrection(x));
}

/** psi(x) - log x for x > 0 (< 0): from 10, -1/(2x) - T(x); below, psi(x) - log x = psi(x + 1) - log(x + 1)
 *  - IS(x + 1, x) (1/x - log1p(1/x), positive) up to 10: no cancellation of psi against log. */
export function digammaMinusLog(x: number): number {
  let s = 0;
  while (x < 10) { s += itakuraSaito(x + 1, x, 1); x += 1; }
  return -0.5 / x - digammaTail(x) - s;
}

/**
 * psi(y) - psi(x) for x, y > 0: within a factor 3/2 of each other, the integral of trigamma over [x, y]
 * (a positive integrand, 24-point Gauss–Legendre: a few ulp relative, where psi(y) - psi(x) would keep only
 * ~|y - x| / x of a large psi's digits); else the difference.
 */
export function digammaDiff(x: number, y: number): number {
  if (y === x) return 0;
  if (y <= 1.5 * x && x <= 1.5 * y) return gaussLegendre(trigamma, x, y);
  return digamma(y) - digamma(x);
}

/**
 * lgamma(x + h) - lgamma(x) - h psi(x) for x > 0, x + h > 0: the Bregman divergence of lgamma (>= 0,
 * ~ psi'(x) h^2 / 2 for small h), as lgammaStirlingBregman(x, h) + (x + h) IS(x, x + h) (the Bregman
 * divergence of x log x - x): two non-negative terms, each a few ulp, so nearly equal arguments give the
 * tiny true value.
 */
export function lgammaBregman(x: number, h: number): number {
  if (h === 0) return 0;
  return lgammaStirlingBregman(x, h) + (x + h) * itakuraSaito(x, x + h, -h);
}
