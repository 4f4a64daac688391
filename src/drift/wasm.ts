// The binning engine on WebAssembly (assembly/drift.ts): samples streamed through the
// scratch in chunks (or read in place when they are a workspace view), counted in u32
// tables in module memory and added into the caller's Float64Array counts at the end, or
// before any table could reach 2^32. Small inputs run the twin.
import type { BinEngine, BinPlan, BinTally } from "./histogram.js";
import { twinBinEngine } from "./twin.js";
import { streamSamples, type Slab } from "../core/wasm.js";
import type { Vector } from "../core/validate.js";

/** Below this many samples the twin is faster (bench/drift.mjs, crossover: about even at 128, the engine 1.2-1.6x faster at 256). */
export const SMALL_BINNING = 160;
/** Count tables per call (assembly/drift.ts COPIES). */
const COPIES = 4;
/** More bins than this run the twin (the tables and edges would need > 400 MiB). */
const MAX_BINS = 1 << 24;
/** Largest table stride (bins + 3, rounded up to 4) for which the fast paths count pairs of
 *  samples in two stride x stride pair tables (assembly/drift.ts; 32 KiB at most, beside the
 *  data in L1): bins <= 61. */
const PAIR_STRIDE = 64;
/** Samples per pair-table entry below which zeroing and summing the pair tables costs more than
 *  they save (about 10 us for 50 bins; 0.3 ns a sample saved): n >= 16 stride^2. */
const PAIR_MIN = 16;
/** Samples counted between two flushes of the u32 tables: no slot can wrap. */
const FLUSH = 2 ** 32 - 1;

/**
 * The grid that spares most samples the search over arbitrary edges (assembly/drift.ts
 * table4): `cells` equal cells over [lo, hi] (128 per bin, at most 2^14), and for each cell
 * c in [-1, cells] the slot of every sample whose index floor((x - lo) cnorm) is c, if no
 * edge lies in the cell widened by `margin` of a cell either side; k | ONE_EDGE if exactly
 * one edge e_k does (and not the last edge: then the slot is k + (x >= e_k)); else -1; entry c + 2;
 * cells below -1 are under (0), above `cells` over; NaN reads entry cells + 4 (-1: searched).
 * For the float64 kernel the margin is 2^-16, which covers the rounding of that index and of
 * these bounds (the cell width is at least 2^-30 of the edges' magnitude); the float32 kernel
 * computes the index in float32 and adds its bound (f32Delta) to the margin.
 * The count of edges <= x (the slot) is the same for every x in a cell of the first kind,
 * and k + (x >= e_k) in one of the second (an exact comparison); the cells that the last
 * edge reaches (x = e_n belongs to the last bin, not over) are searched.
 */
interface Grid { table: Int32Array; cells: number; cnorm: number }
const grids = new WeakMap<BinPlan, Grid | null>();
const grids32 = new WeakMap<BinPlan, Grid | null>();
const GRID_MARGIN = 2 ** -16;
/** Flag of a grid entry k whose widened cell holds exactly one edge, e_k: the slot is k + (x >= e_k). */
const ONE_EDGE = 1 << 30;

const gridCells = (bins: number) => Math.min(1 << 14, 128 * bins);

