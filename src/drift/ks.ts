// The distributions behind ksTest's p-values, ported from SciPy 1.17.1 (our own TypeScript):
// the exact two-sample counts of scipy/stats/_stats_py.py and _stats_pythran.py, SciPy's
// special.binom for the counts, the two-sided Kolmogorov distribution kstwo.sf of
// scipy/stats/_ksstats.py (Simard & L'Ecuyer's choice of algorithm by n and x) and the
// one-sided Smirnov survival function of xsf/cephes/kolmogorov.h that it calls.
import { npSum } from "./edges.js";
import { R, quickTwoSum, twoSum, twoProd, ddAdd, ddAddD, ddMul, ddMulD, ddDiv, ddLog, ldexp, exponent } from "../core/dd.js";

// ---------------------------------------------------------------------------------------------
// Exact two-sample probabilities (scipy/stats/_stats_py.py, _stats_pythran.py)

/**
 * Pr(D_{n,n} >= h/n) for two samples of size n: SciPy's `_compute_prob_outside_square(n, h)`
 * (an alternating sum of binomial ratios evaluated Horner-like, in the same order). 1 <= h <= n.
 */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * The proportion of lattice paths from (0, 0) to (m, n) that leave the band
 * |x/m - y/n| < h/lcm(m, n): SciPy's `_compute_outer_prob_inside_method(m, n, g, h)`
 * (scipy/stats/_stats_pythran.py; Hodges' inside method with Viehmann's recursion for 1 - p,
 * one sliding column). O(m * band width) time, O(n) memory.
 */
export function outerProbInside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g, ng = n / g;
  let minj = 0, maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj, lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/**
 * SciPy's `special.binom(n, k)` for integers 0 <= k <= n (xsf/binom.h): the multiplication
 * formula when k (reduced by symmetry) is below 20, otherwise 1/((n + 1) B(n − k + 1, k + 1))
 * with cephes' beta (Gamma and rgamma below 171.6, else exp of lgam sums). Ported so that
 * the path counts cancel the way SciPy's do; +Infinity where the value overflows.
 */
export function binom(n: number, k: number): number {
  let kx = k;
  if (kx > n / 2 && n > 0) kx = n - kx;
  if (kx < 20) {
    let num = 1, den = 1;
    for (let i = 1; i < 1 + kx; i++) {
      num *= i + n - kx;
      den *= i;
      if (Math.abs(num) > 1e50) {
        num /= den;
        den = 1;
      }
    }
    return num / den;
  }
  return 1 / (n + 1) / beta(1 + n - k, 1 + k);
}

// cephes (xsf/cephes/gamma.h, rgamma.h, beta.h, chbevl.h, polevl.h) for positive arguments
const MAXGAM = 171.624376956302725, MAXLOG = 7.09782712893383996843e2, MAXSTIR = 143.01608;
const SQRT2PI_C = 2.50662827463100050242, LS2PI = 0.91893853320467274178;
const GAMMA_P = [1.60119522476751861407e-4, 1.19135147006586384913e-3, 1.04213797561761569935e-2,
  4.76367800457137231464e-2, 2.07448227648435975150e-1, 4.94214826801497100753e-1, 9.99999999999999996796e-1];
const GAMMA_Q = [-2.31581873324120129819e-5, 5.39605580493303397842e-4, -4.45641913851797240494e-3,
  1.18139785222060435552e-2, 3.58236398605498653373e-2, -2.34591795718243348568e-1, 7.14304917030273074085e-2,
  1.00000000000000000320e0];
const GAMMA_STIR = [7.87311395793093628397e-4, -2.29549961613378126380e-4, -2.68132617805781232825e-3,
  3.47222221605458667310e-3, 8.33333333333482257126e-2];
const GAMMA_A = [8.11614167470508450300e-4, -5.95061904284301438324e-4, 7.93650340457716943945e-4,
  -2.77777777730099687205e-3, 8.33333333333331927722e-2];
const GAMMA_B = [-1.37825152569120859100e3, -3.88016315134637840924e4, -3.31612992738871184744e5,
  -1.16237097492762307383e6, -1.72173700820839662146e6, -8.53555664245765465627e5];
const GAMMA_C = [-3.51815701436523470549e2, -1.70642106651881159223e4, -2.20528590553854454839e5,
  -1.13933444367982507207e6, -2.53252307177582951285e6, -2.01889141433532773231e6];
const RGAMMA_R = [3.13173458231230000000e-17, -6.70718606477908000000e-16, 2.20039078172259550000e-15,
  2.47691630348254132600e-13, -6.60074100411295197440e-12, 5.13850186324226978840e-11, 1.08965386454418662084e-9,
  -3.33964630686836942556e-8, 2.68975996440595483619e-7, 2.96001177518801696639e-6, -8.04814124978471142852e-5,
  4.16609138709688864714e-4, 5.06579864028608725080e-3, -6.41925436109158228810e-2, -4.98558728684003594785e-3,
  1.27546015610523951063e-1];

