// The k-NN engine on WebAssembly (assembly/knn.ts): src/knn/twin.ts's k-d tree ported line for line, so every
// distance, index list and count equals the twin's, bit for bit. Each call stages its points (and radii) into a
// private instance's memory, builds the tree there in place, runs the search, and copies the outputs out:
//   tree      pts (n d f64, moved into tree order by the build), perm (n i32), lo, hi, minIdx (nodes i32 each),
//             box (nodes 2d f64), nodes = 2^(depth+1) − 1 as in the twin
//   then      neighbours: bd (k f64), bi (k i32), dist (n f64), idx (n k i32)
//             crossNeighbours: the query tree (built first: its places give the queries' order), then the
//             reference tree, bd, out (nq f64)
//             countWithin: radius (n f64), out (n i32)
// (d = 1: sorted values instead of the tree; countWithin in d = 2: two sorted columns and a sweep, count2 below.)
// Small inputs run the twin (the staging costs more than the search saves below SMALL_N points).
import type { KnnEngine, Norm, Points } from "./api.js";
import { twinKnnEngine, LEAF, useHeap } from "./twin.js";
import { privateSlab, Slab } from "../core/wasm.js";

/** Below this many points (the tree's; crossNeighbours: queries + references) the twin runs the call (measured: the
 *  engine is faster from n = 8 on, e.g. n = 8, d = 3: neighbours 0.4 vs 1.3 us, countWithin 0.4 vs 1.1 us; n = 64:
 *  6.9 vs 20.9 us and 9.1 vs 19.6 us; d = 1, n = 8: 0.2 vs 1.0 us and 0.3 vs 0.6 us). */
export let SMALL_N = 8;
/** For measurements and tests: the crossover. */
export function setKnnSmall(n: number): void {
  SMALL_N = n;
}
/** Staged bytes beyond which the twin runs the call. */
const MAX_BYTES = 2 ** 31;
/** Staged bytes beyond which a call has a memory of its own (the shared private instance is kept at its largest
 *  size for later calls: it should not keep a very large call's memory). */
const OWN_BYTES = 64 * 2 ** 20;

const up = (x: number) => Math.ceil(x / 16) * 16;

interface Layout { depth: number; nodes: number; pts: number; perm: number; lo: number; hi: number; minIdx: number; box: number; end: number }

/** The tree's arrays from byte offset `at` (relative to the slab's heapStart). */
function layout(n: number, d: number, at: number): Layout {
  let depth = 0;
  while (Math.ceil(n / 2 ** depth) > LEAF) depth++;
  const nodes = 2 ** (depth + 1) - 1;
  const pts = at, perm = pts + up(n * d * 8), lo = perm + up(n * 4), hi = lo + up(nodes * 4), minIdx = hi + up(nodes * 4);
  const box = minIdx + up(nodes * 4), end = box + up(nodes * 2 * d * 8);
  return { depth, nodes, pts, perm, lo, hi, minIdx, box, end };
}

