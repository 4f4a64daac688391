// The public API of kl-wasm, shared by every entry: index.ts (the module's bytes
// embedded, compiled on first use) and workerd.ts (the module imported as a
// WebAssembly.Module, for runtimes that forbid compiling from bytes).
import { makeApi } from "./api.js";
import { makeFitApi } from "./fit.js";
import { makeMutualApi } from "./mutual.js";
import { wasmMutualEngine } from "./mutual-wasm.js";
import { SMALL } from "./wasm.js";
import { referenceEngine } from "./ref.js";
import { entropyRowsWasm } from "./entropy.js";
import { klRowsWasm, crossEntropyRowsWasm } from "./divergence.js";
import { jensenShannonRowsWasm } from "./jensen.js";
import { wasmFitEngine } from "./fit-wasm.js";


export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./validate.js";
export type { Api } from "./api.js";
export { createWorkspace, Workspace, ready } from "./wasm.js";

export const {
  entropy, klDivergence, crossEntropy, jensenShannon, jensenShannonDistance,
  entropyRows, klDivergenceRows, crossEntropyRows, jensenShannonRows, jensenShannonDistanceRows,
} = makeApi(
  { entropy: entropyRowsWasm, kl: klRowsWasm, crossEntropy: crossEntropyRowsWasm, jensenShannon: jensenShannonRowsWasm },
  // small inputs do not pay for the WebAssembly boundary: they run the pure-TS twin
  { engine: referenceEngine, below: SMALL },
);

// Densities on a grid and Gaussian fits (section 2 of the seed chapter)
export { linspace, normalPdf, mixturePdf, normalizeDensity, gaussianKL, gaussianKLDiag } from "./grid.js";
export type { Mixture } from "./grid.js";
export type {
  Direction, KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GridCell, Optimum, FitApi,
} from "./fit.js";
export const { klDensity, gaussianFit, gaussianFitAsync } = makeFitApi(wasmFitEngine);

// Mutual information: tables, labels, continuous samples (KSG)
export type { TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, MutualApi } from "./mutual.js";
export const {
  jointEntropy, conditionalEntropy, mutualInformation, contingencyTable,
  mutualInformationLabels, normalizedMutualInformation, mutualInformationKSG,
} = makeMutualApi(wasmMutualEngine);
