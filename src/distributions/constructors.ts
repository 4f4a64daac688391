// The distribution values of kl-wasm/distributions: small frozen objects built by one constructor
// each, which checks the parameters once and records the value in CHECKED with what the computations
// read (vectors as private Float64Arrays): klDivergenceOf and entropyOf accept only recorded values, so
// they never see a bad parameter, a hand-made object or a vector changed after the check.
// Parameter conventions follow torch.distributions (noted where scipy.stats differs).
import { type Vector, vector, show, nonNumberType, checkOptions } from "../core/validate.js";
import { Sum } from "../core/sum.js";
import { R, twoSum } from "../core/dd.js";

export interface Normal { readonly family: "normal"; readonly mu: number; readonly sigma: number }
export interface LogNormal { readonly family: "logNormal"; readonly mu: number; readonly sigma: number }
export interface MultivariateNormal {
  readonly family: "multivariateNormal";
  /** The mean (length n), a frozen array. */
  readonly mean: readonly number[];
  /** The lower Cholesky factor L of the covariance (cov = L L^T), row-major n x n, positive diagonal; a frozen array. */
  readonly scaleTril: readonly number[];
  readonly n: number;
}
export interface Categorical {
  readonly family: "categorical";
  /** The probabilities, normalised (divided by their sum), as torch does; a frozen array. */
  readonly probs: readonly number[];
}
export interface Bernoulli { readonly family: "bernoulli"; readonly p: number }
export interface Binomial { readonly family: "binomial"; readonly n: number; readonly p: number }
export interface Geometric { readonly family: "geometric"; readonly p: number }
export interface Poisson { readonly family: "poisson"; readonly rate: number }
export interface Exponential { readonly family: "exponential"; readonly rate: number }
export interface Gamma { readonly family: "gamma"; readonly shape: number; readonly rate: number }
export interface Beta { readonly family: "beta"; readonly a: number; readonly b: number }
export interface Dirichlet { readonly family: "dirichlet"; /** A frozen array. */ readonly alpha: readonly number[] }
export interface Laplace { readonly family: "laplace"; readonly loc: number; readonly scale: number }
export interface Uniform { readonly family: "uniform"; readonly low: number; readonly high: number }
export interface Gumbel { readonly family: "gumbel"; readonly loc: number; readonly scale: number }

/** Any distribution this entry builds. */
export type Distribution = Normal | LogNormal | MultivariateNormal | Categorical | Bernoulli | Binomial | Geometric
  | Poisson | Exponential | Gamma | Beta | Dirichlet | Laplace | Uniform | Gumbel;
export type Family = Distribution["family"];

/** What klDivergenceOf and entropyOf read: a distribution's parameters, its vectors as private Float64Arrays. */
export type Inner<D> = { readonly [K in keyof D]: D[K] extends readonly number[] ? Float64Array : D[K] };
/** A categorical also keeps the weights it was given and their sum (probs = weights / total). */
export interface CategoricalInner extends Inner<Categorical> {
  /** The weights as given; the KL works from these, so the rounding of the division does not limit how
   *  small a difference it resolves. The total is their compensated sum as a double-double (total + totalLo). */
  readonly weights: Float64Array; readonly total: number; readonly totalLo: number;
}
export type Checked = Inner<Exclude<Distribution, Categorical>> | CategoricalInner;

/** Every value the constructors made, with what the computations read (the value itself when it has no vector). */
const CHECKED = new WeakMap<object, Checked>();

/** d frozen and recorded, with inner (its private vectors) as what the computations read. */
function made<D extends Distribution>(d: D, inner: Checked = d as Checked): D {
  CHECKED.set(d, inner);
  return Object.freeze(d);
}

/** A private vector's public face: a frozen array (writes throw in strict code, are ignored otherwise).
 *  Pushed one by one: about twice as fast as Array.from of a Float64Array. */
function frozen(v: Float64Array): readonly number[] {
  const a: number[] = [];
  for (let i = 0; i < v.length; i++) a.push(v[i]);
  return Object.freeze(a);
}

/** TypeError unless v is a number (the message names the function and the argument). */
export function numberArg(fn: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== "number") throw new TypeError(`${fn}: ${name} must be a number, got ${v === null ? "null" : typeof v}`);
}