function gridOf(plan: BinPlan, f32: boolean): Grid | null {
  const cache = f32 ? grids32 : grids;
  let g = cache.get(plan);
  if (g !== undefined) return g;
  const { edges, bins, lo, hi } = plan;
  const cells = gridCells(bins), span = hi - lo, cnorm = cells / span, wc = span / cells;
  g = null;
  let margin = GRID_MARGIN;
  if (f32) {
    const d = f32Delta(lo, hi, cells);
    margin = d <= 2 ** -6 ? margin + d : NaN;
  }
  if (span > 0 && span < Infinity && cnorm < Infinity && wc >= Math.max(Math.abs(lo), Math.abs(hi)) * 2 ** -30 && margin < 1) {
    const table = new Int32Array(cells + 5);
    table[cells + 3] = bins + 1;
    table[cells + 4] = -1; // NaN (the kernels route it here): searched
    // k, ku: the edges <= l and <= u, swept along (l and u never decrease with c: rounding is
    // monotone), not searched for each cell (1 ms a call for 50 bins' 6400 cells)
    const m = edges.length;
    let k = 0, ku = 0;
    for (let c = -1; c <= cells; c++) {
      const l = lo + (c - margin) * wc, u = lo + (c + 1 + margin) * wc;
      while (k < m && edges[k] <= l) k++;
      while (ku < m && edges[ku] <= u) ku++;
      table[c + 2] = l <= hi && hi <= u ? -1 : k === ku ? k : ku === k + 1 ? k | ONE_EDGE : -1;
    }
    g = { table, cells, cnorm };
  }
  cache.set(plan, g);
  return g;
}
/** Samples per grid cell below which the grid costs more to build and copy than it saves. */
const GRID_MIN = 16;

// ------------------------------------------------------------------ float32 lanes
const F1 = new Float32Array(1), I1 = new Int32Array(F1.buffer);
/** up(e): the smallest float32 (or +Infinity) >= e. For a float32 x: x >= e iff x >= up(e)
 *  (assembly/drift.ts, float32 lanes, has the proof). */
export function up32(e: number): number {
  const f = Math.fround(e); // nearest
  return f >= e ? f : next32(f); // 0 < e below half the least subnormal: 2^-149
}
/** The least float32 above the float32 v (v < +Infinity; -Infinity -> -max, max -> +Infinity). */
function next32(v: number): number {
  if (v === 0) return 2 ** -149;
  F1[0] = v;
  I1[0] += v > 0 ? 1 : -1;
  return F1[0];
}
/** down(e): the largest float32 (or -Infinity) <= e. For a float32 x: x > e iff x > down(e). */
export const down32 = (e: number): number => -up32(-e);

/**
 * A bound on |t32 - t| for the index the float32 kernels compute, t32 = fl32(fl32(x - lo32)
 * norm32) with lo32, norm32 the float32 nearest to lo and to k / (hi - lo) (norm's own
 * float64 rounding included), against the exact t = (x - lo) k / (hi - lo), for every float32
 * x with |t| <= T = 2 (k + 2): each of the three roundings is a relative 2^-24 (3.001 2^-24
 * together, times |t| <= T), and lo32's error 2^-24 |lo| is 2^-24 |lo| / w in t (w = (hi - lo) / k);
 * subnormal results add at most 2^-150 / w, below 2^-60 when w >= 2^-90. For |t| > T the sign
 * and size of t32 follow t's (|t32 - t| <= 3.001 2^-24 |t| + the constant term), which puts
 * every such sample under or over as it must. NaN when the edges are outside the range
 * (|lo|, |hi| <= 2^100, w >= 2^-90) where these bounds hold.
 */
export function f32Delta(lo: number, hi: number, k: number): number {
  const w = (hi - lo) / k;
  if (!(Math.max(Math.abs(lo), Math.abs(hi)) <= 2 ** 100 && w >= 2 ** -90 && w < Infinity)) return NaN;
  return 2 ** -24 * (6.1 * (k + 2) + 1.01 * Math.abs(lo) / w) + 2 ** -60;
}

/**
 * f32Delta for float64 samples demoted to float32 first (assembly/drift.ts binScaled): the
 * demotion x32 = x (1 + d), |d| <= 2^-24 (or |x32 - x| <= 2^-150 below float32's normal range),
 * moves t by at most 2^-24 |x| / w + 2^-150 / w, and |x| <= |lo| + T w where |t| <= T = 2 (k + 2):
 * 2^-24 (|lo| / w + T) more, and 2^-60 for the subnormal term (w >= 2^-90). Beyond T the demoted
 * t keeps t's sign and size as f32Delta says (the demotion is one more relative 2^-24; values
 * beyond the float32 range demote to +-Infinity, which bin as under or over as they must).
 */
export function demotedDelta(lo: number, hi: number, k: number): number {
  const w = (hi - lo) / k;
  return f32Delta(lo, hi, k) + 2 ** -24 * (1.01 * Math.abs(lo) / w + 2 * (k + 2)) + 2 ** -60;
}

