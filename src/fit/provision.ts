// Gives src/core/wasm.ts the fit module (build/fit.wasm): its bytes, embedded in the
// bundle and compiled on first use or by `await ready()`; in the workerd build the
// import stays an import of the module file, which the runtime gives as a compiled
// WebAssembly.Module (scripts/build.mjs).
// Its relaxed-SIMD build comes in only when selected: a chunk awaited at load (ESM), required (CommonJS),
// none in the workerd build (src/core/wasm.ts provide, scripts/build.mjs).
import fit from "../../build/fit.wasm";
import { provide } from "../core/wasm.js";

await provide("fit", fit, () => import("../../build/fit.relaxed.wasm"));
