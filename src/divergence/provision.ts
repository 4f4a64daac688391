// Gives src/core/wasm.ts the divergence module (build/divergence.wasm): its bytes, embedded in the bundle and
// compiled on first use or by `await ready()`; in the workerd build the import stays an import of the module
// file (scripts/build.mjs), as for the other families.
// Its relaxed-SIMD build comes in only when selected: a chunk awaited at load (ESM), required (CommonJS),
// none in the workerd build (src/core/wasm.ts provide, scripts/build.mjs).
import divergence from "../../build/divergence.wasm";
import { provide } from "../core/wasm.js";

await provide("divergence", divergence, () => import("../../build/divergence.relaxed.wasm"));