/** The margin from every integer (in bins) of the float32 guess t that binScaled's fast path
 *  guarantees (the residue of round(t 2^13) is neither 0 nor 2^13 - 1), and the most bins it takes
 *  ((bins + 1.5) 2^13 < 2^23). */
const SCALE_MARGIN = 2 ** -14, SCALE_BINS = 1022, SCALE = 2 ** 13;

/** What binScaled takes for a plan (float32 lo, norm 2^13 and (bins + 0.5) 2^13), or null where
 *  its guess's bound plus the edges' distance from the grid (plan.eps) is not below SCALE_MARGIN. */
interface Scaled { lo: number; normM: number; topM: number }
const scaledPlans = new WeakMap<BinPlan, Scaled | null>(), scaledPlans32 = new WeakMap<BinPlan, Scaled | null>();
export function scaledOf(plan: BinPlan, f32: boolean): Scaled | null {
  const cache = f32 ? scaledPlans32 : scaledPlans;
  let s = cache.get(plan);
  if (s !== undefined) return s;
  const { lo, hi, bins } = plan;
  const d = f32 ? f32Delta(lo, hi, bins) : demotedDelta(lo, hi, bins);
  s = plan.uniform && bins <= SCALE_BINS && plan.eps + d < SCALE_MARGIN
    ? { lo: Math.fround(lo), normM: Math.fround(plan.norm) * SCALE, topM: (bins + 0.5) * SCALE } : null;
  cache.set(plan, s);
  return s;
}

/** What the float32 kernels take for a plan: the edges up(e_i), e_n's conversions, and for
 *  equal-width edges the float32 guess (uniform false when its bound is too wide). */
interface Plan32 { edges32: Float32Array; hiDown: number; hiEq: number; uniform: boolean; lo: number; norm: number; eps: number }
const plans32 = new WeakMap<BinPlan, Plan32>();
function plan32Of(plan: BinPlan): Plan32 {
  let p = plans32.get(plan);
  if (p !== undefined) return p;
  const { edges, bins, lo, hi } = plan;
  const edges32 = new Float32Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges32[i] = up32(edges[i]);
  const d = plan.uniform ? f32Delta(lo, hi, bins) : NaN;
  // eps: the float64 plan's margin (edges off the grid, + 2^-16) plus delta, rounded up to
  // float32; the kernel's r = t32 - floor(t32) and 1 - eps err by at most 2^-24, within the 2^-16
  const uniform = d <= 2 ** -8;
  p = {
    edges32, hiDown: down32(hi), hiEq: Math.fround(hi) === hi ? hi : NaN, uniform,
    lo: Math.fround(lo), norm: Math.fround(plan.norm), eps: uniform ? up32(plan.eps + d) : 1,
  };
  plans32.set(plan, p);
  return p;
}

// ------------------------------------------------------------------ fine cells (arbitrary edges)
/** Cells of binFine32's table (assembly/drift.ts; 128 KiB). Between 2^15 and 2^17 cells the kernel took the
 *  same time (10^7 normal float32 samples, 50 arbitrary edges): fewer samples fall in edge cells as the
 *  cells shrink, and the table leaves L1. */
const FINE_CELLS = 1 << 15;
/** Samples a call from which the fine cells run (zeroing and folding the table cost about 45 us: about even
 *  with the search at 8192 samples, 1.5x faster at 16384, 3x at 65536; 50 arbitrary edges, float32 and
 *  float64), and the most bins they take (with 200 to 10^5 bins they measured within 18% of the grid either
 *  way, slower as often as faster). */
export const FINE_SAMPLES = 1 << 14, FINE_BINS = 128;
let fineFrom = FINE_SAMPLES;
/** Tests only: the samples from which the fine cells run (Infinity: never, to test the grid and the search). */
export function setFineFrom(n: number): void {
  fineFrom = n;
}
/** Samples counted between two flushes of binFine32's cells: every cell but the edge cells (2^31 and up) stays below 2^31. */
const FINE_FLUSH = 2 ** 31 - 1;
/**
 * binFine32's / binFine64's plan: float32 lo and cnorm, tLast (the least float32 or float64 above
 * e_n), the cell of each threshold (`at`, bins + 1), and the edge cells with their counters' value
 * (2^31 + 16 k0).
 */