function polevl(x: number, c: readonly number[]): number {
  let ans = c[0];
  for (let i = 1; i < c.length; i++) ans = ans * x + c[i];
  return ans;
}
function p1evl(x: number, c: readonly number[]): number {
  let ans = x + c[0];
  for (let i = 1; i < c.length; i++) ans = ans * x + c[i];
  return ans;
}
function chbevl(x: number, c: readonly number[]): number {
  let b0 = c[0], b1 = 0, b2 = 0;
  for (let i = 1; i < c.length; i++) {
    b2 = b1;
    b1 = b0;
    b0 = x * b1 - b2 + c[i];
  }
  return 0.5 * (b0 - b2);
}
function stirf(x: number): number {
  if (x >= MAXGAM) return Infinity;
  let w = 1 / x;
  w = 1 + w * polevl(w, GAMMA_STIR);
  let y = Math.exp(x);
  if (x > MAXSTIR) {
    const v = Math.pow(x, 0.5 * x - 0.25);
    y = v * (v / y);
  } else {
    y = Math.pow(x, x - 0.5) / y;
  }
  return SQRT2PI_C * y * w;
}
/** cephes Gamma(x) for x > 0. */
function gamma(x: number): number {
  if (x > 33) return stirf(x);
  let z = 1;
  while (x >= 3) { x -= 1; z *= x; }
  while (x < 2) {
    if (x < 1e-9) return z / ((1 + 0.5772156649015329 * x) * x);
    z /= x;
    x += 1;
  }
  if (x === 2) return z;
  x -= 2;
  return (z * polevl(x, GAMMA_P)) / polevl(x, GAMMA_Q);
}
/** cephes rgamma(x) = 1/Gamma(x) for x > 0. */
function rgamma(x: number): number {
  if (Math.abs(x) > 4) return 1 / gamma(x);
  let z = 1, w = x;
  while (w > 1) { w -= 1; z *= w; }
  if (w === 1) return 1 / z;
  return (w * (1 + chbevl(4 * w - 2, RGAMMA_R))) / z;
}
/** cephes lgam(x) for x > 0. */
function lgam(x: number): number {
  if (x < 13) {
    let z = 1, p = 0, u = x;
    while (u >= 3) { p -= 1; u = x + p; z *= u; }
    while (u < 2) { z /= u; p += 1; u = x + p; }
    if (u === 2) return Math.log(z);
    p -= 2;
    x = x + p;
    return Math.log(z) + (x * polevl(x, GAMMA_B)) / p1evl(x, GAMMA_C);
  }
  if (x >= 1000) {
    const q = (x - 0.5) * Math.log(x) - x + LS2PI;
    if (x > 1e8) return q;
    const p = 1 / (x * x);
    return q + ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p + 0.0833333333333333333333) / x;
  }
  const q = (x - 0.5) * Math.log(x) - x + LS2PI, p = 1 / (x * x);
  return q + polevl(p, GAMMA_A) / x;
}
/** cephes beta(a, b) for a, b > 0 (the asymptotic branch for a > 10^6 max(b, 1) is not reached by binom here). */
function beta(a: number, b: number): number {
  if (Math.abs(a) < Math.abs(b)) [a, b] = [b, a];
  let y = a + b;
  if (Math.abs(y) > MAXGAM || Math.abs(a) > MAXGAM || Math.abs(b) > MAXGAM) {
    y = lgam(y);
    y = lgam(b) - y;
    y = lgam(a) + y;
    if (y > MAXLOG) return Infinity;
    return Math.exp(y);
  }
  y = rgamma(y);
  a = gamma(a);
  b = gamma(b);
  if (!Number.isFinite(y)) return Infinity;
  if (Math.abs(Math.abs(a * y) - 1) > Math.abs(Math.abs(b * y) - 1)) {
    y = b * y;
    y *= a;
  } else {
    y = a * y;
    y *= b;
  }
  return y;
}

/**
 * The number of lattice paths from (0, 0) to (m, n) that reach m*y <= n*x - h*g somewhere:
 * SciPy's `_count_paths_outside_method(m, n, g, h)` (Hodges). May overflow to +Infinity or
 * NaN; the caller treats a non-finite count as a failed exact computation, as SciPy does.
 */
