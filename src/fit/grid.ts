// Densities on a grid, and the closed-form KL of Gaussians: plain TypeScript,
// shared by the WebAssembly build and the reference (these are O(n) maps, not
// hot loops). Every function that returns an array can write into `out`, for
// example a workspace view, so its result is already in WebAssembly memory.
import {
  type Vector, vector, checkFinite, checkNumber, checkOptions, outArray, throwFirstBad, show,
} from "../core/validate.js";
import { compensatedSum } from "../core/sum.js";
import { linspaceInto } from "../core/linspace.js";
import { R, twoSum, twoProd, ldexp, exponent } from "../core/dd.js";

/** num evenly spaced values from start to stop inclusive, as `np.linspace(start, stop, num)`
 *  computes them, bit for bit: x[i] = i * step + start with step = (stop - start) / (num - 1)
 *  (i / (num - 1) * (stop - start) + start where that step underflows to 0), x[num-1] = stop. */
export function linspace(start: number, stop: number, num: number, out?: Float64Array): Float64Array {
  checkNumber("linspace", "start", start);
  checkNumber("linspace", "stop", stop);
  if (!Number.isInteger(num) || num < 2) throw new RangeError(`linspace: num must be an integer >= 2, got ${show(num)}`);
  return linspaceInto(start, stop, outArray("linspace", out, num));
}

const SQRT_2PI = 2.5066282746310002;

/** The N(mu, sigma) density at one point, as scipy.stats.norm.pdf computes it. */
export function pdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return Math.exp(-(z * z) / 2) / SQRT_2PI / sigma;
}

/** The N(mu, sigma) density at every x, as scipy.stats.norm.pdf computes it:
 *  exp(-z^2 / 2) / sqrt(2 pi) / sigma, z = (x - mu) / sigma. */
export function normalPdf(x0: Vector, mu: number, sigma: number, out?: Float64Array): Float64Array {
  const fn = "normalPdf";
  const x = vector(fn, "x", x0); // plain arrays read once (as every function here)
  checkFinite(fn, "x", x);
  checkNumber(fn, "mu", mu);
  checkNumber(fn, "sigma", sigma, true);
  const y = outArray(fn, out, x.length);
  for (let i = 0; i < x.length; i++) y[i] = pdf(x[i], mu, sigma);
  return y;
}

export interface Mixture {
  /** Non-negative, summing to 1 (within 1e-12). */
  weights: Vector;
  mus: Vector;
  /** Standard deviations, > 0. */
  sigmas: Vector;
}

/** sum_k weights[k] N(x; mus[k], sigmas[k]) at every x. */
export function mixturePdf(x0: Vector, mixture: Mixture, out?: Float64Array): Float64Array {
  const fn = "mixturePdf";
  const x = vector(fn, "x", x0);
  checkFinite(fn, "x", x);
  if (mixture === null || typeof mixture !== "object") throw new TypeError(`${fn}: mixture must be an object { weights, mus, sigmas }`);
  const m = checkOptions(fn, mixture, ["weights", "mus", "sigmas"]) as Mixture;
  const w = vector(fn, "weights", m.weights), mus = vector(fn, "mus", m.mus), sigmas = vector(fn, "sigmas", m.sigmas);
  if (mus.length !== w.length || sigmas.length !== w.length) {
    throw new RangeError(`${fn}: weights, mus and sigmas must have the same length, got ${w.length}, ${mus.length} and ${sigmas.length}`);
  }
  let total = 0;
  for (let k = 0; k < w.length; k++) {
    checkNumber(fn, `weights[${k}]`, w[k]);
    if (w[k] < 0) throw new RangeError(`${fn}: weights[${k}] is negative (${w[k]})`);
    checkNumber(fn, `mus[${k}]`, mus[k]);
    checkNumber(fn, `sigmas[${k}]`, sigmas[k], true);
    total += w[k];
  }
  if (Math.abs(total - 1) > 1e-12) throw new RangeError(`${fn}: weights must sum to 1 (within 1e-12), got ${total}`);
  const y = outArray(fn, out, x.length);
  y.fill(0);
  for (let k = 0; k < w.length; k++) {
    const wk = w[k], mk = mus[k], sk = sigmas[k];
    for (let i = 0; i < x.length; i++) y[i] += wk * pdf(x[i], mk, sk);
  }
  return y;
}

