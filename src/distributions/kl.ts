// klDivergenceOf's registry: KL(p ‖ q) in closed form for every pair of this entry's families that
// torch.distributions.kl registers (torch 2.x, kl.py), in nats. Same-family pairs are regrouped
// into sums of non-negative terms (itakuraSaito, expm1MinusX, normalKL's scale term) so that
// nearly equal distributions give the tiny true value; cross-family pairs follow torch's formulas,
// written to avoid overflow (logs of products as sums of logs, squares of ratios). Pairs whose
// support is not covered (torch's _kl_*_infinity, Uniform's containment) are +Infinity.
import { lgamma, digamma, digammaDiff, digammaMinusLog, trigammaMinusInverse, lbeta, lgammaStirlingBregman, itakuraSaito, expm1MinusX, lgammaExcess, xlogy, erf, gaussLegendre, EULER } from "../core/special.js";
import { Sum } from "../core/sum.js";
import { R, twoProd, twoSum, ldexp, exponent } from "../core/dd.js";
import { normalKL, multivariateNormalKL } from "./normal.js";
import { betaEntropy, gammaEntropy, gammaShapeEntropy, bernoulliEntropy, logWidth } from "./entropy.js";
import type {
  Checked, Inner, CategoricalInner, Family, Normal, Bernoulli, Binomial, Geometric, Poisson, Exponential, Gamma, Beta,
  Dirichlet, Laplace, Uniform, Gumbel, MultivariateNormal, LogNormal,
} from "./constructors.js";

const HALF_LOG_2PI = 0.9189385332046728;

/** (a - b) / s without overflow of a - b (then halved first). */
function diffOver(a: number, b: number, s: number): number {
  const d = a - b;
  return Number.isFinite(d) ? d / s : 2 * ((a / 2 - b / 2) / s);
}

/** log(a b) for a, b > 0: of the product where it is a normal double (one rounding, no cancellation of
 *  two large logs for a scale and its inverse), else log a + log b. */
function logProduct(a: number, b: number): number {
  const p = a * b;
  return p > 2.2250738585072014e-308 && p < Infinity ? Math.log(p) : Math.log(a) + Math.log(b);
}

/** log(a / b) for a, b > 0: log1p of the exact-ish difference near 1, log a - log b where a / b leaves the range. */
function logRatio(a: number, b: number): number {
  const r = a / b;
  if (r >= 0.5 && r <= 2) return Math.log1p((a - b) / b);
  if (r === Infinity || r < 1e-300) return Math.log(a) - Math.log(b);
  return Math.log(r);
}

// ---------------------------------------------------------------------------------------------
// Same family

/** KL(Bernoulli(p) ‖ Bernoulli(q)) = p IS(q, p) + (1 - p) IS(1 - q, 1 - p): both terms >= 0 (their
 *  linear parts q - p and p - q cancel exactly); +Infinity where q puts 0 on an outcome p does not. */
function bernoulliKL(p: number, q: number): number {
  if (p === 0) return 0 - Math.log1p(-q); // +Infinity at q = 1 (0 - : +0, not -0, at q = 0)
  if (p === 1) return 0 - Math.log(q);     // +Infinity at q = 0
  if (q === 0 || q === 1) return Infinity;
  return p * itakuraSaito(q, p, q - p) + (1 - p) * itakuraSaito(1 - q, 1 - p, p - q);
}

/**
 * KL between the normalised weights w / W and v / V: sum p_i IS(q_i, p_i) with p = w / W, q = v / V (the
 * terms q_i - p_i sum to 0; a p_i = 0 term is its limit q_i; +Infinity where q_i = 0 < p_i). The ratio
 * q_i / p_i = (v_i W) / (w_i V) and the difference v_i W - w_i V come from exact products (Dekker; W, V
 * double-doubles W + Wl, V + Vl), so nearly equal weights keep their relative accuracy; a rounding of the
 * totals scales every ratio alike, which moves the sum only at second order.
 */
