// kl-wasm/fit: densities on a grid, klDensity, and Gaussian fits by forward or
// reverse KL (section 2 of the seed chapter), on the shared WebAssembly module.
import "./fit/provision.js";
import { makeFitApi } from "./fit/api.js";
import { wasmFitEngine } from "./fit/wasm.js";
import { referenceFitEngine } from "./fit/twin.js";
import { SMALL } from "./core/wasm.js";

export { linspace, normalPdf, mixturePdf, normalizeDensity, gaussianKL, gaussianKLDiag } from "./fit/grid.js";
export type { Mixture } from "./fit/grid.js";
export type { Vector } from "./core/validate.js";
export type {
  Direction, KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GridCell, Optimum, FitApi,
} from "./fit/api.js";
export const { klDensity, gaussianFit, gaussianFitAsync } = makeFitApi(
  wasmFitEngine,
  // small inputs do not pay for the WebAssembly boundary: they run the pure-TS twin
  { engine: referenceFitEngine, below: SMALL },
);
