// The logits engine on WebAssembly (assembly/logits.ts). Rows are staged into the private
// instance's memory (beyond its scratch) in chunks of whole rows: as many rows as fit in CHUNK
// values (at most ROWS_MAX), or one row of up to ROW_MAX values; a longer row is streamed in
// segments of CHUNK values, its statistics (running max, rescaled sums) carried from one segment
// to the next in module memory.
// Each chunk runs a statistics kernel, then (outputs, gradients) an output kernel from per-row
// parameters computed here, while the chunk is still staged; segmented rows are staged a second
// time for their output pass. Outputs are copied from module memory into the caller's arrays.
// The statistics kernels also check the values as the api would (`checks`: in their max pass, a flag per
// row): a chunk with a bad value stops the call before its outputs, and the api names the value.
// Calls below SMALL_LOGITS values run the twin (after a check in JavaScript).
import { firstBadLogit, type LogitsEngine, type Logits } from "./api.js";
import { twinLogitsEngine } from "./twin.js";
import { CHUNK, SCRATCH, privateSlab, type Slab } from "../core/wasm.js";
import { lengthOf, range } from "../core/validate.js";

/** Below this many values (rows · cols) the twin is faster: measured, the engine is already faster at 8-16 values
 *  for KL (0.23 vs 0.33 us at 8) and even at 16 for log-softmax / log-sum-exp (0.24 vs 0.21 us); 4-7x at 64-1024. */
export let SMALL_LOGITS = 16;
/** For measurements: the crossover. */
export function setLogitsSmall(n: number): void {
  SMALL_LOGITS = n;
}
/** Rows per call: the state region (the scratch's PARAMS, 4 CHUNK float64) holds 8 float64 a row. */
const ROWS_MAX = CHUNK / 2;
/** Longest row staged whole (float64: 512 KiB an input); longer rows go in segments of CHUNK values. */
export const ROW_MAX = 1 << 16;
/** Values of a row per block of the blocked online max in segmented rows (>= the row: two passes). */
let blockValues = 2048;
const ST = SCRATCH.PARAMS;
/** The staging layout of the current call (set by layout()): inputs at A and B, weights at WT, output at Y. */
let A = 0, B = 0, WT = 0, Y = 0;

/** For measurements: the block of the online max (values; >= cols gives the two-pass form). */
export function setLogitsBlock(values: number): void {
  blockValues = values;
}

const eff = (m: number) => (m > -Infinity ? m : 0);

interface Chunk {
  /** first row, rows in this call (1 for a segment), first column, columns in this call */
  r0: number; nr: number; c0: number; count: number;
  /** first value of the call in the inputs; the first segment of its rows; the last */
  start: number; fresh: boolean; last: boolean;
}

/** Values of a row per call: the whole row up to ROW_MAX, else segments of CHUNK. */
const segmentOf = (cols: number) => (cols <= ROW_MAX ? cols : CHUNK);
/** Rows per call for rows staged whole. */
const perCall = (cols: number) => Math.max(1, Math.min(ROWS_MAX, Math.floor(CHUNK / cols)));

/** The private instance, with A, B, WT, Y laid out beyond its scratch for rows of `cols` values. */
function layout(cols: number): Slab {
  const seg = segmentOf(cols), n = seg === cols ? perCall(cols) * cols : seg;
  const bytes = 8 * (3 * n + seg) + 64;
  const slab = privateSlab(bytes) as Slab & { owner?: object };
  slab.owner = undefined;
  A = slab.heapStart;
  B = A + 8 * n;
  WT = B + 8 * n;
  Y = WT + 8 * seg;
  return slab;
}

/** Calls `fn` for each chunk of whole rows or segment of a row, in order. */
function chunks(rows: number, cols: number, fn: (c: Chunk) => void): void {
  if (segmentOf(cols) === cols) {
    const per = perCall(cols);
    for (let r0 = 0; r0 < rows; r0 += per) {
      const nr = Math.min(per, rows - r0);
      fn({ r0, nr, c0: 0, count: cols, start: r0 * cols, fresh: true, last: true });
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += CHUNK) {
      const count = Math.min(CHUNK, cols - c0);
      fn({ r0: r, nr: 1, c0, count, start: r * cols + c0, fresh: c0 === 0, last: c0 + count >= cols });
    }
  }
}

