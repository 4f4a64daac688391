// kl-wasm for Cloudflare workerd (export condition "workerd"): Workers forbid
// compiling WebAssembly from bytes at run time, so this entry imports the module
// file itself, which the runtime (or wrangler's bundler) provides as a compiled
// WebAssembly.Module. Everything else is the same API as the main entry.
// @ts-ignore: "./kl.wasm" sits next to this file in dist/, provided by the runtime
import compiled from "./kl.wasm";
import { setWasmModule } from "./wasm.js";

setWasmModule(compiled as unknown as WebAssembly.Module);

export * from "./public.js";