export function countPathsOutside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g, ng = n / g;
  const lxj = n + Math.floor((mg - h) / mg);
  if (lxj <= 0) return binom(m + n, n);
  const xj = new Float64Array(lxj);
  for (let j = 0; j < lxj; j++) xj[j] = Math.floor((h + mg * j + ng - 1) / ng);
  const B = new Float64Array(lxj);
  B[0] = 1;
  for (let j = 1; j < lxj; j++) {
    let Bj = binom(xj[j] + j, j);
    for (let i = 0; i < j; i++) Bj -= binom(xj[j] - xj[i] + j - i, j - i) * B[i];
    if (!Number.isFinite(Bj)) return NaN;
    B[j] = Bj;
  }
  let paths = 0;
  for (let j = 0; j < lxj; j++) paths += B[j] * binom(m - xj[j] + (n - j), n - j);
  return paths;
}

/** The outcome of SciPy's `_attempt_exact_2kssamp`: the statistic rounded to h/lcm, and the p-value or NaN on failure. */
export interface ExactAttempt { ok: boolean; d: number; p: number }

/**
 * SciPy's `_attempt_exact_2kssamp(n1, n2, g, d, alternative)`: d becomes h/lcm(n1, n2) with
 * h = round-half-even(d * lcm); h = 0 gives p = 1; otherwise the square formula (n1 = n2) or
 * the inside method (two-sided), the product formula (one-sided, n1 = n2) or the path count
 * over binom(n1 + n2, n1) (one-sided). Fails (ok false) on overflow or a p outside [0, 1].
 */
export function attemptExact(n1: number, n2: number, g: number, d: number, twoSided: boolean): ExactAttempt {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm) + 0;   // an integer, as SciPy's int(): no -0
  d = h / lcm;
  if (h === 0) return { ok: true, d, p: 1 };
  let p: number;
  if (twoSided) {
    p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  } else if (n1 === n2) {
    p = 1;
    for (let j = 0; j < h; j++) p *= (n1 - j) / (n1 + j + 1);
  } else {
    const bin = binom(n1 + n2, n1);
    if (!Number.isFinite(bin)) return { ok: false, d, p: NaN };
    const paths = countPathsOutside(n1, n2, g, h);
    if (!Number.isFinite(paths) || paths > bin) return { ok: false, d, p: NaN };
    p = paths / bin;
  }
  if (!(p >= 0 && p <= 1)) return { ok: false, d, p };
  return { ok: true, d, p };
}

/** np.round of a double: to the nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---------------------------------------------------------------------------------------------
// Double-double arithmetic for the Smirnov sum (core/dd.ts, as xsf's dd_real: a value is hi + lo
// with |lo| <= ulp(hi)/2). Allocation-free, since the sum may take 10^5 terms: each operation
// leaves its result in dd.ts's register R[0], R[1]; the functions below do the same, and those
// that also give an exponent leave it in RE.

/** The exponent register: the power of two of the last scaled result (frexpDD, pow2Scaled). */
let RE = 0;

/** frexp of a double-double: its significand in R[0], R[1] (0.5 <= |R[0]| < 1) and exponent in RE. */
function frexpDD(ah: number, al: number): void {
  const e = exponent(ah);
  R[0] = ldexp(ah, -e);
  R[1] = ldexp(al, -e);
  RE = e;
}

// ---------------------------------------------------------------------------------------------
// Smirnov's one-sided distribution (xsf/cephes/kolmogorov.h, van Mulbregt's sum in double-double)

const MINLOG = -7.451332191019412076235e2;
const SMIRNOV_MAX_COMPUTE_N = 1000000;
const SM_MAX_EXPONENT = 960;
const EPS = 2 ** -52;

/** (ah + al)^m for an integer m: pow of the high part corrected by (1 + al/ah)^m (xsf's pow_D). */
function powD(ah: number, al: number, m: number): void {
  if (m <= 0) {
    if (m === 0) { R[0] = 1; R[1] = 0; return; }
    powD(ah, al, -m);
    ddDiv(1, 0, R[0], R[1]);
    return;
  }
  if (ah === 0) { R[0] = 0; R[1] = 0; return; }
  const ans = Math.pow(ah, m), r = al / ah;
  let adj = m * r;
  if (Math.abs(adj) > 1e-8) {
    if (Math.abs(adj) < 1e-4) adj += (m * r) * (((m - 1) / 2) * r);
    else adj = Math.expm1(m * Math.log1p(r));
  }
  ddAddD(ans, 0, ans * adj);
}

function nextPowerOf2(x: number): number {
  const q = ldexp(x, 1 - 53);
  let L = Math.abs(q + x);
  if (L === 0) L = Math.abs(x);
  else if (Math.trunc(L) === L) L = Math.trunc(L);
  return L;
}

