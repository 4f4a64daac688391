// Drift kernels: binning samples into histograms with NumPy's convention (bin i is
// [e_i, e_{i+1}), the last bin [e_{n-1}, e_n]), counts exact in u32 slots.
//
// Every kernel adds each sample to one slot of a count table of `stride` u32 slots:
//   0            under: x < e_0 (incl. -Infinity)
//   1 .. bins    bin s - 1
//   bins + 1     over: x > e_n (incl. +Infinity)
//   bins + 2     NaN
// There are COPIES such tables, one after another (copy j at counts + 4 j stride): the
// 4 samples of an iteration go to 4 different copies, so that two samples in the same
// bin never wait on each other's increment. The caller sums the copies (src/drift/wasm.ts).
//
// Pair tables (pairs != 0, small bins: the caller's choice): the fast paths of the equal-width
// and grid kernels add the samples i and i + 2 of a group of 4 as one increment of
// P[s_i + stride s_{i+2}] in a stride x stride u32 table (the caller adds entry (a, b) to slots
// a and b): two increments per 4 samples instead of four, the bound of these loops. Two
// pair tables (at pairs and pairs + 4 stride^2) take alternate groups of 4 where 8 samples
// go per iteration. Samples that take the corrected step or the search still go to the
// COPIES tables. binScaled (equal width, 8 samples an iteration in f32 lanes) uses the first
// pair table alone: samples i + j and i + 4 + j (j < 4) make one entry.
//
// Edges: bins + 1 float64 values at `edges`, non-decreasing, finite. Every index the
// kernels read them at is in [0, bins] (no negative offsets).
//
// Samples are float64, or float32 (f32 = 1) loaded 4 at a time and promoted to float64
// in lanes (exact, as NumPy compares a float32 array with float64 edges).
// A tail of n % 4 samples goes through the same loop body once more from a copy padded
// with NaN; the pads are taken back out of the NaN slot.
export { heapBase } from "./core/heap";
import { vc } from "./core/vconst";

const COPIES: i32 = 4;
const TAIL: usize = memory.data(32, 16);
// The loops' vector constants, read from memory (core/vconst.ts says why): the clamps' lower ends, and
// 2^52 + 1, 2^52 + 2 (2^23 + 1, 2^23 + 2) that leave floor + 1 (+ 2) in the low bits
const K_NEG_ONE64 = memory.data<f64>([-1.0, -1.0], 16);
const K_NEG_TWO64 = memory.data<f64>([-2.0, -2.0], 16);
const K_MAGIC1_64 = memory.data<f64>([4503599627370497.0, 4503599627370497.0], 16);
const K_MAGIC2_64 = memory.data<f64>([4503599627370498.0, 4503599627370498.0], 16);
const K_NEG_ONE32 = memory.data<f32>([-1.0, -1.0, -1.0, -1.0], 16);
const K_NEG_TWO32 = memory.data<f32>([-2.0, -2.0, -2.0, -2.0], 16);
const K_MAGIC1_32 = memory.data<f32>([8388609.0, 8388609.0, 8388609.0, 8388609.0], 16);
const K_MAGIC2_32 = memory.data<f32>([8388610.0, 8388610.0, 8388610.0, 8388610.0], 16);

/** Sum of the NaN slots of every copy (the caller tells from it whether a call saw NaN). */
// @ts-ignore: decorator
@inline function nanTotal(counts: usize, stride: i32, bins: i32): u32 {
  let t: u32 = 0;
  for (let c = 0; c < COPIES; c++) t += load<u32>(counts + ((<usize>(c * stride + bins + 2)) << 2));
  return t;
}

// @ts-ignore: decorator
@inline function bump(copy: usize, slot: i32): void {
  const a = copy + (<usize>slot << 2);
  store<u32>(a, load<u32>(a) + 1);
}

/** Adds one to the u32 at each of the 4 byte addresses in a (the 4 copies: distinct). */
// @ts-ignore: decorator
@inline function bump4(a: v128): void {
  v128.store(LANES, a);
  bumpAt(<usize>load<u32>(LANES));
  bumpAt(<usize>load<u32>(LANES, 4));
  bumpAt(<usize>load<u32>(LANES, 8));
  bumpAt(<usize>load<u32>(LANES, 12));
}
/** 32 bytes where lanes are stored to be read back as scalars (as fast as extract_lane for the pair
 *  tables, within 3% on Node 20 and 24; the fine cells' loop takes extract_lane: fineBump4). */
const LANES: usize = memory.data(32, 16);
// @ts-ignore: decorator
@inline function bumpAt(a: usize): void {
  store<u32>(a, load<u32>(a) + 1);
}
/** The 4 copies' addresses plus `off` bytes, as i32 lanes. */
// @ts-ignore: decorator
@inline function copies4(counts: usize, sb: usize, off: usize): v128 {
  const c = <i32>(counts + off), s = <i32>sb;
  return i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(c), 1, c + s), 2, c + 2 * s), 3, c + 3 * s);
}

/** Loads 4 samples at p as two f64x2 (float32 promoted). */
// @ts-ignore: decorator
@inline function load4lo(p: usize, f32: bool): v128 {
  return f32 ? f64x2.promote_low_f32x4(v128.load64_zero(p)) : v128.load(p);
}
// @ts-ignore: decorator
@inline function load4hi(p: usize, f32: bool): v128 {
  return f32 ? f64x2.promote_low_f32x4(v128.load64_zero(p, 8)) : v128.load(p, 16);
}

// ---------------------------------------------------------------- equal width
// The caller (src/drift/histogram.ts) has checked that every edge lies within a quarter
// of a bin width of e_0 + i w, so the guess floor((x - e_0) norm), clamped to [0, bins - 1],
// is off by at most one from the bin that the edges give; one correction step against
// the edges themselves (NumPy's, in np.histogram's equal-bin path: down if x < e[g],
// up if x >= e[g + 1] and g is not the last bin) makes it exact. x < e_0 ends at g = -1
// (under); x > e_n is caught by one compare; NaN by another.

/** Slot of one sample given its clamped guess g. */
// @ts-ignore: decorator
@inline function slotGuess(v: f64, g: i32, edges: usize, last: i32, hi: f64, bins: i32): i32 {
  // g in [0, bins - 1] before the decrement, in [-1, bins - 1] after it: e[g + 1] is in range
  g -= <i32>(v < load<f64>(edges + (<usize>g << 3)));
  g += <i32>(v >= load<f64>(edges + (<usize>(g + 1) << 3))) & <i32>(g != last);
  let s = g + 1;
  s = select(bins + 1, s, v > hi);
  return select(bins + 2, s, v != v);
}

// @ts-ignore: decorator
@inline function uniform4(a: v128, b: v128, edges: usize, bins: i32, lo: v128, norm: v128, hi: f64,
                          c0: usize, c1: usize, c2: usize, c3: usize): void {
  const ta = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.sub(a, lo), norm));
  const tb = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.sub(b, lo), norm));
  let g = v128.shuffle<i32>(ta, tb, 0, 1, 4, 5);
  g = i32x4.min_s(i32x4.max_s(g, i32x4.splat(0)), i32x4.splat(bins - 1));
  const last = bins - 1;
  bump(c0, slotGuess(f64x2.extract_lane(a, 0), i32x4.extract_lane(g, 0), edges, last, hi, bins));
  bump(c1, slotGuess(f64x2.extract_lane(a, 1), i32x4.extract_lane(g, 1), edges, last, hi, bins));
  bump(c2, slotGuess(f64x2.extract_lane(b, 0), i32x4.extract_lane(g, 2), edges, last, hi, bins));
  bump(c3, slotGuess(f64x2.extract_lane(b, 1), i32x4.extract_lane(g, 3), edges, last, hi, bins));
}

