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
/** Samples counted between two flushes of the u32 tables: no slot can wrap. */
const FLUSH = 2 ** 32 - 1;

/**
 * The grid that spares most samples the search over arbitrary edges (assembly/drift.ts
 * table4): `cells` equal cells over [lo, hi] (128 per bin, at most 2^14), and for each cell
 * c in [-1, cells] the slot of every sample whose index floor((x - lo) cnorm) is c, if no
 * edge lies in the cell widened by 2^-16 of a cell either side (which covers the rounding
 * of that index and of these bounds: the cell width is at least 2^-30 of the edges'
 * magnitude), else -1; entry c + 2; cells below -1 are under (0), above `cells` over.
 * The count of edges <= x is the same for every x in such a cell, and it is the slot
 * (the last edge, whose samples are in the last bin, is never inside a single cell).
 */
interface Grid { table: Int32Array; cells: number; cnorm: number }
const grids = new WeakMap<BinPlan, Grid | null>();
const GRID_MARGIN = 2 ** -16;

const gridCells = (bins: number) => Math.min(1 << 14, 128 * bins);

function gridOf(plan: BinPlan): Grid | null {
  let g = grids.get(plan);
  if (g !== undefined) return g;
  const { edges, bins, lo, hi } = plan;
  const cells = gridCells(bins), span = hi - lo, cnorm = cells / span, wc = span / cells;
  g = null;
  if (span > 0 && span < Infinity && cnorm < Infinity && wc >= Math.max(Math.abs(lo), Math.abs(hi)) * 2 ** -30) {
    const table = new Int32Array(cells + 4);
    table[cells + 3] = bins + 1;
    const upper = (v: number) => { // edges <= v
      let a = 0, b = edges.length;
      while (a < b) {
        const m = (a + b) >> 1;
        if (edges[m] <= v) a = m + 1;
        else b = m;
      }
      return a;
    };
    for (let c = -1; c <= cells; c++) {
      const l = lo + (c - GRID_MARGIN) * wc, u = lo + (c + 1 + GRID_MARGIN) * wc;
      const k = upper(l);
      table[c + 2] = k === upper(u) && !(l <= hi && hi <= u) ? k : -1;
    }
    g = { table, cells, cnorm };
  }
  grids.set(plan, g);
  return g;
}
/** Samples per grid cell below which the grid costs more to build and copy than it saves. */
const GRID_MIN = 16;

export const wasmBinEngine: BinEngine = {
  count(fn: string, x: Vector, plan: BinPlan, counts: Float64Array): BinTally {
    const n = x.length, bins = plan.bins;
    if (n < SMALL_BINNING || bins > MAX_BINS) return twinBinEngine.count(fn, x, plan, counts);
    const f32 = x instanceof Float32Array;
    // each copy padded to 16 bytes; slots: under, bins, over, NaN
    const stride = (bins + 3 + 3) & ~3;
    const tableBytes = 4 * COPIES * stride;
    // the grid is built (once per plan) only for inputs long enough to repay it
    const grid = plan.uniform || n < GRID_MIN * gridCells(bins) ? null : gridOf(plan);
    const useGrid = grid !== null;
    let slab!: Slab, edges = 0, table = 0, cells = 0, pending = 0, seen = 0;
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
    const gridBytes = useGrid ? 4 * grid.table.length : 0;
    streamSamples(x, f32, tableBytes + 8 * (bins + 1) + gridBytes, (s, at) => {
      slab = s;
      table = at;
      edges = at + tableBytes;
      new Uint32Array(s.buffer, table, COPIES * stride).fill(0);
      s.f64.set(plan.edges, edges >> 3);
      if (useGrid) {
        cells = edges + 8 * (bins + 1);
        new Int32Array(s.buffer, cells, grid.table.length).set(grid.table);
      }
    }, (ptr, count, start) => {
      if (pending + count > FLUSH) flush();
      pending += count;
      const k = slab.exports;
      const nan = plan.uniform
        ? k.binUniform(ptr, count, f32 ? 1 : 0, edges, bins, plan.lo, plan.hi, plan.norm, plan.eps, table, stride)
        : k.binSearch(ptr, count, f32 ? 1 : 0, edges, bins, plan.hi, table, stride, cells,
          useGrid ? grid.cells : 0, plan.lo, useGrid ? grid.cnorm : 0);
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
