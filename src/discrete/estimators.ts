// Entropy of a distribution from counts, plug-in or bias-corrected: the one module
// that both entropy(counts, { estimator }) (src/discrete/api.ts) and
// mutualInformation(table, cols, { estimator }) (src/mutual/api.ts) compute with.
// Scalar TypeScript (a pass or two over the counts), so both builds run this code:
// the WebAssembly and reference entries give the same bits. Formulas, papers and the
// R functions each one matches: docs/estimators.md.
import { type Vector, checkOptions, logBaseOf, flag, findBad, badValue, show } from "../core/validate.js";
import { Sum } from "../core/sum.js";

/** How the entropy is estimated from counts (docs/estimators.md). */
export type Estimator = "plugin" | "millerMadow" | "chaoShen" | "shrinkage" | "grassberger" | "dirichlet";
/** A Dirichlet pseudocount per bin: a number ≥ 0 or a named prior (K bins, N counts):
 *  "jeffreys" ½, "laplace" 1, "perks" 1/K, "minimax" √N/K. */
export type Prior = number | "jeffreys" | "laplace" | "perks" | "minimax";

/** The estimator options of entropy, entropyRows and mutualInformation. */
export interface EstimatorOptions {
  /** "plugin", "millerMadow", "chaoShen", "shrinkage", "grassberger" or "dirichlet" (with `a`). */
  estimator?: Estimator;
  /** The pseudocount of `estimator: "dirichlet"`: a number ≥ 0 or a named prior. */
  a?: Prior;
  /** Shorthand for `{ estimator: "dirichlet", a }`. */
  dirichlet?: Prior;
}

/** A parsed estimator: its kind and, for "dirichlet", the prior. */
export interface EstimatorSpec {
  kind: Estimator;
  prior: Prior;
}

const KINDS: readonly string[] = ["plugin", "millerMadow", "chaoShen", "shrinkage", "grassberger", "dirichlet"];
const PRIORS: readonly string[] = ["jeffreys", "laplace", "perks", "minimax"];
/** The option keys that select an estimator. */
export const ESTIMATOR_KEYS = ["estimator", "a", "dirichlet"] as const;

/** Whether an options object has an own estimator key (inherited keys are never read). */
export function hasEstimator(o: unknown): boolean {
  return typeof o === "object" && o !== null && ESTIMATOR_KEYS.some((k) => Object.hasOwn(o, k));
}

/** The estimator of options already read by checkOptions (undefined when none of its keys is there). */
export function estimatorOf(fn: string, o: Partial<EstimatorOptions>): EstimatorSpec | undefined {
  const { estimator: e, dirichlet: d } = o;
  let a: unknown = o.a;
  if (e === undefined && a === undefined && d === undefined) return undefined;
  if (e !== undefined && !KINDS.includes(e)) {
    throw new RangeError(`${fn}: estimator must be one of "${KINDS.join('", "')}", got ${show(e)}`);
  }
  // the pseudocount: given once, as { dirichlet: a } or { estimator: "dirichlet", a }
  if (d !== undefined ? a !== undefined || (e ?? "dirichlet") !== "dirichlet" : a !== undefined && e !== "dirichlet") {
    throw new RangeError(`${fn}: give the Dirichlet pseudocount once, as { dirichlet: a } or { estimator: "dirichlet", a }`);
  }
  if (d === undefined && e !== "dirichlet") return { kind: e!, prior: 0 };
  // estimator "dirichlet" without a: "a must be a number >= 0 or one of …, got undefined"
  return { kind: "dirichlet", prior: d === undefined ? prior(fn, "a", a) : prior(fn, "dirichlet", d) };
}

function prior(fn: string, name: string, v: unknown): Prior {
  if (typeof v === "number" ? v >= 0 && v < Infinity : PRIORS.includes(v as string)) return v as Prior;
  throw new RangeError(`${fn}: ${name} must be a number >= 0 or one of "${PRIORS.join('", "')}", got ${show(v)}`);
}

/** Estimator options of entropy / entropyRows: the estimator (undefined when every estimator key is undefined),
 *  the unit and the other options as read; normalize: true is implied (false is an error). */
export function parseEstimatorOptions(fn: string, options: object):
  { spec: EstimatorSpec | undefined; logBase: number; rest: { base?: number; normalize?: boolean } } {
  const o = checkOptions(fn, options as EstimatorOptions & { base?: number; normalize?: boolean },
    ["base", "normalize", ...ESTIMATOR_KEYS]);
  const logBase = logBaseOf(fn, o.base), spec = estimatorOf(fn, o), rest = { base: o.base, normalize: o.normalize };
  if (spec !== undefined && flag(fn, "normalize", o.normalize) === false) {
    throw new RangeError(`${fn}: an estimator takes counts and divides by their total; normalize: false cannot be combined with it`);
  }
  return { spec, logBase, rest };
}

/** Throws for the first entry of t that is not an integer (every value already checked: finite numbers >= 0). */
export function checkIntegers(fn: string, name: string, t: Vector): void {
  for (let i = 0; i < t.length; i++) {
    if (!Number.isInteger(t[i])) throw new RangeError(`${fn}: ${name}[${i}] is not an integer count (${t[i]})`);
  }
}

/** Counts as the estimators take them: every value finite and >= 0 (the first bad one by
 *  index), then every value an integer (the first that is not), unless `integers` is false. */