// The common case takes no correction: where t = (x - e_0) norm has a fractional part r with
// eps < r < 1 - eps in all 4 lanes (eps bounds how far the edges stray from the grid, plus
// rounding: the caller's), floor(t) is the bin (clamped to [-1, bins]: under, over); any
// lane near a grid line, infinite or NaN sends the 4 samples through uniform4.
// @ts-ignore: decorator
@inline function fast4(a: v128, b: v128, edges: usize, bins: i32, lo: v128, norm: v128, hi: f64, eps: v128, eps1: v128,
                       atA: v128, atB: v128, c0: usize, c1: usize, c2: usize, c3: usize): void {
  const ta = f64x2.mul(f64x2.sub(a, lo), norm), tb = f64x2.mul(f64x2.sub(b, lo), norm);
  const fa = f64x2.floor(ta), fb = f64x2.floor(tb);
  const ra = f64x2.sub(ta, fa), rb = f64x2.sub(tb, fb);
  const ok = v128.and(v128.and(f64x2.gt(ra, eps), f64x2.lt(ra, eps1)), v128.and(f64x2.gt(rb, eps), f64x2.lt(rb, eps1)));
  if (i64x2.bitmask(ok) == 3) {
    // every lane finite here: pmin/pmax clamp to [-1, bins]; + 2^52 + 1 leaves the slot
    // floor(t) + 1 in [0, bins + 1] as the low 32 bits, times 4 plus its copy's address
    const top = f64x2.splat(<f64>bins), bot = vc(K_NEG_ONE64), magic = vc(K_MAGIC1_64);
    const ya = i32x4.add(i32x4.shl(f64x2.add(f64x2.pmax(f64x2.pmin(fa, top), bot), magic), 2), atA);
    const yb = i32x4.add(i32x4.shl(f64x2.add(f64x2.pmax(f64x2.pmin(fb, top), bot), magic), 2), atB);
    v128.store(LANES, ya);
    v128.store(LANES, yb, 16);
    bumpAt(<usize>load<u32>(LANES));
    bumpAt(<usize>load<u32>(LANES, 8));
    bumpAt(<usize>load<u32>(LANES, 16));
    bumpAt(<usize>load<u32>(LANES, 24));
  } else {
    uniform4(a, b, edges, bins, lo, norm, hi, c0, c1, c2, c3);
  }
}

/** Two copies' addresses in i32 lanes 0 and 2 (the low halves of two i64 lanes). */
// @ts-ignore: decorator
@inline function pair(c0: usize, c1: usize): v128 {
  return i64x2.replace_lane(i64x2.splat(<i64>c0), 1, <i64>c1);
}

// fast4 with a pair table at `at` (i64 lanes): the two clamped floors of each f64x2 combined
// as (fa + 1) + stride (fb + 1) + 2^52 (exact: small integers), times 4 plus the address
// @ts-ignore: decorator
@inline function fastPair4(a: v128, b: v128, edges: usize, bins: i32, lo: v128, norm: v128, hi: f64, eps: v128, eps1: v128,
                           sv: v128, magic: v128, at: v128, c0: usize, c1: usize, c2: usize, c3: usize): void {
  const ta = f64x2.mul(f64x2.sub(a, lo), norm), tb = f64x2.mul(f64x2.sub(b, lo), norm);
  const fa = f64x2.floor(ta), fb = f64x2.floor(tb);
  const ra = f64x2.sub(ta, fa), rb = f64x2.sub(tb, fb);
  const ok = v128.and(v128.and(f64x2.gt(ra, eps), f64x2.lt(ra, eps1)), v128.and(f64x2.gt(rb, eps), f64x2.lt(rb, eps1)));
  if (i64x2.bitmask(ok) == 3) {
    const top = f64x2.splat(<f64>bins), bot = vc(K_NEG_ONE64);
    const pa = f64x2.pmax(f64x2.pmin(fa, top), bot), pb = f64x2.pmax(f64x2.pmin(fb, top), bot);
    v128.store(LANES, i32x4.add(i32x4.shl(f64x2.add(f64x2.add(pa, f64x2.mul(pb, sv)), magic), 2), at));
    bumpAt(<usize>load<u32>(LANES));
    bumpAt(<usize>load<u32>(LANES, 8));
  } else {
    uniform4(a, b, edges, bins, lo, norm, hi, c0, c1, c2, c3);
  }
}

// @ts-ignore: decorator
@inline function uniformPairLoop(x: usize, n: i32, edges: usize, bins: i32, loS: f64, hi: f64, normS: f64,
                                 epsS: f64, counts: usize, stride: i32, pairs: usize): void {
  const lo = f64x2.splat(loS), norm = f64x2.splat(normS), eps = f64x2.splat(epsS), eps1 = f64x2.splat(1.0 - epsS);
  const sb = <usize>stride << 2;
  const c0 = counts, c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb;
  const sv = f64x2.splat(<f64>stride), magic = f64x2.splat(4503599627370496.0 + <f64>(stride + 1));
  const at = i64x2.splat(<i64>pairs), at2 = i64x2.splat(<i64>(pairs + (<usize>(stride * stride) << 2)));
  const octs = n & ~7, quads = n & ~3;
  let i = 0;
  for (; i < octs; i += 8) {
    const p = x + (<usize>i << 3);
    fastPair4(v128.load(p), v128.load(p, 16), edges, bins, lo, norm, hi, eps, eps1, sv, magic, at, c0, c1, c2, c3);
    fastPair4(v128.load(p, 32), v128.load(p, 48), edges, bins, lo, norm, hi, eps, eps1, sv, magic, at2, c0, c1, c2, c3);
  }
  if (i < quads) {
    const p = x + (<usize>i << 3);
    fastPair4(v128.load(p), v128.load(p, 16), edges, bins, lo, norm, hi, eps, eps1, sv, magic, at, c0, c1, c2, c3);
  }
  const rem = n - quads;
  if (rem > 0) {
    tail(x + (<usize>quads << 3), rem, false);
    uniform4(v128.load(TAIL), v128.load(TAIL, 16), edges, bins, lo, norm, hi, c0, c1, c2, c3);
    untail(counts, stride, bins, rem);
  }
}

// @ts-ignore: decorator
@inline function uniformLoop(x: usize, n: i32, f32: bool, edges: usize, bins: i32, loS: f64, hi: f64, normS: f64,
                             epsS: f64, counts: usize, stride: i32): void {
  const lo = f64x2.splat(loS), norm = f64x2.splat(normS), eps = f64x2.splat(epsS), eps1 = f64x2.splat(1.0 - epsS);
  const sb = <usize>stride << 2;
  const c0 = counts, c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb;
  const atA = pair(c0, c1), atB = pair(c2, c3);
  const quads = n & ~3, w: usize = f32 ? 2 : 3;
  for (let i = 0; i < quads; i += 4) {
    const p = x + (<usize>i << w);
    fast4(load4lo(p, f32), load4hi(p, f32), edges, bins, lo, norm, hi, eps, eps1, atA, atB, c0, c1, c2, c3);
  }
  const rem = n - quads;
  if (rem > 0) {
    tail(x + (<usize>quads << w), rem, f32);
    uniform4(v128.load(TAIL), v128.load(TAIL, 16), edges, bins, lo, norm, hi, c0, c1, c2, c3);
    untail(counts, stride, bins, rem);
  }
}

