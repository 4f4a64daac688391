// Densities on a grid, and the closed-form KL of Gaussians: plain TypeScript,
// shared by the WebAssembly build and the reference (these are O(n) maps, not
// hot loops). Every function that returns an array can write into `out`, for
// example a workspace view, so its result is already in WebAssembly memory.
import {
  type Vector, vector, checkFinite, checkNumber, checkOptions, outArray, throwFirstBad, show,
} from "../core/validate.js";
import { compensatedSum } from "../core/sum.js";
import { linspaceInto } from "../core/linspace.js";
import { normalKL } from "../distributions/normal.js";

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
  return normalKL(mu1, sigma1, mu2, sigma2);
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
    s += normalKL(mu1[i], sigma1[i], mu2[i], sigma2[i]);
  }
  return s;
}
