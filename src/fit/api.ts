// KL between densities on a grid, and Gaussian fits by minimising forward or
// reverse KL: the section 2 of the seed chapter. The public functions are built
// once over an engine (WebAssembly in fit-wasm.ts, pure TS in fit-ref.ts), so both
// builds share every check, the grid argmin, the mode search and the refinement.
import type { SmallInputs } from "../discrete/api.js";
import { compensatedSum } from "../core/sum.js";
import {
  type Vector, vector, flag, checkFinite, checkNumber, checkOptions, checkSameLength, throwFirstBad, logBaseOf, show,
} from "../core/validate.js";

/** Loss surfaces of one prepared target density (raw sums: the caller multiplies by dx). */
export interface PreparedTarget {
  /** out[i * sigmas.length + j] = the forward (reverse = false) or reverse cell for mus[i], sigmas[j]. */
  surface(mus: Float64Array, sigmas: Float64Array, reverse: boolean, out: Float64Array): void;
}

export interface FitEngine {
  /** sum max(p, floor) log(max(p, floor) / max(q, floor)), without dx; throws for bad values. */
  klDensity(fn: string, p: Vector, q: Vector, floor: number): number;
  /** x finite, p finite and >= 0 (checked), both Float64Array of the same length. */
  prepare(x: Float64Array, p: Float64Array, floor: number): PreparedTarget;
}

export type Direction = "forward" | "reverse";

/** Options of klDensity: the floor both densities are clipped to, and the unit. */
export interface KlDensityOptions {
  /** Both p and q are clipped below at floor, in (0, 1). Default 1e-15 (the seed's). */
  floor?: number;
  /** Logarithm base; nats by default. */
  base?: number;
}

/** Options of gaussianFit: the direction, the (mu, sigma) grid, and how modes are found and refined. */
export interface GaussianFitOptions {
  /** "forward": KL(P || Q), mass-covering; "reverse": KL(Q || P), mode-seeking. Default "forward". */
  direction?: Direction;
  /** Candidate means (rows of the surface). */
  mus: Vector;
  /** Candidate standard deviations, > 0 (columns of the surface). */
  sigmas: Vector;
  /** p and q are clipped below at floor. Default 1e-15. */
  floor?: number;
  /** The grid weight; default x[1] - x[0], as the seed. */
  dx?: number;
  /** A local minimum is a mode when its loss is within modeTolerance * |best loss| of the best. Default 1e-9. */
  modeTolerance?: number;
  /** Refine the grid's local minima to the continuous minimisers (Nelder-Mead, bounded:
   *  sigma >= the largest spacing of x, loss >= the log-sum bound; see GaussianFit.minSigma
   *  and lossBound). Default true. */
  refine?: boolean;
}

/** Options of gaussianFitAsync: gaussianFit's, and the chunking, progress and cancellation. */
export interface AsyncFitOptions extends GaussianFitOptions {
  /** Cancels the computation between chunks: the promise rejects with signal.reason. */
  signal?: AbortSignal;
  /** Called after each chunk with the cells done so far and the total. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Grid terms (cells x points) per chunk between yields to the event loop. Default 2^22 (a few ms). */
  chunkTerms?: number;
}

/** A cell of the loss surface: its indices, parameters and loss. */
export interface GridCell { i: number; j: number; mu: number; sigma: number; loss: number }
/** A refined minimiser: its parameters, loss and the objective evaluations it took. */
export interface Optimum { mu: number; sigma: number; loss: number; evaluations: number }

/** What gaussianFit returns: the loss surface, its grid minimum and modes, and the refined optimum and modes. */
export interface GaussianFit {
  direction: Direction;
  /** Loss surface, row-major: rows = mus, columns = sigmas. */
  losses: Float64Array;
  mus: Float64Array;
  sigmas: Float64Array;
  /** The grid minimum, with NumPy's rule: the first minimum in row-major order. */
  best: GridCell;
  /** Every local minimum of the grid (no neighbour lower by more than the tolerance) within the tolerance of the best. */
  gridModes: GridCell[];
  /** The best continuous minimiser of the same discretised objective over the refinement's
   *  domain (sigma >= minSigma, loss >= lossBound); undefined with refine: false, or when no
   *  grid cell or projected grid minimum lies in that domain. */
  optimum?: Optimum;
  /** Every distinct continuous local minimiser within the tolerance of the optimum, by increasing mu. */
  modes: Optimum[];
  /** The refinement's lower bound on sigma: the largest spacing of x (dx for a uniform grid).
   *  A narrower Gaussian is a spike between or on grid points, not resolved by the Riemann sum. */
  minSigma: number;
  /** The refinement's lower bound on the loss: what the log-sum inequality gives for a q of
   *  mass 1 against the target's mass m = dx sum(p), i.e. 0 for a normalised target (|m - 1| <= 1e-9),
   *  else m log m (forward) or -log m (reverse). Refined points never go below it. */
  lossBound: number;
}

