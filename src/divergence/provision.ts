// Gives src/core/wasm.ts the divergence module (build/divergence.wasm): its bytes, embedded in the bundle and
// compiled on first use or by `await ready()`; in the workerd build the import stays an import of the module
// file (scripts/build.mjs), as for the other families.
import divergence from "../../build/divergence.wasm";
import { provide } from "../core/wasm.js";

provide("divergence", divergence);