/** A number parameter: TypeError unless a number, RangeError unless finite (and > 0, or in [lo, hi]). */
function param(fn: string, name: string, v: unknown, rule: "real" | "positive" | "probability"): number {
  numberArg(fn, name, v);
  if (rule === "real" && !Number.isFinite(v)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${show(v)}`);
  if (rule === "positive" && !(v > 0 && v < Infinity)) throw new RangeError(`${fn}: ${name} must be a finite number > 0, got ${show(v)}`);
  if (rule === "probability" && !(v >= 0 && v <= 1)) throw new RangeError(`${fn}: ${name} must be a probability in [0, 1], got ${show(v)}`);
  return v;
}

/** A vector parameter read once into a new Float64Array, every value checked (index named). */
function vectorParam(fn: string, name: string, x: unknown, rule: "real" | "nonnegative" | "positive"): Float64Array {
  const v = vector(fn, name, x), out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const e = v[i] as number;
    if (typeof e !== "number" || Number.isNaN(e)) {
      // vector() copied a plain array's non-numbers as NaN and remembers their type
      const type = nonNumberType(v, i);
      if (type !== undefined) throw new TypeError(`${fn}: ${name}[${i}] is not a number (${type})`);
    }
    const ok = rule === "real" ? Number.isFinite(e) : rule === "positive" ? e > 0 && e < Infinity : e >= 0 && e < Infinity;
    if (!ok) {
      const want = rule === "real" ? "finite" : rule === "positive" ? "finite and > 0" : "finite and >= 0";
      throw new RangeError(`${fn}: ${name}[${i}] must be ${want}, got ${e}`);
    }
    out[i] = e;
  }
  return out;
}

/** The normal distribution N(mu, sigma^2): sigma is the standard deviation (torch's scale, scipy's scale). */
export function normal(mu: number, sigma: number): Normal {
  const fn = "normal";
  return made({ family: "normal", mu: param(fn, "mu", mu, "real"), sigma: param(fn, "sigma", sigma, "positive") });
}

/** The log-normal distribution: exp of N(mu, sigma^2) (torch's LogNormal(loc, scale); scipy's lognorm(s = sigma, scale = e^mu)). */
export function logNormal(mu: number, sigma: number): LogNormal {
  const fn = "logNormal";
  return made({ family: "logNormal", mu: param(fn, "mu", mu, "real"), sigma: param(fn, "sigma", sigma, "positive") });
}

/** The options of multivariateNormal: exactly one of cov and scaleTril (giving both does not compile). */
export type MultivariateNormalOptions =
  | { cov: Vector | readonly (readonly number[])[]; scaleTril?: never }
  | { scaleTril: Vector | readonly (readonly number[])[]; cov?: never };

/** A square matrix given as rows (number[][]) or row-major (a vector of n^2 values), as a Float64Array. */
function squareMatrix(fn: string, name: string, m: unknown, n: number): Float64Array {
  let flat: unknown = m;
  if (Array.isArray(m) && m.length > 0 && (Array.isArray(m[0]) || ArrayBuffer.isView(m[0]))) {
    if (m.length !== n) throw new RangeError(`${fn}: ${name} must be ${n} x ${n} (the mean's length), got ${m.length} rows`);
    const rows = m as unknown[], out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      if (!Array.isArray(r) && !ArrayBuffer.isView(r)) throw new TypeError(`${fn}: ${name}[${i}] must be an array (a row)`);
      const row = r as ArrayLike<unknown>;
      if (row.length !== n) throw new RangeError(`${fn}: ${name}[${i}] must have ${n} values, got ${row.length}`);
      for (let j = 0; j < n; j++) out.push(row[j]);
    }
    flat = out;
  }
  const v = vectorParam(fn, name, flat, "real");
  if (v.length !== n * n) throw new RangeError(`${fn}: ${name} must have ${n} x ${n} = ${n * n} values (row-major), got ${v.length}`);
  return v;
}

/**
 * The multivariate normal N(mean, cov), from `{ cov }` (symmetric positive definite; factored by
 * Cholesky, as torch does) or `{ scaleTril }` (the lower Cholesky factor L, cov = L L^T, diagonal
 * > 0; entries above the diagonal must be 0). Matrices as rows (number[][]) or row-major vectors.
 * @throws RangeError: lengths, a non-symmetric or not positive definite cov (naming the pivot),
 *   a scaleTril with a diagonal entry <= 0 or a nonzero above the diagonal; TypeError: not numbers,
 *   neither or both options.
 */