/** What gaussianFit returns with refine: false: the grid results only. */
export type GaussianFitGrid = Omit<GaussianFit, "optimum" | "modes"> & { optimum?: undefined; modes: [] };

const FIT_KEYS = ["direction", "mus", "sigmas", "floor", "dx", "modeTolerance", "refine"] as const;
const ASYNC_KEYS = [...FIT_KEYS, "signal", "onProgress", "chunkTerms"] as const;

function checkFloor(fn: string, floor: unknown): number {
  if (floor === undefined) return 1e-15;
  if (typeof floor !== "number" || !(floor > 0 && floor < 1)) throw new RangeError(`${fn}: floor must be a number in (0, 1), got ${show(floor)}`);
  return floor;
}

interface Plan {
  fn: string;
  reverse: boolean;
  direction: Direction;
  target: PreparedTarget;
  mus: Float64Array;
  sigmas: Float64Array;
  dx: number;
  n: number;
  tolerance: number;
  refine: boolean;
  losses: Float64Array;
  minSigma: number;
  lossBound: number;
  /** The target's mean and standard deviation on the grid (the last-resort start). */
  moments: [number, number];
}

/** The options object, checked (own known keys, each read once); it is required. */
function required(fn: string, options: AsyncFitOptions | undefined, keys: readonly string[]): AsyncFitOptions {
  if (options === undefined || options === null) throw new TypeError(`${fn}: options { mus, sigmas } are required`);
  return checkOptions(fn, options, keys) as AsyncFitOptions;
}

function plan(engine: FitEngine, fn: string, p0: Vector, x0: Vector, o: AsyncFitOptions): Plan {
  // plain arrays are read once, into Float64Arrays, before anything is computed
  const p = vector(fn, "p", p0), x = vector(fn, "x", x0);
  checkSameLength(fn, p, x, ["p", "x"]);
  if (x.length < 2) throw new RangeError(`${fn}: the grid needs at least 2 points, got ${x.length}`);
  checkFinite(fn, "x", x);
  throwFirstBad(fn, p);
  const direction = o.direction ?? "forward";
  if (direction !== "forward" && direction !== "reverse") throw new RangeError(`${fn}: direction must be "forward" or "reverse", got ${show(direction)}`);
  const mus0 = vector(fn, "mus", o.mus), sigmas0 = vector(fn, "sigmas", o.sigmas);
  checkFinite(fn, "mus", mus0);
  checkFinite(fn, "sigmas", sigmas0);
  const bad = Array.from(sigmas0 as ArrayLike<number>).findIndex((s) => !(s > 0));
  if (bad >= 0) throw new RangeError(`${fn}: sigmas[${bad}] must be > 0, got ${sigmas0[bad]}`);
  const floor = checkFloor(fn, o.floor);
  const dx = o.dx ?? x[1] - x[0];
  checkNumber(fn, "dx", dx, true);
  const tolerance = o.modeTolerance ?? 1e-9;
  if (typeof tolerance !== "number" || !(tolerance >= 0 && tolerance < Infinity)) {
    throw new RangeError(`${fn}: modeTolerance must be a finite number >= 0, got ${show(tolerance)}`);
  }
  const refine = flag(fn, "refine", o.refine) ?? true;
  const mus = Float64Array.from(mus0 as ArrayLike<number>), sigmas = Float64Array.from(sigmas0 as ArrayLike<number>);
  // x and p are copied (once each): an async fit must not see the caller change them between chunks
  const xs = Float64Array.from(x as ArrayLike<number>), ps = Float64Array.from(p as ArrayLike<number>);
  const reverse = direction === "reverse";
  return {
    fn, reverse, direction,
    target: engine.prepare(xs, ps, floor),
    mus, sigmas, dx, n: x.length, tolerance, refine, losses: new Float64Array(mus.length * sigmas.length),
    minSigma: largestSpacing(xs) || dx, lossBound: lossBound(compensatedSum(ps) * dx, reverse), moments: moments(xs, ps),
  };
}