function weightsKL(w: ArrayLike<number>, W: number, Wl: number, v: ArrayLike<number>, V: number, Vl: number): number {
  // v_i W and w_i V on the totals' scales (exact powers of two), so the products neither overflow nor underflow
  const eW = exponent(W), eV = exponent(V);
  const acc = new Sum();
  const MIN = 2 ** -969; // twoProd exact above it
  for (let i = 0; i < w.length; i++) {
    const pi = w[i] / W;
    if (pi === 0) { acc.add(v[i] / V); continue; } // p_i = 0 (or below the doubles): its limit q_i
    if (v[i] === 0) return Infinity;
    const vi = ldexp(v[i], -eV), wi = ldexp(w[i], -eW);
    if (vi < MIN || wi < MIN) {
      // a ratio far from 1: q_i - p_i - p_i log(q_i / p_i), the log from the four logs (no over/underflow)
      const logr = (Math.log(v[i]) - Math.log(V)) - (Math.log(w[i]) - Math.log(W));
      acc.add(v[i] / V - pi - pi * logr);
      continue;
    }
    twoProd(vi, ldexp(W, -eW));
    const ah = R[0], al = R[1] + vi * ldexp(Wl, -eW);
    twoProd(wi, ldexp(V, -eV));
    const bh = R[0], bl = R[1] + wi * ldexp(Vl, -eV);
    acc.add(pi * itakuraSaito(ah, bh, (ah - bh) + (al - bl)));
  }
  return acc.value;
}

/** The sum of xs as a double-double (hi, lo) in R, compensated. */
function sumDD(xs: ArrayLike<number>): void {
  const acc = new Sum();
  for (let i = 0; i < xs.length; i++) acc.add(xs[i]);
  twoSum(acc.s, acc.c);
}

function categoricalKL(p: CategoricalInner, q: CategoricalInner): number {
  const n = p.weights.length, m = q.weights.length;
  if (n !== m) throw new RangeError(`klDivergenceOf: the categoricals have different numbers of categories (${n} and ${m})`);
  return weightsKL(p.weights, p.total, p.totalLo, q.weights, q.total, q.totalLo);
}

/**
 * KL(Gamma(k1, r1) ‖ Gamma(k2, r2)) = lgammaStirlingBregman(k1, k2 - k1) + k2 IS(m1, m2), m = k / r the means:
 * the shape's divergence at equal means plus the means' (torch's k2 log(r1/r2) + lgamma k2 - lgamma k1
 * + (k1 - k2) psi(k1) + (r2 - r1) k1 / r1 regrouped: two non-negative terms, so nothing cancels, not even
 * for large shapes at nearly equal means). m1 / m2 = (k1 r2) / (r1 k2) with the difference from exact products.
 */
export function gammaKL(k1: number, r1: number, k2: number, r2: number): number {
  const S = lgammaStirlingBregman(k1, k2 - k1, k2);
  // m1 / m2 = (k1 r2) / (r1 k2) on the factors' significands (each in [1/2, 1)) and a power of two 2^E
  const e1 = exponent(k1), e2 = exponent(r2), e3 = exponent(r1), e4 = exponent(k2), E = e1 + e2 - e3 - e4;
  if (Math.abs(E) <= 4) {
    twoProd(ldexp(k1, -e1), ldexp(r2, -e2));
    const ah = ldexp(R[0], E), al = ldexp(R[1], E);
    twoProd(ldexp(r1, -e3), ldexp(k2, -e4));
    return S + k2 * itakuraSaito(ah, R[0], (ah - R[0]) + (al - R[1]));
  }
  // far apart (the ratio is at least 8 or at most 1/8: no cancellation in IS): the products where they are normal
  const a = k1 * r2, b = r1 * k2, ab = a / b;
  if (a > 2.2250738585072014e-308 && a < Infinity && b > 2.2250738585072014e-308 && b < Infinity && ab > 1e-300 && ab < 1e300) {
    return S + k2 * itakuraSaito(a, b);
  }
  // else k2 IS(rho) = k2 rho - k2 - k2 log rho from log rho (k2 rho as one exponential)
  const logRho = (Math.log(k1) - Math.log(k2)) + (Math.log(r2) - Math.log(r1));
  return S + ((Math.exp(Math.log(k2) + logRho) - k2) - k2 * logRho);
}