interface Fine { cells: number; lo: number; cnorm: number; tLast: number; at: Int32Array; watch: Int32Array; init: Float64Array }
const fines32 = new WeakMap<BinPlan, Fine | null>(), fines64 = new WeakMap<BinPlan, Fine | null>();
const D1 = new Float64Array(1), L1 = new BigInt64Array(D1.buffer);
/** The least float64 above v (v < +Infinity; -Infinity -> -max). */
function next64(v: number): number {
  if (v === 0) return 2 ** -1074;
  D1[0] = v;
  L1[0] += v > 0 ? 1n : -1n;
  return D1[0];
}
/**
 * The cells binFine32 / binFine64 count samples in (assembly/drift.ts has the proof that the slots
 * are exact): c = round(max(min(fl32(fl32(fl32(x) - lo) cnorm), cells), 0)) for x not NaN, each
 * float32 operation emulated by Math.fround of the float64 result (exact: float64 carries more than
 * twice float32's digits, so rounding twice rounds once). The thresholds are up(e_i) (p32's edges)
 * for float32 samples, e_i for float64 ones, then the least float32 / float64 above e_n. A threshold
 * T makes its cell an edge cell when the float32 / float64 just below T is in the same cell. Null
 * where lo or cnorm is not a finite float32 (cnorm > 0): the grid kernels bin those.
 */
function fineOf(plan: BinPlan, p32: Plan32 | undefined): Fine | null {
  const cache = p32 !== undefined ? fines32 : fines64;
  let f = cache.get(plan);
  if (f !== undefined) return f;
  const { bins, lo, hi, edges } = plan, cells = FINE_CELLS, lo32 = Math.fround(lo), cnorm = Math.fround(cells / (hi - lo));
  f = null;
  if (Number.isFinite(lo32) && cnorm > 0 && cnorm < Infinity) {
    const magic = 2 ** 23 + 2; // binFine32's K_MAGIC2_32
    const next = p32 !== undefined ? next32 : next64;
    const cell = (v: number): number => {
      let t = Math.fround(Math.fround(Math.fround(v) - lo32) * cnorm);
      t = cells < t ? cells : t;
      t = t < 0 ? 0 : t;
      return Math.fround(t + magic) - magic;
    };
    const tLast = p32 !== undefined ? next32(down32(hi)) : next64(hi), at = new Int32Array(bins + 1);
    const watch: number[] = [], init: number[] = [];
    // thresholds come in order, so k0 (those in cells below c) is the first index in c
    for (let i = 0, k0 = 0; i <= bins; i++) {
      const t = i >= bins ? tLast : p32 !== undefined ? p32.edges32[i] : edges[i], c = cell(t);
      at[i] = c;
      if (i > 0 && c !== at[i - 1]) k0 = i;
      if (cell(-next(-t)) === c && watch[watch.length - 1] !== c) {
        watch.push(c);
        init.push(2 ** 31 + 16 * k0);
      }
    }
    f = { cells, lo: lo32, cnorm, tLast, at, watch: Int32Array.from(watch), init: Float64Array.from(init) };
  }
  cache.set(plan, f);
  return f;
}
/** The fine cells' plan for samples (float32 if f32) into these edges, given enough of them: arbitrary
 *  edges, at most FINE_BINS bins, fl32(e_0) finite and fl32(2^15 / (e_n - e_0)) a finite float32 > 0. */
const fineFor = (plan: BinPlan, f32: boolean): Fine | null =>
  !plan.uniform && plan.bins <= FINE_BINS ? fineOf(plan, f32 ? plan32Of(plan) : undefined) : null;
