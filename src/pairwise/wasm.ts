// The pairwise engine on WebAssembly (assembly/pairwise.ts). plan() does the per-row work once and
// stages the rows' transforms into the private instance's memory, row stride kp (cols rounded up to 4,
// zero pads, 4 zero rows after the last): then each cells() call runs one tile kernel over the tile and
// finishes its cells here:
//   kl            H_i − Σ_k p_ik log clip(q_jk, eps, 1)   (pairDot64: a register-blocked GEMM against the
//                 staged log clip(q); H_i = Σ p log p). With eps = 0 a q = 0 stages log 0 as 0 and the cells
//                 whose p is positive there are +Infinity (support bitsets), never 0·(−∞).
//   crossEntropy  −Σ_k p_ik log clip(q_jk, eps, 1)        (the same GEMM; no cancellation)
//   jensenShannon ½ H(p_i) + ½ H(q_j) − Σ_k m log m, m = (p + q)/2 = ½ H(p_i) + ½ H(q_j) − ½ (Σ s log s − ln 2 Σ s),
//                 s = p + q (pairMlogm64, a table log, its table staged with the rows; pairMlogm32 on float32
//                 input): one log per pair-element
//   hellinger     ½ Σ (√p − √q)²                           (pairSq64 on the staged roots)
//   totalVariation Σ |p/2 − q/2|                          (pairAbs64 on the staged halves: the twin's terms)
// Cancellation guard: a kl or jensenShannon cell below GUARD times its scale C (kl: Σ p|log p| + Σ p|log clip q|;
// JS: Σ p|log p| + Σ q|log q|), and every cell of a row the product / one-log forms cannot take (row sums below
// 2^-900 or scales near the top of the range; float32 JS: sums below 2^-60, values above 2^90),
// is computed directly by the discrete family's span kernels (pairDirect): the diagonal of X against itself
// is then what klDivergence(p, p) gives, and small values keep their digits.
import type { PairwiseEngine, PairInput, PairPlan, PairKernel } from "./api.js";
import { twinPairwiseEngine } from "./twin.js";
import { privateSlab, Slab } from "../core/wasm.js";
import { range } from "../core/validate.js";

/** Below this many pair-elements (m · n · cols) the twin runs the call (measured: the engine is faster from
 *  about 64-128, e.g. 4 × 4 rows of 8: 4.1 vs 8.5 us for JS, 3.2 vs 5.6 us for KL; 2 × 2 rows of 4: 4.5 vs 3.4 us). */
export let SMALL_PAIRS = 128;
/** For measurements: the crossover. */
export function setPairsSmall(n: number): void {
  SMALL_PAIRS = n;
}
/** Cells below GUARD · C are recomputed with the direct kernels. */
export const GUARD = 2 ** -10;
/** Bytes of the float64 log's table (assembly/pairwise.ts pairLogTable: 2048 entries of two float64). */
const LOG_TABLE_BYTES = 2048 * 16;
/** Preferred tile; also the most cells one kernel call computes (larger requests are split). */
const TILE_I = 64, TILE_J = 64;
/** Staged bytes beyond which the twin runs the call (a private instance holds everything at once). */
const MAX_BYTES = 2 ** 31;
/** Staged bytes beyond which a call has a memory of its own, dropped by release() (the shared private instance
 *  is kept for later calls at its largest size: it should not keep a large call's rows). */
let OWN_BYTES = 64 * 2 ** 20;
/** For tests: the size from which a call has a memory of its own. */
export function setPairsOwnBytes(bytes: number): void {
  OWN_BYTES = bytes;
}

/** Row sums below which the log kernels' rows are computed directly (float64; float32 JS: TINY32); BIG bounds
 *  Σ p (|log p| + 750), BIG32 a float32 row's largest value (the float32 kernel sums in units of 2^23 / ln 2, which stay within float32 below it). Tiny values in a row of larger mass stay in the fast
 *  forms: a positive value below the normal range errs there by at most ~36 times itself (the table log and log32
 *  of a subnormal are finite and off by at most ~36), far below 1e-14 of the row's sum. */
