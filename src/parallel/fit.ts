// kl-wasm/fit's gaussianFit on the pool: the loss surface's rows split among the workers, everything else the
// synchronous function's, in a worker (src/parallel/fit-worker.ts; the entry carries no fit code or module). A small
// call (by its options' grid and x's length) is one round, the synchronous function in a worker; a large one three:
// one worker runs gaussianFit up to its surface and returns the surface's inputs (or the call's error: its checks
// are the synchronous code's); the workers compute the raw cells of their rows of the grid; one
// worker runs gaussianFit again with that surface, and its grid minimum, modes and refinement (Nelder–Mead, one
// evaluation after another, serial). The result is the synchronous call's, bit for bit: each cell is the same
// kernel's value for its mu and sigma.
import type { Vector } from "../core/validate.js";
import type { GaussianFitOptions, GaussianFit, GaussianFitGrid } from "../fit/api.js";
import { type Pool, closedError } from "./pool.js";
import { own, snapshot } from "./own.js";
import { callBuild } from "../core/wasm.js";
import type { FitPayload, FitPlan } from "./fit-worker.js";

/** Surfaces of fewer terms (cells × grid points) than this are computed in one worker, with the rest of the call, in
 *  one round (bench/parallel.mjs: 40 × 40 cells × 2001 points, 3.2·10^6 terms, split in three rounds gave 0.48× the
 *  synchronous call on the shared machine; 100 × 100 × 2001 gave 1.3–1.4×). gaussianFitAsync's chunk is 2^22 too. */
export const FIT_THRESHOLD = 1 << 22;

/** kl-wasm/fit's gaussianFit on the pool. */
export interface FitPool {
  /**
   * kl-wasm/fit's `gaussianFit`, async: the same arguments, options, result (bit for bit: the loss surface, the grid
   * minimum and modes, the refined optimum and modes) and errors. From 2^22 terms (cells × grid points) the surface's
   * rows are split among the workers (three rounds); the refinement runs in one worker; smaller calls run whole in one. Options are cloned to the workers: values
   * that cannot be cloned (a function) reject with the runtime's DataCloneError instead of the unknown-option error.
   */
  gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions & { refine: false }): Promise<GaussianFitGrid>;
  gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions): Promise<GaussianFit>;
}

declare const __KL_WORKER__: string | null;

/** The method over `pool` (undefined: inline, which runs kl-wasm/fit's function in the workerd build). */
export function fitMethods(pool: Pool | undefined, closed: () => boolean, threshold: number): FitPool {
  const fit = async (p: Vector, x: Vector, options: GaussianFitOptions): Promise<GaussianFit> => {
    if (closed()) throw closedError();
    options = snapshot(options); // read once (each round clones them)
    if (pool === undefined) {
      if (typeof __KL_WORKER__ !== "undefined" && __KL_WORKER__ === null) return (await import("../fit.js")).gaussianFit(p, x, options);
      throw new Error("kl-wasm/parallel: gaussianFit needs workers, and this runtime has none: call kl-wasm/fit's gaussianFit");
    }
    const simd = callBuild(); // every round in the build of the call's start
    const call = (payload: (t: Transferable[]) => FitPayload) => {
      const transfer: Transferable[] = [];
      return pool.one<{ fit?: GaussianFit; plan?: FitPlan }>({ task: "fit", payload: payload(transfer), transfer, simd });
    };
    // a surface that looks small (or options that do not say) is computed in one worker with the rest: one round
    const o = options as { mus?: ArrayLike<number>; sigmas?: ArrayLike<number> } | undefined;
    if (!((o?.mus?.length ?? 0) * (o?.sigmas?.length ?? 0) * ((x as ArrayLike<number>)?.length ?? 0) >= threshold) || pool.threads < 2) {
      return (await call((t) => ({ mode: "final", args: [own(p, t), own(x, t), options] }))).fit!;
    }
    const first = await call((t) => ({ mode: "plan", args: [own(p, t), own(x, t), options] }));
    if (first.fit !== undefined) return first.fit;
    const pl = first.plan!, rows = pl.mus.length, cols = pl.sigmas.length, K = Math.min(pool.threads, rows);
    let raw: Float64Array | undefined;
    if (rows * cols * pl.x.length >= threshold && K > 1) {
      const parts = await Promise.all(Array.from({ length: K }, (_, k) => {
        const i0 = Math.floor((k * rows) / K), i1 = Math.floor(((k + 1) * rows) / K);
        return pool.one<Float64Array>({ task: "fit", payload: { mode: "rows", plan: { ...pl, mus: pl.mus.slice(i0, i1) } } satisfies FitPayload, simd });
      }));
      raw = new Float64Array(rows * cols);
      for (let k = 0, o = 0; k < K; o += parts[k].length, k++) raw.set(parts[k], o);
    }
    const last = await call((t) => {
      if (raw !== undefined) t.push(raw.buffer);
      return { mode: "final", args: [own(p, t), own(x, t), options], raw };
    });
    return last.fit!;
  };
  return { gaussianFit: fit as FitPool["gaussianFit"] };
}