/**
 * KL(Dir(a) ‖ Dir(b)) (the Beta: k = 2), torch's lgamma / digamma sum regrouped in the same way as the gamma's:
 *   sum_i S(a_i, b_i) - S(a_0, b_0) + b_0 KL(b / b_0 ‖ a / a_0),
 * S(x, y) = lgammaStirlingBregman(x, y - x) (of G(x) = lgamma x - x log x + x, ~(y - x)^2 / (4 x^2)), the last
 * term the categorical KL of the normalised parameters (weightsKL: exact products). Both parts are small where
 * the distributions are close, whichever way they differ (scale or proportions), so nearly equal Dirichlets
 * keep their relative accuracy; b_0 - a_0 = sum (b_i - a_i) is compensated.
 *
 * Where one component dominates the sums (a_* = a_0 - r, b_* = b_0 - t with r, t small) and its S terms are far
 * larger than the rest (a_* = 0.07 against 1e81: both S ~ 1e82, their difference 5e36), the pair
 * S(a_*, b_*) - S(a_0, b_0) is rewritten exactly as
 *   -S(a_0, a_*) - S(b_*, b_0) + t (g(a_0) - g(b_*)) + (b_* - a_*) int_0^r g'(a_* + u) du,  g = psi - log,
 * whose terms are of the size of the result; the form with the smaller terms is used.
 */
function lgammaNormaliserKL(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const K = a.length, d0 = new Sum(), acc = new Sum();
  let star = 0;
  for (let i = 1; i < K; i++) if (a[i] > a[star]) star = i;
  const rest = new Sum(), restB = new Sum();
  for (let i = 0; i < K; i++) {
    d0.add(b[i] - a[i]);
    if (i === star) continue;
    rest.add(a[i]);
    restB.add(b[i]);
    acc.add(lgammaStirlingBregman(a[i], b[i] - a[i], b[i]));
  }
  sumDD(a);
  const A = R[0], Al = R[1];
  sumDD(b);
  const B = R[0], Bl = R[1];
  const xs = a[star], ys = b[star], r = rest.value, t = restB.value;
  // the pair as written ...
  const s1 = lgammaStirlingBregman(xs, ys - xs, ys), s0 = lgammaStirlingBregman(A, d0.value, B);
  // ... and rewritten about the dominant component
  const t1 = r === 0 ? 0 : lgammaStirlingBregman(A, -r, xs), t2 = t === 0 ? 0 : lgammaStirlingBregman(ys, t, B);
  const t3 = t === 0 ? 0 : t * (digammaMinusLog(A) - digammaMinusLog(ys));
  const gd = r === 0 ? 0 : r <= 0.5 * xs ? gaussLegendre((u) => trigammaMinusInverse(xs + u), 0, r) : digammaMinusLog(A) - digammaMinusLog(xs);
  const t4 = gd === 0 ? 0 : (ys - xs) * gd;
  const big = Math.max(Math.abs(s1), Math.abs(s0)), bigNew = Math.max(Math.abs(t1), Math.abs(t2), Math.abs(t3), Math.abs(t4));
  if (bigNew < big || !(big < Infinity)) {
    acc.add(-t1); acc.add(-t2); acc.add(t3); acc.add(t4);
  } else {
    acc.add(s1); acc.add(-s0);
  }
  acc.add(B * weightsKL(b, B, Bl, a, A, Al));
  const v = acc.value;
  return v === v ? Math.max(0, v) : Infinity; // NaN: terms beyond the doubles on both sides
}

function betaKL(p: Beta, q: Beta): number {
  return lgammaNormaliserKL([p.a, p.b], [q.a, q.b]);
}

