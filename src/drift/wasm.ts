// The binning engine on WebAssembly (assembly/drift.ts): samples streamed through the
// scratch in chunks (or read in place when they are a workspace view), counted in u32
// tables in module memory and added into the caller's Float64Array counts at the end, or
// before any table could reach 2^32. Small inputs run the twin.
import type { BinEngine, BinPlan, BinTally } from "./histogram.js";
import { twinBinEngine } from "./twin.js";
import { streamSamples, type Slab } from "../core/wasm.js";
import type { Vector } from "../core/validate.js";

/** Below this many samples the twin is faster (bench/drift.mjs, crossover). */
export const SMALL_BINNING = 64;
/** Count tables per call (assembly/drift.ts COPIES). */
const COPIES = 4;
/** More bins than this run the twin (the tables and edges would need > 400 MiB). */
const MAX_BINS = 1 << 24;
/** Samples counted between two flushes of the u32 tables: no slot can wrap. */
const FLUSH = 2 ** 32 - 1;

export const wasmBinEngine: BinEngine = {
  count(fn: string, x: Vector, plan: BinPlan, counts: Float64Array): BinTally {
    const n = x.length, bins = plan.bins;
    if (n < SMALL_BINNING || bins > MAX_BINS) return twinBinEngine.count(fn, x, plan, counts);
    const f32 = x instanceof Float32Array;
    // each copy padded to 16 bytes; slots: under, bins, over, NaN
    const stride = (bins + 3 + 3) & ~3;
    const tableBytes = 4 * COPIES * stride;
    let slab!: Slab, edges = 0, table = 0, pending = 0, seen = 0;
    const tally: BinTally = { under: 0, over: 0, nan: 0, firstNaN: -1 };
    const flush = () => {
      const t = new Uint32Array(slab.buffer, table, COPIES * stride);
      for (let c = 0; c < COPIES; c++) {
        const o = c * stride;
        tally.under += t[o];
        for (let j = 0; j < bins; j++) counts[j] += t[o + 1 + j];
        tally.over += t[o + bins + 1];
        tally.nan += t[o + bins + 2];
      }
      t.fill(0);
      pending = 0;
      seen = 0;
    };
    streamSamples(x, f32, tableBytes + 8 * (bins + 1), (s, at) => {
      slab = s;
      table = at;
      edges = at + tableBytes;
      new Uint32Array(s.buffer, table, COPIES * stride).fill(0);
      s.f64.set(plan.edges, edges >> 3);
    }, (ptr, count, start) => {
      if (pending + count > FLUSH) flush();
      pending += count;
      const k = slab.exports;
      const nan = plan.uniform
        ? k.binUniform(ptr, count, f32 ? 1 : 0, edges, bins, plan.lo, plan.hi, plan.norm, table, stride)
        : k.binSearch(ptr, count, f32 ? 1 : 0, edges, bins, plan.hi, table, stride);
      if (nan !== seen) {
        seen = nan;
        if (tally.firstNaN < 0) {
          for (let i = start; i < start + count; i++) {
            if (x[i] !== x[i]) { tally.firstNaN = i; break; }
          }
        }
      }
    });
    flush();
    return tally;
  },
};
