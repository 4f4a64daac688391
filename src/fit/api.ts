// KL between densities on a grid, and Gaussian fits by minimising forward or
// reverse KL: the section 2 of the seed chapter. The public functions are built
// once over an engine (WebAssembly in fit-wasm.ts, pure TS in fit-ref.ts), so both
// builds share every check, the grid argmin, the mode search and the refinement.
import type { SmallInputs } from "../discrete/api.js";
import {
  type Vector, checkVector, checkFinite, checkNumber, checkOptions, checkSameLength, throwFirstBad, logBaseOf,
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

export interface KlDensityOptions {
  /** Both p and q are clipped below at floor, in (0, 1). Default 1e-15 (the seed's). */
  floor?: number;
  /** Logarithm base; nats by default. */
  base?: number;
}

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
  /** Refine the grid's local minima to the continuous minimisers (Nelder-Mead). Default true. */
  refine?: boolean;
}

export interface AsyncFitOptions extends GaussianFitOptions {
  /** Cancels the computation between chunks: the promise rejects with signal.reason. */
  signal?: AbortSignal;
  /** Called after each chunk with the cells done so far and the total. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Grid terms (cells x points) per chunk between yields to the event loop. Default 2^22 (a few ms). */
  chunkTerms?: number;
}

export interface GridCell { i: number; j: number; mu: number; sigma: number; loss: number }
export interface Optimum { mu: number; sigma: number; loss: number; evaluations: number }

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
  /** The best continuous minimiser of the same discretised objective (undefined with refine: false). */
  optimum?: Optimum;
  /** Every distinct continuous local minimiser within the tolerance of the optimum, by increasing mu. */
  modes: Optimum[];
}

const FIT_KEYS = ["direction", "mus", "sigmas", "floor", "dx", "modeTolerance", "refine"] as const;
const ASYNC_KEYS = [...FIT_KEYS, "signal", "onProgress", "chunkTerms"] as const;

function checkFloor(fn: string, floor: unknown): number {
  if (floor === undefined) return 1e-15;
  if (typeof floor !== "number" || !(floor > 0 && floor < 1)) throw new RangeError(`${fn}: floor must be a number in (0, 1), got ${String(floor)}`);
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
}

function plan(engine: FitEngine, fn: string, p: Vector, x: Vector, options: AsyncFitOptions, keys: readonly string[]): Plan {
  const o = checkOptions(fn, options, keys) as AsyncFitOptions;
  if (options === undefined) throw new TypeError(`${fn}: options { mus, sigmas } are required`);
  checkVector(fn, "p", p);
  checkVector(fn, "x", x);
  checkSameLength(fn, p, x, ["p", "x"]);
  if (x.length < 2) throw new RangeError(`${fn}: the grid needs at least 2 points, got ${x.length}`);
  checkFinite(fn, "x", x);
  throwFirstBad(fn, p);
  const direction = o.direction ?? "forward";
  if (direction !== "forward" && direction !== "reverse") throw new RangeError(`${fn}: direction must be "forward" or "reverse", got ${String(direction)}`);
  checkVector(fn, "mus", o.mus);
  checkFinite(fn, "mus", o.mus);
  checkVector(fn, "sigmas", o.sigmas);
  checkFinite(fn, "sigmas", o.sigmas);
  const bad = Array.from(o.sigmas as ArrayLike<number>).findIndex((s) => !(s > 0));
  if (bad >= 0) throw new RangeError(`${fn}: sigmas[${bad}] must be > 0, got ${o.sigmas[bad]}`);
  const floor = checkFloor(fn, o.floor);
  const dx = o.dx ?? x[1] - x[0];
  checkNumber(fn, "dx", dx, true);
  const tolerance = o.modeTolerance ?? 1e-9;
  if (typeof tolerance !== "number" || !(tolerance >= 0 && tolerance < Infinity)) {
    throw new RangeError(`${fn}: modeTolerance must be a finite number >= 0, got ${String(tolerance)}`);
  }
  const refine = o.refine ?? true;
  if (typeof refine !== "boolean") throw new TypeError(`${fn}: refine must be a boolean`);
  const mus = Float64Array.from(o.mus as ArrayLike<number>), sigmas = Float64Array.from(o.sigmas as ArrayLike<number>);
  // x and p are copied (once each): an async fit must not see the caller change them between chunks
  return {
    fn, reverse: direction === "reverse", direction,
    target: engine.prepare(Float64Array.from(x as ArrayLike<number>), Float64Array.from(p as ArrayLike<number>), floor),
    mus, sigmas, dx, n: x.length, tolerance, refine, losses: new Float64Array(mus.length * sigmas.length),
  };
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
  if (!pl.refine) return { direction: pl.direction, losses, mus, sigmas, best, gridModes, modes: [] };
  const refined: Optimum[] = [];
  for (const c of local) {
    const r = nelderMead(pl, c);
    if (!refined.some((m) => Math.abs(m.mu - r.mu) <= 1e-6 * (1 + Math.abs(r.mu)) && Math.abs(m.sigma - r.sigma) <= 1e-6 * r.sigma)) {
      refined.push(r);
    }
  }
  let optimum = refined[0];
  for (const r of refined) if (r.loss < optimum.loss) optimum = r;
  const modes = refined.filter((r) => near(r.loss, optimum.loss)).sort((a, b2) => a.mu - b2.mu);
  return { direction: pl.direction, losses, mus, sigmas, best, gridModes, optimum, modes };
}