/** Adds n samples at x (f32: float32, else float64) to the count tables at `counts` for
 *  nearly equal-width edges (lo = e_0, hi = e_n, norm = bins / (e_n - e_0), eps the margin
 *  of the uncorrected path, >= 0.5 to correct every sample); pairs: 0, or two pair tables
 *  (float64 samples only); returns the NaN slots' total. */
export function binUniform(x: usize, n: i32, f32: i32, edges: usize, bins: i32, lo: f64, hi: f64, norm: f64, eps: f64,
                           counts: usize, stride: i32, pairs: usize): u32 {
  if (pairs != 0 && !f32) uniformPairLoop(x, n, edges, bins, lo, hi, norm, eps, counts, stride, pairs);
  else if (f32) uniformLoop(x, n, true, edges, bins, lo, hi, norm, eps, counts, stride);
  else uniformLoop(x, n, false, edges, bins, lo, hi, norm, eps, counts, stride);
  return nanTotal(counts, stride, bins);
}

// ---------------------------------------------------------------- arbitrary edges
// A branch-free binary search for the number of edges <= x (4 samples in lockstep, the
// same number of steps for every sample): that count is the slot, except x = e_n, which
// every edge is <= (count bins + 1) but belongs to the last bin (slot bins); NaN counts 0
// and is moved to the NaN slot.

// @ts-ignore: decorator
@inline function finish(v: f64, base: i32, edges: usize, hi: f64, bins: i32): i32 {
  let s = base + <i32>(v >= load<f64>(edges + (<usize>base << 3)));
  s -= <i32>(v == hi);
  return select(bins + 2, s, v != v);
}

// @ts-ignore: decorator
@inline function step(v: f64, base: i32, half: i32, edges: usize): i32 {
  return select(base + half, base, v >= load<f64>(edges + (<usize>(base + half) << 3)));
}

// @ts-ignore: decorator
@inline function search4(a: v128, b: v128, edges: usize, bins: i32, hi: f64,
                         c0: usize, c1: usize, c2: usize, c3: usize): void {
  const v0 = f64x2.extract_lane(a, 0), v1 = f64x2.extract_lane(a, 1);
  const v2 = f64x2.extract_lane(b, 0), v3 = f64x2.extract_lane(b, 1);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, len = bins + 1;
  while (len > 1) {
    const half = len >> 1;
    b0 = step(v0, b0, half, edges);
    b1 = step(v1, b1, half, edges);
    b2 = step(v2, b2, half, edges);
    b3 = step(v3, b3, half, edges);
    len -= half;
  }
  bump(c0, finish(v0, b0, edges, hi, bins));
  bump(c1, finish(v1, b1, edges, hi, bins));
  bump(c2, finish(v2, b2, edges, hi, bins));
  bump(c3, finish(v3, b3, edges, hi, bins));
}

// A grid of `cells` equal cells over [e_0, e_n] (cell index floor((x - e_0) cnorm), clamped
// to [-2, cells + 1]; entry c + 2 of `table`; NaN reads entry cells + 4, -1) tells, for each cell, widened by the caller's
// margins (which cover the rounding of the index), that no edge reaches: k, the slot of every
// sample in it; for a cell that exactly one edge e_k reaches (not the last): k | ONE, the
// slot being k + (x >= e_k) (the count of edges <= x, one comparison); else -1 (search).
// 4 samples all in the first kind of cells, none NaN, take their slots directly; with one
// of the second kind, one comparison each; otherwise (NaN too: its entry is -1) the 4 are searched.
const ONE: i32 = 1 << 30;
const KMASK: i32 = ONE - 1;

/** Adds the 4 samples' slots (lanes of a, b; table entries s0..s3) to the pair table at
 *  `pairs` (samples 0 + 2, 1 + 3) or, if pairs is 0, to the copies. */
// @ts-ignore: decorator
@inline function gridBump(a: v128, b: v128, s0: i32, s1: i32, s2: i32, s3: i32, edges: usize, bins: i32, hi: f64,
                          c0: usize, c1: usize, c2: usize, c3: usize, pairs: usize, stride: i32): void {
  const all = s0 | s1 | s2 | s3;
  if (all < 0) {
    search4(a, b, edges, bins, hi, c0, c1, c2, c3);
    return;
  }
  if (all & ONE) {
    s0 = oneEdge(f64x2.extract_lane(a, 0), s0, edges);
    s1 = oneEdge(f64x2.extract_lane(a, 1), s1, edges);
    s2 = oneEdge(f64x2.extract_lane(b, 0), s2, edges);
    s3 = oneEdge(f64x2.extract_lane(b, 1), s3, edges);
  }
  if (pairs != 0) {
    bump(pairs, s0 + s2 * stride);
    bump(pairs, s1 + s3 * stride);
  } else {
    bump(c0, s0);
    bump(c1, s1);
    bump(c2, s2);
    bump(c3, s3);
  }
}
/** The slot for an entry e >= 0: k, or k + (v >= e_k) when flagged ONE. */
// @ts-ignore: decorator
@inline function oneEdge(v: f64, e: i32, edges: usize): i32 {
  const k = e & KMASK;
  return k + (<i32>(v >= load<f64>(edges + (<usize>k << 3))) & (e >>> 30));
}

// @ts-ignore: decorator
@inline function table4(a: v128, b: v128, edges: usize, bins: i32, hi: f64, table: usize, last: i32, lo: v128, cnorm: v128,
                        c0: usize, c1: usize, c2: usize, c3: usize, pairs: usize, stride: i32): void {
  const fa = f64x2.floor(f64x2.mul(f64x2.sub(a, lo), cnorm)), fb = f64x2.floor(f64x2.mul(f64x2.sub(b, lo), cnorm));
  // clamp to [-2, last], NaN kept (pmin(f, top), pmax(f, bot) return f when it is NaN), then NaN
  // to last + 1 (pmin(last + 1, NaN) is last + 1), whose entry is -1: a NaN lane is searched;
  // + 2^52 + 2 leaves the entry c + 2 as the low 32 bits, times 4 plus the table's address
  const top = f64x2.splat(<f64>last), nanC = f64x2.splat(<f64>(last + 1)), bot = vc(K_NEG_TWO64), magic = vc(K_MAGIC2_64);
  const at = i64x2.splat(<i64>table);
  v128.store(LANES, i32x4.add(i32x4.shl(f64x2.add(f64x2.pmin(nanC, f64x2.pmax(f64x2.pmin(fa, top), bot)), magic), 2), at));
  v128.store(LANES, i32x4.add(i32x4.shl(f64x2.add(f64x2.pmin(nanC, f64x2.pmax(f64x2.pmin(fb, top), bot)), magic), 2), at), 16);
  const s0 = load<i32>(<usize>load<u32>(LANES)), s1 = load<i32>(<usize>load<u32>(LANES, 8));
  const s2 = load<i32>(<usize>load<u32>(LANES, 16)), s3 = load<i32>(<usize>load<u32>(LANES, 24));
  gridBump(a, b, s0, s1, s2, s3, edges, bins, hi, c0, c1, c2, c3, pairs, stride);
}

