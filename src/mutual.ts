// kl-wasm/mutual: mutual information from joint tables, counts, labels and
// continuous samples (KSG), on the shared WebAssembly module.
import "./discrete/provision.js";
import "./mutual/provision.js";
import { makeMutualApi } from "./mutual/api.js";
import { wasmMutualEngine } from "./mutual/wasm.js";

export type { Vector } from "./core/validate.js";
export type { TableOptions, ConditionalOptions, LabelOptions, NmiOptions, KsgOptions, MutualApi } from "./mutual/api.js";
export const {
  jointEntropy, conditionalEntropy, mutualInformation, contingencyTable,
  mutualInformationLabels, normalizedMutualInformation, mutualInformationKSG,
} = makeMutualApi(wasmMutualEngine);
