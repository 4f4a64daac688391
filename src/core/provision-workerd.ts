// The workerd build's provision.ts: Cloudflare Workers forbid compiling WebAssembly
// from bytes at run time, so this imports the module file itself, which the
// runtime (or wrangler's bundler) provides as a compiled WebAssembly.Module. The
// path is relative to the shared chunk this lands in (dist/workerd/chunks/).
// @ts-ignore: resolved by the runtime, next to the package's dist/
import compiled from "../../kl.wasm";
import { setWasmModule } from "./wasm.js";

setWasmModule(compiled as unknown as WebAssembly.Module);