// 8 samples per iteration with pairs (the two pair tables alternate), else 4
// @ts-ignore: decorator
@inline function tableLoop(x: usize, n: i32, f32: bool, edges: usize, bins: i32, hi: f64, counts: usize, stride: i32,
                           table: usize, cells: i32, loS: f64, cnormS: f64, pairs: usize): void {
  const sb = <usize>stride << 2;
  const c0 = counts, c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb;
  const lo = f64x2.splat(loS), cnorm = f64x2.splat(cnormS), last = cells + 1;
  const quads = n & ~3, w: usize = f32 ? 2 : 3;
  let i = 0;
  if (pairs != 0) {
    const octs = n & ~7, pairs2 = pairs + (<usize>(stride * stride) << 2);
    for (; i < octs; i += 8) {
      const p = x + (<usize>i << w);
      table4(load4lo(p, f32), load4hi(p, f32), edges, bins, hi, table, last, lo, cnorm, c0, c1, c2, c3, pairs, stride);
      const q = p + (<usize>4 << w);
      table4(load4lo(q, f32), load4hi(q, f32), edges, bins, hi, table, last, lo, cnorm, c0, c1, c2, c3, pairs2, stride);
    }
  }
  for (; i < quads; i += 4) {
    const p = x + (<usize>i << w);
    table4(load4lo(p, f32), load4hi(p, f32), edges, bins, hi, table, last, lo, cnorm, c0, c1, c2, c3, pairs, stride);
  }
  const rem = n - quads;
  if (rem > 0) {
    tail(x + (<usize>quads << w), rem, f32);
    search4(v128.load(TAIL), v128.load(TAIL, 16), edges, bins, hi, c0, c1, c2, c3);
    untail(counts, stride, bins, rem);
  }
}

// @ts-ignore: decorator
@inline function searchLoop(x: usize, n: i32, f32: bool, edges: usize, bins: i32, hi: f64,
                            counts: usize, stride: i32): void {
  const sb = <usize>stride << 2;
  const c0 = counts, c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb;
  const quads = n & ~3, w: usize = f32 ? 2 : 3;
  for (let i = 0; i < quads; i += 4) {
    const p = x + (<usize>i << w);
    search4(load4lo(p, f32), load4hi(p, f32), edges, bins, hi, c0, c1, c2, c3);
  }
  const rem = n - quads;
  if (rem > 0) {
    tail(x + (<usize>quads << w), rem, f32);
    search4(v128.load(TAIL), v128.load(TAIL, 16), edges, bins, hi, c0, c1, c2, c3);
    untail(counts, stride, bins, rem);
  }
}

/** Adds n samples at x (f32: float32, else float64) to the count tables at `counts` for
 *  arbitrary edges; returns the NaN slots' total. table: 0, or the grid of `cells` cells
 *  (cells + 5 i32 entries) over [lo, e_n] with cnorm = cells / (e_n - lo); pairs: 0, or a
 *  pair table for the grid's samples. */
export function binSearch(x: usize, n: i32, f32: i32, edges: usize, bins: i32, hi: f64,
                          counts: usize, stride: i32, table: usize, cells: i32, lo: f64, cnorm: f64, pairs: usize): u32 {
  if (table != 0) {
    if (f32) tableLoop(x, n, true, edges, bins, hi, counts, stride, table, cells, lo, cnorm, pairs);
    else tableLoop(x, n, false, edges, bins, hi, counts, stride, table, cells, lo, cnorm, pairs);
  } else if (f32) searchLoop(x, n, true, edges, bins, hi, counts, stride);
  else searchLoop(x, n, false, edges, bins, hi, counts, stride);
  return nanTotal(counts, stride, bins);
}

// ---------------------------------------------------------------- tails
/** Copies rem (< 4) samples from src into TAIL as float64, padding with NaN. */
// @ts-ignore: decorator
@inline function tail(src: usize, rem: i32, f32: bool): void {
  for (let i = 0; i < 4; i++) {
    let v: f64 = NaN;
    if (i < rem) v = f32 ? <f64>load<f32>(src + (<usize>i << 2)) : load<f64>(src + (<usize>i << 3));
    store<f64>(TAIL + (<usize>i << 3), v);
  }
}

/** Takes the 4 - rem pads (copies rem .. 3 got one NaN each) back out of the NaN slots. */
// @ts-ignore: decorator
@inline function untail(counts: usize, stride: i32, bins: i32, rem: i32): void {
  for (let c = rem; c < COPIES; c++) {
    const a = counts + ((<usize>(c * stride + bins + 2)) << 2);
    store<u32>(a, load<u32>(a) - 1);
  }
}

// ---------------------------------------------------------------- float32 lanes
// Float32 samples compared in f32x4 lanes against edges converted to float32 so that every
// comparison gives what the float64 one gives (src/drift/wasm.ts f32Plan builds them):
//   up(e)   = the smallest float32 (or +Infinity) >= e, as a real number;
//   down(e) = the largest float32 (or -Infinity) <= e.
// For every float32 x (±Infinity included, NaN aside) and every real e:
//   x >= e  iff  x >= up(e)     (if x >= up(e) then x >= up(e) >= e; if x >= e, x is one
//                                of the float32 values >= e, and up(e) is the least of them)
//   x <  e  iff  x <  up(e)     (the negation of the line above)
//   x >  e  iff  x >  down(e)   (symmetrically: x <= e iff x <= down(e))
//   x == e  iff  x == eq(e)     (eq(e) = e when e is a float32, else NaN: no x equals it)
// and float32 comparisons are exact. So the edge search over up(e_i) counts exactly the
// edges e_i <= x, and the correction steps below move exactly as the float64 ones do.
// The guess (multiply and floor) is computed in float32: src/drift/wasm.ts bounds its
// distance delta from the exact t = (x - e_0) bins / (e_n - e_0) and widens the margins by
// it (eps for the uncorrected path, the grid's cell margin); where the guess is used only
// as a start for the corrections, delta < 1/4 keeps it within one bin.
const TAIL32: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline function slotGuess32(v: f32, g: i32, edges: usize, last: i32, hiDown: f32, bins: i32): i32 {
  g -= <i32>(v < load<f32>(edges + (<usize>g << 2)));
  g += <i32>(v >= load<f32>(edges + (<usize>(g + 1) << 2))) & <i32>(g != last);
  let s = g + 1;
  s = select(bins + 1, s, v > hiDown);
  return select(bins + 2, s, v != v);
}

// @ts-ignore: decorator
@inline function uniform32x4(a: v128, edges: usize, bins: i32, lo: v128, norm: v128, hiDown: f32,
                             c0: usize, c1: usize, c2: usize, c3: usize): void {
  let g = i32x4.trunc_sat_f32x4_s(f32x4.mul(f32x4.sub(a, lo), norm));
  g = i32x4.min_s(i32x4.max_s(g, i32x4.splat(0)), i32x4.splat(bins - 1));
  const last = bins - 1;
  bump(c0, slotGuess32(f32x4.extract_lane(a, 0), i32x4.extract_lane(g, 0), edges, last, hiDown, bins));
  bump(c1, slotGuess32(f32x4.extract_lane(a, 1), i32x4.extract_lane(g, 1), edges, last, hiDown, bins));
  bump(c2, slotGuess32(f32x4.extract_lane(a, 2), i32x4.extract_lane(g, 2), edges, last, hiDown, bins));
  bump(c3, slotGuess32(f32x4.extract_lane(a, 3), i32x4.extract_lane(g, 3), edges, last, hiDown, bins));
}

