// The worker's half of kl-wasm/logits on the pool (src/parallel/logits.ts is the calling thread's): the WebAssembly
// engine (src/logits/wasm.ts) on a part's rows, as the whole call would compute them.
import { wasmLogitsEngine } from "../logits/wasm.js";
import type { LogitsPayload, LogitsResult } from "./logits.js";
import type { Task } from "./tasks.js";

/** The worker's half: the WebAssembly engine on the part's rows. */
export const logitsTask: Task<LogitsPayload, LogitsResult> = (j) => {
  const { x, x2, rows, cols, invT } = j, e = wasmLogitsEngine;
  const out = j.op === "logSoftmax" ? undefined : new Float64Array(rows);
  const y = j.y ?? (j.alloc === 32 ? new Float32Array(rows * cols) : j.alloc === 64 ? new Float64Array(rows * cols) : undefined);
  let bad: number | void;
  switch (j.op) {
    case "logSumExp": bad = e.logSumExp(x, rows, cols, invT, out!); break;
    case "entropy": bad = e.entropy(x, rows, cols, invT, out!); break;
    case "logSoftmax": bad = e.logSoftmax(x, rows, cols, invT, j.exp!, y!); break;
    case "klLogits": bad = e.klLogits(x, x2!, rows, cols, invT, j.reverse!, out!, y, j.gradScale); break;
    case "crossEntropy": bad = e.crossEntropy(x, j.labels!, rows, cols, j.smoothing!, j.weights, j.ignoreIndex!, out!, y, j.gradScale); break;
  }
  const back = typeof bad === "number" && bad >= 0 ? undefined : j.alloc === undefined ? undefined : y;
  const transfer = [out?.buffer, back?.buffer].filter((b) => b !== undefined) as ArrayBuffer[];
  return { result: { bad: typeof bad === "number" ? bad : -1, out, y: back }, transfer };
};
