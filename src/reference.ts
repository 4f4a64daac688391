// kl-wasm/reference: the same API in plain TypeScript, no WebAssembly.
import { makeApi } from "./api.js";
import { makeFitApi } from "./fit.js";
import { makeMutualApi } from "./mutual.js";
import { referenceMutualEngine } from "./mutual-ref.js";
import { referenceEngine } from "./ref.js";
import { referenceFitEngine } from "./fit-ref.js";

export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./validate.js";
export type { Api } from "./api.js";

export const {
  entropy, klDivergence, crossEntropy, jensenShannon, jensenShannonDistance,
  entropyRows, klDivergenceRows, crossEntropyRows, jensenShannonRows, jensenShannonDistanceRows,
} = makeApi(referenceEngine);

export { linspace, normalPdf, mixturePdf, normalizeDensity, gaussianKL, gaussianKLDiag } from "./grid.js";
export type { Mixture } from "./grid.js";
export type {
  Direction, KlDensityOptions, GaussianFitOptions, AsyncFitOptions, GaussianFit, GridCell, Optimum, FitApi,
} from "./fit.js";
export const { klDensity, gaussianFit, gaussianFitAsync } = makeFitApi(referenceFitEngine);

// Mutual information: tables, labels, continuous samples (KSG)
export type { TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, MutualApi } from "./mutual.js";
export const {
  jointEntropy, conditionalEntropy, mutualInformation, contingencyTable,
  mutualInformationLabels, normalizedMutualInformation, mutualInformationKSG,
} = makeMutualApi(referenceMutualEngine);