// @ts-ignore: decorator
@inline function fast32x4(a: v128, edges: usize, bins: i32, lo: v128, norm: v128, hiDown: f32, eps: v128, eps1: v128,
                          at1: v128, c0: usize, c1: usize, c2: usize, c3: usize): void {
  const t = f32x4.mul(f32x4.sub(a, lo), norm);
  const f = f32x4.floor(t);
  const r = f32x4.sub(t, f);
  if (i32x4.bitmask(v128.and(f32x4.gt(r, eps), f32x4.lt(r, eps1))) == 15) {
    // every lane finite: pmin/pmax clamp to [-1, bins]; + 2^23 + 1 leaves the slot floor(t) + 1
    // (< 2^23: bins <= 2^14 on this path) in the low bits, times 4 plus the copy's address
    // (at1 holds each copy's address minus 4 * the bits of 2^23)
    const y = f32x4.add(f32x4.pmax(f32x4.pmin(f, f32x4.splat(<f32>bins)), vc(K_NEG_ONE32)), vc(K_MAGIC1_32));
    bump4(i32x4.add(i32x4.shl(y, 2), at1));
  } else {
    uniform32x4(a, edges, bins, lo, norm, hiDown, c0, c1, c2, c3);
  }
}

// fast32x4 with a pair table: lanes 0, 1 of (y + 1) + stride (y' + 1) + 2^23, y' = lanes 2, 3
// of the clamped floors (exact: < 2^23 as stride <= 2^11), times 4 plus the table's address
// @ts-ignore: decorator
@inline function fastPair32x4(a: v128, edges: usize, bins: i32, lo: v128, norm: v128, hiDown: f32, eps: v128, eps1: v128,
                              top: v128, sv: v128, magic: v128, at: v128, c0: usize, c1: usize, c2: usize, c3: usize): void {
  const t = f32x4.mul(f32x4.sub(a, lo), norm);
  const f = f32x4.floor(t);
  const r = f32x4.sub(t, f);
  if (i32x4.bitmask(v128.and(f32x4.gt(r, eps), f32x4.lt(r, eps1))) == 15) {
    const y = f32x4.pmax(f32x4.pmin(f, top), vc(K_NEG_ONE32));
    const z = f32x4.add(f32x4.add(y, f32x4.mul(v128.shuffle<f32>(y, y, 2, 3, 2, 3), sv)), magic);
    v128.store(LANES, i32x4.add(i32x4.shl(z, 2), at));
    bumpAt(<usize>load<u32>(LANES));
    bumpAt(<usize>load<u32>(LANES, 4));
  } else {
    uniform32x4(a, edges, bins, lo, norm, hiDown, c0, c1, c2, c3);
  }
}

/** binUniform for float32 samples in f32 lanes: edges32 the bins + 1 values up(e_i);
 *  lo = e_0 and norm = bins / (e_n - e_0) rounded to float32 (any way), hiDown = down(e_n),
 *  eps the margin of the uncorrected path (>= 0.5: every sample corrected). */
export function binUniform32(x: usize, n: i32, edges32: usize, bins: i32, loS: f32, hiDown: f32, normS: f32, epsS: f32,
                             counts: usize, stride: i32, pairs: usize): u32 {
  const lo = f32x4.splat(loS), norm = f32x4.splat(normS), eps = f32x4.splat(epsS), eps1 = f32x4.splat(<f32>1.0 - epsS);
  const sb = <usize>stride << 2;
  const c0 = counts, c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb;
  const quads = n & ~3;
  if (pairs != 0) {
    const sv = f32x4.splat(<f32>stride), magic = f32x4.splat(<f32>(<i32>8388608 + stride + 1)), top = f32x4.splat(<f32>bins);
    const at = i32x4.splat(<i32>pairs - (0x4B000000 << 2));
    const at2 = i32x4.splat(<i32>(pairs + (<usize>(stride * stride) << 2)) - (0x4B000000 << 2));
    const octs = n & ~7;
    let i = 0;
    for (; i < octs; i += 8) {
      const p = x + (<usize>i << 2);
      fastPair32x4(v128.load(p), edges32, bins, lo, norm, hiDown, eps, eps1, top, sv, magic, at, c0, c1, c2, c3);
      fastPair32x4(v128.load(p, 16), edges32, bins, lo, norm, hiDown, eps, eps1, top, sv, magic, at2, c0, c1, c2, c3);
    }
    if (i < quads) {
      fastPair32x4(v128.load(x + (<usize>i << 2)), edges32, bins, lo, norm, hiDown, eps, eps1, top, sv, magic, at, c0, c1, c2, c3);
    }
  } else {
    const at1 = copies4(counts, sb, 0 - (<usize>0x4B000000 << 2));
    for (let i = 0; i < quads; i += 4) {
      fast32x4(v128.load(x + (<usize>i << 2)), edges32, bins, lo, norm, hiDown, eps, eps1, at1, c0, c1, c2, c3);
    }
  }
  const rem = n - quads;
  if (rem > 0) {
    tail32(x + (<usize>quads << 2), rem);
    uniform32x4(v128.load(TAIL32), edges32, bins, lo, norm, hiDown, c0, c1, c2, c3);
    untail(counts, stride, bins, rem);
  }
  return nanTotal(counts, stride, bins);
}

// @ts-ignore: decorator
@inline function finish32(v: f32, base: i32, edges: usize, hiEq: f32, bins: i32): i32 {
  let s = base + <i32>(v >= load<f32>(edges + (<usize>base << 2)));
  s -= <i32>(v == hiEq);
  return select(bins + 2, s, v != v);
}

// @ts-ignore: decorator
@inline function step32(v: f32, base: i32, half: i32, edges: usize): i32 {
  return select(base + half, base, v >= load<f32>(edges + (<usize>(base + half) << 2)));
}

// @ts-ignore: decorator
@inline function search32x4(a: v128, edges: usize, bins: i32, hiEq: f32,
                            c0: usize, c1: usize, c2: usize, c3: usize): void {
  const v0 = f32x4.extract_lane(a, 0), v1 = f32x4.extract_lane(a, 1);
  const v2 = f32x4.extract_lane(a, 2), v3 = f32x4.extract_lane(a, 3);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, len = bins + 1;
  while (len > 1) {
    const half = len >> 1;
    b0 = step32(v0, b0, half, edges);
    b1 = step32(v1, b1, half, edges);
    b2 = step32(v2, b2, half, edges);
    b3 = step32(v3, b3, half, edges);
    len -= half;
  }
  bump(c0, finish32(v0, b0, edges, hiEq, bins));
  bump(c1, finish32(v1, b1, edges, hiEq, bins));
  bump(c2, finish32(v2, b2, edges, hiEq, bins));
  bump(c3, finish32(v3, b3, edges, hiEq, bins));
}