/** A memory of at least `bytes` bytes after heapStart, or undefined (the twin runs the call). */
function slabFor(bytes: number): Slab | undefined {
  if (bytes > MAX_BYTES) return undefined;
  try {
    if (bytes > OWN_BYTES) return new Slab(bytes);
    const slab = privateSlab(bytes);
    slab.owner = undefined;
    return slab;
  } catch (e) {
    // a memory this large could not be created: the twin needs none
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Stages p's points and builds their tree at t (offsets from h = heapStart). */
function build(slab: Slab, h: number, p: Points, t: Layout): void {
  slab.f64.set(p.data.subarray(0, p.n * p.d), (h + t.pts) / 8);
  slab.exports.knnBuild(h + t.pts, h + t.perm, h + t.lo, h + t.hi, h + t.box, h + t.minIdx, p.n, p.d, t.depth);
}

function checkK(fn: string, k: number, lo: number, hi: number): void {
  if (!Number.isInteger(k) || k < lo || k > hi) throw new RangeError(`${fn}: k = ${k} is not an integer in [${lo}, ${hi}]`);
}

// ------------------------------------------------------------------ one dimension
// In d = 1 the points sorted by value give the k nearest without a tree (assembly/knn.ts's knnSort1, knnKth1,
// knnCount1, knnCross1): from a point's place the others in order of distance are a window widened to the nearer
// side (|s_j − v| is monotone along each side, rounding being monotone), and the points within r are a run found by
// galloping and binary searches of the same test (|s_j − v| <= r). The k-th distance is the twin's: a query's place
// among the reference holds a value equal to it or is where it would go (equal values, −0 and 0 among them, are
// at the same distances), and the euclidean √(x·x) is a monotone function of |x|, so the k-th by |x| is the k-th.
// (Index lists keep the tree: their tie rule orders equal distances by input index.)

interface Sorted { x: number; s: number; perm: number; end: number }

/** Room to sort n values from byte offset `at`: x (the values), s (sorted), perm, keys, keys2, perm2, hist. */
function sortedLayout(n: number, at: number): Sorted & { keys: number; keys2: number; perm2: number; hist: number } {
  const x = at, s = x + up(n * 8), perm = s + up(n * 8), keys = perm + up(n * 4), keys2 = keys + up(n * 8);
  const perm2 = keys2 + up(n * 8), hist = perm2 + up(n * 4), end = hist + 2048 * 4;
  return { x, s, perm, keys, keys2, perm2, hist, end };
}

function sort1(slab: Slab, h: number, data: Float64Array, n: number, t: ReturnType<typeof sortedLayout>): void {
  slab.f64.set(data.subarray(0, n), (h + t.x) / 8);
  slab.exports.knnSort1(h + t.x, n, h + t.s, h + t.perm, h + t.keys, h + t.keys2, h + t.perm2, h + t.hist);
}

// ------------------------------------------------------------------ two dimensions
// countWithin in d = 2 needs no tree (assembly/knn.ts's knnCount2): a point is within r of another when its value in
// each column is, and in each column's sorted order those are a run (the 1-D count's runs, the same test), so the
// count is the points whose places in x order and in y order fall in two ranges: counted exactly, by a sweep.

function count2(p: Points, radius: Float64Array): Int32Array | undefined {
  const n = p.n, f8 = up(n * 8), i4 = up(n * 4), i41 = up((n + 2) * 4);
  const pts = 0, rad = pts + up(n * 16), out = rad + f8, sx = out + i4, sy = sx + f8, keys = sy + f8, keys2 = keys + f8;
  const px = keys2 + f8, py = px + i4, rank = py + i4, xlo = rank + i4, xhi = xlo + i4, ylo = xhi + i4, yhi = ylo + i4;
  const acc = yhi + i4, perm2 = acc + i4, bit = perm2 + i4, start = bit + i41, ev = start + i41, hist = ev + 2 * i4;
  const slab = slabFor(hist + 2048 * 4);
  if (slab === undefined) return undefined;
  const h = slab.heapStart;
  slab.f64.set(p.data.subarray(0, n * 2), (h + pts) / 8);
  slab.f64.set(radius.subarray(0, n), (h + rad) / 8);
  slab.exports.knnCount2(h + pts, n, h + rad, h + out, h + sx, h + sy, h + px,
    h + py, h + rank, h + xlo, h + xhi, h + ylo, h + yhi, h + acc, h + bit, h + start, h + ev, h + keys, h + keys2,
    h + perm2, h + hist);
  return new Int32Array(slab.buffer, h + out, n).slice();
}

export const wasmKnnEngine: KnnEngine = {
  neighbours(p: Points, k: number, norm: Norm, indices: boolean) {
    const n = p.n;
    checkK("neighbours", k, 1, n - 1);
    if (n < SMALL_N) return twinKnnEngine.neighbours(p, k, norm, indices);
    if (p.d === 1 && !indices) {
      const t = sortedLayout(n, 0), out = t.end, slab = slabFor(out + up(n * 8));
      if (slab === undefined) return twinKnnEngine.neighbours(p, k, norm, indices);
      const h = slab.heapStart;
      sort1(slab, h, p.data, n, t);
      slab.exports.knnKth1(h + t.s, h + t.perm, n, k, norm === "euclidean" ? 1 : 0, h + out);
      return { dist: slab.f64.slice((h + out) / 8, (h + out) / 8 + n) };
    }
    const t = layout(n, p.d, 0);
    const bd = t.end, bi = bd + up(k * 8), dist = bi + up(k * 4), idx = dist + up(n * 8), end = idx + (indices ? up(n * k * 4) : 0);
    const slab = slabFor(end);
    if (slab === undefined) return twinKnnEngine.neighbours(p, k, norm, indices);
    const h = slab.heapStart;
    build(slab, h, p, t);
    slab.exports.knnNeighbours(k, norm === "euclidean" ? 1 : 0, indices ? 1 : 0, h + bd, h + bi, h + dist, h + idx, useHeap(k, indices) ? 1 : 0);
    const out = slab.f64.slice((h + dist) / 8, (h + dist) / 8 + n);
    if (!indices) return { dist: out };
    return { dist: out, idx: new Int32Array(slab.buffer, h + idx, n * k).slice() };
  },

  crossNeighbours(q: Points, r: Points, k: number, norm: Norm) {
    checkK("crossNeighbours", k, 1, r.n);
    if (q.d !== r.d) throw new RangeError(`crossNeighbours: the query points have ${q.d} coordinates, the reference ${r.d}`);
    if (q.n + r.n < SMALL_N || q.n === 0) return twinKnnEngine.crossNeighbours(q, r, k, norm);
    if (q.d === 1) {
      const tq = sortedLayout(q.n, 0), tr = sortedLayout(r.n, tq.end), out = tr.end, slab = slabFor(out + up(q.n * 8));
      if (slab === undefined) return twinKnnEngine.crossNeighbours(q, r, k, norm);
      const h = slab.heapStart;
      sort1(slab, h, q.data, q.n, tq);
      sort1(slab, h, r.data, r.n, tr);
      slab.exports.knnCross1(h + tq.s, h + tq.perm, q.n, h + tr.s, r.n, k, norm === "euclidean" ? 1 : 0, h + out);
      return slab.f64.slice((h + out) / 8, (h + out) / 8 + q.n);
    }
    const tq = layout(q.n, q.d, 0), tr = layout(r.n, r.d, tq.end);
    const bd = tr.end, out = bd + up(k * 8), end = out + up(q.n * 8);
    const slab = slabFor(end);
    if (slab === undefined) return twinKnnEngine.crossNeighbours(q, r, k, norm);
    const h = slab.heapStart;
    // the queries in the order of a tree of their own (rows moved by its build), then the reference tree
    build(slab, h, q, tq);
    build(slab, h, r, tr);
    slab.exports.knnCross(h + tq.pts, h + tq.perm, q.n, k, norm === "euclidean" ? 1 : 0, h + bd, h + out, useHeap(k, false) ? 1 : 0);
    return slab.f64.slice((h + out) / 8, (h + out) / 8 + q.n);
  },

  countWithin(p: Points, radius: Float64Array) {
    const n = p.n;
    if (n < SMALL_N) return twinKnnEngine.countWithin(p, radius);
    if (p.d === 1) {
      const t = sortedLayout(n, 0), rad = t.end, out = rad + up(n * 8), slab = slabFor(out + up(n * 4));
      if (slab === undefined) return twinKnnEngine.countWithin(p, radius);
      const h = slab.heapStart;
      sort1(slab, h, p.data, n, t);
      slab.f64.set(radius.subarray(0, n), (h + rad) / 8);
      slab.exports.knnCount1(h + t.s, h + t.perm, n, h + rad, h + out);
      return new Int32Array(slab.buffer, h + out, n).slice();
    }
    if (p.d === 2) {
      const c = count2(p, radius); // undefined where its ~112 bytes a point do not fit: the tree's ~42 may
      if (c !== undefined) return c;
    }
    const t = layout(n, p.d, 0);
    const rad = t.end, out = rad + up(n * 8), end = out + up(n * 4);
    const slab = slabFor(end);
    if (slab === undefined) return twinKnnEngine.countWithin(p, radius);
    const h = slab.heapStart;
    build(slab, h, p, t);
    slab.f64.set(radius.subarray(0, n), (h + rad) / 8);
    slab.exports.knnCount(h + rad, h + out);
    return new Int32Array(slab.buffer, h + out, n).slice();
  },
};
