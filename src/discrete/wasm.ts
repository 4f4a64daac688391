// The discrete measures' WebAssembly engine: entropy, KL, cross-entropy and
// Jensen-Shannon over rows, through the span kernels (assembly/core/span.ts) that
// src/core/wasm.ts drives. Each function has the pure-TS twin's signature (twin.ts)
// and falls back to it where the kernels' scaling would lose precision.
import type { RowsFn } from "./twin.js";
import type { Engine } from "./api.js";
import { entropyRowsRef, klRowsRef, crossEntropyRowsRef, jensenShannonRowsRef } from "./twin.js";
import { runRows, rowSums, normalizable, binade, unscale, PLAIN, MIN_NORMAL_F64, type KernelName } from "../core/wasm.js";
import { throwFirstBad } from "../core/validate.js";

// Entropy on WebAssembly: H(P) = -sum p log p over p > 0.
// normalize: with s = sum p and e its binade, the kernel takes logs of p 2^-e
// (an exact exponent shift), and H(p / s) = -(sum p log(p 2^-e)) / s + log(s 2^-e):
// no large log s is added and cancelled afterwards.

export const entropyRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out) => {
  const report = () => throwFirstBad(fn, p);
  if (!o.normalize) {
    runRows(fn, "entropyRows", p, undefined, rows, cols, PLAIN, out, report);
    for (let r = 0; r < rows; r++) out[r] = 0 - out[r]; // 0 - x: no -0 for an all-zero row
    return;
  }
  const s = rowSums(fn, "p", p, rows, cols, report);
  if (!s.every(normalizable)) return entropyRowsRef(fn, p, q, rows, cols, o, out);
  const params = new Float64Array(rows * 4);
  for (let r = 0; r < rows; r++) params[r * 4 + 2] = -binade(s[r]);
  runRows(fn, "entropyRows", p, undefined, rows, cols, { ...PLAIN, params }, out, report);
  for (let r = 0; r < rows; r++) out[r] = -out[r] / s[r] + Math.log(unscale(s[r], binade(s[r])));
};

// KL divergence and cross-entropy on WebAssembly, q clipped to [eps, 1] where p > 0.
// normalize: with sp = sum p, sq = sum q, clip(q / sq, eps, 1) = clip(q, eps sq, sq) / sq,
// so the kernels never rescale the data. With ep, eq the sums' binades, the kernel
// adds (eq - ep) ln 2 (KL) or -eq ln 2 (cross-entropy) to each log exactly, and
//   KL(p/sp || q/sq) = (sum p log(2^(eq-ep) p / clip(q, eps sq, sq))) / sp + log((sq 2^-eq) / (sp 2^-ep))
//   H(p/sp, q/sq)    = -(sum p log(2^-eq clip(q, eps sq, sq))) / sp + log(sq 2^-eq)
// leaving no large logarithm to cancel. Where eps sq underflows the clip bound is no
// longer exact, and, like sums that are not normalizable(), the pure-TS twin runs instead.

function divergence(kernel: KernelName, ref: RowsFn, cross: boolean): RowsFn {
  return (fn, p, q, rows, cols, o, out) => {
    const report = () => throwFirstBad(fn, p, q);
    if (!o.normalize) {
      runRows(fn, kernel, p, q, rows, cols, { lo: o.eps, hi: 1, a: 0, b: 0, clips: true }, out, report);
      if (cross) for (let r = 0; r < rows; r++) out[r] = 0 - out[r]; // no -0
      return;
    }
    const sp = rowSums(fn, "p", p, rows, cols, report);
    const sq = rowSums(fn, "q", q!, rows, cols, report);
    const params = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      const lo = o.eps * sq[r];
      if (!normalizable(sp[r]) || !normalizable(sq[r]) || (o.eps > 0 && lo < MIN_NORMAL_F64)) return ref(fn, p, q, rows, cols, o, out);
      params.set([lo, sq[r], cross ? -binade(sq[r]) : binade(sq[r]) - binade(sp[r]), 0], r * 4);
    }
    runRows(fn, kernel, p, q, rows, cols, { lo: 0, hi: 1, a: 0, b: 0, params, clips: true }, out, report);
    for (let r = 0; r < rows; r++) {
      const uq = unscale(sq[r], binade(sq[r])), up = unscale(sp[r], binade(sp[r]));
      out[r] = cross ? -out[r] / sp[r] + Math.log(uq) : out[r] / sp[r] + Math.log(uq / up);
    }
  };
}

export const klRowsWasm: RowsFn = divergence("klRows", klRowsRef, false);
export const crossEntropyRowsWasm: RowsFn = divergence("crossEntropyRows", crossEntropyRowsRef, true);


// Jensen-Shannon divergence on WebAssembly: (KL(P || M) + KL(Q || M)) / 2, M = (P + Q) / 2.
// normalize scales p and q by 1 / sum inside the kernel (M depends on both, so
// the sums do not factor out as they do for KL). Sums outside [1e-30, 1e30], where
// 1 / sum would lose precision (or leave float32's range), run the pure-TS twin.

const inRange = (s: number) => s >= 1e-30 && s <= 1e30;

export const jensenShannonRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out) => {
  const report = () => throwFirstBad(fn, p, q);
  let params: Float64Array | undefined;
  if (o.normalize) {
    const sp = rowSums(fn, "p", p, rows, cols, report);
    const sq = rowSums(fn, "q", q!, rows, cols, report);
    params = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      if (!inRange(sp[r]) || !inRange(sq[r])) return jensenShannonRowsRef(fn, p, q, rows, cols, o, out);
      params.set([0, 0, 1 / sp[r], 1 / sq[r]], r * 4);
    }
  }
  runRows(fn, "jensenShannonRows", p, q, rows, cols, { lo: 0, hi: 0, a: 1, b: 1, params }, out, report);
  for (let r = 0; r < rows; r++) out[r] /= 2;
};

/** The WebAssembly engine of the discrete measures. */
export const wasmEngine: Engine = {
  entropy: entropyRowsWasm, kl: klRowsWasm, crossEntropy: crossEntropyRowsWasm, jensenShannon: jensenShannonRowsWasm,
};