// @ts-ignore: decorator
@inline function table32x4(a: v128, edges: usize, bins: i32, hiEq: f32, table: usize, last: i32, lo: v128, cnorm: v128,
                           c0: usize, c1: usize, c2: usize, c3: usize, pairs: usize, stride: i32): void {
  // as table4: clamped to [-2, last], NaN to last + 1 (entry -1), + 2^23 + 2 leaves c + 2 in the low bits
  const f = f32x4.floor(f32x4.mul(f32x4.sub(a, lo), cnorm));
  const y = f32x4.add(f32x4.pmin(f32x4.splat(<f32>(last + 1)), f32x4.pmax(f32x4.pmin(f, f32x4.splat(<f32>last)), vc(K_NEG_TWO32))),
    vc(K_MAGIC2_32));
  v128.store(LANES, i32x4.add(i32x4.shl(y, 2), i32x4.splat(<i32>table - (0x4B000000 << 2))));
  let s0 = load<i32>(<usize>load<u32>(LANES)), s1 = load<i32>(<usize>load<u32>(LANES, 4));
  let s2 = load<i32>(<usize>load<u32>(LANES, 8)), s3 = load<i32>(<usize>load<u32>(LANES, 12));
  const all = s0 | s1 | s2 | s3;
  if (all < 0) {
    search32x4(a, edges, bins, hiEq, c0, c1, c2, c3);
    return;
  }
  if (all & ONE) {
    s0 = oneEdge32(f32x4.extract_lane(a, 0), s0, edges);
    s1 = oneEdge32(f32x4.extract_lane(a, 1), s1, edges);
    s2 = oneEdge32(f32x4.extract_lane(a, 2), s2, edges);
    s3 = oneEdge32(f32x4.extract_lane(a, 3), s3, edges);
  }
  if (pairs != 0) {
    bump(pairs, s0 + s2 * stride);
    bump(pairs, s1 + s3 * stride);
  } else {
    bump(c0, s0);
    bump(c1, s1);
    bump(c2, s2);
    bump(c3, s3);
  }
}
/** oneEdge against up(e_k): v >= up(e_k) iff v >= e_k. */
// @ts-ignore: decorator
@inline function oneEdge32(v: f32, e: i32, edges: usize): i32 {
  const k = e & KMASK;
  return k + (<i32>(v >= load<f32>(edges + (<usize>k << 2))) & (e >>> 30));
}

/** binSearch for float32 samples in f32 lanes: edges32 the bins + 1 values up(e_i), hiEq =
 *  e_n if it is a float32 (else NaN); table: 0, or the grid of `cells` cells over [lo, e_n]
 *  with lo, cnorm the float32 values the caller's margins were built for. */
export function binSearch32(x: usize, n: i32, edges32: usize, bins: i32, hiEq: f32,
                            counts: usize, stride: i32, table: usize, cells: i32, loS: f32, cnormS: f32, pairs: usize): u32 {
  const sb = <usize>stride << 2;
  const c0 = counts, c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb;
  const quads = n & ~3;
  if (table != 0) {
    const lo = f32x4.splat(loS), cnorm = f32x4.splat(cnormS), last = cells + 1;
    let i = 0;
    if (pairs != 0) {
      const octs = n & ~7, pairs2 = pairs + (<usize>(stride * stride) << 2);
      for (; i < octs; i += 8) {
        const p = x + (<usize>i << 2);
        table32x4(v128.load(p), edges32, bins, hiEq, table, last, lo, cnorm, c0, c1, c2, c3, pairs, stride);
        table32x4(v128.load(p, 16), edges32, bins, hiEq, table, last, lo, cnorm, c0, c1, c2, c3, pairs2, stride);
      }
    }
    for (; i < quads; i += 4) {
      table32x4(v128.load(x + (<usize>i << 2)), edges32, bins, hiEq, table, last, lo, cnorm, c0, c1, c2, c3, pairs, stride);
    }
  } else {
    for (let i = 0; i < quads; i += 4) search32x4(v128.load(x + (<usize>i << 2)), edges32, bins, hiEq, c0, c1, c2, c3);
  }
  const rem = n - quads;
  if (rem > 0) {
    tail32(x + (<usize>quads << 2), rem);
    search32x4(v128.load(TAIL32), edges32, bins, hiEq, c0, c1, c2, c3);
    untail(counts, stride, bins, rem);
  }
  return nanTotal(counts, stride, bins);
}

/** Copies rem (< 4) float32 samples from src into TAIL32, padding with NaN. */
// @ts-ignore: decorator
@inline function tail32(src: usize, rem: i32): void {
  for (let i = 0; i < 4; i++) {
    let v: f32 = NaN;
    if (i < rem) v = load<f32>(src + (<usize>i << 2));
    store<f32>(TAIL32 + (<usize>i << 2), v);
  }
}

// ---------------------------------------------------------------- fine cells (arbitrary edges)
// binFine32 counts each sample in a cell of a fine equal-width table, c = round(t) with
// t = (x - lo) cnorm in float32, clamped to cells above, then to 0 below (NaN to cells + 1): one
// increment a sample, no lookup of its bin. c never decreases as x grows (each step rounds
// monotonically; -0 and 0 give the same t).
// A float32 sample's slot is the number of thresholds T_0 <= ... <= T_bins it reaches (T_i =
// up(e_i) for i < bins; T_bins = tLast, the least float32 above e_n; slot 0 under, bins + 1
// over), so every sample of a cell c reaches the thresholds whose cell is below c and none of
// those whose cell is above it: a cell holds samples of one slot unless some threshold T has
// cell(prev(T)) = cell(T) (prev(T): the float32 below T). The caller (src/drift/wasm.ts
// fineOf) finds those edge cells and folds every other cell into its slot at the flush.
// An edge cell's counter holds 2^31 + 16 k0, k0 the number of thresholds in cells below it
// (every other counter stays below 2^31: the caller flushes before 2^31 samples), so the or
// of the 8 values a step's increments read tells whether one of its samples fell in an edge
// cell. Those samples are counted in copy 0 of the count table at k0 plus the thresholds of
// their own cell that they reach, and their counters set back (a step adds at most 8 to one).
// No margin or error bound enters: the slots are exact for any float32 lo and cnorm > 0.
// binFine64 does the same for float64 samples: each is demoted to float32 for its cell (the
// demotion never decreases either; beyond the float32 range it gives +-Infinity, or the largest
// float32 within half its ulp, which clamp),
// and its thresholds are the float64 e_i and the least float64 above e_n.

/** Threshold i (i <= bins): the edges up(e_i) (f32) or e_i, then tLast. Compared in float64: exact for both. */
// @ts-ignore: decorator
@inline function threshold(i: i32, edges: usize, f32: bool, bins: i32, tLast: f64): f64 {
  return i < bins ? (f32 ? <f64>load<f32>(edges + (<usize>i << 2)) : load<f64>(edges + (<usize>i << 3))) : tLast;
}

/** The slot of a sample (not NaN) that reaches the thresholds before `from` and none from `from + len`:
 *  `from` plus those of the len it reaches, by bisection. */
function bisectSlot(v: f64, from: i32, len: i32, edges: usize, f32: bool, bins: i32, tLast: f64): i32 {
  let s = from;
  while (len > 0) {
    const half = len >> 1;
    if (v >= threshold(s + half, edges, f32, bins, tLast)) {
      s += half + 1;
      len -= half + 1;
    } else len = half;
  }
  return s;
}

/** The slot of a sample in an edge cell, which reaches the thresholds before `from`: most edge
 *  cells hold one threshold (a compare or two); a cell of many is bisected. */
function slotFrom(v: f64, from: i32, edges: usize, f32: bool, bins: i32, tLast: f64): i32 {
  let s = from;
  for (let k = 0; k < 4; k++) {
    if (s > bins || !(v >= threshold(s, edges, f32, bins, tLast))) return s;
    s++;
  }
  return bisectSlot(v, s, bins + 1 - s, edges, f32, bins, tLast);
}

/** The addresses of 4 samples' cell counters (lane bits 2^23 + 2 + c, shifted, plus base). */
// @ts-ignore: decorator
@inline function fineAddr4(a: v128, lo: v128, cn: v128, top: v128, top1: v128, base: v128): v128 {
  const t = f32x4.pmin(top1, f32x4.pmax(f32x4.pmin(f32x4.mul(f32x4.sub(a, lo), cn), top), f32x4.splat(0)));
  return i32x4.add(i32x4.shl(f32x4.add(t, vc(K_MAGIC2_32)), 2), base);
}

