// Gives the module to src/wasm.ts: its bytes, embedded in the bundle (compiled
// synchronously on first use, or by `await ready()`). Every WebAssembly entry
// (kl-wasm, kl-wasm/fit, kl-wasm/mutual) imports this first; the workerd build
// swaps it for provision-workerd.ts (scripts/build.mjs).
import wasmBytes from "../../build/kl.wasm";
import { setWasmBytes } from "./wasm.js";

setWasmBytes(wasmBytes);
