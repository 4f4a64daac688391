// The worker's half of kl-wasm/drift's histogram on the pool (src/parallel/drift.ts is the calling thread's): the
// WebAssembly binning engine on a part of the samples, into zeroed counts.
import { wasmBinEngine } from "../drift/wasm.js";
import type { BinsPayload, BinsResult } from "./drift.js";
import type { Task } from "./tasks.js";

export const binsTask: Task<BinsPayload, BinsResult> = ({ fn, x, plan }) => {
  const counts = new Float64Array(plan.bins), tally = wasmBinEngine.count(fn, x, plan, counts);
  return { result: { counts, tally }, transfer: [counts.buffer] };
};