export function checkCounts(fn: string, name: string, x: Vector, integers: boolean): void {
  const i = findBad(x);
  if (i >= 0) throw badValue(fn, name, x, i);
  if (integers) checkIntegers(fn, name, x);
}

/** d(n) = log n − G(n) for Grassberger's G(n) = ψ(n) + ½(−1)^n (ψ((n+1)/2) − ψ(n/2)), n ≥ 1 an integer.
 *  From n ≥ 64 by its asymptotic series for even n (truncation < 1e-20 relative), odd n from n + 1,
 *  below by the exact recurrences ψ(n) = ψ(n+1) − 1/n, β(n) = 1/n − β(n+1) (β(n) the
 *  half-difference): d(n) = d(n+1) − log1p(1/n) (n even), + 2/n − log1p(1/n) (n odd),
 *  so the small d(n) (−1/(6n²) for even n) keeps its digits where log n − G(n) would cancel. */
function grassbergerD(n: number): number {
  if (n < 64) return smallD[n];
  // even n: Σ B_{2k} (2 − 4^k) / (2k) n^−2k; odd n: d(n + 1) + 2/n − log1p(1/n) (≈ 1/n, no cancellation)
  if (n % 2) return grassbergerD(n + 1) + 2 / n - Math.log1p(1 / n);
  const r = 1 / (n * n);
  return -r * (1 / 6 - r * (7 / 60 - r * (31 / 126 - r * (127 / 120 - r * (511 / 66)))));
}
const smallD = /* @__PURE__ */ (() => {
  const t = new Float64Array(65);
  t[64] = grassbergerD(64);
  for (let n = 63; n >= 1; n--) t[n] = t[n + 1] + (n % 2 === 0 ? 0 : 2 / n) - Math.log1p(1 / n);
  return t;
})();

/** log(t / v) for 0 < v <= t, t − v given (exact for integer counts): by log1p where the ratio is
 *  near 1, so that a bin holding most of the counts keeps its term's digits (−p log p ≈ 1 − p). */
function logRatio(t: number, v: number, tMinusV: number): number {
  return v > 0.5 * t ? Math.log1p(tMinusV / v) : Math.log(t / v);
}

/**
 * The entropy (nats) of counts x[from, to) by the estimator, K = to − from bins (zero
 * counts are bins: they matter for "shrinkage" and "dirichlet"). Values already checked
 * (finite, >= 0 integers); throws when they sum to 0 or to 2^53 or more (where sums of integers stop being exact).
 */
export function entropyFromCounts(fn: string, where: string, x: Vector, from: number, to: number, spec: EstimatorSpec): number {
  const K = to - from, kind = spec.kind, acc = new Sum();
  let n = 0, m = 0, f1 = 0;
  for (let i = from; i < to; i++) {
    const v = x[i];
    n += v;
    if (v > 0) m++;
    if (v === 1) f1++;
  }
  if (!(n > 0)) throw new RangeError(`${fn}: cannot normalize: ${where} sums to 0`);
  if (n >= 2 ** 53) throw new RangeError(`${fn}: ${where} sums to ${n}; counts must total less than 2^53 (to be exact)`);
  if (kind === "shrinkage" || kind === "dirichlet") {
    // the plug-in entropy of (s n_i + a) / (s N + K a): Dirichlet's s = 1; the James–Stein shrinkage
    // λ/K + (1 − λ) n_i/N is s = 1 − λ, a = λN/K, with λ = Σ u(1−u)/(N−1) / Σ (u − 1/K)² in [0, 1], u = n_i/N
    // (Hausser & Strimmer 2009, R's freqs.shrink; 1 for N = 1)
    let s = 1, a: number;
    const pr = spec.prior;
    if (kind === "dirichlet") a = typeof pr === "number" ? pr : pr === "jeffreys" ? 0.5 : pr === "laplace" ? 1 : pr === "perks" ? 1 / K : Math.sqrt(n) / K;
    else {
      let lambda = 1;
      if (n > 1) {
        const v = new Sum(), msp = new Sum();
        for (let i = from; i < to; i++) { const u = x[i] / n; v.add(u * (1 - u)); msp.add((u - 1 / K) ** 2); }
        lambda = msp.value === 0 ? 1 : Math.min(1, Math.max(0, v.value / (n - 1) / msp.value));
      }
      s = 1 - lambda;
      a = (lambda * n) / K;
    }
    const total = s * n + K * a;
    for (let i = from; i < to; i++) {
      const v = s * x[i] + a;
      if (v > 0) acc.add((v / total) * logRatio(total, v, s * (n - x[i]) + (K - 1) * a));
    }
    return acc.value;
  }
  // Chao–Shen's coverage C = 1 − f/N, f = f1 (singletons), N − 1 where every count is one (R's entropy.ChaoShen)
  const f = (f1 === n ? n - 1 : f1) / n, logC = Math.log1p(-f);
  for (let i = from; i < to; i++) {
    const v = x[i];
    if (v > 0) {
      const l = logRatio(n, v, n - v), pa = ((1 - f) * v) / n;
      // Chao–Shen: pa log(1/pa) / (1 − (1 − pa)^N), pa = C n_i/N, log pa = log C − log(N/n_i)
      acc.add(kind === "chaoShen" ? (pa * (l - logC)) / -Math.expm1(n * Math.log1p(-pa))
        : (v / n) * (kind === "grassberger" ? l + grassbergerD(v) : l));
    }
  }
  if (kind === "millerMadow") acc.add((m - 1) / (2 * n));
  return acc.value;
}
