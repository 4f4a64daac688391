// The k-NN engine of the WebAssembly entries: a placeholder until assembly/knn.ts exists. It is the pure-TS k-d tree
// (src/knn/twin.ts), so kl-wasm/mutual and kl-wasm/reference give the same values today.
export { twinKnnEngine as wasmKnnEngine } from "./twin.js";