/** Tests: whether samples into these edges take the fine cells (float32 samples if f32), given enough of them. */
export const takesFineCells = (plan: BinPlan, f32: boolean): boolean => fineFor(plan, f32) !== null;
/** Bytes of binFine32's cells (+ NaN, padded to 16 bytes). */
const fineBytes = (f: Fine): number => 4 * ((f.cells + 5) & ~3);
/** binFine32's cells at `at` (zeroed): 2^31 + 16 k0 in the edge cells. */
function armFine(slab: Slab, at: number, f: Fine): void {
  const t = new Uint32Array(slab.buffer, at, f.cells + 2);
  for (let i = 0, w = f.watch; i < w.length; i++) t[w[i]] = f.init[i];
}
/**
 * binFine32's cells (at `at`) added into their slots, then reset: slot s holds the cells from
 * at[s - 1] (0 for s = 0) up to at[s] (cells + 1 for the over slot), the thresholds' cells, but
 * not the edge cells, whose samples binFine32 counted in the count table (their counters hold
 * their initial values again at the end of each call); the NaN cell into nan.
 */
function flushFine(slab: Slab, at: number, f: Fine, bins: number, counts: Float64Array, tally: BinTally): void {
  const t = new Uint32Array(slab.buffer, at, f.cells + 2), w = f.watch;
  for (let s = 0, c = 0, e = 0; s <= bins + 1; s++) {
    const end = s <= bins ? f.at[s] : f.cells + 1;
    let v = 0;
    for (; c < end; c++) v += t[c];
    for (; e < w.length && w[e] < end; e++) v -= f.init[e];
    if (s === 0) tally.under += v; else if (s <= bins) counts[s - 1] += v; else tally.over += v;
  }
  tally.nan += t[f.cells + 1];
  t.fill(0);
  armFine(slab, at, f);
}

// ------------------------------------------------------------------ engine
/** The drift kernels (assembly/drift.ts) with their pair-table argument. */
interface Exports32 {
  binUniform(x: number, n: number, f32: number, edges: number, bins: number, lo: number, hi: number, norm: number,
    eps: number, counts: number, stride: number, pairs: number): number;
  binSearch(x: number, n: number, f32: number, edges: number, bins: number, hi: number, counts: number, stride: number,
    table: number, cells: number, lo: number, cnorm: number, pairs: number): number;
  binUniform32(x: number, n: number, edges32: number, bins: number, lo: number, hiDown: number, norm: number, eps: number,
    counts: number, stride: number, pairs: number): number;
  binSearch32(x: number, n: number, edges32: number, bins: number, hiEq: number, counts: number, stride: number,
    table: number, cells: number, lo: number, cnorm: number, pairs: number): number;
  binScaled(x: number, n: number, f32: number, edges: number, bins: number, lo: number, hi: number, norm: number,
    lo32: number, normM: number, topM: number, counts: number, stride: number, pairs: number): number;
  binFine32(x: number, n: number, edges32: number, bins: number, tLast: number, counts: number, stride: number,
    fine: number, cells: number, lo: number, cnorm: number): number;
  binFine64(x: number, n: number, edges: number, bins: number, tLast: number, counts: number, stride: number,
    fine: number, cells: number, lo: number, cnorm: number): number;
}

/** Count tables summed into the caller's counts (COPIES copies of `stride` u32 at `at`, then,
 *  if `pairs`, two stride x stride pair tables whose entry a + stride b counts one sample in
 *  slot a and one in slot b). */
function flushTables(slab: Slab, at: number, stride: number, bins: number, counts: Float64Array, tally: BinTally,
                     pairs: boolean): void {
  const t = new Uint32Array(slab.buffer, at, COPIES * stride + (pairs ? 2 * stride * stride : 0));
  if (pairs) {
    const slot = new Float64Array(stride), o = COPIES * stride, ss = stride * stride;
    for (let b = 0; b < stride; b++) {
      for (let a = 0; a < stride; a++) {
        const v = t[o + a + stride * b] + t[o + ss + a + stride * b];
        slot[a] += v;
        slot[b] += v;
      }
    }
    tally.under += slot[0];
    for (let j = 0; j < bins; j++) counts[j] += slot[1 + j];
    tally.over += slot[bins + 1];
  }
  if (cFine !== null) flushFine(slab, at + 4 * COPIES * stride, cFine, bins, counts, tally);
  for (let c = 0; c < COPIES; c++) {
    const o = c * stride;
    tally.under += t[o];
    for (let j = 0; j < bins; j++) counts[j] += t[o + 1 + j];
    tally.over += t[o + bins + 1];
    tally.nan += t[o + bins + 2];
  }
  t.fill(0);
}

