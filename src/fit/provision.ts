// Gives src/core/wasm.ts the fit module (build/fit.wasm): its bytes, embedded in the
// bundle and compiled on first use or by `await ready()`; in the workerd build the
// import stays an import of the module file, which the runtime gives as a compiled
// WebAssembly.Module (scripts/build.mjs).
import fit from "../../build/fit.wasm";
import { provide } from "../core/wasm.js";

provide("fit", fit);
