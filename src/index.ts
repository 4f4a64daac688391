// kl-wasm: entropy, KL divergence, cross-entropy, Jensen-Shannon, Gaussian fits and
// mutual information with SIMD WebAssembly kernels. This entry embeds the module's
// bytes; calls are synchronous, and the module is compiled on first use (or by
// `await ready()`).
import wasmBytes from "../build/kl.wasm";
import { setWasmBytes } from "./wasm.js";

setWasmBytes(wasmBytes);

export * from "./public.js";