/** Adds one to the counter at address a, and returns the value it held. */
// @ts-ignore: decorator
@inline function fineBump(a: usize): u32 {
  const v = load<u32>(a);
  store<u32>(a, v + 1);
  return v;
}

/** fineBump at the 4 addresses in the lanes of a (taken by extract_lane: storing the lanes and
 *  reading them back cost 1.1-1.8 ms more per 10^7 samples on Node 20, 24 and 26); the or of the old values. */
// @ts-ignore: decorator
@inline function fineBump4(a: v128): u32 {
  return fineBump(<usize>i32x4.extract_lane(a, 0)) | fineBump(<usize>i32x4.extract_lane(a, 1))
    | fineBump(<usize>i32x4.extract_lane(a, 2)) | fineBump(<usize>i32x4.extract_lane(a, 3));
}

/** Sample k at p, float32 (promoted) or float64. */
// @ts-ignore: decorator
@inline function sampleAt(p: usize, k: i32, f32: bool): f64 {
  return f32 ? <f64>load<f32>(p + (<usize>k << 2)) : load<f64>(p + (<usize>k << 3));
}

/** The 8 samples at p (counters' addresses at LANES) that fell in edge cells, to their slots. */
function fineFix(p: usize, f32: bool, edges: usize, bins: i32, tLast: f64, counts: usize): void {
  for (let k = 0; k < 8; k++) {
    const v = load<u32>(<usize>load<u32>(LANES + (<usize>k << 2)));
    if (v >= 0x80000000) bump(counts, slotFrom(sampleAt(p, k, f32), <i32>((v & 0x7FFFFFF0) >>> 4), edges, f32, bins, tLast));
  }
  for (let k = 0; k < 8; k++) {
    const a = <usize>load<u32>(LANES + (<usize>k << 2)), v = load<u32>(a);
    if (v >= 0x80000000) store<u32>(a, v & ~15);
  }
}

// @ts-ignore: decorator
@inline function fineLoop(x: usize, n: i32, f32: bool, edges: usize, bins: i32, tLast: f64, counts: usize, stride: i32,
                          fine: usize, cells: i32, loS: f32, cnormS: f32): u32 {
  const lo = f32x4.splat(loS), cn = f32x4.splat(cnormS);
  const top = f32x4.splat(<f32>cells), top1 = f32x4.splat(<f32>(cells + 1));
  const base = i32x4.splat(<i32>fine - (0x4B000002 << 2));
  const octs = n & ~7, w: usize = f32 ? 2 : 3;
  for (let i = 0; i < octs; i += 8) {
    const p = x + (<usize>i << w);
    const a = fineAddr4(load4f32(p, 0, f32), lo, cn, top, top1, base);
    const b = fineAddr4(load4f32(p, 4 << w, f32), lo, cn, top, top1, base);
    if ((fineBump4(a) | fineBump4(b)) >= 0x80000000) {
      v128.store(LANES, a);
      v128.store(LANES, b, 16);
      fineFix(p, f32, edges, bins, tLast, counts);
    }
  }
  for (let i = octs; i < n; i++) {
    const v = sampleAt(x, i, f32);
    bump(counts, v != v ? bins + 2 : bisectSlot(v, 0, bins + 1, edges, f32, bins, tLast));
  }
  return nanTotal(counts, stride, bins) + load<u32>(fine + (<usize>(cells + 1) << 2));
}

/** Adds n float32 samples at x to the count table (copy 0 at counts) and the fine table: `fine`
 *  holds cells + 2 u32 counters (the last: NaN), 2^31 + 16 k0 in the edge cells; edges32 the
 *  up(e_i), tLast the least float32 above e_n. Returns the NaN count so far (the tables' NaN
 *  slots and the NaN cell). */
export function binFine32(x: usize, n: i32, edges32: usize, bins: i32, tLast: f64, counts: usize, stride: i32,
                          fine: usize, cells: i32, loS: f32, cnormS: f32): u32 {
  return fineLoop(x, n, true, edges32, bins, tLast, counts, stride, fine, cells, loS, cnormS);
}

/** binFine32 for float64 samples, demoted to float32 for their cell (demotion never decreases
 *  either), against the float64 edges e_i; tLast the least float64 above e_n. */
export function binFine64(x: usize, n: i32, edges: usize, bins: i32, tLast: f64, counts: usize, stride: i32,
                          fine: usize, cells: i32, loS: f32, cnormS: f32): u32 {
  return fineLoop(x, n, false, edges, bins, tLast, counts, stride, fine, cells, loS, cnormS);
}

// ---------------------------------------------------------------- equal width, 8 samples a step in f32 lanes
// binScaled: float64 samples demoted to float32 (or float32 samples as they are), 8 an iteration
// in two f32x4: v = (x - lo) norm 2^13 (lo, norm the float32 values the caller's bound is for;
// times 2^13 exactly), clamped to [-0.5, bins + 0.5] 2^13 (NaN stays NaN), plus 2^23 + 2^13 + 1,
// whose rounding to an integer R leaves, in the low 23 bits, 2^13 (floor(t) + 1) + r + 1 with
// r = round(v) mod 2^13. Where r is neither 0 nor 2^13 - 1 (R & (2^13 - 2) != 0), t is at least
// 2^-14 from every integer, and the caller has checked that its bound on |t - t_exact| plus the
// edges' distance from the grid is below 2^-14: floor(t) is the bin, R >> 13 its slot plus a
// constant (folded into the table's address). -0.5 and bins + 0.5 are under and over; +-Infinity
// (and float64 values beyond the float32 range, demoted to +-Infinity) clamp there too. The 8
// samples go to the slow path (uniform4: float64 lanes, the corrected step, exact) if any lane
// has r at an end or is NaN: about 1 sample in 4096 of each.
const SCALE_BITS: i32 = 13;
const K_BOT_S = memory.data<f32>([-4096.0, -4096.0, -4096.0, -4096.0], 16);
const K_MAGIC_S = memory.data<i32>([0x4B002001, 0x4B002001, 0x4B002001, 0x4B002001], 16);
const K_MASK_S = memory.data<i32>([0x1FFE, 0x1FFE, 0x1FFE, 0x1FFE], 16);

// @ts-ignore: decorator
@inline function scaled(u: v128, lo: v128, norm: v128, top: v128): v128 {
  return f32x4.add(f32x4.pmax(f32x4.pmin(f32x4.mul(f32x4.sub(u, lo), norm), top), vc(K_BOT_S)), vc(K_MAGIC_S));
}

/** 4 samples at p + off as f32x4 (float64 demoted). */
// @ts-ignore: decorator
@inline function load4f32(p: usize, off: usize, f32: bool): v128 {
  return f32 ? v128.load(p + off)
    : v128.shuffle<f32>(f32x4.demote_f64x2_zero(v128.load(p + off)), f32x4.demote_f64x2_zero(v128.load(p + off, 16)), 0, 1, 4, 5);
}

