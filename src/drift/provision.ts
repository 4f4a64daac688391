// Gives src/core/wasm.ts the drift module (build/drift.wasm): its bytes, embedded in the
// bundle and compiled on first use or by `await ready()`; in the workerd build the
// import stays an import of the module file (scripts/build.mjs).
// Its relaxed-SIMD build comes in only when selected: a chunk awaited at load (ESM), required (CommonJS),
// none in the workerd build (src/core/wasm.ts provide, scripts/build.mjs).
import drift from "../../build/drift.wasm";
import { provide } from "../core/wasm.js";

await provide("drift", drift, () => import("../../build/drift.relaxed.wasm"));