/** (ah + al)^m as a significand in [0.5, 1) (R[0], R[1]) and an exponent (RE), splitting m where y^m would underflow. */
function pow2Scaled(ah: number, al: number, m: number): void {
  if (m <= 0) {
    if (m === 0) { R[0] = 1; R[1] = 0; RE = 0; return; }
    pow2Scaled(ah, al, -m);
    const e1 = RE;
    ddDiv(1, 0, R[0], R[1]);
    frexpDD(R[0], R[1]);
    RE = -e1 + RE;
    return;
  }
  frexpDD(ah, al);
  const yh = R[0], yl = R[1], yE = RE;
  if (m === 1) return;
  let maxExpt = SM_MAX_EXPONENT;
  if ((m * (yh - 1)) / yh < -SM_MAX_EXPONENT * Math.LN2) {
    const lg2y = Math.log(yh) / Math.LN2;
    if (m * lg2y <= -SM_MAX_EXPONENT) maxExpt = Math.trunc(nextPowerOf2(-SM_MAX_EXPONENT / lg2y + 1) / 2);
  }
  if (m <= maxExpt) {
    powD(yh, yl, m);
    frexpDD(R[0], R[1]);
    RE += m * yE;
    return;
  }
  const q = Math.trunc(m / maxExpt), r = m % maxExpt;
  pow2Scaled(yh, yl, r);
  const rh = R[0], rl = R[1], rE = RE;
  pow2Scaled(yh, yl, maxExpt);
  const mE = RE;
  pow2Scaled(R[0], R[1], q);
  const mqE = RE + mE * q;
  ddMul(rh, rl, R[0], R[1]);
  frexpDD(R[0], R[1]);
  RE = RE + mqE + rE + m * yE;
}

/** ((a + b) / (c + d))^m in double-double (R[0], R[1]). */
function pow4(a: number, b: number, c: number, d: number, m: number): void {
  if (m <= 0) {
    if (m === 0) { R[0] = 1; R[1] = 0; return; }
    pow4(c, d, a, b, -m);
    return;
  }
  twoSum(c, d);
  const ch = R[0], cl = R[1];
  twoSum(a, b);
  if (R[0] === 0) { R[0] = ch === 0 ? NaN : 0; R[1] = 0; return; }
  if (ch === 0) { R[0] = R[0] < 0 ? -Infinity : Infinity; R[1] = 0; return; }
  ddDiv(R[0], R[1], ch, cl);
  powD(R[0], R[1], m);
}

/**
 * Pr(D+_n >= x), the one-sided Kolmogorov–Smirnov (Smirnov) survival function:
 * `scipy.special.smirnov(n, x)`, a port of xsf's `_smirnov` (its special cases for x <= 1/n,
 * x >= 1 - 1/n, an underflowing tail and n > 10^6; otherwise the Birnbaum–Tingey sum, upper or
 * lower, term by term in double-double with its early termination). NaN outside n >= 1,
 * 0 <= x <= 1. O(n) terms at most.
 */
export function smirnov(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  // floor(n x) and its remainder alpha, exactly (xsf's modNX)
  twoProd(n, x);
  const nxh = R[0], nxl = R[1];
  let flh = Math.floor(nxh), fll = 0;
  if (flh === nxh) { quickTwoSum(flh, Math.floor(nxl)); flh = R[0]; fll = R[1]; }
  ddAdd(nxh, nxl, -flh, -fll);
  let alpha = R[0], nxfl = flh + fll;
  if (alpha === 1) { nxfl += 1; alpha = 0; }
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1), n1mxceil = n - nxfl;
  if (alpha === 0) { n1mxfl -= 1; n1mxceil += 1; }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    twoSum(1, x);
    powD(R[0], R[1], n - 1);
    return clamp01(1 - x * R[0]);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) {
    twoSum(1, -x);
    powD(R[0], R[1], n);
    return clamp01(R[0]);
  }
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return clamp01(logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp));
  }
  const nUpperTerms = n - n1mxceil + 1;
  const upper = (nUpperTerms <= 1 && x < 0.5) || (n >= 10 && nUpperTerms <= 3 && x <= 0.5 / Math.sqrt(n));
  if (!upper && useLogSum && n1mxfl + 1 >= LOG_SUM_MIN_TERMS) {
    const p = smirnovLogSum(n, x, nxh, nxl, n1mxfl + 1);
    if (p === p) return clamp01(p);         // NaN: a subnormal result, left to xsf's evaluation
  }
  let start = 0, step = 1, nTerms = n1mxfl + 1;
  const vmid = Math.trunc(n / 2);
  if (upper) {
    start = n;
    step = -1;
    nTerms = n - n1mxceil + 1;
    pow4(1, x, 1, 0, n - 1);
  } else {
    pow4(1, -x, 1, 0, n);
    ddDiv(R[0], R[1], x, 0);
  }
  let sh = R[0], sl = R[1];                  // the sum of the terms A_j
  let ch = 1, cl = 0, cE = 0;            // binomial(n, j) as significand and exponent
  const update = (j: number): void => {
    ddDiv(n - j, 0, j + 1, 0);
    ddMul(ch, cl, R[0], R[1]);
    frexpDD(R[0], R[1]);
    ch = R[0]; cl = R[1]; cE += RE;
  };
  update(0);
  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    ddDiv(n - v, 0, n, 0);
    ddAddD(R[0], R[1], -x);
    pow2Scaled(R[0], R[1], n - v);
    const t2h = R[0], t2l = R[1], t2E = RE;
    ddDiv(v, 0, n, 0);
    ddAddD(R[0], R[1], x);
    pow2Scaled(R[0], R[1], v - 1);
    const t1E = RE;
    ddMul(R[0], R[1], t2h, t2l);
    ddMul(R[0], R[1], ch, cl);
    const e = cE + t1E + t2E, ah = ldexp(R[0], e), al = ldexp(R[1], e);
    if (Number.isFinite(ah) && ah !== 0) {
      ddAdd(sh, sl, ah, al);
      sh = R[0]; sl = R[1];
    }
    if (ah !== 0) {
      if (4 * (nTerms - j) * Math.abs(ah) < EPS * sh && j !== nTerms - 1) break;
    } else if (j > vmid) break;
    update(j);
  }
  ddMulD(sh, sl, x);
  return clamp01(step < 0 ? 1 - R[0] : R[0]);
}