/** p / (sum(p) dx): a density on a grid of spacing dx that integrates to 1 (the seed's normalisation). */
export function normalizeDensity(p0: Vector, dx: number, out?: Float64Array): Float64Array {
  const fn = "normalizeDensity";
  const p = vector(fn, "p", p0);
  checkNumber(fn, "dx", dx, true);
  throwFirstBad(fn, p);
  const total = compensatedSum(p) * dx;
  if (!(total > 0 && total < Infinity)) throw new RangeError(`${fn}: cannot normalize: sum(p) * dx is ${total}`);
  const y = outArray(fn, out, p.length);
  for (let i = 0; i < p.length; i++) y[i] = p[i] / total;
  return y;
}

// Exact building blocks for the closed form (core/dd.ts): error-free sums and products
// (Knuth's TwoSum, Dekker's split product, leaving the result in R[0] + R[1] exactly; no
// allocation per call) and exact power-of-two scaling. Every twoProd's factors here are within
// [2^-60, 4], inside its exact range.
/** e with x = m 2^e, m in [1, 2), for finite x != 0 (subnormals included). */
const exponentOf = (x: number): number => exponent(x) - 1;
// log 2 = LN2_HI + LN2_LO (fdlibm's split: LN2_HI has 32 significant bits, so k LN2_HI is exact for |k| < 2^21)
const LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
/** Horner coefficients of T(s) = sum_{n>=3} (c_n / 4) s^(n-2), c_n = 2n (n even), 2n - 2/n (n odd). */
const TCOEF = Float64Array.from({ length: 48 }, (_, j) => { const n = j + 3; return (n % 2 === 0 ? 2 * n : 2 * n - 2 / n) / 4; });

/** KL(N(mu1, sigma1^2) || N(mu2, sigma2^2)) in nats, in closed form:
 *  log(sigma2 / sigma1) + (sigma1^2 + (mu1 - mu2)^2) / (2 sigma2^2) - 1/2,
 *  within a few ulp (tested: 4e-16 relative) for every finite input: sigma ratios from
 *  the subnormals to the overflow threshold, nearly equal Gaussians, huge mean
 *  differences. +Infinity only when the true value exceeds the double range. */
export function gaussianKL(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  const fn = "gaussianKL";
  checkNumber(fn, "mu1", mu1);
  checkNumber(fn, "sigma1", sigma1, true);
  checkNumber(fn, "mu2", mu2);
  checkNumber(fn, "sigma2", sigma2, true);
  return gaussianKLTerm(mu1, sigma1, mu2, sigma2);
}

/**
 * KL = f(r) + D^2 / 2 with r = sigma1 / sigma2, f(r) = (r^2 - 1) / 2 - log r >= 0 and
 * D = (mu1 - mu2) / sigma2: two non-negative terms, each computed in double-double
 * with its power of two apart (value = (hi + lo) 2^e), so nothing overflows or
 * underflows on the way, and one rounding at the end.
 *  - r in [1/2, 2]: with s = (sigma1 - sigma2) / (sigma1 + sigma2) (|s| <= 1/3, the
 *    difference exact by Sterbenz), r = (1 + s) / (1 - s), f = 2s / (1 - s)^2 - 2 atanh(s)
 *    = 4 s^2 (1 + T(s)), T(s) = sum_{n>=3} (c_n / 4) s^(n-2), c_n = 2n or 2n - 2/n: no
 *    cancellation, and the leading 4 s^2 is exact in double-double.
 *  - otherwise r = rho 2^k, rho in [1/sqrt 2, sqrt 2), k != 0: log r = k log 2 + log rho
 *    (rho's rounding carried as its remainder), r^2 = rho^2 2^(2k) in double-double; f >= 0.31
 *    there, so the one inexact piece, Math.log(rho) (|log rho| <= 0.35, within 1 ulp), costs
 *    at most 2e-16 relative.
 *  - mu1 - mu2 exactly as a double-double (halved first when it could overflow), divided
 *    by sigma2's significand; its power of two is kept apart.
 */