function dirichletKL(p: Inner<Dirichlet>, q: Inner<Dirichlet>): number {
  if (q.alpha.length !== p.alpha.length) throw new RangeError(`klDivergenceOf: the Dirichlets have different lengths (${p.alpha.length} and ${q.alpha.length})`);
  return lgammaNormaliserKL(p.alpha, q.alpha);
}

/** KL(Laplace(m1, b1) ‖ Laplace(m2, b2)) = IS(b1, b2) + rho (e^-t - 1 + t), rho = b1 / b2, t = |m1 - m2| / b1
 *  (torch's -log rho + |dm| / b2 + rho e^-t - 1 regrouped: both terms >= 0). */
function laplaceKL(p: Laplace, q: Laplace): number {
  const rho = p.scale / q.scale, t = Math.abs(diffOver(p.loc, q.loc, p.scale));
  const scale = itakuraSaito(p.scale, q.scale);
  if (scale === Infinity) return Infinity; // (rho may be too: Infinity x a tiny location term)
  if (t < 1) return scale + rho * expm1MinusX(-t);
  return scale + (rho * Math.expm1(-t) + Math.abs(diffOver(p.loc, q.loc, q.scale)));
}

/** log(wq / wp) where q's support contains p's: log1p(d / wp) with d = wq - wp = (hq - hp) + (lp - lq) >= 0
 *  formed from the ends (not from two rounded widths); on halved ends where a width overflows. */
function uniformKL(p: Uniform, q: Uniform): number {
  if (q.low > p.low || q.high < p.high) return Infinity;
  const k = Number.isFinite(q.high - q.low) ? 1 : 0.5;
  const wp = k * p.high - k * p.low, wq = k * q.high - k * q.low;
  const d = (k * q.high - k * p.high) + (k * p.low - k * q.low);
  return d <= wp ? Math.log1p(d / wp) : Math.log(wq / wp);
}

/**
 * KL(Gumbel(m1, b1) ‖ Gumbel(m2, b2)) with rho = b1 / b2, t = (m1 - m2) / b2, z = rho - 1:
 * torch's -log rho + t + gamma z + e^(lgamma(1 + rho) - t) - 1 regrouped as
 * expm1MinusX(u) + [lgamma(rho) + gamma (rho - 1)], u = lgamma(1 + rho) - t: both >= 0.
 */
function gumbelKL(p: Gumbel, q: Gumbel): number {
  const t = diffOver(p.loc, q.loc, q.scale);
  let g: number, lg1p: number;
  const rho = p.scale / q.scale;
  if (rho >= 0.5 && rho <= 1.5) {
    const z = (p.scale - q.scale) / q.scale;                   // rho - 1 from the exact difference
    g = lgammaExcess(z);                                       // lgamma(rho) + gamma z
    lg1p = g - EULER * z + Math.log1p(z);                      // lgamma(1 + rho) = lgamma(rho) + log rho
  } else {
    g = lgamma(rho) + EULER * (rho - 1);
    lg1p = lgamma(1 + rho);
  }
  const u = lg1p - t;
  // u = Infinity - Infinity only where both the scale and location terms are infinite: so is the KL
  return u === u ? expm1MinusX(u) + g : Infinity;
}

// ---------------------------------------------------------------------------------------------
// Against a normal: KL(P ‖ N(mu, sigma)) = -H(P) + log sigma + 1/2 log(2 pi) + 1/2 ((sd_P / sigma)^2
// + ((E_P - mu) / sigma)^2): the expected negative log-density of N under P, minus P's entropy.

function toNormal(minusEntropyPlusLogSigma: number, mean: number, sd: number, q: Normal): number {
  const a = sd / q.sigma, b = diffOver(mean, q.mu, q.sigma);
  return minusEntropyPlusLogSigma + HALF_LOG_2PI + 0.5 * (a * a + b * b);
}

// ---------------------------------------------------------------------------------------------
// Against a Gumbel(m, b): E_P[-log q] = log b + E_P[(x - m) / b] + E_P[e^(-(x - m) / b)].

