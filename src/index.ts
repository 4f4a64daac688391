// kl-wasm: entropy, KL divergence, cross-entropy and Jensen-Shannon with SIMD
// WebAssembly kernels, batched rows and zero-copy workspaces. Calls are
// synchronous; the module is compiled on first use (or by `await ready()`).
// Densities and Gaussian fits are in kl-wasm/fit, mutual information in
// kl-wasm/mutual; all three share one module instance.
import "./provision.js";
import { makeApi } from "./api.js";
import { SMALL } from "./wasm.js";
import { referenceEngine } from "./ref.js";
import { entropyRowsWasm } from "./entropy.js";
import { klRowsWasm, crossEntropyRowsWasm } from "./divergence.js";
import { jensenShannonRowsWasm } from "./jensen.js";

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