export function multivariateNormal(mean: Vector, options: MultivariateNormalOptions): MultivariateNormal {
  const fn = "multivariateNormal";
  const mu = vectorParam(fn, "mean", mean, "real"), n = mu.length;
  if (options === null || typeof options !== "object") throw new TypeError(`${fn}: options must be { cov } or { scaleTril }`);
  // own keys read once into a copy (inherited ones never seen, getters run once); undefined counts as left out
  const o = checkOptions(fn, options as { cov?: unknown; scaleTril?: unknown }, ["cov", "scaleTril"]);
  const given = (o.cov !== undefined ? 1 : 0) + (o.scaleTril !== undefined ? 1 : 0);
  if (given !== 1) throw new TypeError(`${fn}: give exactly one of cov and scaleTril, got ${given === 0 ? "neither" : "both"}`);
  let L: Float64Array;
  if (o.scaleTril !== undefined) {
    L = squareMatrix(fn, "scaleTril", o.scaleTril, n);
    for (let i = 0; i < n; i++) {
      if (!(L[i * n + i] > 0)) throw new RangeError(`${fn}: scaleTril[${i}][${i}] must be > 0, got ${L[i * n + i]}`);
      for (let j = i + 1; j < n; j++) {
        if (L[i * n + j] !== 0) throw new RangeError(`${fn}: scaleTril must be lower triangular, but scaleTril[${i}][${j}] is ${L[i * n + j]}`);
      }
    }
  } else {
    const C = squareMatrix(fn, "cov", o.cov, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        if (C[i * n + j] !== C[j * n + i]) throw new RangeError(`${fn}: cov must be symmetric, but cov[${i}][${j}] = ${C[i * n + j]} and cov[${j}][${i}] = ${C[j * n + i]}`);
      }
    }
    L = cholesky(fn, C, n);
  }
  // scaleTril's frozen array (n^2 boxed numbers: ~50 ms and 19 MB at n = 1000) is made on its first read, once
  let view: readonly number[] | undefined;
  const d = { family: "multivariateNormal", mean: frozen(mu), n } as MultivariateNormal;
  Object.defineProperty(d, "scaleTril", { enumerable: true, get: () => (view ??= frozen(L)) });
  return made(d, { family: "multivariateNormal", mean: mu, scaleTril: L, n });
}

/** The lower Cholesky factor of a symmetric matrix (row-major), or a RangeError naming the pivot
 *  where it is not positive definite. Sums of products in the order of LAPACK's unblocked dpotf2. */
