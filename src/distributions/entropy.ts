// Differential (continuous) and Shannon (discrete) entropies of the distribution families, in nats.
// The same formulas as torch.distributions' entropy(), except where noted (Poisson: torch has none;
// binomial: the sum over the support with Loader's accurate log-pmf instead of torch's lgammas).
import { lgamma, digamma, lbeta, stirlingCorrection, digammaTail, itakuraSaito, xlogy, gaussLegendre, EULER } from "../core/special.js";
import { Sum } from "../core/sum.js";
import { multivariateNormalEntropy, HALF_LOG_2PI_E } from "./normal.js";
import type { Checked, Beta, Gamma } from "./constructors.js";

const HALF_LOG_2PI = 0.9189385332046728;

/** -p log p - (1 - p) log(1 - p), 0 at p = 0 and 1. */
export function bernoulliEntropy(p: number): number {
  return p === 0 || p === 1 ? 0 : -(xlogy(p, p) + (1 - p) * Math.log1p(-p));
}

/**
 * The Dirichlet (and Beta: k = 2) entropy sum lgamma(a_i) - lgamma(a_0) + (a_0 - k) psi(a_0) - sum (a_i - 1) psi(a_i).
 * For large parameters the terms are ~a log a each and cancel to ~log of a standard deviation, so where
 * a_0 >= 10 they are expanded with Stirling's lgamma (correction C) and psi(x) = log x - 1/(2x) - T(x), and
 * the logs and the linear terms collected before anything is added (the -a_i cancel a_0 exactly):
 *   sum_{a_i < 10} [lgamma(a_i) - (a_i - 1) psi(a_i) + a_i]
 *   + sum_{a_i >= 10} [1/2 log(a_i / a_0) + 1/2 log(2 pi) + C(a_i) + 1/2 - 1/(2 a_i) + (a_i - 1) T(a_i)]
 *   + (1/2 - k + B/2) log a_0 - 1/2 log(2 pi) - C(a_0) - (a_0 - k) / (2 a_0) - (a_0 - k) T(a_0),
 * B the number of a_i >= 10. Below a_0 = 10, the sum as written.
 */
export function lgammaNormaliserEntropy(al: ArrayLike<number>): number {
  const K = al.length, a0s = new Sum();
  for (let i = 0; i < K; i++) a0s.add(al[i]);
  const a0 = a0s.value, acc = new Sum();
  if (a0 < 10) {
    acc.add(-lgamma(a0));
    acc.add((a0 - K) * digamma(a0));
    for (let i = 0; i < K; i++) acc.add(lgamma(al[i]) - (al[i] - 1) * digamma(al[i]));
    return acc.value;
  }
  const C = stirlingCorrection, T = digammaTail;
  let big = 0;
  for (let i = 0; i < K; i++) {
    const a = al[i];
    if (a < 10) { acc.add(lgamma(a) - (a - 1) * digamma(a) + a); continue; }
    big++;
    acc.add(0.5 * Math.log(a / a0));
    acc.add(HALF_LOG_2PI + 0.5 + (C(a) - 0.5 / a + (a - 1) * T(a)));
  }
  acc.add((0.5 - K + big / 2) * Math.log(a0));
  acc.add(-HALF_LOG_2PI - C(a0) - (a0 - K) / (2 * a0) - (a0 - K) * T(a0));
  return acc.value;
}

export function betaEntropy(d: Beta): number {
  return lgammaNormaliserEntropy([d.a, d.b]);
}

/**
 * k - log rate + lgamma(k) + (1 - k) psi(k); from k = 10 expanded as the beta's is:
 * 1/2 log k + 1/2 log(2 pi) + 1/2 - log rate + C(k) - 1/(2k) + (k - 1) T(k) (no cancellation of k log k terms).
 */
export function gammaEntropy(d: Gamma): number {
  return gammaShapeEntropy(d.shape, -Math.log(d.rate));
}

/** The entropy of Gamma(k, 1), plus `plus` (-log rate for a gamma's): the terms, which cancel for small
 *  shapes (lgamma k against (1 - k) psi(k)), are added with compensation. */
export function gammaShapeEntropy(k: number, plus = 0): number {
  const acc = new Sum();
  if (k < 10) {
    acc.add(k);
    acc.add(lgamma(k));
    acc.add((1 - k) * digamma(k));
  } else {
    acc.add(0.5 * Math.log(k));
    acc.add(HALF_LOG_2PI + 0.5 + (stirlingCorrection(k) - 0.5 / k + (k - 1) * digammaTail(k)));
  }
  acc.add(plus);
  return acc.value;
}

/** log C(n, k) p^k (1 - p)^(n - k) for 0 < p < 1, by Loader's saddle-point form (R's dbinom_raw):
 *  stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, np) - bd0(n - k, nq) + 1/2 log(n / (2 pi k (n - k))),
 *  bd0(x, m) = x log(x / m) + m - x = x IS(m, x) (no cancellation of large lgammas). k may be real (the
 *  entropy's integral); d = np - k is passed by a caller that has it exactly (an offset from the mean). */