const TINY = 2 ** -900, BIG = 2 ** 1000, TINY32 = 2 ** -60, BIG32 = 2 ** 90;
/** pairDirect's kinds. */
const DIRECT: Partial<Record<PairKernel, number>> = { kl: 0, crossEntropy: 1, jensenShannon: 2 };

const up = (x: number, k: number) => Math.ceil(x / k) * k;


interface Rows {
  /** Σ p log p (kl, JS), Σ p |log p| (the guard's scale) and Σ p. */
  h: Float64Array; a: Float64Array; s: Float64Array;
  /** Rows the fast forms cannot take: their cells are computed directly. */
  odd: Uint8Array;
  /** float32 JS: rows the float32 kernel cannot take. */
  odd32: Uint8Array;
}

/** Per-row statistics of x (m rows): the logs only for kl and Jensen–Shannon (H and the guard's scale). With
 *  `staged` (five float64 a row), the kl and Jensen–Shannon rows' sums come from assembly/pairwise.ts pairRowStats over the staged rows
 *  (five float64 a row: Σ p log p, Σ p |log p|, Σ p, min, max; its vector log: 2 · 2000 rows of 500 took 26 ms in
 *  JS's Math.log, a tenth of a 2000 × 2000 KL matrix); the flags are decided here either way. */
function rowStats(x: Float64Array | Float32Array, rows: number, cols: number, kernel: PairKernel, f32: boolean,
                  staged?: Float64Array): Rows {
  const h = new Float64Array(rows), a = new Float64Array(rows), ss = new Float64Array(rows), odd = new Uint8Array(rows), odd32 = new Uint8Array(rows);
  const logs = kernel === "kl" || kernel === "jensenShannon";
  for (let r = 0; r < rows; r++) {
    // Σ p log p compensated (Neumaier: its error must not grow with cols, as the kernels' does not)
    let sh = 0, ch = 0, sa = 0, sp = 0, min = Infinity, max = 0;
    if (staged !== undefined) {
      const o = r * 5;
      sh = staged[o]; sa = staged[o + 1]; sp = staged[o + 2]; min = staged[o + 3]; max = staged[o + 4];
    } else for (let i = r * cols, e = i + cols; i < e; i++) {
      const v = x[i];
      if (v > 0) {
        if (logs) {
          const l = Math.log(v), t = v * l, u = sh + t;
          ch += Math.abs(sh) >= Math.abs(t) ? (sh - u) + t : (t - u) + sh;
          sh = u;
          sa += v * Math.abs(l);
        }
        sp += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    h[r] = Number.isFinite(sh) ? sh + ch : sh;
    a[r] = sa;
    ss[r] = sp;
    // hellinger: (√p − √q)² may be subnormal (the twin halves each term: rounded otherwise) or Σ overflow;
    // the log kernels: positive values the fast forms cannot take, sums of p |log| near the top of the range
    if (kernel === "hellinger") odd[r] = min < 2 ** -800 || !(sp < BIG) ? 1 : 0;
    else odd[r] = (sp > 0 && sp < TINY) || !(sa + 750 * sp < BIG) ? 1 : 0;
    if (f32) odd32[r] = odd[r] || (sp > 0 && sp < TINY32) || max > BIG32 ? 1 : 0;
  }
  return { h, a, s: ss, odd, odd32 };
}

/** Copies x's rows into view at row stride kp (element index `at`), pads and `extra` rows after them zero,
 *  each value through `f` when given. */
function stageRows(view: Float64Array | Float32Array, at: number, x: Float64Array | Float32Array, rows: number,
                   cols: number, kp: number, extra: number, f?: (v: number) => number): void {
  for (let r = 0; r < rows; r++) {
    const o = at + r * kp, s = r * cols;
    if (f === undefined) view.set(range(x, s, cols) as Float64Array, o); // range: no code of the caller's runs
    else for (let c = 0; c < cols; c++) view[o + c] = f(x[s + c]);
    if (kp > cols) view.fill(0, o + cols, o + kp);
  }
  view.fill(0, at + rows * kp, at + (rows + extra) * kp);
}

/** Bitsets of the rows (32 columns a word) of where `pick` holds. */
function bitsets(x: Float64Array | Float32Array, rows: number, cols: number, pick: (v: number) => boolean) {
  const words = (cols + 31) >>> 5, bits = new Uint32Array(rows * words), any = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (pick(x[r * cols + c])) {
        bits[r * words + (c >>> 5)] |= 1 << (c & 31);
        any[r] = 1;
      }
    }
  }
  return { bits, any, words };
}