const clamp01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** Whether smirnov takes the log-domain sum below (false only inside smirnovReference). */
let useLogSum = true;
/** Lower sums with fewer terms than this keep xsf's term-by-term evaluation. */
const LOG_SUM_MIN_TERMS = 16;

/**
 * xsf's `_smirnov` evaluated exactly as before the log-domain sum (every lower sum term by term
 * from j = 0, with xsf's own early termination): the reference the tests compare the fast
 * evaluation with. Not used by the library.
 */
export function smirnovReference(n: number, x: number): number {
  useLogSum = false;
  try { return smirnov(n, x); } finally { useLogSum = true; }
}

/** `kstwoSf` with `smirnovReference` in place of `smirnov` (tests only). */
export function kstwoSfReference(x: number, n: number): number {
  useLogSum = false;
  try { return kstwoSf(x, n); } finally { useLogSum = true; }
}

// log k! in double-double for k = 0 .. LF_N - 1 (LFH high parts, LFL low parts), grown on demand
// up to n = 10^6 (smirnov's largest summed n): 16 bytes per entry, built once (each entry the
// previous plus ddLog(k), about 20 ns), shared by every call whose n it covers.
let LFH = new Float64Array(1), LFL = new Float64Array(1), LF_N = 1;
function logFactorials(n: number): void {
  if (n < LF_N) return;
  const size = Math.min(Math.max(n + 1, 2 * LF_N), SMIRNOV_MAX_COMPUTE_N + 1);
  const h = new Float64Array(size), l = new Float64Array(size);
  h.set(LFH); l.set(LFL);
  for (let k = LF_N; k < size; k++) {
    ddLog(k, 0);
    ddAdd(h[k - 1], l[k - 1], R[0], R[1]);
    h[k] = R[0]; l[k] = R[1];
  }
  LFH = h; LFL = l; LF_N = size;
}

/** log C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1) + (n - 1) log n - log n!, the log of term j
 *  without its constant, in double-double (R[0], R[1]); a = n(1 - x) = ah + al, b = n x = bh + bl. */
function logTerm(j: number, n: number, ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah - j, al);                        // a - j (ah - j is exact: j is an integer <= ah)
  ddLog(R[0], R[1]);
  ddMulD(R[0], R[1], n - j);
  const uh = R[0], ul = R[1];
  ddAddD(bh, bl, j);                         // b + j
  ddLog(R[0], R[1]);
  ddMulD(R[0], R[1], j - 1);
  ddAdd(uh, ul, R[0], R[1]);
  const vh = R[0], vl = R[1];
  ddAdd(-LFH[j], -LFL[j], -LFH[n - j], -LFL[n - j]);
  ddAdd(vh, vl, R[0], R[1]);
}

/** The same in double only (about 1e-16 n log n off): for locating the largest term. */
function logTermApprox(j: number, n: number, a: number, b: number): number {
  return (n - j) * Math.log(a - j) + (j - 1) * Math.log(b + j) - LFH[j] - LFH[n - j];
}

/** 2^-60: a tail is dropped once a geometric bound on it falls below this fraction of the sum
 *  (0 inside smirnovUntruncated: every term down to exp underflow). */
let tailRel = 2 ** -60;