/** Copies x[start, start + n) into module memory at byte offset `at` (float32 or float64 elements). */
function stage(slab: Slab, f32: boolean, at: number, x: Logits, start: number, n: number): void {
  // through x's slots (src/core/validate.ts range): no code of the caller's runs while scratch is in use
  const src = (start === 0 && n === lengthOf(x) ? x : range(x, start, n)) as Float32Array;
  if (f32) slab.f32.set(src, at >> 2);
  else slab.f64.set(src, at >> 3);
}

/** Copies the output of a call (n values at Y) into y[start, ...). */
function unstage(slab: Slab, y: Logits, start: number, n: number): void {
  if (y instanceof Float32Array) y.set(slab.f32.subarray(Y >> 2, (Y >> 2) + n), start);
  else y.set(slab.f64.subarray(Y >> 3, (Y >> 3) + n), start);
}

const blockSteps = (f32: boolean) => Math.max(1, Math.floor(blockValues / (f32 ? 8 : 4)));

/**
 * Runs a statistics kernel over every row and `finish(r, state, i)` for each row once its
 * statistics are complete (state[i..i+8) in the scratch; finish may overwrite it with output
 * parameters). With `output`, an output kernel then runs over the chunk (or, for segmented
 * rows, over the row staged again) and its values are copied into y.
 * Returns -1, or the first value of the chunk whose statistics flagged a bad value (state[i + 6]): the call stops
 * there, before that chunk's finish and outputs.
 */
function drive(x: Logits, x2: Logits | undefined, w: Float64Array | undefined, rows: number, cols: number, f32: boolean,
               stats: (slab: Slab, c: Chunk) => void, finish: (slab: Slab, r: number, i: number) => void,
               output?: (slab: Slab, c: Chunk) => void, y?: Logits): number {
  const slab = layout(cols);
  const segmented = segmentOf(cols) !== cols;
  let bad = -1;
  const stageIn = (c: Chunk) => {
    const n = c.nr * c.count;
    stage(slab, f32, A, x, c.start, n);
    if (x2 !== undefined) stage(slab, f32, B, x2, c.start, n);
    if (w !== undefined && (segmented || c.r0 === 0)) slab.f64.set(w.subarray(c.c0, c.c0 + c.count), WT >> 3);
  };
  chunks(rows, cols, (c) => {
    if (bad >= 0) return;
    stageIn(c);
    stats(slab, c);
    for (let i = 0, f = slab.f64, at = (ST >> 3) + 6; i < c.nr; i++) {
      if (f[at + 8 * i] !== 0) { bad = c.start; return; }
    }
    if (!c.last) return;
    for (let i = 0; i < c.nr; i++) finish(slab, c.r0 + i, (ST >> 3) + 8 * i);
    if (output === undefined) return;
    if (!segmented) {
      output(slab, c);
      unstage(slab, y!, c.start, c.nr * c.count);
      return;
    }
    for (let c0 = 0; c0 < cols; c0 += CHUNK) {
      const count = Math.min(CHUNK, cols - c0);
      const s: Chunk = { r0: c.r0, nr: 1, c0, count, start: c.r0 * cols + c0, fresh: false, last: true };
      stageIn(s);
      output(slab, s);
      unstage(slab, y!, s.start, count);
    }
  });
  return bad;
}

const isF32 = (x: Logits, x2?: Logits) => x instanceof Float32Array && (x2 === undefined || x2 instanceof Float32Array);

/**
 * Temperatures below 1e-6 (1 / T above 1e6) run the twin: there the kernels' float32 lanes overflow (1 / T
 * beyond the float32 range: NaN at each row's maximum) and float64 terms that cancel in the gradients pass the
 * double range (found by test/logits-fuzz.test.ts). Such temperatures make softmax a hard max; the twin computes
 * them exactly as the api documents.
 */
const EXTREME_INVT = 1e6;

/** The twin's call (small calls, extreme temperatures), the values checked first in JavaScript: -1, or the first bad
 *  value's index in x or x2. */
function viaTwin(x: Logits, x2: Logits | undefined, invT: number, call: () => void): number {
  const i = firstBadLogit(x, invT), j = x2 === undefined ? -1 : firstBadLogit(x2, invT, 0);
  if (i >= 0 || j >= 0) return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  call();
  return -1;
}