const prefix = (flags: Uint8Array) => {
  const s = new Int32Array(flags.length + 1);
  for (let i = 0; i < flags.length; i++) s[i + 1] = s[i] + flags[i];
  return s;
};

/**
 * KL cells of one row of a tile from the GEMM's sums d = Σ p log clip(q): H_i − d, or NaN where that falls below
 * GUARD times the scale Σ p |log p| − d (the caller then computes the cell directly). Returns whether any is NaN.
 * A function of its own, not the tile's closure: its captured variables were reloaded every cell (25 ms of a
 * 2000 × 2000 call's 300).
 */
function klCells(out: Float64Array, r: number, f: Float64Array, s: number, j0: number, j1: number, hi: number, ai: number): boolean {
  let redo = false;
  for (let j = j0; j < j1; j++) {
    const d = f[s + j], v = hi - d;
    if (v >= GUARD * (ai - d)) out[r + j] = v;
    else {
      out[r + j] = NaN;
      redo = true;
    }
  }
  return redo;
}

function wasmPlan(input: PairInput): PairPlan {
  const { kernel, x, y, m, n, cols, eps } = input;
  const same = x === y;
  const f32 = input.f32 && kernel === "jensenShannon";
  const kp = up(cols, 4), mp = m + 4, np = n + 4;
  // staged matrices (byte offsets from the slab's heapStart): A and B the kernel's operands, P and Q the raw
  // rows (float64) for the direct kernels; OUT the tile's cells
  const b64 = (rows: number) => rows * kp * 8;
  const logs = kernel === "kl" || kernel === "crossEntropy" || kernel === "jensenShannon";
  let bytes = 0;
  const take = (b: number) => { const at = bytes; bytes += up(b, 64); return at; };
  const P = logs ? take(b64(mp)) : 0;
  const Q = logs ? (same ? P : take(b64(np))) : 0;
  let A: number, B: number;
  if (kernel === "kl" || kernel === "crossEntropy") { A = P; B = take(b64(np)); }
  else if (kernel === "jensenShannon") {
    if (f32) { A = take(mp * kp * 4); B = same ? A : take(np * kp * 4); }
    else { A = P; B = Q; }
  } else { A = take(b64(mp)); B = same ? A : take(b64(np)); }
  const OUT = take((TILE_I + 4) * (TILE_J + 4) * 8);
  // float64 Jensen–Shannon: the table of its log (assembly/pairwise.ts pairLogTable), written with the rows
  const TAB = kernel === "jensenShannon" && !f32 ? take(LOG_TABLE_BYTES) : 0;
  if (bytes > MAX_BYTES) return twinPairwiseEngine.plan(input);

  // eps = 0: a q = 0 under p > 0 is a pole (+Infinity)
  const poles = (kernel === "kl" || kernel === "crossEntropy") && eps === 0;

  const token = {};
  const stage = (slab: Slab) => {
    const h = slab.heapStart, f = slab.f64;
    if (logs) {
      stageRows(f, (h + P) / 8, x, m, cols, kp, 4);
      if (!same) stageRows(f, (h + Q) / 8, y, n, cols, kp, 4);
    }
    if (TAB !== 0) slab.exports.pairLogTable(h + TAB);
    if (kernel === "kl" || kernel === "crossEntropy") {
      // log clip(q, eps, 1) from the raw rows Q just staged (assembly/pairwise.ts pairLogClip), the 4 rows after zero
      slab.exports.pairLogClip(h + Q, h + B, n, cols, kp, eps);
      f.fill(0, (h + B) / 8 + n * kp, (h + B) / 8 + (n + 4) * kp);
    }
    else if (kernel === "jensenShannon" && f32) {
      stageRows(slab.f32, (h + A) / 4, x, m, cols, kp, 4);
      if (!same) stageRows(slab.f32, (h + B) / 4, y, n, cols, kp, 4);
    } else if (kernel === "hellinger" || kernel === "totalVariation") {
      const t = kernel === "hellinger" ? Math.sqrt : (v: number) => v / 2;
      stageRows(f, (h + A) / 8, x, m, cols, kp, 4, t);
      if (!same) stageRows(f, (h + B) / 8, y, n, cols, kp, 4, t);
    }
  };
  let own: Slab | undefined;
  const slabFor = (): Slab => {
    if (own !== undefined) return own;
    const slab = privateSlab(bytes) as Slab & { owner?: object };
    if (slab.owner !== token) {
      slab.owner = undefined;
      stage(slab);
      slab.owner = token;
    }
    return slab;
  };
  try {
    if (bytes > OWN_BYTES) {
      own = new Slab(bytes);
      stage(own);
    } else slabFor();
  } catch (e) {
    // a memory this large could not be created: the twin needs none
    if (e instanceof RangeError) return twinPairwiseEngine.plan(input);
    throw e;
  }

  // per-row work: kl's and Jensen–Shannon's sums over the rows just staged (P, Q), in OUT's room a chunk at a time
  const stats = (z: Float64Array | Float32Array, rows: number, at: number): Rows => {
    if (kernel !== "kl" && kernel !== "jensenShannon") return rowStats(z, rows, cols, kernel, f32);
    const slab = slabFor(), chunk = Math.floor(((TILE_I + 4) * (TILE_J + 4)) / 5), o = (slab.heapStart + OUT) / 8;
    const all = new Float64Array(rows * 5);
    for (let r = 0; r < rows; r += chunk) {
      const c = Math.min(chunk, rows - r);
      slab.exports.pairRowStats(slab.heapStart + at + r * kp * 8, c, kp, slab.heapStart + OUT);
      all.set(slab.f64.subarray(o, o + c * 5), r * 5);
    }
    return rowStats(z, rows, cols, kernel, f32, all);
  };
  const sx = kernel === "totalVariation" ? undefined : stats(x, m, P);
  const sy = kernel === "jensenShannon" || kernel === "hellinger" ? (same ? sx : stats(y, n, Q)) : undefined;
  const oddX = sx === undefined ? new Uint8Array(m) : f32 ? sx.odd32 : sx.odd;
  const oddY = sy === undefined ? new Uint8Array(n) : f32 ? sy.odd32 : sy.odd;
  const oddXs = prefix(oddX), oddYs = prefix(oddY);
  const pb = poles ? bitsets(x, m, cols, (v) => v > 0) : undefined;
  const zb = poles ? bitsets(y, n, cols, (v) => v === 0) : undefined;

  const kind = DIRECT[kernel] ?? -1;
  const isPole = (i: number, j: number) => {
    if (!zb!.any[j]) return false;
    const w = pb!.words, pi = i * w, zj = j * w;
    for (let k = 0; k < w; k++) if (pb!.bits[pi + k] & zb!.bits[zj + k]) return true;
    return false;
  };

  /** One block of at most TILE_I × TILE_J cells. */
  const block = (slab: Slab, i0: number, i1: number, j0: number, j1: number, out: Float64Array, at: number, stride: number) => {
    const ex = slab.exports, h = slab.heapStart, f = slab.f64;
    const ni = i1 - i0, nj = j1 - j0, ni4 = up(ni, 4), nj2 = up(nj, 2), os = nj2;
    const rowB = kp * 8, o = (h + OUT) / 8;
    switch (kernel) {
      case "kl": case "crossEntropy": ex.pairDot64(h + A + i0 * rowB, h + B + j0 * rowB, kp, ni4, nj2, h + OUT, os); break;
      case "jensenShannon":
        if (f32) ex.pairMlogm32(h + A + i0 * kp * 4, h + B + j0 * kp * 4, kp, up(ni, 2), nj2, h + OUT, os);
        else slab.exports.pairMlogm64(h + A + i0 * rowB, h + B + j0 * rowB, kp, up(ni, 2), nj2, h + OUT, os, h + TAB);
        break;
      case "hellinger": {
        const half = oddXs[i1] - oddXs[i0] + oddYs[j1] - oddYs[j0] > 0 ? 1 : 0;
        ex.pairSq64(h + A + i0 * rowB, h + B + j0 * rowB, kp, ni4, nj2, h + OUT, os, half);
        for (let i = 0; i < ni; i++) {
          const r = at + i * stride, s = o + i * os;
          for (let j = 0; j < nj; j++) out[r + j] = half ? f[s + j] : f[s + j] / 2;
        }
        return;
      }
      default:
        ex.pairAbs64(h + A + i0 * rowB, h + B + j0 * rowB, kp, ni4, nj2, h + OUT, os);
        for (let i = 0; i < ni; i++) out.set(f.subarray(o + i * os, o + i * os + nj), at + i * stride);
        return;
    }
    // JS: unhalved (kind 3) where Σ p + Σ q cannot overflow, so that subnormal values are not halved before their logs
    const direct = kernel === "jensenShannon"
      ? (i: number, j: number) => ex.pairDirect(sx!.s[i] + sy!.s[j] < 2 ** 1020 ? 3 : 2, h + P + i * rowB, h + Q + j * rowB, cols, eps)
      : (i: number, j: number) => ex.pairDirect(kind, h + P + i * rowB, h + Q + j * rowB, cols, eps);
    const anyOddJ = oddYs[j1] - oddYs[j0] > 0;
    for (let i = i0; i < i1; i++) {
      const r = at + (i - i0) * stride - j0, s = o + (i - i0) * os - j0;
      const oi = oddX[i] === 1;
      if (kernel === "kl") {
        // the product form's cells (NaN where it loses digits), then poles and the cells computed directly
        const redo = oi || klCells(out, r, f, s, j0, j1, sx!.h[i], sx!.a[i]);
        if (redo || poles) {
          for (let j = j0; j < j1; j++) {
            if (poles && isPole(i, j)) out[r + j] = Infinity;
            else if (oi || out[r + j] !== out[r + j]) out[r + j] = direct(i, j);
          }
        }
      } else if (kernel === "crossEntropy") {
        for (let j = j0; j < j1; j++) {
          if (poles && isPole(i, j)) out[r + j] = Infinity;
          else out[r + j] = oi ? direct(i, j) : 0 - f[s + j];
        }
      } else {
        // the kernel's Σ s log s, s = p + q, is 2 Σ m log m + ln 2 (Σ p + Σ q)
        const hi = sx!.h[i] / 2, ai = sx!.a[i], hy = sy!.h, ay = sy!.a, si = sx!.s[i], sy2 = sy!.s;
        for (let j = j0; j < j1; j++) {
          const v = hi + hy[j] / 2 - (f[s + j] - Math.LN2 * (si + sy2[j])) / 2;
          out[r + j] = oi || (anyOddJ && oddY[j]) || !(v >= GUARD * (ai + ay[j])) ? direct(i, j) : v;
        }
      }
    }
  };

  return {
    tile: [TILE_I, TILE_J],
    cells(i0, i1, j0, j1, out, at, stride) {
      const slab = slabFor();
      for (let a = i0; a < i1; a += TILE_I) {
        for (let b = j0; b < j1; b += TILE_J) {
          block(slab, a, Math.min(i1, a + TILE_I), b, Math.min(j1, b + TILE_J), out, at + (a - i0) * stride + (b - j0), stride);
        }
      }
    },
    release() {
      if (own !== undefined) {
        own = undefined;
        return;
      }
      const slab = privateSlab(0) as Slab & { owner?: object };
      if (slab.owner === token) slab.owner = undefined;
    },
  };
}

export const wasmPairwiseEngine: PairwiseEngine = {
  plan(input) {
    if (input.m * input.n * input.cols < SMALL_PAIRS) return twinPairwiseEngine.plan(input);
    return wasmPlan(input);
  },
};