/** Mean and standard deviation of x weighted by p (0 and 1 if p is all zeros). */
function moments(x: Float64Array, p: Float64Array): [number, number] {
  let w = 0, m = 0;
  for (let k = 0; k < x.length; k++) { w += p[k]; m += p[k] * x[k]; }
  if (!(w > 0)) return [0, 1];
  m /= w;
  let v = 0;
  for (let k = 0; k < x.length; k++) v += p[k] * (x[k] - m) ** 2;
  return [m, Math.sqrt(v / w)];
}

/** The largest gap between neighbouring values of x (sorted first if need be). */
function largestSpacing(x: Float64Array): number {
  let sorted = true;
  for (let k = 1; k < x.length && sorted; k++) sorted = x[k] >= x[k - 1];
  const s = sorted ? x : Float64Array.from(x).sort();
  let h = 0;
  for (let k = 1; k < s.length; k++) h = Math.max(h, s[k] - s[k - 1]);
  return h;
}

/** The log-sum inequality's bound for a q of discretised mass 1 against a target of mass m:
 *  sum p log(p / q) dx >= m log m (forward), sum q log(q / p) dx >= -log m (reverse);
 *  0 for a normalised target. */
function lossBound(m: number, reverse: boolean): number {
  if (Math.abs(m - 1) <= 1e-9) return 0;
  return reverse ? -Math.log(m) : m * Math.log(m);
}

/** Computes rows [i0, i1) of the surface. */
function surfaceRows(pl: Plan, i0: number, i1: number): void {
  const out = pl.losses.subarray(i0 * pl.sigmas.length, i1 * pl.sigmas.length);
  pl.target.surface(pl.mus.subarray(i0, i1), pl.sigmas, pl.reverse, out);
  for (let k = 0; k < out.length; k++) out[k] *= pl.dx;
}

function finish(pl: Plan): GaussianFit {
  const { losses, mus, sigmas } = pl;
  const nMu = mus.length, nSig = sigmas.length;
  const cell = (i: number, j: number): GridCell => ({ i, j, mu: mus[i], sigma: sigmas[j], loss: losses[i * nSig + j] });
  // NumPy's argmin: the first minimum in row-major order
  let b = 0;
  for (let k = 1; k < losses.length; k++) if (losses[k] < losses[b]) b = k;
  const best = cell(Math.floor(b / nSig), b % nSig);
  const near = (v: number, ref: number) => v - ref <= pl.tolerance * Math.abs(ref);
  // local minima: no neighbour (8-connected) lower by more than the tolerance, so that
  // cells tied to within rounding (mirror cells side by side) are minima together;
  // without refinement only those near the best matter (the grid modes)
  const local: GridCell[] = [];
  for (let i = 0; i < nMu; i++) {
    for (let j = 0; j < nSig; j++) {
      const v = losses[i * nSig + j];
      if (!pl.refine && !near(v, best.loss)) continue;
      let isMin = true;
      for (let di = -1; di <= 1 && isMin; di++) {
        for (let dj = -1; dj <= 1; dj++) {
          const a = i + di, c = j + dj;
          if ((di || dj) && a >= 0 && a < nMu && c >= 0 && c < nSig && !near(v, losses[a * nSig + c])) { isMin = false; break; }
        }
      }
      if (isMin) local.push(cell(i, j));
    }
  }
  const gridModes = local.filter((c) => near(c.loss, best.loss));
  const bounds = { minSigma: pl.minSigma, lossBound: pl.lossBound };
  if (!pl.refine) return { direction: pl.direction, losses, mus, sigmas, best, gridModes, modes: [], ...bounds };
  // The refinement's domain: sigma >= minSigma and loss >= lossBound. It starts from the
  // local minima of the cells in that domain (neighbours outside it do not count); with no
  // such cell, from the grid's local minima with sigma raised to minSigma; if none of those
  // is in the domain either, from the target's mean and standard deviation.
  const valid = (i: number, j: number) => sigmas[j] >= pl.minSigma && losses[i * nSig + j] >= pl.lossBound;
  let starts: GridCell[] = [];
  for (let i = 0; i < nMu; i++) {
    for (let j = 0; j < nSig; j++) {
      if (!valid(i, j)) continue;
      const v = losses[i * nSig + j];
      let isMin = true;
      for (let di = -1; di <= 1 && isMin; di++) {
        for (let dj = -1; dj <= 1; dj++) {
          const a = i + di, c = j + dj;
          if ((di || dj) && a >= 0 && a < nMu && c >= 0 && c < nSig && valid(a, c) && !near(v, losses[a * nSig + c])) { isMin = false; break; }
        }
      }
      if (isMin) starts.push(cell(i, j));
    }
  }
  if (starts.length === 0) starts = local.map((c) => ({ ...c, sigma: Math.max(c.sigma, pl.minSigma), loss: NaN }));
  const refined: Optimum[] = [];
  for (const c of starts) {
    const r = nelderMead(pl, c);
    if (r === undefined) continue;
    if (!refined.some((m) => Math.abs(m.mu - r.mu) <= 1e-6 * (1 + Math.abs(r.mu)) && Math.abs(m.sigma - r.sigma) <= 1e-6 * r.sigma)) {
      refined.push(r);
    }
  }
  if (refined.length === 0) {
    // last resort: the target's own mean and standard deviation (sigma raised to minSigma)
    const [m, sd] = pl.moments;
    const r = nelderMead(pl, { i: 0, j: 0, mu: m, sigma: Math.max(sd, pl.minSigma), loss: NaN });
    if (r !== undefined) refined.push(r);
  }
  if (refined.length === 0) return { direction: pl.direction, losses, mus, sigmas, best, gridModes, modes: [], ...bounds };
  let optimum = refined[0];
  for (const r of refined) if (r.loss < optimum.loss) optimum = r;
  const modes = refined.filter((r) => near(r.loss, optimum.loss)).sort((a, b2) => a.mu - b2.mu);
  return { direction: pl.direction, losses, mus, sigmas, best, gridModes, optimum, modes, ...bounds };
}

