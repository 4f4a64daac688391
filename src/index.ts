// kl-wasm: entropy, KL divergence, cross-entropy and Jensen-Shannon with SIMD
// WebAssembly kernels, batched rows and zero-copy workspaces. Calls are
// synchronous; the module is compiled on first use (or by `await ready()`).
import "./discrete/provision.js";
import { makeApi } from "./discrete/api.js";
import { SMALL } from "./core/wasm.js";
import { referenceEngine, plainCall } from "./discrete/twin.js";
import { wasmEngine } from "./discrete/wasm.js";

export type { Vector, EntropyOptions, DivergenceOptions, JensenShannonOptions } from "./core/validate.js";
export type { Api } from "./discrete/api.js";
export { createWorkspace, Workspace, ready } from "./core/wasm.js";

export const {
  entropy, klDivergence, crossEntropy, jensenShannon, jensenShannonDistance,
  entropyRows, klDivergenceRows, crossEntropyRows, jensenShannonRows, jensenShannonDistanceRows,
} = makeApi(wasmEngine,
  // small inputs do not pay for the WebAssembly boundary: they run the pure-TS twin
  { engine: referenceEngine, below: SMALL, plain: plainCall });