/**
 * The call in progress, which the module-level begin and piece functions below read: one call at a
 * time. count is synchronous, and streamSamples reads x through its slots (src/core/validate.ts),
 * so no code of the caller's runs between them; a count that finds one in progress all the same
 * (a nested call) runs on the twin, whose counts are the same. Module-level functions,
 * not closures made per call: a full GC drops the optimized code that V8 keeps for a closure
 * in its feedback (a closure made per call has no other hold on it), so each call after a GC ran
 * its pieces unoptimized while a new one was compiled (1.3-1.4 ms of CPU time a call for 10^7
 * samples; docs/drift/histogram.md). Module variables, not an object: their names minify.
 */
let cX: Vector, cPlan: BinPlan, cCounts: Float64Array, cTally: BinTally, cF32 = false, cSc: Scaled | null = null;
let cP32: Plan32 | undefined, cGrid: Grid | null = null, cSearch32 = false, cStride = 0, cPairs = false;
let cTableBytes = 0, cEdgeBytes = 0, cSlab: Slab, cTable = 0, cEdges = 0, cCells = 0, cPending = 0, cSeen = 0;
/** binFine32's plan, and where its cells are. */
let cFine: Fine | null = null, cFineAt = 0;

/** streamSamples' begin: the zeroed tables, the edges and the grid at `at`. */
function beginCall(s: Slab, at: number): void {
  cSlab = s;
  cTable = at;
  cEdges = at + cTableBytes;
  new Uint32Array(s.buffer, at, cTableBytes >> 2).fill(0);
  if (cSearch32) s.f32.set(cP32!.edges32, cEdges >> 2);
  else s.f64.set(cPlan.edges, cEdges >> 3);
  cCells = 0;
  if (cFine !== null) {
    cFineAt = at + 4 * COPIES * cStride; // zeroed above with the count tables
    armFine(s, cFineAt, cFine);
  }
  if (cGrid !== null) {
    cCells = cEdges + cEdgeBytes;
    new Int32Array(s.buffer, cCells, cGrid.table.length).set(cGrid.table);
  }
}

/** streamSamples' chunk: the kernel over x[start, start + count) at ptr. */
function pieceCall(ptr: number, count: number, start: number): void {
  const plan = cPlan, bins = plan.bins, stride = cStride, sc = cSc, p32 = cP32, grid = cGrid, edges = cEdges, table = cTable;
  if (cPending + count > (cFine !== null ? FINE_FLUSH : FLUSH)) {
    flushTables(cSlab, table, stride, bins, cCounts, cTally, cPairs);
    cPending = 0;
    cSeen = 0;
  }
  cPending += count;
  const k = cSlab.exports as unknown as Exports32, pt = cPairs ? table + 4 * COPIES * stride : 0, f = cF32 ? 1 : 0;
  let nan: number;
  if (cFine !== null) {
    nan = (cSearch32 ? k.binFine32 : k.binFine64)(ptr, count, edges, bins, cFine.tLast, table, stride, cFineAt, cFine.cells,
      cFine.lo, cFine.cnorm);
  } else if (sc !== null) {
    nan = k.binScaled(ptr, count, f, edges, bins, plan.lo, plan.hi, plan.norm, sc.lo, sc.normM, sc.topM, table, stride, pt);
  } else if (plan.uniform) {
    nan = cSearch32
      ? k.binUniform32(ptr, count, edges, bins, p32!.lo, p32!.hiDown, p32!.norm, p32!.eps, table, stride, pt)
      : k.binUniform(ptr, count, f, edges, bins, plan.lo, plan.hi, plan.norm, plan.eps, table, stride, pt);
  } else if (cSearch32) {
    nan = grid !== null
      ? k.binSearch32(ptr, count, edges, bins, p32!.hiEq, table, stride, cCells, grid.cells,
        Math.fround(plan.lo), Math.fround(grid.cnorm), pt)
      : k.binSearch32(ptr, count, edges, bins, p32!.hiEq, table, stride, 0, 0, 0, 0, 0);
  } else {
    nan = k.binSearch(ptr, count, f, edges, bins, plan.hi, table, stride, cCells,
      grid !== null ? grid.cells : 0, plan.lo, grid !== null ? grid.cnorm : 0, pt);
  }
  if (nan !== cSeen) {
    cSeen = nan;
    if (cTally.firstNaN < 0) {
      for (let i = start, x = cX; i < start + count; i++) {
        if (x[i] !== x[i]) { cTally.firstNaN = i; break; }
      }
    }
  }
}