/**
 * Nelder-Mead on (mu, log sigma) from a grid cell: derivative-free, because the
 * clipped objective has kinks where q meets the floor, and cheap, because each
 * evaluation is one pass over the grid. Initial steps are the grid's spacing
 * around the cell; it stops when the simplex has shrunk below 1e-10 (relative)
 * in both coordinates, or after 2000 evaluations.
 *
 * Bounded: sigma is evaluated (and reported) as max(exp(t), minSigma), SciPy's
 * clipping of Nelder-Mead vertices to bounds; a point whose loss is below lossBound
 * is outside the domain (its value is +Infinity, an extreme barrier), so the best
 * vertex never leaves it. The start vertex keeps the cell's own sigma and loss, so
 * the result is never worse than the cell. Undefined when the start is outside.
 */
function nelderMead(pl: Plan, c: GridCell): Optimum | undefined {
  const one = new Float64Array(1), m1 = new Float64Array(1), s1 = new Float64Array(1);
  let evaluations = 0;
  const sigmaOf = (t: number) => Math.max(Math.exp(t), pl.minSigma);
  const tMin = Math.log(pl.minSigma);
  // +Infinity (outside the domain) compares equal to itself, so no NaN from Infinity - Infinity
  const byValue = (a: { f: number }, b: { f: number }) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0);
  const evalAt = (mu: number, sigma: number): number => {
    evaluations++;
    m1[0] = mu; s1[0] = sigma;
    pl.target.surface(m1, s1, pl.reverse, one);
    const v = one[0] * pl.dx;
    return v >= pl.lossBound ? v : Infinity;
  };
  const f = (v: number[]): number => evalAt(v[0], sigmaOf(v[1]));
  const { mus, sigmas } = pl;
  const hm = mus.length > 1 ? Math.abs(mus[Math.min(c.i + 1, mus.length - 1)] - mus[Math.max(c.i - 1, 0)]) / 2 || 0.1 : 0.1;
  const hs = sigmas.length > 1
    ? Math.abs(Math.log(sigmas[Math.min(c.j + 1, sigmas.length - 1)] / sigmas[Math.max(c.j - 1, 0)])) / 2 || 0.1 : 0.1;
  const t0 = Math.log(c.sigma);
  const f0 = c.loss >= pl.lossBound ? c.loss : evalAt(c.mu, c.sigma);
  if (f0 === Infinity) return undefined;
  // the start vertex is the cell itself (sigma exactly c.sigma: exp(log(sigma)) may differ in the last bit)
  const start = { v: [c.mu, t0], f: f0, s: c.sigma };
  let simplex: Array<{ v: number[]; f: number; s?: number }> = [start, ...[[c.mu + hm, t0], [c.mu, t0 + hs]].map((v) => ({ v, f: f(v) }))];
  const comb = (a: number[], b: number[], t: number) => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  while (evaluations < 2000) {
    simplex.sort(byValue);
    const [lo, mid, hi] = simplex;
    const spread = Math.max(Math.abs(hi.v[0] - lo.v[0]), Math.abs(mid.v[0] - lo.v[0])) / (1 + Math.abs(lo.v[0]));
    // in t as evaluated (below the bound every t is the bound)
    const tl = Math.max(lo.v[1], tMin);
    const spreadT = Math.max(Math.abs(Math.max(hi.v[1], tMin) - tl), Math.abs(Math.max(mid.v[1], tMin) - tl)) / (1 + Math.abs(tl));
    if (spread < 1e-10 && spreadT < 1e-10) break;
    const centroid = [(lo.v[0] + mid.v[0]) / 2, (lo.v[1] + mid.v[1]) / 2];
    const r = comb(centroid, hi.v, -1), fr = f(r);
    if (fr < lo.f) {
      const e = comb(centroid, hi.v, -2), fe = f(e);
      simplex = [lo, mid, fe < fr ? { v: e, f: fe } : { v: r, f: fr }];
    } else if (fr < mid.f) {
      simplex = [lo, mid, { v: r, f: fr }];
    } else {
      const k = fr < hi.f ? comb(centroid, r, 0.5) : comb(centroid, hi.v, 0.5), fk = f(k);
      if (fk < Math.min(fr, hi.f)) simplex = [lo, mid, { v: k, f: fk }];
      else {
        const shrink = (p: { v: number[] }) => { const v = comb(lo.v, p.v, 0.5); return { v, f: f(v) }; };
        simplex = [lo, shrink(mid), shrink(hi)];
      }
    }
  }
  simplex.sort(byValue);
  const b0 = simplex[0];
  return { mu: b0.v[0], sigma: b0.s ?? sigmaOf(b0.v[1]), loss: b0.f, evaluations };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