/** KL(Gamma(k, r) ‖ Gumbel(m, b)) (torch's _kl_gamma_gumbel); the exponential is Gamma(1, r). */
function gammaGumbelKL(k: number, r: number, q: Gumbel): number {
  const c = r * q.scale, m = q.loc / q.scale;
  if (!Number.isFinite(m)) return Infinity; // e^m - m: +Infinity at either end
  const t1 = -gammaShapeEntropy(k); // (k - 1) psi(k) - lgamma k - k, without its k log k cancellation
  const logc = Number.isFinite(c) && c > 1e-300 ? Math.log(c) : Math.log(r) + Math.log(q.scale);
  // e^m (1 + 1/c)^-k as one exponential (neither factor alone overflows or underflows); log1p(1/c) as
  // -log c where 1/c overflows
  const L = c > 1e-300 ? Math.log1p(1 / c) : -logc;
  const t3 = Math.exp(m - k * L);
  return t1 + logc + k / c + t3 - m;
}

/** KL(N(mu, s) ‖ Gumbel(m, b)) = -log(s / b) + t + e^(-t + (s / b)^2 / 2) - (1 + log 2 pi) / 2, t = (mu - m) / b. */
function normalGumbelKL(p: Normal, q: Gumbel): number {
  const v = p.sigma / q.scale, t = diffOver(p.mu, q.loc, q.scale);
  if (!Number.isFinite(v) || !Number.isFinite(t)) return Infinity; // t + e^(v^2/2 - t): +Infinity at every end
  return -logRatio(p.sigma, q.scale) + t + Math.exp(-t + 0.5 * v * v) - 0.5 * (1 + 2 * HALF_LOG_2PI);
}

/** KL(U(l, h) ‖ Gumbel(m, b)) = log(b / w) + (hz + lz) / 2 + e^-lz (1 - e^-(w / b)) / (w / b), z = (x - m) / b. */
function uniformGumbelKL(p: Uniform, q: Gumbel): number {
  const lz = diffOver(p.low, q.loc, q.scale), hz = diffOver(p.high, q.loc, q.scale);
  const c = (p.high - p.low) / q.scale; // w / b (Infinity only where the KL is)
  if (lz === -Infinity || hz === Infinity) return Infinity; // e^-lz, or hz / 2, beyond the doubles
  const f = c < 1e-10 ? 1 - c / 2 : -Math.expm1(-c) / c; // (1 - e^-c) / c, also where c underflows to 0
  return -logWidthOver(p, q.scale) + 0.5 * (hz + lz) + Math.exp(-lz) * f;
}

/** log(w / s) for a uniform's width w: of the ratio where w is finite (the scale's log does not cancel). */
function logWidthOver(p: Uniform, s: number): number {
  const w = p.high - p.low;
  return Number.isFinite(w) ? logRatio(w, s) : logWidth(p.low, p.high) - Math.log(s);
}

/** log(w r) for a uniform's width w and a rate r. */
function logWidthTimes(p: Uniform, r: number): number {
  const w = p.high - p.low;
  return Number.isFinite(w) ? logProduct(w, r) : logWidth(p.low, p.high) + Math.log(r);
}

/** The mean of log x over U(l, h), 0 <= l < h: log h - 1 - l log(l / h) / (h - l) (log h - 1 at l = 0). */
function meanLog(l: number, h: number): number {
  if (l === 0) return Math.log(h) - 1;
  const w = h - l, r = l / h;
  if (w <= 1e-4 * h) return gaussLegendre(Math.log, l, h) / w; // narrow: log is nearly linear there
  const logr = r > 0.5 ? Math.log1p(-w / h) : r > 0 ? Math.log(r) : Math.log(l) - Math.log(h); // l / h may underflow
  return Math.log(h) - 1 - (l / w) * logr;
}

