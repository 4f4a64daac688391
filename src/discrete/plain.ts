// The facade's small calls (src/index.ts): a short Float64Array or Float32Array (pair) without options computed by
// one loop with the twin's arithmetic and bits (twin.ts), checks folded in. A file of its own, so that the entries
// that never call it (kl-wasm/reference: twin.ts plainCallsAnyLength) do not carry it.
import type { PlainCalls } from "./api.js";
import { BLOCK, HALF32, HALF64, logRatio, entropyPlain, jensenShannonPlain } from "./twin.js";

/**
 * divergenceRow for the plain call (eps = 1e-15, no normalising): p and q Float64Array or Float32Array of the
 * same length n < BLOCK (the facade's small calls, n < SMALL = BLOCK), otherwise NaN, checked here so that an
 * entry calls this alone. One block, whose compensated total is its plain sum, and the same operations, so the
 * same bits. logRatio(v, yc) decides on v: v >= MIN_NORMAL_F64 (written out: a constant the loop folds) gives
 * v / yc >= v a normal number, so logRatio's Math.log(v / yc), unless v / yc overflows (v > 1e293: then the
 * sum of p is not 1 and the result is NaN). The checks are folded into the sums (a NaN or infinity makes a sum
 * miss 1) and the branches the loop takes anyway (a negative value is tested for only where p is not positive
 * or q is clipped below), and there are no divisions by 1: the small call's whole cost is this
 * function, kept small (with what it inlines, about 300 bytes of bytecode) so that a caller's loop can inline
 * it after its own calls (V8 inlines at most 920 bytes into one function: at 540 this call was inlined in some
 * processes and not in others, 26 against 31 ns). NaN means "take the general path".
 */
function plainDivergence(p: unknown, q: unknown, cross: boolean): number {
  // float32 input is checked at its own precision; each test once (a miss walks the whole prototype chain)
  const p64 = p instanceof Float64Array, q64 = q instanceof Float64Array;
  if (!(p64 || p instanceof Float32Array) || !(q64 || q instanceof Float32Array)) return NaN;
  const n = p.length;
  // (not k = NaN: a sum that may start as NaN made the loop ~6 ns slower)
  if (n >= BLOCK || q.length !== n) return NaN;
  let sp = 0, sq = 0, neg = false, k = 0;
  for (let i = 0; i < n; i++) {
    const v = p[i], w = q[i];
    sp += v;
    sq += w;
    if (v > 0) {
      let yc: number;
      if (w < 1e-15) {
        yc = 1e-15;
        if (w < 0) neg = true;
      } else yc = w > 1 ? 1 : w;
      k += cross ? -v * Math.log(yc) : v * (v >= 2.2250738585072014e-308 ? Math.log(v / yc) : logRatio(v, yc));
    } else if (v < 0 || w < 0) neg = true; // NaN and ±Infinity make a sum miss 1
  }
  return Math.abs(sp - 1) <= (p64 ? HALF64 : HALF32) && Math.abs(sq - 1) <= (q64 ? HALF64 : HALF32) && !neg ? k : NaN;
}

/**
 * One short Float64Array or Float32Array (pair) with no options, for the facade's small calls (fewer than
 * SMALL = BLOCK elements): the twin's own row functions (kl and crossEntropy: plainDivergence, which also checks
 * the pair), with every check, and no allocation. NaN means "take the general path" (a bad value or a sum that is
 * not 1: it throws the error; a NaN result: it throws too), which computes the same value again.
 */
export const plainCalls: PlainCalls = {
  entropy: entropyPlain,
  kl: (p, q) => plainDivergence(p, q, false),
  crossEntropy: (p, q) => plainDivergence(p, q, true),
  jensenShannon: jensenShannonPlain,
};