export interface FitApi {
  klDensity(p: Vector, q: Vector, dx: number, options?: KlDensityOptions): number;
  gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions): GaussianFit;
  gaussianFitAsync(p: Vector, x: Vector, options: AsyncFitOptions): Promise<GaussianFit>;
}

export function makeFitApi(engine: FitEngine, small?: SmallInputs<FitEngine>): FitApi {
  return {
    klDensity(p0, q0, dx, options) {
      const fn = "klDensity";
      const o = checkOptions(fn, options, ["floor", "base"]);
      const p = vector(fn, "p", p0), q = vector(fn, "q", q0);
      checkSameLength(fn, p, q);
      checkNumber(fn, "dx", dx, true);
      const floor = checkFloor(fn, o.floor);
      const logBase = logBaseOf(fn, o.base);
      const e = small !== undefined && p.length < small.below ? small.engine : engine;
      return (e.klDensity(fn, p, q, floor) * dx) / logBase;
    },

    gaussianFit(p, x, options) {
      const pl = plan(engine, "gaussianFit", p, x, required("gaussianFit", options, FIT_KEYS));
      surfaceRows(pl, 0, pl.mus.length);
      return finish(pl);
    },

    async gaussianFitAsync(p, x, options) {
      const fn = "gaussianFitAsync";
      const o = required(fn, options, ASYNC_KEYS);
      const { signal, onProgress, chunkTerms = 1 << 22 } = o;
      if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(`${fn}: signal must be an AbortSignal`);
      if (onProgress !== undefined && typeof onProgress !== "function") throw new TypeError(`${fn}: onProgress must be a function`);
      if (!Number.isInteger(chunkTerms) || chunkTerms < 1) throw new RangeError(`${fn}: chunkTerms must be a positive integer, got ${show(chunkTerms)}`);
      const pl = plan(engine, fn, p, x, o);
      const nSig = pl.sigmas.length, total = pl.losses.length;
      const rowsPerChunk = Math.max(1, Math.floor(chunkTerms / (nSig * pl.n)));
      for (let i = 0; i < pl.mus.length; i += rowsPerChunk) {
        if (signal?.aborted) throw abortReason(signal);
        const i1 = Math.min(pl.mus.length, i + rowsPerChunk);
        surfaceRows(pl, i, i1);
        onProgress?.({ done: i1 * nSig, total });
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      if (signal?.aborted) throw abortReason(signal);
      return finish(pl);
    },
  };
}

