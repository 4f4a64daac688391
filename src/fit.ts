// kl-wasm/fit: densities on a grid, klDensity, and Gaussian fits by forward or
// reverse KL (section 2 of the seed chapter). The functions are one-line calls into
// src/fit/api.ts over the WebAssembly engine; grid helpers and the closed forms are
// plain TypeScript (src/fit/grid.ts), shared with kl-wasm/reference.
import "./fit/provision.js";
import { makeFitApi } from "./fit/api.js";
import type { KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GaussianFitGrid } from "./fit/api.js";
import { wasmFitEngine } from "./fit/wasm.js";
import { referenceFitEngine } from "./fit/twin.js";
import { SMALL } from "./core/wasm.js";
import type { Vector } from "./core/validate.js";

export { linspace, normalPdf, mixturePdf, normalizeDensity, gaussianKL, gaussianKLDiag } from "./fit/grid.js";
export type { Mixture } from "./fit/grid.js";
export type { Vector } from "./core/validate.js";
export type {
  Direction, KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GaussianFitGrid, GridCell, Optimum,
} from "./fit/api.js";
export { ready, simdBuild, useSimd } from "./core/wasm.js";
export type { SimdBuild } from "./core/wasm.js";

// small inputs do not pay for the WebAssembly boundary: they run the pure-TS twin
const api = /* @__PURE__ */ makeFitApi(wasmFitEngine, { engine: referenceFitEngine, below: SMALL });

/**
 * KL between two densities on a grid, the body of the seed's `forward_kl`:
 * Σ p′ log(p′/q′)·dx with p′ = max(p, floor), q′ = max(q, floor) (default floor 1e-15).
 * Unlike {@link klDivergence}, p = 0 terms are not skipped (they count at the floor)
 * and q is not clipped above; no sum is checked (densities are not probabilities).
 *
 * @throws RangeError for negative or non-finite values, dx ≤ 0, floor outside (0, 1).
 */
export function klDensity(p: Vector, q: Vector, dx: number, options?: KlDensityOptions): number {
  return api.klDensity(p, q, dx, options);
}

/**
 * Fits a Gaussian Q = N(μ, σ²) to a density P on the grid x by minimising forward KL(P‖Q)
 * (mass-covering) or reverse KL(Q‖P) (mode-seeking) over the `mus` × `sigmas` grid, then
 * refines each grid mode continuously (Nelder–Mead on (μ, log σ), σ ≥ `minSigma`, the
 * grid's largest spacing; the loss never below `lossBound`).
 *
 * Returns the loss surface (rows = mus), the grid argmin `best` (NumPy's rule), every
 * grid mode within `modeTolerance` of it (mirror minima included), and, unless
 * `refine: false`, the refined `optimum` and `modes`.
 *
 * @throws RangeError or TypeError naming the argument: σ ≤ 0, non-finite grid values,
 *   mismatched lengths, fewer than 2 points, unknown options or directions.
 */
export function gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions & { refine: false }): GaussianFitGrid;
export function gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions): GaussianFit;
export function gaussianFit(p: Vector, x: Vector, options: GaussianFitOptions): GaussianFit {
  return api.gaussianFit(p, x, options);
}

/**
 * {@link gaussianFit} in chunks of `chunkTerms` terms (default 2²²) that yield to the
 * event loop between them; `onProgress({ done, total })` after each chunk (in cells);
 * rejects with `signal.reason` (an AbortError if none) when the AbortSignal fires.
 */
export function gaussianFitAsync(p: Vector, x: Vector, options: AsyncFitOptions & { refine: false }): Promise<GaussianFitGrid>;
export function gaussianFitAsync(p: Vector, x: Vector, options: AsyncFitOptions): Promise<GaussianFit>;
export function gaussianFitAsync(p: Vector, x: Vector, options: AsyncFitOptions): Promise<GaussianFit> {
  return api.gaussianFitAsync(p, x, options);
}