export const wasmBinEngine: BinEngine = {
  count(fn: string, x: Vector, plan: BinPlan, counts: Float64Array): BinTally {
    const n = x.length, bins = plan.bins;
    if (n < SMALL_BINNING || bins > MAX_BINS || cX !== undefined) return twinBinEngine.count(fn, x, plan, counts);
    const f32 = x instanceof Float32Array;
    // equal width: 8 samples a step in f32 lanes (float64 demoted) where the guess's bound allows
    const sc = plan.uniform ? scaledOf(plan, f32) : null;
    const p32 = f32 && sc === null ? plan32Of(plan) : undefined;
    // float32 in f32 lanes (edges up(e_i)), unless the float32 guess is too coarse for these
    // equal-width edges: then promoted to float64 lanes, as are other float32 cases below
    const lanes32 = p32 !== undefined && (p32.uniform || !plan.uniform);
    // each copy padded to 16 bytes; slots: under, bins, over, NaN
    const stride = (bins + 3 + 3) & ~3;
    // arbitrary edges, long enough to repay the fine cells: binFine32 (float32 lanes) or binFine64
    const fine = n >= fineFrom ? fineFor(plan, f32) : null;
    const pairs = fine === null && stride <= PAIR_STRIDE && n >= PAIR_MIN * stride * stride;
    const tableBytes = 4 * (COPIES * stride + (pairs ? 2 * stride * stride : 0)) + (fine !== null ? fineBytes(fine) : 0);
    // the grid is built (once per plan) only for inputs long enough to repay it
    let grid = fine !== null || plan.uniform || n < GRID_MIN * gridCells(bins) ? null : gridOf(plan, lanes32);
    let search32 = lanes32;
    if (grid === null && fine === null && lanes32 && !plan.uniform && n >= GRID_MIN * gridCells(bins)) {
      grid = gridOf(plan, false); // no float32 grid for these edges: the float64 one, promoted lanes
      if (grid !== null) search32 = false;
    }
    const edgeBytes = search32 ? 4 * ((bins + 2) & ~1) : 8 * (bins + 1);
    const gridBytes = grid !== null ? 4 * grid.table.length : 0;
    const tally: BinTally = { under: 0, over: 0, nan: 0, firstNaN: -1 };
    cX = x; cPlan = plan; cCounts = counts; cTally = tally; cF32 = f32; cSc = sc; cP32 = p32; cGrid = grid;
    cSearch32 = search32; cStride = stride; cPairs = pairs; cTableBytes = tableBytes; cEdgeBytes = edgeBytes; cFine = fine;
    cPending = cSeen = 0;
    try {
      streamSamples(x, f32, tableBytes + edgeBytes + gridBytes, beginCall, pieceCall);
      flushTables(cSlab, cTable, stride, bins, counts, tally, pairs);
    } finally {
      // no hold on the caller's arrays, nor on a workspace's memory (cSlab), once the call is over
      cX = cCounts = cSlab = cPlan = cTally = undefined as never;
      cGrid = cSc = cFine = null;
      cP32 = undefined;
    }
    return tally;
  },
};