/**
 * Nelder-Mead on (mu, log sigma) from a grid cell: derivative-free, because the
 * clipped objective has kinks where q meets the floor, and cheap, because each
 * evaluation is one pass over the grid. Initial steps are the grid's spacing
 * around the cell; it stops when the simplex has shrunk below 1e-10 (relative)
 * in both coordinates, or after 2000 evaluations.
 */
function nelderMead(pl: Plan, c: GridCell): Optimum {
  const one = new Float64Array(1), m1 = new Float64Array(1), s1 = new Float64Array(1);
  let evaluations = 0;
  const f = (v: number[]): number => {
    evaluations++;
    m1[0] = v[0]; s1[0] = Math.exp(v[1]);
    pl.target.surface(m1, s1, pl.reverse, one);
    return one[0] * pl.dx;
  };
  const { mus, sigmas } = pl;
  const hm = mus.length > 1 ? Math.abs(mus[Math.min(c.i + 1, mus.length - 1)] - mus[Math.max(c.i - 1, 0)]) / 2 || 0.1 : 0.1;
  const hs = sigmas.length > 1
    ? Math.abs(Math.log(sigmas[Math.min(c.j + 1, sigmas.length - 1)] / sigmas[Math.max(c.j - 1, 0)])) / 2 || 0.1 : 0.1;
  const t0 = Math.log(c.sigma);
  let simplex: Array<{ v: number[]; f: number }> = [[c.mu, t0], [c.mu + hm, t0], [c.mu, t0 + hs]].map((v) => ({ v, f: f(v) }));
  const comb = (a: number[], b: number[], t: number) => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  while (evaluations < 2000) {
    simplex.sort((a, b) => a.f - b.f);
    const [lo, mid, hi] = simplex;
    const spread = Math.max(Math.abs(hi.v[0] - lo.v[0]), Math.abs(mid.v[0] - lo.v[0])) / (1 + Math.abs(lo.v[0]));
    const spreadT = Math.max(Math.abs(hi.v[1] - lo.v[1]), Math.abs(mid.v[1] - lo.v[1])) / (1 + Math.abs(lo.v[1]));
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
  simplex.sort((a, b) => a.f - b.f);
  return { mu: simplex[0].v[0], sigma: Math.exp(simplex[0].v[1]), loss: simplex[0].f, evaluations };
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
    klDensity(p, q, dx, options) {
      const fn = "klDensity";
      const o = checkOptions(fn, options, ["floor", "base"]);
      checkVector(fn, "p", p);
      checkVector(fn, "q", q);
      checkSameLength(fn, p, q);
      checkNumber(fn, "dx", dx, true);
      const floor = checkFloor(fn, o.floor);
      const logBase = logBaseOf(fn, o.base);
      const e = small !== undefined && p.length < small.below ? small.engine : engine;
      return (e.klDensity(fn, p, q, floor) * dx) / logBase;
    },

    gaussianFit(p, x, options) {
      const pl = plan(engine, "gaussianFit", p, x, options, FIT_KEYS);
      surfaceRows(pl, 0, pl.mus.length);
      return finish(pl);
    },

    async gaussianFitAsync(p, x, options) {
      const fn = "gaussianFitAsync";
      const { signal, onProgress, chunkTerms = 1 << 22 } = options ?? ({} as AsyncFitOptions);
      if (signal !== undefined && (typeof signal !== "object" || typeof signal.aborted !== "boolean")) throw new TypeError(`${fn}: signal must be an AbortSignal`);
      if (onProgress !== undefined && typeof onProgress !== "function") throw new TypeError(`${fn}: onProgress must be a function`);
      if (!Number.isInteger(chunkTerms) || chunkTerms < 1) throw new RangeError(`${fn}: chunkTerms must be a positive integer, got ${String(chunkTerms)}`);
      const pl = plan(engine, fn, p, x, options, ASYNC_KEYS);
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

