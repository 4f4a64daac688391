// kl-wasm/reference: the same API in plain TypeScript, no WebAssembly.
import { makeApi } from "./discrete/api.js";
import { makeFitApi } from "./fit/api.js";
import { makeMutualApi } from "./mutual/api.js";
import { referenceMutualEngine } from "./mutual/twin.js";
import { referenceEngine, plainCall } from "./discrete/twin.js";
import { referenceFitEngine } from "./fit/twin.js";

export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./core/validate.js";
export type { Api } from "./discrete/api.js";

export const {
  entropy, klDivergence, crossEntropy, jensenShannon, jensenShannonDistance,
  entropyRows, klDivergenceRows, crossEntropyRows, jensenShannonRows, jensenShannonDistanceRows,
} = makeApi(referenceEngine, { engine: referenceEngine, below: Infinity, plain: plainCall });

export { linspace, normalPdf, mixturePdf, normalizeDensity, gaussianKL, gaussianKLDiag } from "./fit/grid.js";
export type { Mixture } from "./fit/grid.js";
export type {
  Direction, KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GridCell, Optimum, FitApi,
} from "./fit/api.js";
export const { klDensity, gaussianFit, gaussianFitAsync } = makeFitApi(referenceFitEngine);

// Mutual information: tables, labels, continuous samples (KSG)
export type { TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, MutualApi } from "./mutual/api.js";
export const {
  jointEntropy, conditionalEntropy, mutualInformation, contingencyTable,
  mutualInformationLabels, normalizedMutualInformation, mutualInformationKSG,
} = makeMutualApi(referenceMutualEngine);
