// The pure-TS binning engine: the same two paths as assembly/drift.ts (a guess from
// the bin width corrected by one step against the edges, or a search of the edges),
// one sample at a time. Its counts equal the WebAssembly engine's on every input: both
// only compare samples (widened to float64) with the edges, exactly.
import type { BinEngine, BinPlan, BinTally } from "./histogram.js";
import type { Vector } from "../core/validate.js";

/**
 * The bin of v in [e_0, e_n] (never NaN): by the guess and its correction when the plan is
 * uniform, else by the number of edges <= v (a binary search), x = e_n in the last bin.
 */
function binOf(plan: BinPlan, v: number): number {
  const { edges: e, bins, lo, norm } = plan;
  const last = bins - 1;
  if (plan.uniform) {
    // the kernel truncates and clamps to [0, last]; v >= lo here, so the guess is >= 0
    let g = Math.min(Math.trunc((v - lo) * norm), last);
    if (v < e[g]) g--;
    else if (g !== last && v >= e[g + 1]) g++;
    return g;
  }
  if (v === plan.hi) return last;
  // the number of edges <= v, minus one (lo <= v < hi: in [0, last])
  let base = 0, len = bins + 1;
  while (len > 1) {
    const half = len >> 1;
    if (v >= e[base + half]) base += half;
    len -= half;
  }
  return base;
}

/** Bins samples on the JS heap or in WebAssembly memory alike (it reads x[i]). */
export const twinBinEngine: BinEngine = {
  count(_fn: string, x: Vector, plan: BinPlan, counts: Float64Array): BinTally {
    const { lo, hi } = plan;
    let under = 0, over = 0, nan = 0, firstNaN = -1;
    for (let i = 0, n = x.length; i < n; i++) {
      const v = x[i];
      if (v < lo) under++;
      else if (v > hi) over++;
      else if (v >= lo) counts[binOf(plan, v)]++;
      else {
        if (nan === 0) firstNaN = i;
        nan++;
      }
    }
    return { under, over, nan, firstNaN };
  },
};