/** The 8 samples at p through the corrected step (float64 lanes). */
function slow8(p: usize, f32: bool, edges: usize, bins: i32, lo: f64, norm: f64, hi: f64, counts: usize, stride: i32): void {
  const lo2 = f64x2.splat(lo), norm2 = f64x2.splat(norm), sb = <usize>stride << 2;
  const c0 = counts, c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb, q = p + (f32 ? 16 : 32);
  if (f32) {
    uniform4(load4lo(p, true), load4hi(p, true), edges, bins, lo2, norm2, hi, c0, c1, c2, c3);
    uniform4(load4lo(q, true), load4hi(q, true), edges, bins, lo2, norm2, hi, c0, c1, c2, c3);
  } else {
    uniform4(load4lo(p, false), load4hi(p, false), edges, bins, lo2, norm2, hi, c0, c1, c2, c3);
    uniform4(load4lo(q, false), load4hi(q, false), edges, bins, lo2, norm2, hi, c0, c1, c2, c3);
  }
}

// @ts-ignore: decorator
@inline function scaledLoop(x: usize, n: i32, f32: bool, usePairs: bool, edges: usize, bins: i32, lo64: f64, hi: f64, norm64: f64,
                            lo32: f32, normM: f32, topM: f32, counts: usize, stride: i32, pairs: usize): void {
  const lo = f32x4.splat(lo32), norm = f32x4.splat(normM), top = f32x4.splat(topM);
  const bias = (0x4B000000 >>> SCALE_BITS) << 2, w: usize = f32 ? 2 : 3;
  const sv = i32x4.splat(stride), at = i32x4.splat(<i32>pairs - bias * (1 + stride));
  const at1 = copies4(counts, <usize>stride << 2, 0 - <usize>bias);
  const octs = n & ~7;
  let i = 0;
  if (f32) {
    // float32: 16 samples an iteration (the loop's own cost is a larger share of the float32 step)
    for (const hexs = n & ~15; i < hexs; i += 16) {
      const p = x + (<usize>i << w);
      const u = v128.load(p), v = v128.load(p, 16), u2 = v128.load(p, 32), v2 = v128.load(p, 48);
      const zu = scaled(u, lo, norm, top), zv = scaled(v, lo, norm, top);
      const zu2 = scaled(u2, lo, norm, top), zv2 = scaled(v2, lo, norm, top);
      const mask = vc(K_MASK_S);
      const low = i32x4.min_u(i32x4.min_u(v128.and(zu, mask), v128.and(zv, mask)), i32x4.min_u(v128.and(zu2, mask), v128.and(zv2, mask)));
      const num = v128.and(v128.and(f32x4.eq(u, u), f32x4.eq(v, v)), v128.and(f32x4.eq(u2, u2), f32x4.eq(v2, v2)));
      if (usePairs && i32x4.all_true(v128.and(low, num))) {
        const qu = i32x4.shr_u(zu, SCALE_BITS), qv = i32x4.shr_u(zv, SCALE_BITS);
        const qu2 = i32x4.shr_u(zu2, SCALE_BITS), qv2 = i32x4.shr_u(zv2, SCALE_BITS);
        v128.store(LANES, i32x4.add(i32x4.shl(i32x4.add(qu, i32x4.mul(qv, sv)), 2), at));
        v128.store(LANES, i32x4.add(i32x4.shl(i32x4.add(qu2, i32x4.mul(qv2, sv)), 2), at), 16);
        bumpAt(<usize>load<u32>(LANES));
        bumpAt(<usize>load<u32>(LANES, 4));
        bumpAt(<usize>load<u32>(LANES, 8));
        bumpAt(<usize>load<u32>(LANES, 12));
        bumpAt(<usize>load<u32>(LANES, 16));
        bumpAt(<usize>load<u32>(LANES, 20));
        bumpAt(<usize>load<u32>(LANES, 24));
        bumpAt(<usize>load<u32>(LANES, 28));
      } else {
        scaled8(p, f32, usePairs, edges, bins, lo64, hi, norm64, lo, norm, top, sv, at, at1, counts, stride);
        scaled8(p + 32, f32, usePairs, edges, bins, lo64, hi, norm64, lo, norm, top, sv, at, at1, counts, stride);
      }
    }
  }
  for (; i < octs; i += 8) {
    const p = x + (<usize>i << w);
    scaled8(p, f32, usePairs, edges, bins, lo64, hi, norm64, lo, norm, top, sv, at, at1, counts, stride);
  }
}

// @ts-ignore: decorator
@inline function scaled8(p: usize, f32: bool, usePairs: bool, edges: usize, bins: i32, lo64: f64, hi: f64, norm64: f64,
                         lo: v128, norm: v128, top: v128, sv: v128, at: v128, at1: v128, counts: usize, stride: i32): void {
  {
    const w: usize = f32 ? 2 : 3;
    const u = load4f32(p, 0, f32), v = load4f32(p, 4 << w, f32);
    const zu = scaled(u, lo, norm, top), zv = scaled(v, lo, norm, top);
    const mask = vc(K_MASK_S);
    const ok = v128.and(i32x4.min_u(v128.and(zu, mask), v128.and(zv, mask)), v128.and(f32x4.eq(u, u), f32x4.eq(v, v)));
    if (i32x4.all_true(ok)) {
      const qu = i32x4.shr_u(zu, SCALE_BITS), qv = i32x4.shr_u(zv, SCALE_BITS);
      if (usePairs) {
        // samples i + j and i + 4 + j as one entry of the pair table
        v128.store(LANES, i32x4.add(i32x4.shl(i32x4.add(qu, i32x4.mul(qv, sv)), 2), at));
        bumpAt(<usize>load<u32>(LANES));
        bumpAt(<usize>load<u32>(LANES, 4));
        bumpAt(<usize>load<u32>(LANES, 8));
        bumpAt(<usize>load<u32>(LANES, 12));
      } else {
        bump4(i32x4.add(i32x4.shl(qu, 2), at1));
        bump4(i32x4.add(i32x4.shl(qv, 2), at1));
      }
    } else {
      slow8(p, f32, edges, bins, lo64, norm64, hi, counts, stride);
    }
  }
}

/** Adds n samples at x (f32: float32, else float64) to the count tables at `counts` for
 *  nearly equal-width edges (float64, at `edges`), 8 at a time in f32 lanes: lo32 and normM
 *  the float32 e_0 and bins / (e_n - e_0) (times 2^13) that the caller's bound is for, topM =
 *  (bins + 0.5) 2^13 (bins <= 1022); lo, hi, norm as for binUniform (the corrected step). pairs:
 *  0, or a pair table (one) whose entry a + stride b counts a sample in slot a and one in slot b. */
export function binScaled(x: usize, n: i32, f32: i32, edges: usize, bins: i32, lo: f64, hi: f64, norm: f64,
                          lo32: f32, normM: f32, topM: f32, counts: usize, stride: i32, pairs: usize): u32 {
  if (f32) {
    if (pairs != 0) scaledLoop(x, n, true, true, edges, bins, lo, hi, norm, lo32, normM, topM, counts, stride, pairs);
    else scaledLoop(x, n, true, false, edges, bins, lo, hi, norm, lo32, normM, topM, counts, stride, 0);
  } else if (pairs != 0) scaledLoop(x, n, false, true, edges, bins, lo, hi, norm, lo32, normM, topM, counts, stride, pairs);
  else scaledLoop(x, n, false, false, edges, bins, lo, hi, norm, lo32, normM, topM, counts, stride, 0);
  // the rest (< 8): the corrected step (binUniform with eps 0.5 corrects every sample)
  const done = n & ~7;
  return binUniform(x + (<usize>done << (f32 ? 2 : 3)), n - done, f32, edges, bins, lo, hi, norm, 0.5, counts, stride, 0);
}