export function binomialLogPmf(k: number, n: number, p: number, q = 1 - p, d = n * p - k): number {
  if (k === 0) return n * Math.log1p(-p);
  if (k === n) return n * Math.log(p);
  const np = n * p, nq = n * q, nk = nq + d; // n - k
  return stirlerr(n) - stirlerr(k) - stirlerr(nk) - k * itakuraSaito(np, k, d) - nk * itakuraSaito(nq, nk, -d)
    + 0.5 * Math.log(n / (k * nk)) - HALF_LOG_2PI;
}

/** Loader's stirlerr(n) = log(n!) - ((n + 1/2) log n - n + 1/2 log(2 pi)) for integers n >= 1: since
 *  log(n!) = lgamma(n) + log n, it is lgamma's Stirling correction at n (from n = 10), else computed
 *  from lgamma (absolute error ~1e-15 there). */
function stirlerr(n: number): number {
  if (n >= 10) return stirlingCorrection(n);
  return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - HALF_LOG_2PI;
}

/**
 * -sum_k P(k) log P(k) for a pmf with mean m and standard deviation sd, log P given by logPmf(k, d) for
 * real k with d = m - k (exact: Loader's form needs the offset, not two large numbers' difference), over
 * the integers of [lo, hi] within m +- 40 sd (+- 64): beyond, P < e^-800. Where sd > 1000 the sum is the
 * integral of the same smooth function, by Gauss–Legendre over panels of sd / 2 in the offset from m
 * (so the nodes are not rounded to the spacing of doubles near m): by Poisson summation the two differ
 * by ~e^(-2 pi^2 sd^2), far below an ulp, and the integral costs ~4000 evaluations instead of 80 sd.
 */
export function latticeEntropy(logPmf: (k: number, d: number) => number, m: number, sd: number, lo: number, hi: number, smooth = sd > 1000): number {
  const term = (k: number, d: number) => { const l = logPmf(k, d); return l > -745 ? -Math.exp(l) * l : 0; };
  const acc = new Sum();
  if (smooth) {
    const a = Math.max(lo - m, -40 * sd), b = Math.min(hi - m, 40 * sd), panels = Math.ceil((b - a) / (sd / 2));
    const w = (b - a) / panels, f = (x: number) => term(m + x, -x);
    for (let i = 0; i < panels; i++) acc.add(gaussLegendre(f, a + i * w, a + (i + 1) * w));
    return acc.value;
  }
  const from = Math.max(lo, Math.floor(m - 40 * sd - 64)), to = Math.min(hi, Math.ceil(m + 40 * sd + 64));
  for (let k = from; k <= to; k++) acc.add(term(k, m - k));
  return acc.value;
}

/** The entropy of a binomial (torch: the sum over the whole support with lgamma-based log-probabilities). */
export function binomialEntropy(n: number, p: number, smooth?: boolean): number {
  if (p === 0 || p === 1 || n === 0) return 0;
  const q = 1 - p;
  return latticeEntropy((k, d) => binomialLogPmf(k, n, p, q, d), n * p, Math.sqrt(n * p * q), 0, n, smooth);
}

/** The entropy of a Poisson, log P(k) = -stirlerr(k) - bd0(k, rate) - 1/2 log(2 pi k) (k = 0: -rate).
 *  torch has no Poisson entropy. */
export function poissonEntropy(rate: number, smooth?: boolean): number {
  const logPmf = (k: number, d: number) => (k === 0 ? -rate : -stirlerr(k) - k * itakuraSaito(rate, k, d) - 0.5 * Math.log(k) - HALF_LOG_2PI);
  return latticeEntropy(logPmf, rate, Math.sqrt(rate), 0, Infinity, smooth);
}

/** entropyOf's body: d is checked. */
export function entropyOfChecked(d: Checked): number {
  switch (d.family) {
    case "normal": return HALF_LOG_2PI_E + Math.log(d.sigma);
    case "logNormal": return HALF_LOG_2PI_E + Math.log(d.sigma) + d.mu;
    case "multivariateNormal": return multivariateNormalEntropy(d);
    case "categorical": {
      const acc = new Sum();
      for (let i = 0; i < d.probs.length; i++) acc.add(-xlogy(d.probs[i], d.probs[i]));
      return acc.value;
    }
    case "bernoulli": return bernoulliEntropy(d.p);
    case "binomial": return binomialEntropy(d.n, d.p);
    case "geometric": return d.p === 1 ? 0 : bernoulliEntropy(d.p) / d.p;
    case "poisson": return poissonEntropy(d.rate);
    case "exponential": return 1 - Math.log(d.rate);
    case "gamma": return gammaEntropy(d);
    case "beta": return betaEntropy(d);
    case "dirichlet": return lgammaNormaliserEntropy(d.alpha);
    case "laplace": return 1 + Math.log(2 * d.scale);
    case "uniform": return logWidth(d.low, d.high);
    case "gumbel": return Math.log(d.scale) + 1 + EULER;
  }
}

/** log(high - low) for low < high, without overflow (high - low may exceed the double range). */
export function logWidth(low: number, high: number): number {
  const w = high - low;
  return Number.isFinite(w) ? Math.log(w) : Math.log(high / 2 - low / 2) + Math.LN2;
}
