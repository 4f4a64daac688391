// Gives src/core/wasm.ts the mutual module (build/mutual.wasm): its bytes, embedded in the
// bundle and compiled on first use or by `await ready()`; in the workerd build the
// import stays an import of the module file, which the runtime gives as a compiled
// WebAssembly.Module (scripts/build.mjs).
import mutual from "../../build/mutual.wasm";
import { provide } from "../core/wasm.js";

provide("mutual", mutual);