function cholesky(fn: string, C: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = C[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) throw new RangeError(`${fn}: cov is not positive definite (Cholesky pivot ${j} is ${d})`);
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = C[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** The categorical distribution on {0, ..., k - 1}: probs non-negative with a positive sum, divided by
 *  their sum (torch's Categorical(probs); counts or weights are fine). */
export function categorical(probs: Vector): Categorical {
  const fn = "categorical";
  const w = vectorParam(fn, "probs", probs, "nonnegative");
  let acc = sumOf(w);
  if (!(acc.s > 0)) throw new RangeError(`${fn}: probs sum to 0`);
  if (!Number.isFinite(acc.s)) {
    // the sum overflows: weights scaled down by 2^-1000 (exact but for subnormals)
    for (let i = 0; i < w.length; i++) w[i] *= 2 ** -1000;
    acc = sumOf(w);
  }
  twoSum(acc.s, acc.c); // the sum as a double-double: total + totalLo
  const s = R[0], lo = R[1];
  const p = s === 1 ? w : w.map((v) => v / s);
  return made({ family: "categorical", probs: frozen(p) }, { family: "categorical", probs: p, weights: w, total: s, totalLo: lo });
}

function sumOf(w: Float64Array): Sum {
  const acc = new Sum();
  for (let i = 0; i < w.length; i++) acc.add(w[i]);
  return acc;
}

/** Bernoulli(p) on {0, 1}, P(1) = p in [0, 1]. */
export function bernoulli(p: number): Bernoulli {
  return made({ family: "bernoulli", p: param("bernoulli", "p", p, "probability") });
}

/** Binomial(n, p): successes in n independent Bernoulli(p) trials, n an integer >= 0 (torch's total_count). */
export function binomial(n: number, p: number): Binomial {
  const fn = "binomial";
  numberArg(fn, "n", n);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${fn}: n must be an integer >= 0 (at most 2^53 - 1), got ${show(n)}`);
  return made({ family: "binomial", n, p: param(fn, "p", p, "probability") });
}

/** Geometric(p), torch's convention: the number of failures before the first success, on {0, 1, 2, ...},
 *  P(k) = (1 - p)^k p, p in (0, 1] (scipy.stats.geom counts trials, on {1, 2, ...}: shifted by one). */
export function geometric(p: number): Geometric {
  const fn = "geometric";
  param(fn, "p", p, "probability");
  if (p === 0) throw new RangeError(`${fn}: p must be in (0, 1], got 0`);
  return made({ family: "geometric", p });
}

/** Poisson(rate), rate > 0 (torch allows rate = 0; a point mass at 0 has no KL worth the name here). */
export function poisson(rate: number): Poisson {
  return made({ family: "poisson", rate: param("poisson", "rate", rate, "positive") });
}

/** Exponential(rate): density rate e^(-rate x) on x >= 0 (torch's rate; scipy's expon(scale = 1 / rate)). */
export function exponential(rate: number): Exponential {
  return made({ family: "exponential", rate: param("exponential", "rate", rate, "positive") });
}

/** Gamma(shape, rate): density rate^shape x^(shape - 1) e^(-rate x) / Gamma(shape) (torch's concentration, rate;
 *  scipy's gamma(a = shape, scale = 1 / rate)). */
export function gamma(shape: number, rate: number): Gamma {
  const fn = "gamma";
  return made({ family: "gamma", shape: param(fn, "shape", shape, "positive"), rate: param(fn, "rate", rate, "positive") });
}

/** Beta(a, b) on [0, 1] (torch's concentration1 = a, concentration0 = b). */
export function beta(a: number, b: number): Beta {
  const fn = "beta";
  return made({ family: "beta", a: param(fn, "a", a, "positive"), b: param(fn, "b", b, "positive") });
}

/** Dirichlet(alpha) on the simplex, alpha[i] > 0, at least 1 value (torch's concentration). */
export function dirichlet(alpha: Vector): Dirichlet {
  const a = vectorParam("dirichlet", "alpha", alpha, "positive");
  return made({ family: "dirichlet", alpha: frozen(a) }, { family: "dirichlet", alpha: a });
}

/** Laplace(loc, scale): density e^(-|x - loc| / scale) / (2 scale). */
export function laplace(loc: number, scale: number): Laplace {
  const fn = "laplace";
  return made({ family: "laplace", loc: param(fn, "loc", loc, "real"), scale: param(fn, "scale", scale, "positive") });
}

/** Uniform(low, high), low < high (torch's Uniform; scipy's uniform(loc = low, scale = high - low)). */
export function uniform(low: number, high: number): Uniform {
  const fn = "uniform";
  param(fn, "low", low, "real");
  param(fn, "high", high, "real");
  if (!(low < high)) throw new RangeError(`${fn}: low must be < high, got low = ${low}, high = ${high}`);
  return made({ family: "uniform", low, high });
}

/** Gumbel(loc, scale), the maximum-value (right-skewed) Gumbel: CDF exp(-exp(-(x - loc) / scale))
 *  (torch's Gumbel, scipy's gumbel_r). */
export function gumbel(loc: number, scale: number): Gumbel {
  const fn = "gumbel";
  return made({ family: "gumbel", loc: param(fn, "loc", loc, "real"), scale: param(fn, "scale", scale, "positive") });
}

/** What the computations read for d, or a TypeError unless d was made by this copy of the constructors
 *  (a hand-made object, a spread or structuredClone copy is not a distribution, frozen or not). */
export function checked(fn: string, name: string, d: unknown): Checked {
  const c = CHECKED.get(d as object); // undefined for anything not recorded, primitives included
  if (c === undefined) {
    throw new TypeError(`${fn}: ${name} must be a distribution made by this module's constructors (normal(...), gamma(...), ...), got ${show(d)}`);
  }
  return c;
}
