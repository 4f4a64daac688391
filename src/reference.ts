// kl-wasm/reference: the same API in plain TypeScript, no WebAssembly.
import { makeApi } from "./api.js";
import { referenceEngine } from "./ref.js";

export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./validate.js";
export type { Api } from "./api.js";

export const {
  entropy, klDivergence, crossEntropy, jensenShannon, jensenShannonDistance,
  entropyRows, klDivergenceRows, crossEntropyRows, jensenShannonRows, jensenShannonDistanceRows,
} = makeApi(referenceEngine);