/** `smirnov` with the log-domain sum taken over every term (no tail dropped; tests only). */
export function smirnovUntruncated(n: number, x: number): number {
  tailRel = 0;
  try { return smirnov(n, x); } finally { tailRel = 2 ** -60; }
}

/**
 * The lower Birnbaum–Tingey sum of `_smirnov` (the same terms A_j, j = 0 .. nTerms − 1, as xsf
 * sums them), evaluated in the log domain: x Σ_j exp(log A_j) with
 *   log A_j = log C(n, j) + (n − j) log(1 − x − j/n) + (j − 1) log(x + j/n)
 *           = log n! − log j! − log (n−j)! + (n − j) log(a − j) + (j − 1) log(b + j) − (n − 1) log n,
 * a = n(1 − x), b = n x exactly in double-double, every logarithm in double-double (ddLog:
 * absolute error below 2^-76 + 2^-95 |e| + 2^-104 |log|) and log k! from a cached table (each
 * entry one ddLog and one double-double addition from the previous), so that log A_j is off by
 * at most about 2^-75 n + 2^-100 n log n absolute (1e-17 at n = 10^6). Each term is
 * exp(log A_j − log A_p), A_p the largest term (located by a ternary search on the logs in
 * double), a double exp (under 1 ulp) times (1 + the low part), so each term is within about
 * 2^-52 relative; the terms are positive, so that is also the sum's error, plus the
 * compensated sum's (added outward from p in both directions) and the truncation's below.
 *
 * Truncation: where the terms are log-concave in j, past the peak the ratio ρ of consecutive
 * terms only decreases, so the terms beyond A_k add up to at most A_k (ρ + ρ² + …) =
 * A_k ρ/(1 − ρ), ρ = A_k/A_{k∓1} < 1. A direction stops at the first k where that bound is below
 * 2^-60 of the running sum (and ρ has not grown since the previous term): the two dropped tails
 * are then below 2^-59 (1.7e-18) of the sum. Log-concavity: with s = n − j, the second
 * derivative of log A_j in j is −ψ'(j + 1) − ψ'(s + 1) + (s − 2b)/(s − b)² + (j + 2b + 1)/(j + b)²;
 * with ψ'(z) > 1/z the pairs give (s − 2b − b²)/((s + 1)(s − b)²) and
 * (2j + 2b + 1 − b²)/((j + 1)(j + b)²), both negative for every j < n once b² > 2n + 2b + 1,
 * i.e. n x² > 2 + 2x + 1/n: kstwoSf's branch n > 140, n x² >= 2.2, x < 0.096 (the regime of
 * large samples) and much of the rest (the bound is loose). Elsewhere (x >= 0.5, small n, or
 * smirnov called directly with a small n x²) the rule is a heuristic, checked by the tests:
 * the truncated sum against every term summed (smirnovUntruncated) and against xsf's
 * evaluation (smirnovReference) on a grid of n from 1 to 10^6 and x over every branch.
 * Summed from the peak, a call costs the terms that matter only: log A_j ≈ −n x²/(2t(1 − t)) +
 * const with t = j/n, so the terms above 2^-60 of the peak are those with
 * 1/(2t(1 − t)) < 2 + 41.6/(n x²): nearly all for n x² = 2.2 (t in [0.025, 0.975]), about 80%
 * for n x² = 10, a fifth for n x² = 370 (t in [0.39, 0.61]). The speed-up over xsf's
 * evaluation is mostly the cheaper term (two ddLog instead of two scaled double-double powers).
 */