function gaussianKLTerm(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  const e1 = exponentOf(sigma1), e2 = exponentOf(sigma2);
  const m2 = ldexp(sigma2, -e2);
  let fh = 0, fl = 0, fe = 0;
  const de = e1 - e2;
  const a = de >= -2 && de <= 2 ? ldexp(sigma1, -e2) : 0; // sigma1 on sigma2's scale (exact)
  if (de >= -2 && de <= 2 && a >= m2 / 2 && a <= 2 * m2) {
    if (a !== m2) {
      const num = a - m2; // exact (Sterbenz)
      twoSum(a, m2);
      const dh = R[0], dl = R[1];
      const sh = num / dh;
      twoProd(sh, dh);
      const sl = (((num - R[0]) - R[1]) - sh * dl) / dh;
      // T(s) by Horner over enough terms for |s|^n < 2^-60
      const as = Math.abs(sh);
      const nT = as < 1e-300 ? 1 : Math.min(TCOEF.length, Math.ceil(-41.6 / Math.log(as)) + 1);
      let t = TCOEF[nT - 1];
      for (let j = nT - 2; j >= 0; j--) t = t * sh + TCOEF[j];
      const T = t * sh;
      twoProd(sh, sh);
      const qh = 4 * R[0], ql = 4 * (R[1] + 2 * sh * sl);
      twoSum(qh, qh * T + ql * (1 + T));
      fh = R[0]; fl = R[1];
    }
  } else {
    let m1 = ldexp(sigma1, -e1), k = de;
    if (m1 >= Math.SQRT2 * m2) { m1 /= 2; k++; } else if (m1 < Math.SQRT1_2 * m2) { m1 *= 2; k--; }
    const rh = m1 / m2;
    twoProd(rh, m2);
    const rl = ((m1 - R[0]) - R[1]) / m2;
    // log r = Lh + Ll
    twoSum(k * LN2_HI, Math.log(rh));
    const Lh = R[0], Ll = R[1] + (k * LN2_LO + rl / rh);
    // rho^2 = gh + gl
    twoProd(rh, rh);
    const gh = R[0], gl = R[1] + 2 * rh * rl;
    if (k > 0) {
      // f = 2^(2k-1) (rho^2 - (1 + 2 log r) 2^(-2k))
      twoSum(1, 2 * Lh);
      const ch = ldexp(R[0], -2 * k), cl = ldexp(R[1] + 2 * Ll, -2 * k);
      twoSum(gh, -ch);
      fh = R[0]; fl = R[1] + (gl - cl); fe = 2 * k - 1;
    } else {
      // f = -log r - 1/2 + rho^2 2^(2k-1)
      twoSum(-Lh, -0.5);
      const xh = R[0], xl = R[1] - Ll;
      twoSum(xh, ldexp(gh, 2 * k - 1));
      fh = R[0]; fl = R[1] + xl + ldexp(gl, 2 * k - 1);
    }
  }
  // D^2 / 2 = (gh + gl) 2^ge
  let gh = 0, gl = 0, ge = 0;
  if (mu1 !== mu2) {
    let sc = 0, x1 = mu1, x2 = mu2;
    if (Math.abs(x1) >= 8.98846567431158e307 || Math.abs(x2) >= 8.98846567431158e307) { x1 /= 2; x2 /= 2; sc = 1; } // 2^1023
    twoSum(x1, -x2);
    const ed = exponentOf(R[0]);
    const mh = ldexp(R[0], -ed), ml = ldexp(R[1], -ed);
    const Dh = mh / m2;
    twoProd(Dh, m2);
    const Dl = (((mh - R[0]) - R[1]) + ml) / m2;
    twoProd(Dh, Dh);
    gh = R[0]; gl = R[1] + 2 * Dh * Dl; ge = 2 * (ed + sc - e2) - 1;
  }
  if (fh === 0 && gh === 0) return 0;
  // sum at the larger scale, one rounding, then the power of two
  let E: number;
  if (gh === 0 || (fh !== 0 && fe >= ge)) {
    E = fe;
    gh = ldexp(gh, ge - E); gl = ldexp(gl, ge - E);
  } else {
    E = ge;
    fh = ldexp(fh, fe - E); fl = ldexp(fl, fe - E);
  }
  twoSum(fh, gh);
  return ldexp(R[0] + (R[1] + fl + gl), E);
}

/** KL between two Gaussians with diagonal covariances (mu and sigma = standard deviations
 *  per dimension): the sum of the per-dimension closed forms. */
export function gaussianKLDiag(mu1: Vector, sigma1: Vector, mu2: Vector, sigma2: Vector): number {
  const fn = "gaussianKLDiag";
  const args: Record<string, Vector> = { mu1, sigma1, mu2, sigma2 };
  for (const name of Object.keys(args)) {
    const v = (args[name] = vector(fn, name, args[name]));
    checkFinite(fn, name, v);
    if (v.length !== args.mu1.length) throw new RangeError(`${fn}: ${name} must have the same length as mu1 (${args.mu1.length}), got ${v.length}`);
  }
  ({ mu1, sigma1, mu2, sigma2 } = args);
  let s = 0;
  for (let i = 0; i < mu1.length; i++) {
    if (!(sigma1[i] > 0)) throw new RangeError(`${fn}: sigma1[${i}] must be > 0, got ${sigma1[i]}`);
    if (!(sigma2[i] > 0)) throw new RangeError(`${fn}: sigma2[${i}] must be > 0, got ${sigma2[i]}`);
    s += gaussianKLTerm(mu1[i], sigma1[i], mu2[i], sigma2[i]);
  }
  return s;
}