/** The mean of log(1 - x) over U(l, h), 0 <= l < h <= 1: for h <= 1/2 by Gauss–Legendre on log1p(-x) (its
 *  singularity at 1 is 3 half-lengths away or more), else meanLog(1 - h, 1 - l) (1 - h exact). */
function meanLog1m(l: number, h: number): number {
  if (h <= 0.5) return gaussLegendre((x) => Math.log1p(-x) / h, l, h) * (h / (h - l)); // / h: no underflow of the rule's sum
  return meanLog(1 - h, 1 - l);
}

/** The mean of log(r x) over U(l, h): meanLog(r l, r h), or meanLog(l, h) + log r where r h leaves the doubles. */
function meanLogScaled(l: number, h: number, r: number): number {
  const rl = r * l, rh = r * h;
  return rh < Infinity && (l === 0 || rl > 2.2250738585072014e-308) ? meanLog(rl, rh) : meanLog(l, h) + Math.log(r);
}

/** KL(N(mu, s) ‖ Laplace(m, b)) = log(b / s) + E|X - m| / b - (1 + log(pi / 2)) / 2, E|X - m| =
 *  s sqrt(2 / pi) e^(-D^2 / 2) + s D erf(D / sqrt 2), D = |mu - m| / s. */
function normalLaplaceKL(p: Normal, q: Laplace): number {
  // E|X - m| / b = (s / b) sqrt(2 / pi) e^(-D^2 / 2) + (|mu - m| / b) erf(D / sqrt 2): each ratio formed
  // on its own (|mu - m| / s may overflow where |mu - m| / b does not)
  const D = Math.abs(diffOver(p.mu, q.loc, p.sigma)), dq = Math.abs(diffOver(p.mu, q.loc, q.scale));
  if (!(p.sigma / q.scale < Infinity)) return Infinity; // E|X - m| >= s sqrt(2 / pi) e^(-D^2 / 2) and >= |mu - m|
  const eabs = (p.sigma / q.scale) * Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * D * D) + (dq === 0 ? 0 : dq * erf(D * Math.SQRT1_2));
  return logRatio(q.scale, p.sigma) + eabs - 0.5 * (1 + Math.log(Math.PI / 2));
}

/**
 * KL(Beta(a, b) ‖ Gamma(k, r)) = -H(p) + lgamma k - k log r - (k - 1)(psi(a) - psi(s)) + r a / s (torch), s = a + b.
 * For a < 1 both -H(p) and (k - 1) psi(a) hold a 1/a that cancels (psi(a) = psi(a + 1) - 1/a, and the same
 * for s), so the terms are regrouped first: -log B(a, b) + (a - k)(psi(a + 1) - psi(s + 1)) + a / s + k b / (a s)
 * - (b - 1)(psi(s) - psi(b)) - 1 + lgamma k - k log r + r a / s (psi differences by digammaDiff).
 */
function betaGammaKL(p: Beta, q: Gamma): number {
  const { a, b } = p, k = q.shape, r = q.rate, s = a + b;
  if (a >= 1) return -betaEntropy(p) + lgamma(k) - k * Math.log(r) - (k - 1) * digammaDiff(s, a) + r * (a / s);
  const acc = new Sum();
  acc.add(-lbeta(a, b));
  acc.add((a - k) * digammaDiff(s + 1, a + 1));
  acc.add(a / s + k * (b / s) / a);
  acc.add(-(b - 1) * digammaDiff(b, s));
  acc.add(-1);
  acc.add(lgamma(k) - k * Math.log(r));
  acc.add(r * (a / s));
  return acc.value;
}

// ---------------------------------------------------------------------------------------------
// The registry: pair key "p|q" -> KL. Pairs torch answers with +Infinity (support not covered) are
// listed too; a pair not here has no closed form (torch: NotImplementedError).

type KL = (p: never, q: never) => number;
const INF = () => Infinity;
const key = (a: Family, b: Family) => `${a}|${b}`;