function smirnovLogSum(n: number, x: number, bh: number, bl: number, nTerms: number): number {
  logFactorials(n);
  twoSum(n, -bh);
  quickTwoSum(R[0], R[1] - bl);
  const ah = R[0], al = R[1];
  // the peak: ternary search of the (concave) double-precision log term over [0, nTerms - 1]
  let lo = 0, hi = nTerms - 1;
  const a = ah + al, b = bh + bl;
  while (hi - lo > 2) {
    const m1 = lo + Math.floor((hi - lo) / 3), m2 = hi - Math.floor((hi - lo) / 3);
    if (logTermApprox(m1, n, a, b) < logTermApprox(m2, n, a, b)) lo = m1 + 1;
    else hi = m2;
  }
  let p = lo, best = logTermApprox(lo, n, a, b);
  for (let j = lo + 1; j <= hi; j++) {
    const v = logTermApprox(j, n, a, b);
    if (v > best) { best = v; p = j; }
  }
  logTerm(p, n, ah, al, bh, bl);
  const ph = R[0], pl = R[1];
  // log of the scale: log A_p + log n! - (n - 1) log n
  ddAdd(ph, pl, LFH[n], LFL[n]);
  const qh = R[0], ql = R[1];
  ddLog(n, 0);
  ddMulD(R[0], R[1], -(n - 1));
  ddAdd(qh, ql, R[0], R[1]);
  const eh = R[0], el = R[1];
  // the result is below x nTerms A_p: subnormal for sure below this (see the end), skip the sum
  if (eh + Math.log(x * nTerms) < -708.5) return NaN;
  let s = 1, c = 0;                          // the sum of A_j / A_p, Neumaier-compensated
  for (let dir = 1; dir >= -1; dir -= 2) {
    let prev = 1, prevRho = Infinity;
    for (let j = p + dir; j >= 0 && j < nTerms; j += dir) {
      logTerm(j, n, ah, al, bh, bl);
      ddAdd(R[0], R[1], -ph, -pl);
      const t = R[0] < -745.2 ? 0 : Math.exp(R[0]) * (1 + R[1]);
      const s1 = s + t;
      c += s >= t ? s - s1 + t : t - s1 + s;
      s = s1;
      const rho = t / prev;
      if (rho < 1 && rho <= prevRho && t * rho <= tailRel * s * (1 - rho)) break;
      prev = t;
      prevRho = rho;
    }
  }
  s += c;
  // x s exp(log A_p + log n! - (n - 1) log n), scaled by e^600 around the exp where it would
  // leave the normal range (the result may be subnormal; it is rounded at the last product)
  const res = eh < -700 ? Math.exp(eh + 600) * (1 + el) * (x * s) * Math.exp(-600) : Math.exp(eh) * (1 + el) * (x * s);
  // Below 2^-1022 xsf's terms underflow one by one (to subnormals or 0) and its sum is off by
  // up to 100% (0 where every term underflows): there the reference evaluation is kept, so that
  // the result is SciPy's (about 35–60 ms at n = 50000, only for 354 < n x^2 < 370 there; the sum is skipped when
  // the bound x nTerms A_p already says so)
  if (res < 2 ** -1022) return NaN;
  return res;
}

// ---------------------------------------------------------------------------------------------
// The two-sided Kolmogorov distribution (scipy/stats/_ksstats.py, Simard & L'Ecuyer 2011)

const E128 = 128, EP128 = 2 ** 128, EM128 = 2 ** -128;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2, PI4 = Math.PI ** 4, PI6 = Math.PI ** 6;
const STIRLING = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
  8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
  -2.7777777777777777778e-3, 8.3333333333333333333e-2];

function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n, x = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * x + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** SciPy's `_kolmogn_DMTW(n, d)`: Pr(D_n <= d) by Durbin's matrix (Marsaglia–Tsang–Wang), scaled by 2^128. */
function kolmognDMTW(n: number, d: number): number {
  CDF[0] = 0;
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd), h = k - nd, m = 2 * k - 1;
  let H: Float64Array = new Float64Array(m * m);
  const v = new Float64Array(m), w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] *= fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];
  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let nn = n, expnt = 0, Hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      P = matmul(P, H, m);
      expnt += Hexpnt;
    }
    H = matmul(H, H, m);
    Hexpnt *= 2;
    if (Math.abs(H[(k - 1) * m + k - 1]) > EP128) {
      for (let i = 0; i < m * m; i++) H[i] /= EP128;
      Hexpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  // SciPy's p turns into a long double at its first rescaling (a float64 times np.longdouble
  // 2^128): from there on this product is carried in double-double, as the closest stand-in
  let p = P[(k - 1) * m + k - 1], pl = 0, wide = false;
  for (let i = 1; i <= n; i++) {
    if (wide) {
      ddMulD(p, pl, i);
      ddDiv(R[0], R[1], n, 0);
      p = R[0]; pl = R[1];
    } else p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128; pl *= EP128;
      expnt -= E128;
      wide = true;
    }
  }
  if (expnt !== 0) { p = ldexp(p, expnt); pl = ldexp(pl, expnt); }
  return clampWide(p, pl);
}

/** A CDF as SciPy clips it (hi + lo, lo the long-double part); its low part is left in CDF[0]. */
const CDF = new Float64Array(1);   // CDF[0]: the low part
function clampWide(hi: number, lo: number): number {
  if (hi + lo < 0) { CDF[0] = 0; return 0; }
  if (hi + lo > 1) { CDF[0] = 0; return 1; }
  CDF[0] = lo;
  return hi;
}
/** 1 - (hi + CDF[0]), rounded once (SciPy subtracts in long double where its CDF is one). */
function sfOf(hi: number): number {
  twoSum(1, -hi);
  return clamp01(R[0] + (R[1] - CDF[0]));
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number, j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2), odd = (i + 1) % 2 === 0;
    if (odd) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** SciPy's `_kolmogn_Pomeranz(n, x)`: Pr(D_n <= x) by Pomeranz's recursion (1974), scaled by 2^128. */