export const wasmLogitsEngine: LogitsEngine = {
  checks: true,
  logSumExp(x, rows, cols, invT, out) {
    if (rows * cols < SMALL_LOGITS || invT > EXTREME_INVT) {
      return viaTwin(x, undefined, invT, () => twinLogitsEngine.logSumExp(x, rows, cols, invT, out));
    }
    const f32 = isF32(x);
    return drive(x, undefined, undefined, rows, cols, f32,
      (s, c) => s.exports.logitsLse(A, c.nr, c.count, f32 ? 1 : 0, invT, ST, c.fresh ? 1 : 0, blockSteps(f32)),
      (s, r, i) => {
        const m = s.f64[i], sum = s.f64[i + 1];
        out[r] = m === -Infinity ? -Infinity : m * invT + Math.log(sum);
      });
  },

  logSoftmax(x, rows, cols, invT, exp, y) {
    if (rows * cols < SMALL_LOGITS || invT > EXTREME_INVT) {
      return viaTwin(x, undefined, invT, () => twinLogitsEngine.logSoftmax(x, rows, cols, invT, exp, y));
    }
    const f32 = isF32(x), out32 = y instanceof Float32Array ? 1 : 0;
    return drive(x, undefined, undefined, rows, cols, f32,
      (s, c) => s.exports.logitsLse(A, c.nr, c.count, f32 ? 1 : 0, invT, ST, c.fresh ? 1 : 0, blockSteps(f32)),
      (s, _r, i) => {
        const m = s.f64[i], sum = s.f64[i + 1];
        s.f64[i] = eff(m);
        s.f64[i + 1] = sum > 0 ? (exp ? 1 / sum : Math.log(sum)) : 0;
      },
      (s, c) => s.exports.logitsSoftmax(A, c.nr, c.count, f32 ? 1 : 0, invT, ST, Y, out32, exp ? 1 : 0), y);
  },

  entropy(x, rows, cols, invT, out) {
    if (rows * cols < SMALL_LOGITS || invT > EXTREME_INVT) {
      return viaTwin(x, undefined, invT, () => twinLogitsEngine.entropy(x, rows, cols, invT, out));
    }
    const f32 = isF32(x);
    return drive(x, undefined, undefined, rows, cols, f32,
      (s, c) => s.exports.logitsEntropy(A, c.nr, c.count, f32 ? 1 : 0, invT, ST, c.fresh ? 1 : 0, blockSteps(f32)),
      (s, r, i) => {
        const sum = s.f64[i + 1], e = s.f64[i + 4];
        const h = sum > 0 ? Math.log(sum) - e / sum : 0;
        out[r] = h > 0 ? h : 0;
      });
  },

  klLogits(a, b, rows, cols, invT, reverse, out, grad, gradScale) {
    if (rows * cols < SMALL_LOGITS || invT > EXTREME_INVT) {
      return viaTwin(a, b, invT, () => twinLogitsEngine.klLogits(a, b, rows, cols, invT, reverse, out, grad, gradScale));
    }
    const f32 = isF32(a, b), out32 = grad instanceof Float32Array ? 1 : 0;
    // the statistics kernel weights its first input: (teacher, student) forward, (student, teacher) reverse
    const [w, v] = reverse ? [b, a] : [a, b];
    // forward with a gradient, whole rows: the statistics pass leaves exp(u), exp(v) in the scratch and the
    // gradient pass only scales them (logitsKlStore, logitsKlDiff)
    const store = !reverse && grad !== undefined && segmentOf(cols) === cols;
    return drive(w, v, undefined, rows, cols, f32,
      (s, c) => store ? s.exports.logitsKlStore(A, B, c.nr, c.count, f32 ? 1 : 0, invT, ST)
        : s.exports.logitsKlStats(A, B, c.nr, c.count, f32 ? 1 : 0, invT, ST, c.fresh ? 1 : 0, blockSteps(f32)),
      (s, r, i) => {
        const f = s.f64;
        const mw = f[i], sw = f[i + 1], mv = f[i + 2], sv = f[i + 3], d = f[i + 4];
        const kl = sw === 0 ? 0 : d === Infinity ? Infinity : d / sw + Math.log(sv) - Math.log(sw);
        out[r] = kl;
        if (grad === undefined) return;
        const g = gradScale![r] * invT;
        if (!reverse) {
          // grad = g (q − p): (Ma, Mb, g / Sa, g / Sb) over (a, b) = (teacher, student)
          // (a teacher row with every class masked: KL is 0 whatever the student, a zero gradient row)
          f[i] = eff(mw); f[i + 1] = eff(mv); f[i + 2] = sw > 0 ? g / sw : 0; f[i + 3] = sw > 0 && sv > 0 ? g / sv : 0;
        } else {
          // grad = g q (log q − log p − KL) over (a, b) = (teacher, student): q the weighting side
          const ok = sw > 0 && kl < Infinity && g !== 0;
          f[i] = eff(mv); f[i + 1] = eff(mw);
          f[i + 2] = ok ? Math.log(sv) - Math.log(sw) - kl : 0;
          f[i + 3] = ok ? g / sw : 0;
        }
      },
      grad === undefined ? undefined
        // the output pass reads (teacher, student) at (A, B): reverse staged them swapped
        : store ? (s, c) => s.exports.logitsKlDiff(A, B, c.nr, c.count, f32 ? 1 : 0, ST, Y, out32)
        : (s, c) => s.exports.logitsKlGrad(reverse ? B : A, reverse ? A : B, c.nr, c.count, f32 ? 1 : 0, invT, ST, Y, out32,
          reverse ? 1 : 0),
      grad);
  },

  crossEntropy(x, labels, rows, cols, smoothing, weights, ignoreIndex, out, grad, gradScale) {
    if (rows * cols < SMALL_LOGITS) {
      return viaTwin(x, undefined, 1, () => twinLogitsEngine.crossEntropy(x, labels, rows, cols, smoothing, weights, ignoreIndex, out, grad, gradScale));
    }
    const f32 = isF32(x), out32 = grad instanceof Float32Array ? 1 : 0, sm = smoothing, C = cols;
    // per-row label-entry fix-ups, applied after the output pass copied the row
    const fix = grad === undefined ? undefined : new Float64Array(rows);
    // without smoothing only log s is needed: the log-sum-exp kernel (no Σ w (x − M), no W)
    const bad = drive(x, undefined, weights, rows, cols, f32,
      (s, c) => sm === 0 ? s.exports.logitsLse(A, c.nr, c.count, f32 ? 1 : 0, 1, ST, c.fresh ? 1 : 0, blockSteps(f32))
        : s.exports.logitsCeStats(A, weights === undefined ? 0 : WT, c.nr, c.count, f32 ? 1 : 0, ST, c.fresh ? 1 : 0, blockSteps(f32)),
      (s, r, i) => {
        const f = s.f64;
        const y = labels[r];
        if (y === ignoreIndex) {
          out[r] = 0;
          // a zero gradient row: A = B = 0 (the shift stays the row's max: exp(x − M) <= 1, never 0 · Infinity)
          if (grad !== undefined) { f[i] = eff(f[i]); f[i + 1] = 0; f[i + 2] = 0; }
          return;
        }
        // a fully masked row: no mass (the kernels' masked terms are e^-708, not 0, in cross-entropy sums)
        const m = eff(f[i]), sum = f[i] === -Infinity ? 0 : f[i + 1], z = f[i + 4], W = f[i + 5];
        const ls = Math.log(sum);
        const wy = weights === undefined ? 1 : weights[y];
        const xy = x[r * cols + y];
        const cy = (1 - sm) * wy;
        let loss = 0;
        if (cy !== 0) loss += cy * (xy === -Infinity ? Infinity : ls - (xy - m));
        if (sm !== 0 && W !== 0) loss += (sm / C) * (z === -Infinity ? Infinity : W * ls - z);
        out[r] = loss;
        if (grad === undefined) return;
        const g = gradScale![r];
        const alpha = cy + (sm / C) * W, beta = sm / C;
        f[i] = m; f[i + 1] = sum > 0 ? (g * alpha) / sum : 0; f[i + 2] = g * beta;
        const py = sum > 0 && xy > -Infinity ? Math.exp(xy - m) / sum : 0;
        fix![r] = g * (alpha * py - beta * wy - cy);
      },
      grad === undefined ? undefined
        : (s, c) => s.exports.logitsCeGrad(A, weights === undefined ? 0 : WT, c.nr, c.count, f32 ? 1 : 0, ST, Y, out32),
      grad);
    if (bad >= 0) return bad;
    if (grad !== undefined) {
      for (let r = 0; r < rows; r++) if (labels[r] !== ignoreIndex) grad[r * cols + labels[r]] = fix![r];
    }
    return -1;
  },
};