export const REGISTRY: ReadonlyMap<string, KL> = new Map<string, KL>([
  // same family
  [key("normal", "normal"), ((p: Normal, q: Normal) => normalKL(p.mu, p.sigma, q.mu, q.sigma)) as KL],
  [key("logNormal", "logNormal"), ((p: LogNormal, q: LogNormal) => normalKL(p.mu, p.sigma, q.mu, q.sigma)) as KL],
  [key("multivariateNormal", "multivariateNormal"), ((p: Inner<MultivariateNormal>, q: Inner<MultivariateNormal>) => {
    if (p.n !== q.n) throw new RangeError(`klDivergenceOf: the multivariate normals have different dimensions (${p.n} and ${q.n})`);
    return multivariateNormalKL(p, q);
  }) as KL],
  [key("categorical", "categorical"), categoricalKL as KL],
  [key("bernoulli", "bernoulli"), ((p: Bernoulli, q: Bernoulli) => bernoulliKL(p.p, q.p)) as KL],
  [key("binomial", "binomial"), ((p: Binomial, q: Binomial) => {
    if (p.n < q.n) {
      throw new TypeError(`klDivergenceOf: no closed form for KL(binomial ‖ binomial) with p's n (${p.n}) < q's n (${q.n}) (torch: NotImplementedError)`);
    }
    return p.n > q.n ? Infinity : p.n === 0 ? 0 : p.n * bernoulliKL(p.p, q.p);
  }) as KL],
  // KL per trial / p: the expected number of trials is 1 / p
  [key("geometric", "geometric"), ((p: Geometric, q: Geometric) => bernoulliKL(p.p, q.p) / p.p) as KL],
  [key("poisson", "poisson"), ((p: Poisson, q: Poisson) => p.rate * itakuraSaito(q.rate, p.rate)) as KL],
  [key("exponential", "exponential"), ((p: Exponential, q: Exponential) => itakuraSaito(q.rate, p.rate)) as KL],
  [key("gamma", "gamma"), ((p: Gamma, q: Gamma) => gammaKL(p.shape, p.rate, q.shape, q.rate)) as KL],
  [key("beta", "beta"), betaKL as KL],
  [key("dirichlet", "dirichlet"), dirichletKL as KL],
  [key("laplace", "laplace"), laplaceKL as KL],
  [key("uniform", "uniform"), uniformKL as KL],
  [key("gumbel", "gumbel"), gumbelKL as KL],
  // cross family
  [key("bernoulli", "poisson"), ((p: Bernoulli, q: Poisson) => -bernoulliEntropy(p.p) - xlogy(p.p, q.rate) + q.rate) as KL],
  [key("beta", "exponential"), ((p: Beta, q: Exponential) => -betaEntropy(p) - Math.log(q.rate) + q.rate * (p.a / (p.a + p.b))) as KL],
  [key("beta", "gamma"), betaGammaKL as KL],
  [key("beta", "normal"), ((p: Beta, q: Normal) => {
    const s = p.a + p.b, m = p.a / s;
    return toNormal(-betaEntropy(p) + Math.log(q.sigma), m, Math.sqrt((m * (p.b / s)) / (s + 1)), q);
  }) as KL],
  [key("beta", "uniform"), ((p: Beta, q: Uniform) => (q.low > 0 || q.high < 1 ? Infinity : -betaEntropy(p) + logWidth(q.low, q.high))) as KL],
  [key("exponential", "beta"), INF],
  [key("exponential", "uniform"), INF],
  [key("exponential", "gamma"), ((p: Exponential, q: Gamma) => gammaKL(1, p.rate, q.shape, q.rate)) as KL],
  [key("exponential", "gumbel"), ((p: Exponential, q: Gumbel) => gammaGumbelKL(1, p.rate, q)) as KL],
  [key("exponential", "normal"), ((p: Exponential, q: Normal) =>
    toNormal(logRatio(q.sigma, 1 / p.rate) - 1, 1 / p.rate, 1 / p.rate, q)) as KL],
  [key("gamma", "beta"), INF],
  [key("gamma", "uniform"), INF],
  [key("gamma", "exponential"), ((p: Gamma, q: Exponential) => gammaKL(p.shape, p.rate, 1, q.rate)) as KL],
  [key("gamma", "gumbel"), ((p: Gamma, q: Gumbel) => gammaGumbelKL(p.shape, p.rate, q)) as KL],
  [key("gamma", "normal"), ((p: Gamma, q: Normal) =>
    toNormal(-gammaShapeEntropy(p.shape, -logProduct(p.rate, q.sigma)), p.shape / p.rate, Math.sqrt(p.shape) / p.rate, q)) as KL],
  [key("gumbel", "beta"), INF],
  [key("gumbel", "exponential"), INF],
  [key("gumbel", "gamma"), INF],
  [key("gumbel", "uniform"), INF],
  [key("gumbel", "normal"), ((p: Gumbel, q: Normal) =>
    toNormal(logRatio(q.sigma, p.scale) - 1 - EULER, p.loc + p.scale * EULER, p.scale * (Math.PI / Math.sqrt(6)), q)) as KL],
  [key("laplace", "beta"), INF],
  [key("laplace", "exponential"), INF],
  [key("laplace", "gamma"), INF],
  [key("laplace", "uniform"), INF],
  [key("laplace", "normal"), ((p: Laplace, q: Normal) =>
    toNormal(logRatio(q.sigma, 2 * p.scale) - 1, p.loc, Math.SQRT2 * p.scale, q)) as KL],
  [key("normal", "beta"), INF],
  [key("normal", "exponential"), INF],
  [key("normal", "gamma"), INF],
  [key("normal", "uniform"), INF],
  [key("normal", "gumbel"), normalGumbelKL as KL],
  [key("normal", "laplace"), normalLaplaceKL as KL],
  [key("poisson", "bernoulli"), INF],
  [key("poisson", "binomial"), INF],
  [key("uniform", "beta"), ((p: Uniform, q: Beta) => {
    if (p.high > 1 || p.low < 0) return Infinity;
    const w = p.high - p.low;
    return -Math.log(w) - (q.a - 1) * meanLog(p.low, p.high) - (q.b - 1) * meanLog1m(p.low, p.high) + lbeta(q.a, q.b);
  }) as KL],
  // on the scale x' = rate x: -log(w rate) + rate (h + l) / 2 [+ lgamma k - (k - 1) E log x'], so a rate of 1e290
  // and a width of 1e-290 do not leave two logs of 668 to cancel
  [key("uniform", "exponential"), ((p: Uniform, q: Exponential) => (p.low < 0 ? Infinity
    : q.rate * (p.high / 2 + p.low / 2) - logWidthTimes(p, q.rate))) as KL],
  [key("uniform", "gamma"), ((p: Uniform, q: Gamma) => (p.low < 0 ? Infinity
    : -logWidthTimes(p, q.rate) + lgamma(q.shape) - (q.shape - 1) * meanLogScaled(p.low, p.high, q.rate)
      + q.rate * (p.high / 2 + p.low / 2))) as KL],
  [key("uniform", "gumbel"), uniformGumbelKL as KL],
  [key("uniform", "normal"), ((p: Uniform, q: Normal) =>
    toNormal(-logWidthOver(p, q.sigma), p.high / 2 + p.low / 2, (p.high / 2 - p.low / 2) / Math.sqrt(3), q)) as KL],
]);

/** The pairs (p family, q family) with a closed form (or +Infinity), in the registry's order. */
export const PAIRS: readonly (readonly [Family, Family])[] = Object.freeze([...REGISTRY.keys()].map((k) => Object.freeze(k.split("|") as [Family, Family])));

/** klDivergenceOf's body: p and q are checked distributions. */
export function klOfChecked(p: Checked, q: Checked): number {
  const f = REGISTRY.get(key(p.family, q.family));
  if (f === undefined) throw new TypeError(`klDivergenceOf: no closed form for KL(${p.family} ‖ ${q.family})`);
  return (f as (p: Checked, q: Checked) => number)(p, q);
}