function kolmognPomeranz(n: number, x: number): number {
  const t = n * x, ll = Math.floor(t), f = t - ll, g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0, roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gp = new Float64Array(npwrs), g2p = new Float64Array(npwrs), g12p = new Float64Array(npwrs);
  gp[0] = g2p[0] = g12p[0] = 1;
  let expnt = 0;
  const a1 = g / n, a2 = (2 * g) / n, a3 = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gp[m] = (gp[m - 1] * a1) / m;
    g2p[m] = (g2p[m - 1] * a2) / m;
    g12p[m] = (g12p[m - 1] * a3) / m;
  }
  let V0 = new Float64Array(npwrs), V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0, V1s = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pw = i === 1 || i === 2 * n + 1 ? gp : i % 2 ? g2p : g12p;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const start = j1 - k1, len = j2 - j1 + 1, off = k1 - V0s;
      let max = -Infinity;
      for (let c = 0; c < len; c++) {
        const kk = start + c;   // index into the full convolution of V0[off..off+ln2) and pw[0..ln2)
        let s = 0;
        for (let a = Math.max(0, kk - ln2 + 1); a <= Math.min(kk, ln2 - 1); a++) s += V0[off + a] * pw[kk - a];
        V1[c] = s;
        if (s > max) max = s;
      }
      if (len < npwrs && max < 0) max = 0;
      if (max > 0 && max < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c] *= EP128;
        expnt -= E128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s], lo = 0, wide = false;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128; lo *= EM128;
      expnt += E128;
      wide = true;
    }
    if (wide) {
      ddMulD(ans, lo, m);
      ans = R[0]; lo = R[1];
    } else ans *= m;
  }
  if (expnt !== 0) { ans = ldexp(ans, expnt); lo = ldexp(lo, expnt); }
  return clampWide(ans, lo);
}

/** SciPy's `_kolmogn_PelzGood(n, x)`: the Pelz–Good (1976) approximation of Pr(D_n <= x). */
function kolmognPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2, z3 = z ** 3, z4 = z ** 4, z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2, k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * PI2) / 4, k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64, k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4, k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1, m2 = m ** 2, m4 = m ** 4, m6 = m ** 6;
    const qp = Math.pow(q, 8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qp + c[i];
  }
  const den = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] * q) * SQRT2PI) / den[i];
  q = Math.exp(-PI2 / 2 / z2);
  const sq3z = Math.sqrt(3) * z;
  const t2 = new Float64Array(maxk), t3 = new Float64Array(maxk);
  for (let i = 0; i < maxk; i++) {
    const k = maxk - i, k2 = k ** 2, kpi = Math.PI * k, qk = q ** k2;
    t2[i] = k2 * qk;
    t3[i] = (sq3z + kpi) * (sq3z - kpi) * k2 * qk;
  }
  K[2] += npSum(t2) * ((PI2 * SQRT2PI) / (-36 * z3));
  K[3] += npSum(t3) * ((PI2 * SQRT2PI) / (216 * z6));
  let s = 0;
  for (let i = 0; i < 4; i++) s += K[i] / Math.pow(n, i / 2);
  return s;
}

/**
 * `scipy.stats.kstwo.sf(x, n)`: Pr(D_n > x) for the two-sided one-sample statistic, SciPy's
 * `kolmogn(n, x, cdf=False)` with its branches (Ruben–Gambino near 1/(2n) and 1 - 1/n,
 * 2 * smirnov for x >= 0.5 or a large n x^2, Durbin's matrix, Pomeranz or Pelz–Good for the
 * CDF otherwise) and rv_continuous.sf's support: 1 for x <= 0.5/n, 0 for x >= 1; NaN unless
 * n is a positive integer.
 */
export function kstwoSf(x: number, n: number): number {
  if (!(n >= 1 && Number.isInteger(n))) return NaN;
  if (x <= 0.5 / n) return 1;
  if (x >= 1) return 0;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      const r = 1 / n, c = 2 * t - 1;
      for (let i = 1; i <= n; i++) prob *= (i * r) * c;
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clamp01(1 - prob);
  }
  if (t >= n - 1) return clamp01(2 * (1 - x) ** n);
  if (x >= 0.5) return clamp01(2 * smirnov(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return sfOf(kolmognDMTW(n, x));
    if (nx2 <= 4) return sfOf(kolmognPomeranz(n, x));
    return clamp01(2 * smirnov(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clamp01(2 * smirnov(n, x));
  if (n <= 100000 && n * x ** 1.5 <= 1.4) return sfOf(kolmognDMTW(n, x));
  return clamp01(1 - clamp01(kolmognPelzGood(n, x)));
}
