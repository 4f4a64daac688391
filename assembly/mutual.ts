// Mutual information kernels: column sums of a table, label ranges and pair counts
// (contingency tables from labels), and the neighbour counts of the
// Kraskov-Stoegbauer-Grassberger estimator. The measures themselves are KL sums
// (span.ts, through the facade) and digamma averages (the facade).
import { vc } from "./core/vconst";

const K_NEG_INF64 = memory.data<f64>([-Infinity, -Infinity], 16);

// ---------------------------------------------------------------- tables
/** sum[j] += p[r][j] over `rows` rows of `cols` f64 values, Neumaier-compensated per
 *  column (comp[j] carries the compensation; both persist across calls). */
export function colSums(p: usize, rows: i32, cols: i32, sum: usize, comp: usize): void {
  const pairs = cols & ~1;
  for (let r = 0; r < rows; r++) {
    const row = p + ((<usize>r * cols) << 3);
    for (let j = 0; j < pairs; j += 2) {
      const o = <usize>j << 3;
      const s = v128.load(sum + o), x = v128.load(row + o), t = f64x2.add(s, x);
      const big = f64x2.ge(f64x2.abs(s), f64x2.abs(x));
      const e = v128.bitselect(f64x2.add(f64x2.sub(s, t), x), f64x2.add(f64x2.sub(x, t), s), big);
      v128.store(comp + o, f64x2.add(v128.load(comp + o), e));
      v128.store(sum + o, t);
    }
    if (pairs < cols) {
      const o = <usize>pairs << 3;
      const s = load<f64>(sum + o), x = load<f64>(row + o), t = s + x;
      store<f64>(comp + o, load<f64>(comp + o) + (Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s));
      store<f64>(sum + o, t);
    }
  }
}

// ---------------------------------------------------------------- labels
/** Folds the minimum and maximum of n i32 labels into out[0], out[1] (i32). */
export function labelRange(a: usize, n: i32, out: usize): void {
  let mn = i32x4.splat(load<i32>(out)), mx = i32x4.splat(load<i32>(out, 4));
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const v = v128.load(a + (<usize>i << 2));
    mn = i32x4.min_s(mn, v);
    mx = i32x4.max_s(mx, v);
  }
  let lo = min(min(i32x4.extract_lane(mn, 0), i32x4.extract_lane(mn, 1)), min(i32x4.extract_lane(mn, 2), i32x4.extract_lane(mn, 3)));
  let hi = max(max(i32x4.extract_lane(mx, 0), i32x4.extract_lane(mx, 1)), max(i32x4.extract_lane(mx, 2), i32x4.extract_lane(mx, 3)));
  for (let i = quads; i < n; i++) {
    const v = load<i32>(a + (<usize>i << 2));
    lo = min(lo, v);
    hi = max(hi, v);
  }
  store<i32>(out, lo);
  store<i32>(out, hi, 4);
}

/** counts[(a[i] - minA) * rangeB + (b[i] - minB)] += 1 for n label pairs (u32 counts). */
export function countPairs(a: usize, b: usize, n: i32, minA: i32, minB: i32, rangeB: i32, counts: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const cell = counts + ((<usize>(load<i32>(a + o) - minA) * rangeB + <usize>(load<i32>(b + o) - minB)) << 2);
    store<u32>(cell, load<u32>(cell) + 1);
  }
}

// ---------------------------------------------------------------- KSG
// For each point i of (x, y): eps_i = the distance to its k-th nearest neighbour in
// the max-norm (itself excluded), r_i = the largest double below eps_i (0 if eps_i
// is 0), and
//     nx_i = #{j != i : |x_j - x_i| <= r_i},   ny_i likewise,
// which is scikit-learn's rule (NearestNeighbors, nextafter(eps, 0), query_radius
// counting points within r, minus the point itself): points at exactly eps are not
// counted, tied points at distance 0 are. O(n log n): a radix sort of each coordinate
// (with each point's place in it), a grid in rank space for the neighbours where the
// data suit it (below), else a k-d tree built from the two sorted orders, and binary
// searches beside each point's place for the counts.
const LEAF: i32 = 32;

// @ts-ignore: decorator
@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** Builds the implicit k-d tree over the places [lo, hi) from two lists of the same
 *  points, px sorted by x and py by y. Each node splits the coordinate with the wider
 *  spread over its points (axis[mid] = 0 for x, 1 for y): a coordinate with few
 *  distinct values stops being split once it is constant, so ties cannot leave the
 *  search without planes to prune by. The median of that coordinate's list is the
 *  node (left of it the smaller, right the larger, ties by their sorted place); the
 *  other list is split the same way by a stable branch-free partition (through tmp,
 *  with `side` flags per point), so both children again get a list sorted by each
 *  coordinate. At the end px and py hold the same point at each node and the same set
 *  in each leaf of at most LEAF points. x, y: the coordinates by input index. */
function build(px: usize, py: usize, x: usize, y: usize, tmp: usize, side: usize, axis: usize,
               lo: i32, hi: i32): void {
  while (hi - lo > LEAF) {
    const mid = (lo + hi) >> 1;
    const byY = f64At(y, i32At(py, hi - 1)) - f64At(y, i32At(py, lo)) >
                f64At(x, i32At(px, hi - 1)) - f64At(x, i32At(px, lo));
    store<u8>(axis + <usize>mid, <u8>byY);
    const a = byY ? py : px, b = byY ? px : py;
    for (let j = lo; j < hi; j++) {
      store<u8>(side + <usize>i32At(a, j), <u8>(j > mid) | (<u8>(j == mid) << 1));
    }
    let l = lo, r = mid + 1;
    for (let j = lo; j < hi; j++) {
      const p = i32At(b, j);
      const f = load<u8>(side + <usize>p);
      const at = select(mid, select(l, r, f == 0), f == 2);
      store<i32>(tmp + (<usize>at << 2), p);
      l += <i32>(f == 0);
      r += <i32>(f == 1);
    }
    memory.copy(b + (<usize>lo << 2), tmp + (<usize>lo << 2), <usize>(hi - lo) << 2);
    build(px, py, x, y, tmp, side, axis, lo, mid);
    lo = mid + 1;
  }
}

// Max of two values that are never NaN: one compare and a select, where f64.max
// must also order NaN and signed zeros (f64x2.pmax likewise for two lanes).
// @ts-ignore: decorator
@inline function fmax(a: f64, b: f64): f64 { return select<f64>(a, b, a > b); }
// @ts-ignore: decorator
@inline function fmin(a: f64, b: f64): f64 { return select<f64>(a, b, a < b); }

// the k best distances of the current query, ascending, in the first k of 66 slots
// (the merges work on whole vectors, so slots up to an even count, and for k <= 4 up
// to 4, hold spare values that never reach the first k)
const BEST: usize = memory.data(66 * 8, 16);
// the search stack: (lo, hi, bound) per entry, 16 bytes; one entry per tree level
const STACK: usize = memory.data(128 * 16, 8);
let kk: i32 = 0;
let kv: i32 = 0; // the vectors of BEST in use: ceil(k / 2)
let worst: f64 = Infinity;

/** Merges d into the sorted k best, branch-free, two slots a lane:
 *  best'[j] = max(best[j - 1], min(best[j], d)), best[-1] = -Inf. */
function offer(d: f64): void {
  const dv = f64x2.splat(d);
  let prev = f64x2.splat(-Infinity);
  for (let v = 0; v < kv; v++) {
    const p = BEST + (<usize>v << 4);
    const cur = v128.load(p);
    v128.store(p, f64x2.pmax(v128.shuffle<f64>(prev, cur, 1, 2), f64x2.pmin(cur, dv)));
    prev = cur;
  }
  worst = load<f64>(BEST + (<usize>(kk - 1) << 3));
}

// The same merge for k <= 4 on the k best held in two vectors b0, b1: merge0 gives
// the new b0, merge1 the new b1 (both from the old b0, b1).
// @ts-ignore: decorator
@inline function merge0(b0: v128, d: f64): v128 {
  return f64x2.pmax(v128.shuffle<f64>(vc(K_NEG_INF64), b0, 1, 2), f64x2.pmin(b0, f64x2.splat(d)));
}
// @ts-ignore: decorator
@inline function merge1(b0: v128, b1: v128, d: f64): v128 {
  return f64x2.pmax(v128.shuffle<f64>(b0, b1, 1, 2), f64x2.pmin(b1, f64x2.splat(d)));
}

/** The own-leaf scan for k <= 4: every point of [lo, hi) but `self` merged into the k
 *  best held in two vectors (not in memory, so each merge waits on arithmetic only). */
function scanOwn4(tx: usize, ty: usize, lo: i32, hi: i32, self: i32, qx: f64, qy: f64): void {
  const qxv = f64x2.splat(qx), qyv = f64x2.splat(qy);
  let b0 = v128.load(BEST), b1 = v128.load(BEST, 16);
  // pairs of places; an odd last place is paired with the one after hi, which the
  // layout keeps readable (tx is followed by ty, ty by sx) and which is masked out
  for (let i = lo; i < hi; i += 2) {
    const d = f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(tx + (<usize>i << 3)), qxv)),
                         f64x2.abs(f64x2.sub(v128.load(ty + (<usize>i << 3)), qyv)));
    const d0 = select(Infinity, f64x2.extract_lane(d, 0), i == self);
    let n0 = merge0(b0, d0), n1 = merge1(b0, b1, d0);
    const d1 = select(Infinity, f64x2.extract_lane(d, 1), i + 1 == self || i + 1 >= hi);
    b0 = merge0(n0, d1); b1 = merge1(n0, n1, d1);
  }
  v128.store(BEST, b0); v128.store(BEST, b1, 16);
  worst = load<f64>(BEST + (<usize>(kk - 1) << 3));
}

/** Offers the points [lo, hi) of a leaf but `self` to the query (qx, qy): a leaf's points
 *  are in x order (the tree's lists stay sorted), so only those with |x - qx| below
 *  the current k-th distance, found by a binary search and ended by the first beyond
 *  it; the others are at least as far as the k-th distance (x - qx rounds the same in
 *  the search, the end and the distance), so offering them would change nothing. */
function scanSorted(tx: usize, ty: usize, lo: i32, hi: i32, qx: f64, qy: f64, self: i32): void {
  let a = lo, b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (qx - f64At(tx, m) < worst) b = m; else a = m + 1;
  }
  for (let i = a; i < hi; i++) {
    const dx = f64At(tx, i) - qx;
    if (dx >= worst) break;
    const d = fmax(Math.abs(dx), Math.abs(f64At(ty, i) - qy));
    if (d < worst && i != self) offer(d);
  }
}

/** The k nearest distances (max-norm) from point `self` of the tree-ordered tx, ty,
 *  into BEST. An internal node's point (own = -1) searches depth-first from the root,
 *  the near side first, a far side only while its splitting plane is closer than the
 *  current k-th distance. A leaf's point (in the leaf [own, ownHi)) scans its leaf
 *  first, then goes up its ancestors (PATH, set by queries): done as soon as the k-th
 *  distance is within the cell below the ancestor (every point outside is beyond one of
 *  its planes, ties on them too, so at least as far from the query as that plane, and
 *  qx - x0 rounds below or to any x_j's qx - x_j for x_j <= x0; likewise), else the
 *  ancestor's point and, when its plane is closer than the k-th distance, the other
 *  side searched depth-first. */
function knn(tx: usize, ty: usize, n: i32, self: i32, own: i32, ownHi: i32): void {
  const qx = f64At(tx, self), qy = f64At(ty, self);
  if (own < 0) {
    store<i32>(STACK, 0); store<i32>(STACK, n, 4); store<f64>(STACK, 0.0, 8);
    descend(tx, ty, self, qx, qy);
    return;
  }
  if (kv <= 2) scanOwn4(tx, ty, own, ownHi, self, qx, qy);
  else scanSorted(tx, ty, own, ownHi, qx, qy, self);
  for (let j = gDepth - 1; j >= 0; j--) {
    const p = PATH + (<usize>j * 48);
    if (fmin(fmin(qx - load<f64>(p, 16), load<f64>(p, 24) - qx), fmin(qy - load<f64>(p, 32), load<f64>(p, 40) - qy)) >= worst) return;
    const mid = load<i32>(p);
    const mx = f64At(tx, mid), my = f64At(ty, mid);
    const d = fmax(Math.abs(mx - qx), Math.abs(my - qy));
    if (d < worst) offer(d);
    const bound = Math.abs(load<u8>(gAxis + <usize>mid) ? qy - my : qx - mx);
    if (bound < worst) {
      store<i32>(STACK, load<i32>(p, 4)); store<i32>(STACK, load<i32>(p, 8), 4); store<f64>(STACK, bound, 8);
      descend(tx, ty, self, qx, qy);
    }
  }
}

/** The depth-first search from the entries on STACK (one, at its start): the near
 *  side first, a far side only while its splitting plane is closer than the current
 *  k-th distance; never into the query's own leaf. */
function descend(tx: usize, ty: usize, self: i32, qx: f64, qy: f64): void {
  let sp: usize = 1;
  while (sp > 0) {
    sp--;
    const e = STACK + (sp << 4);
    let lo = load<i32>(e), hi = load<i32>(e, 4);
    if (load<f64>(e, 8) >= worst) continue;
    while (hi - lo > LEAF) {
      const mid = (lo + hi) >> 1;
      const mx = f64At(tx, mid), my = f64At(ty, mid);
      if (mid != self) {
        const d = fmax(Math.abs(mx - qx), Math.abs(my - qy));
        if (d < worst) offer(d);
      }
      const diff = load<u8>(gAxis + <usize>mid) ? qy - my : qx - mx;
      const f = STACK + (sp << 4);
      if (diff < 0) {
        store<i32>(f, mid + 1); store<i32>(f, hi, 4); store<f64>(f, -diff, 8);
        hi = mid;
      } else {
        store<i32>(f, lo); store<i32>(f, mid, 4); store<f64>(f, diff, 8);
        lo = mid + 1;
      }
      sp++;
    }
    scanSorted(tx, ty, lo, hi, qx, qy, self);
  }
}

// Counting: each point's own place in the sorted coordinates (its rank) is known, so
// each end of its window is searched for among the WIN positions beside that place
// (ten halvings that stay in cache for nearby points), and over the rest of the array
// only when the window is too narrow.
const WIN: i32 = 1024;

/** First j in [lo, hi) with v - s_j <= r (hi if none): s ascending. */
function lowerEnd(s: usize, lo: i32, hi: i32, v: f64, r: f64): i32 {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v - f64At(s, mid) <= r) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** First j in [lo, hi) with s_j - v > r (hi if none): s ascending. */
function upperEnd(s: usize, lo: i32, hi: i32, v: f64, r: f64): i32 {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f64At(s, mid) - v <= r) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// @ts-ignore: decorator
@inline function clampI(v: i32, lo: i32, hi: i32): i32 { return select(lo, select(hi, v, v > hi), v < lo); }

/** An end whose window ran out, searched for past it: a lower end e stuck at its
 *  window's start `edge` > 0 with the place before it also within r (the first j in
 *  [0, edge) with v - s_j <= r), or an upper end at its window's end `edge` < n (the
 *  first j in [edge, n) with s_j - v > r); else e as it is. */
function fixEnd(s: usize, e: i32, edge: i32, n: i32, v: f64, r: f64, upper: bool): i32 {
  if (upper) return e == edge && e < n ? upperEnd(s, e, n, v, r) : e;
  return e == edge && edge > 0 && v - f64At(s, edge - 1) <= r ? lowerEnd(s, 0, edge, v, r) : e;
}

/** The counts of points t and u of the tree order (u may be t), within rt and ru:
 *  nx = #{j != t : |sx_j - x_t| <= rt} and ny likewise, stored at their input indices.
 *  Each end is a branch-free binary search in the w places beside the point's place
 *  (its rank) in the sorted coordinates, on the rounded differences themselves
 *  (monotone in s_j), so the counts are exact; the eight searches of the two points
 *  run interleaved over one halving schedule, so their loads overlap. */
function countPair(t: i32, rt: f64, u: i32, ru: f64): void {
  const sx = gSx, sy = gSy, n = gN, w = min(WIN, n);
  const xt = f64At(gTx, t), yt = f64At(gTy, t), xu = f64At(gTx, u), yu = f64At(gTy, u);
  const pt = <usize>t << 2, pu = <usize>u << 2;
  const rxt = load<i32>(gRx + pt), ryt = load<i32>(gRy + pt), rxu = load<i32>(gRx + pu), ryu = load<i32>(gRy + pu);
  const axt = clampI(rxt - w + 1, 0, n - w), bxt = clampI(rxt, 0, n - w);
  const ayt = clampI(ryt - w + 1, 0, n - w), byt = clampI(ryt, 0, n - w);
  const axu = clampI(rxu - w + 1, 0, n - w), bxu = clampI(rxu, 0, n - w);
  const ayu = clampI(ryu - w + 1, 0, n - w), byu = clampI(ryu, 0, n - w);
  let lxt = axt, uxt = bxt, lyt = ayt, uyt = byt, lxu = axu, uxu = bxu, lyu = ayu, uyu = byu;
  let len = w;
  while (len > 1) {
    const h = len >> 1;
    lxt = select(lxt + h, lxt, xt - f64At(sx, lxt + h) > rt);
    uxt = select(uxt + h, uxt, f64At(sx, uxt + h) - xt <= rt);
    lyt = select(lyt + h, lyt, yt - f64At(sy, lyt + h) > rt);
    uyt = select(uyt + h, uyt, f64At(sy, uyt + h) - yt <= rt);
    lxu = select(lxu + h, lxu, xu - f64At(sx, lxu + h) > ru);
    uxu = select(uxu + h, uxu, f64At(sx, uxu + h) - xu <= ru);
    lyu = select(lyu + h, lyu, yu - f64At(sy, lyu + h) > ru);
    uyu = select(uyu + h, uyu, f64At(sy, uyu + h) - yu <= ru);
    len -= h;
  }
  lxt += <i32>(xt - f64At(sx, lxt) > rt); uxt += <i32>(f64At(sx, uxt) - xt <= rt);
  lyt += <i32>(yt - f64At(sy, lyt) > rt); uyt += <i32>(f64At(sy, uyt) - yt <= rt);
  lxu += <i32>(xu - f64At(sx, lxu) > ru); uxu += <i32>(f64At(sx, uxu) - xu <= ru);
  lyu += <i32>(yu - f64At(sy, lyu) > ru); uyu += <i32>(f64At(sy, uyu) - yu <= ru);
  const it = <usize>i32At(gIdx, t) << 2, iu = <usize>i32At(gIdx, u) << 2;
  store<i32>(gNx + it, fixEnd(sx, uxt, bxt + w, n, xt, rt, true) - fixEnd(sx, lxt, axt, n, xt, rt, false) - 1);
  store<i32>(gNy + it, fixEnd(sy, uyt, byt + w, n, yt, rt, true) - fixEnd(sy, lyt, ayt, n, yt, rt, false) - 1);
  store<i32>(gNx + iu, fixEnd(sx, uxu, bxu + w, n, xu, ru, true) - fixEnd(sx, lxu, axu, n, xu, ru, false) - 1);
  store<i32>(gNy + iu, fixEnd(sy, uyu, byu + w, n, yu, ru, true) - fixEnd(sy, lyu, ayu, n, yu, ru, false) - 1);
}

// Sorting: a stable LSD radix sort on order-preserving 64-bit keys, a byte a pass
// (256 buckets stay in cache); a pass whose byte all keys share is skipped. One
// histogram pass first, for all eight bytes.
const HIST_BYTES: i32 = 8 * 256 * 4; // src/mutual-wasm.ts allocates it
let HIST: usize = 0; // 8 * 256 u32 of the caller's work space (HIST_BYTES)

// @ts-ignore: decorator
@inline function keyOf(v: f64): u64 {
  const u = reinterpret<u64>(v);
  return u ^ (<u64>(<i64>u >> 63) | 0x8000000000000000);
}
// @ts-ignore: decorator
@inline function valueOfKey(key: u64): f64 {
  return reinterpret<f64>(key ^ (<u64>(~<i64>key >> 63) | 0x8000000000000000));
}
/** Byte p of the key (p = 0 the lowest). */
// @ts-ignore: decorator
@inline function digitOf(key: u64, p: i32): usize { return <usize>(<u32>(key >> <u64>(p << 3)) & 0xff); }

/** Sorts the n doubles at v ascending into out, and writes rank[i] = the place of v[i]
 *  and order[place] = i (ties keep their input order). Scratch: k0, k1 (8n bytes each),
 *  i0, i1 (4n each; order may be one of them). */
function argsortF64(v: usize, n: i32, out: usize, rank: usize, order: usize,
                    k0: usize, k1: usize, i0: usize, i1: usize): void {
  memory.fill(HIST, 0, HIST_BYTES);
  for (let i = 0; i < n; i++) {
    const key = keyOf(f64At(v, i));
    store<u64>(k0 + (<usize>i << 3), key);
    store<i32>(i0 + (<usize>i << 2), i);
    for (let p = 0; p < 8; p++) {
      const h = HIST + (<usize>p << 10) + (digitOf(key, p) << 2);
      store<u32>(h, load<u32>(h) + 1);
    }
  }
  let ks = k0, kd = k1, is = i0, id = i1;
  for (let p = 0; p < 8; p++) {
    const h = HIST + (<usize>p << 10);
    if (load<u32>(h + (digitOf(load<u64>(ks), p) << 2)) == <u32>n) continue;
    let sum: u32 = 0;
    for (let b: u32 = 0; b < 256; b++) {
      const c = load<u32>(h + (<usize>b << 2));
      store<u32>(h + (<usize>b << 2), sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = load<u64>(ks + (<usize>i << 3));
      const hb = h + (digitOf(key, p) << 2);
      const pos = <usize>load<u32>(hb);
      store<u32>(hb, <u32>pos + 1);
      store<u64>(kd + (pos << 3), key);
      store<i32>(id + (pos << 2), load<i32>(is + (<usize>i << 2)));
    }
    const tk = ks; ks = kd; kd = tk;
    const ti = is; is = id; id = ti;
  }
  for (let i = 0; i < n; i++) {
    store<f64>(out + (<usize>i << 3), valueOfKey(load<u64>(ks + (<usize>i << 3))));
    store<i32>(rank + (<usize>load<i32>(is + (<usize>i << 2)) << 2), i);
  }
  memory.copy(order, is, <usize>n << 2);
}

/** The largest double below e (e > 0), or 0 for e = 0. */
// @ts-ignore: decorator
@inline function below(e: f64): f64 {
  return e > 0.0 ? reinterpret<f64>(reinterpret<i64>(e) - 1) : 0.0;
}

// The arrays of the current ksgCounts call (see there).
let gN: i32 = 0;
let gTx: usize = 0, gTy: usize = 0, gSx: usize = 0, gSy: usize = 0;
let gRx: usize = 0, gRy: usize = 0, gIdx: usize = 0, gNx: usize = 0, gNy: usize = 0, gAxis: usize = 0;

/** The searches and counts for the subtree [lo, hi) of the implicit tree, at depth
 *  `depth`, in tree order: its internal nodes' points and its leaves' points, the
 *  counts of a leaf's points two at a time. [x0, x1] x [y0, y1]: the subtree's cell,
 *  bounded by its ancestors' splitting planes; PATH[j] for j < depth: the ancestor at
 *  depth j, the other side's places and the cell of the side the subtree is in. */
function queries(lo: i32, hi: i32, depth: i32, x0: f64, x1: f64, y0: f64, y1: f64): void {
  while (hi - lo > LEAF) {
    const mid = (lo + hi) >> 1, byY = load<u8>(gAxis + <usize>mid) != 0;
    const mx = f64At(gTx, mid), my = f64At(gTy, mid);
    const lx1 = byY ? x1 : mx, ly1 = byY ? my : y1;
    setPath(depth, mid, mid + 1, hi, x0, lx1, y0, ly1);
    queries(lo, mid, depth + 1, x0, lx1, y0, ly1);
    const r = search(mid, -1, 0);
    countPair(mid, r, mid, r);
    if (byY) y0 = my; else x0 = mx;
    setPath(depth, mid, lo, mid, x0, x1, y0, y1);
    lo = mid + 1;
    depth++;
  }
  gDepth = depth;
  for (let t = lo; t < hi; t++) store<f64>(RADII + (<usize>(t - lo) << 3), search(t, lo, hi));
  for (let t = lo; t < hi; t += 2) {
    const u = min(t + 1, hi - 1);
    countPair(t, load<f64>(RADII + (<usize>(t - lo) << 3)), u, load<f64>(RADII + (<usize>(u - lo) << 3)));
  }
}

// the ancestors of the current leaf: (mid, other side's lo, hi, pad, then the cell
// x0, x1, y0, y1 of the side below it the leaf is in), 48 bytes a level; the
// depth stays below 40 (leaves of 16 rows or more, and n below 2^31)
const PATH: usize = memory.data(40 * 48, 8);
let gDepth: i32 = 0;

function setPath(j: i32, mid: i32, lo: i32, hi: i32, x0: f64, x1: f64, y0: f64, y1: f64): void {
  const p = PATH + <usize>j * 48;
  store<i32>(p, mid); store<i32>(p, lo, 4); store<i32>(p, hi, 8);
  store<f64>(p, x0, 16); store<f64>(p, x1, 24); store<f64>(p, y0, 32); store<f64>(p, y1, 40);
}

// the radii of one leaf's points, between their searches and their counts
const RADII: usize = memory.data(LEAF * 8, 8);

/** Point t's search (in the leaf [own, ownHi), or own = -1): its radius r, the largest
 *  double below its k-th distance. */
function search(t: i32, own: i32, ownHi: i32): f64 {
  for (let j = 0; j < kv << 1; j++) store<f64>(BEST + (<usize>j << 3), Infinity);
  worst = Infinity;
  knn(gTx, gTy, gN, t, own, ownHi);
  return below(worst);
}

/** The population standard deviation of the n doubles at x, each times f: two
 *  sequential passes, the mean then the squares (the twin's order, for the same bits). */
function stdScaled(x: usize, n: i32, f: f64): f64 {
  let m = 0.0;
  for (let j = 0; j < n; j++) m += f64At(x, j) * f;
  m /= <f64>n;
  let q = 0.0;
  for (let j = 0; j < n; j++) {
    const d = f64At(x, j) * f - m;
    q += d * d;
  }
  return Math.sqrt(q / <f64>n);
}

/** Checks the n doubles at x are finite and, when `scale` is set, divides them in
 *  place by their population standard deviation (1 when it is below 10 eps, as
 *  scikit-learn's scale): two sequential passes for the mean and the squares, as the
 *  twin's, so both engines scale to the same bits. Returns 1 (and leaves x as it is)
 *  when a value is NaN or infinite, else 0. */
export function ksgSamples(x: usize, n: i32, scale: i32): i32 {
  for (let j = 0; j < n; j++) {
    const v = f64At(x, j);
    if (v - v != 0) return 1;
  }
  if (!scale) return 0;
  let f = 1.0, g = 1.0, sd = 0.0;
  while (true) {
    sd = stdScaled(x, n, f) * g;
    if (sd < Infinity || f != 1.0) break;
    // the sums overflowed (|x| above ~1e154): again on x times the power of two f that
    // brings the largest |x| into [1, 2), which scales the result exactly (by g = 1/f)
    let top = 0.0;
    for (let j = 0; j < n; j++) top = fmax(top, Math.abs(f64At(x, j)));
    const e = <i64>((reinterpret<u64>(top) >> 52) & 0x7ff) - 1023;
    // (2^-e as half of 2^(1 - e): for e = 1023 it is subnormal, beyond the exponent field)
    f = 0.5 * reinterpret<f64>(<u64>(1024 - e) << 52);
    g = reinterpret<f64>(<u64>(1023 + e) << 52);
  }
  // scikit-learn's _handle_zeros_in_scale: a deviation below 10 eps counts as constant
  if (!(sd >= 10 * f64.EPSILON)) sd = 1.0;
  for (let j = 0; j < n; j++) store<f64>(x + (<usize>j << 3), f64At(x, j) / sd);
  return 0;
}

// ---------------------------------------------------------------- KSG on a grid
// The neighbour search on data that suits it: a G x G grid in rank space (column a holds
// the points of x ranks [ceil(a n / G), ceil((a + 1) n / G)), row c likewise in y; about
// max(3, k) points a cell when x and y are independent), the points copied in cell order
// (row by row), each cell's extent in x and y known from the sorted coordinates. A
// point's k best are searched in the 3 x 3 cells around its own (gathered once a cell,
// two queries merged at a time), then the rectangle searched grows by a column or a row
// on the side nearest to the point until that side is at least as far as the k-th
// distance: every point outside lies beyond one of its sides (ties on it included: x_j
// <= x0 makes qx - x_j round to at least qx - x0), so at least as far as the nearest
// side, and cannot change the k-th distance. The distances are the tree's, so are the
// k-th distances and the counts, bit for bit. Dependent, tied or heavy-tailed data make
// cells crowded or the rectangles long: the points the 3 x 3 scans would visit are
// counted from the cells' sizes, then a sample of the searches (every SAMPLE-th point)
// measures the points visited; above GRID_WORK a point (during the run, twice that) the
// tree does the counts instead.
const SAMPLE: i32 = 61;
const GRID_WORK: f64 = 100;
// the most points gathered around one cell (a denser grid goes to the tree)
const CAP: i32 = 4096;
let gG: i32 = 0, gS: usize = 0, gXB: usize = 0, gYB: usize = 0;
let gWork: i64 = 0; // points visited
// the k best of the second of two queries (scanBlock2)
const BEST2: usize = memory.data(32, 16);

/** The column (row) of rank p among n in a grid of g. */
// @ts-ignore: decorator
@inline function binOf(p: i32, g: i32, n: i32): i32 { return <i32>((<u64>p * <u64>g) / <u64>n); }
/** The side of the grid for n points and k neighbours. */
// @ts-ignore: decorator
@inline function gridSide(n: i32, k: i32): i32 { return max(1, <i32>Math.sqrt(<f64>n / <f64>max(3, k))); }
// The grid's work space, after hist's HIST_BYTES: 4 (g^2 + 2) + 32 g + 12 n + 16 CAP + 32
// bytes for a side g <= sqrt(n / 3) (src/mutual/wasm.ts gridBytes bounds it).

/** Offers the points [lo, hi) of the cell order but `self` to the query (qx, qy). */
function scanCells(lo: i32, hi: i32, self: i32, qx: f64, qy: f64): void {
  gWork += hi - lo;
  for (let i = lo; i < hi; i++) {
    const d = fmax(Math.abs(f64At(gTx, i) - qx), Math.abs(f64At(gTy, i) - qy));
    if (d < worst && i != self) offer(d);
  }
}

/** Point t of cell (a, c) once the 3 x 3 cells around it are in BEST: the rectangle
 *  grown a column or a row at a time on its nearest side while that side is closer than
 *  the k-th distance. Its radius, the largest double below its k-th distance. */
function widen(t: i32, a: i32, c: i32, qx: f64, qy: f64): f64 {
  const G = gG, S = gS, XB = gXB, YB = gYB;
  let a0 = max(0, a - 1), a1 = min(G - 1, a + 1), c0 = max(0, c - 1), c1 = min(G - 1, c + 1);
  // each side's distance (XB, YB: the lowest and highest value of each column, row)
  let bl = a0 > 0 ? qx - f64At(XB, ((a0 - 1) << 1) + 1) : Infinity;
  let br = a1 < G - 1 ? f64At(XB, (a1 + 1) << 1) - qx : Infinity;
  let bd = c0 > 0 ? qy - f64At(YB, ((c0 - 1) << 1) + 1) : Infinity;
  let bu = c1 < G - 1 ? f64At(YB, (c1 + 1) << 1) - qy : Infinity;
  while (true) {
    const m = fmin(fmin(bl, br), fmin(bd, bu));
    if (m >= worst) break;
    if (m == bl) {
      a0--;
      for (let row = c0; row <= c1; row++) scanCells(i32At(S, row * G + a0), i32At(S, row * G + a0 + 1), t, qx, qy);
      bl = a0 > 0 ? qx - f64At(XB, ((a0 - 1) << 1) + 1) : Infinity;
    } else if (m == br) {
      a1++;
      for (let row = c0; row <= c1; row++) scanCells(i32At(S, row * G + a1), i32At(S, row * G + a1 + 1), t, qx, qy);
      br = a1 < G - 1 ? f64At(XB, (a1 + 1) << 1) - qx : Infinity;
    } else if (m == bd) {
      c0--;
      scanCells(i32At(S, c0 * G + a0), i32At(S, c0 * G + a1 + 1), t, qx, qy);
      bd = c0 > 0 ? qy - f64At(YB, ((c0 - 1) << 1) + 1) : Infinity;
    } else {
      c1++;
      scanCells(i32At(S, c1 * G + a0), i32At(S, c1 * G + a1 + 1), t, qx, qy);
      bu = c1 < G - 1 ? f64At(YB, (c1 + 1) << 1) - qy : Infinity;
    }
  }
  return below(worst);
}

/** The 3 x 3 cells' scan of two queries at once (k <= 4): the m points gathered at gB
 *  as (x0, x1, y0, y1) per pair, merged branch-free into the k best of (qxA, qyA) and of
 *  (qxB, qyB), each in two vectors, their two chains interleaved; sA, sB: the queries'
 *  own places there (masked). Into BEST and BEST2. */
function scanBlock2(m: i32, sA: i32, qxA: f64, qyA: f64, sB: i32, qxB: f64, qyB: f64): void {
  const xa = f64x2.splat(qxA), ya = f64x2.splat(qyA), xb = f64x2.splat(qxB), yb = f64x2.splat(qyB);
  let a0 = f64x2.splat(Infinity), a1 = a0, b0 = a0, b1 = a0;
  for (let j = 0; j < m; j += 2) {
    const p = gB + (<usize>j << 4);
    const vx = v128.load(p), vy = v128.load(p, 16);
    const dA = f64x2.pmax(f64x2.abs(f64x2.sub(vx, xa)), f64x2.abs(f64x2.sub(vy, ya)));
    const dB = f64x2.pmax(f64x2.abs(f64x2.sub(vx, xb)), f64x2.abs(f64x2.sub(vy, yb)));
    const dA0 = select(Infinity, f64x2.extract_lane(dA, 0), j == sA);
    const dB0 = select(Infinity, f64x2.extract_lane(dB, 0), j == sB);
    const nA0 = merge0(a0, dA0), nA1 = merge1(a0, a1, dA0);
    const nB0 = merge0(b0, dB0), nB1 = merge1(b0, b1, dB0);
    const dA1 = select(Infinity, f64x2.extract_lane(dA, 1), j + 1 == sA);
    const dB1 = select(Infinity, f64x2.extract_lane(dB, 1), j + 1 == sB);
    a0 = merge0(nA0, dA1); a1 = merge1(nA0, nA1, dA1);
    b0 = merge0(nB0, dB1); b1 = merge1(nB0, nB1, dB1);
  }
  v128.store(BEST, a0); v128.store(BEST, a1, 16);
  v128.store(BEST2, b0); v128.store(BEST2, b1, 16);
}
let gB: usize = 0;

/** The k best (BEST) cleared for a new query. */
function clearBest(): void {
  for (let j = 0; j < kv << 1; j++) store<f64>(BEST + (<usize>j << 3), Infinity);
  worst = Infinity;
}

/** The KSG counts on the grid, once both coordinates are sorted (idx: the order by x;
 *  rx, ry: the places by input index; x, y: by input index), into nx, ny (input order).
 *  work: gridBytes(n, k) bytes. False when the data suit the grid badly (the sample,
 *  or the run, visits too many points, or too many points lie around one cell): then
 *  only tx, ty, nx, ny have been written, and the tree counts. */
function gridCounts(x: usize, y: usize, n: i32, k: i32, idx: usize, tx: usize, ty: usize, sx: usize, sy: usize,
                    rx: usize, ry: usize, nx: usize, ny: usize, work: usize): bool {
  const G = gridSide(n, k), cells = G * G;
  // S: cell starts (S[c] the start of cell c, S[cells] = n); XB, YB: each column's, row's
  // lowest and highest value; CR, CRY, CI: the x place, y place and input index of each
  // point in cell order; CB: the points around one cell
  const S = work, XB = S + (<usize>(cells + 2) << 2), YB = XB + (<usize>G << 4);
  const CR = YB + (<usize>G << 4), CRY = CR + (<usize>n << 2), CI = CRY + (<usize>n << 2), CB = CI + (<usize>n << 2);
  // a counting sort by cell, in x order (so each cell's points are in x order)
  memory.fill(S, 0, <usize>(cells + 2) << 2);
  for (let i = 0; i < n; i++) {
    const p = S + (<usize>(binOf(i32At(ry, i), G, n) * G + binOf(i32At(rx, i), G, n) + 2) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  let sum = 0;
  for (let c = 2; c <= cells + 1; c++) {
    sum += i32At(S, c);
    store<i32>(S + (<usize>c << 2), sum);
  }
  // the points the 3 x 3 cells' scans would visit (S[c + 1] is now the start of cell c): crowded cells
  // (dependent data) go to the tree before anything is copied
  let est: i64 = 0;
  for (let c = 0; c < G; c++) {
    const r0 = max(0, c - 1), r1 = min(G - 1, c + 1);
    for (let a = 0; a < G; a++) {
      const a0 = max(0, a - 1), a1 = min(G - 1, a + 1);
      let m = 0;
      for (let row = r0; row <= r1; row++) m += i32At(S, row * G + a1 + 2) - i32At(S, row * G + a0 + 1);
      est += <i64>m * (i32At(S, c * G + a + 2) - i32At(S, c * G + a + 1));
    }
  }
  if (<f64>est > GRID_WORK * <f64>n) return false;
  for (let p = 0; p < n; p++) {
    const i = i32At(idx, p), ryi = i32At(ry, i);
    const q = S + (<usize>(binOf(ryi, G, n) * G + binOf(p, G, n) + 1) << 2);
    const pos = load<i32>(q);
    store<i32>(q, pos + 1);
    store<f64>(tx + (<usize>pos << 3), f64At(x, i));
    store<f64>(ty + (<usize>pos << 3), f64At(y, i));
    store<i32>(CR + (<usize>pos << 2), p);
    store<i32>(CRY + (<usize>pos << 2), ryi);
    store<i32>(CI + (<usize>pos << 2), i);
  }
  for (let a = 0; a < G; a++) {
    const f = <i32>((<u64>a * <u64>n + <u64>G - 1) / <u64>G), l = <i32>((<u64>(a + 1) * <u64>n + <u64>G - 1) / <u64>G) - 1;
    store<f64>(XB + (<usize>a << 4), f64At(sx, f)); store<f64>(XB + (<usize>a << 4), f64At(sx, l), 8);
    store<f64>(YB + (<usize>a << 4), f64At(sy, f)); store<f64>(YB + (<usize>a << 4), f64At(sy, l), 8);
  }
  kk = k; kv = (k + 1) >> 1;
  gN = n; gTx = tx; gTy = ty; gSx = sx; gSy = sy; gRx = CR; gRy = CRY; gIdx = CI; gNx = nx; gNy = ny;
  gG = G; gS = S; gXB = XB; gYB = YB; gB = CB;
  // the sample: searches only, nothing written
  gWork = 0;
  for (let t = 0; t < n; t += SAMPLE) {
    const a = binOf(i32At(CR, t), G, n), c = binOf(i32At(CRY, t), G, n);
    const qx = f64At(tx, t), qy = f64At(ty, t), a0 = max(0, a - 1), a1 = min(G - 1, a + 1);
    clearBest();
    for (let row = max(0, c - 1); row <= min(G - 1, c + 1); row++) scanCells(i32At(S, row * G + a0), i32At(S, row * G + a1 + 1), t, qx, qy);
    widen(t, a, c, qx, qy);
    // (ended as soon as it is over: on dependent data the sample alone would visit ~27 n points)
    if (<f64>gWork * <f64>SAMPLE > GRID_WORK * <f64>n) return false;
  }
  gWork = 0;
  const limit = <i64>(2.0 * GRID_WORK * <f64>n);
  for (let c = 0; c < G; c++) {
    const r0 = max(0, c - 1), r1 = min(G - 1, c + 1);
    for (let a = 0; a < G; a++) {
      const lo = i32At(S, c * G + a), hi = i32At(S, c * G + a + 1);
      if (lo == hi) continue;
      if (gWork > limit) return false;
      const a0 = max(0, a - 1), a1 = min(G - 1, a + 1);
      if (kv > 2) {
        for (let t = lo; t < hi; t++) {
          const qx = f64At(tx, t), qy = f64At(ty, t);
          clearBest();
          for (let row = r0; row <= r1; row++) scanCells(i32At(S, row * G + a0), i32At(S, row * G + a1 + 1), t, qx, qy);
          const r = widen(t, a, c, qx, qy);
          countPair(t, r, t, r);
        }
        continue;
      }
      // the 3 x 3 cells' points gathered once for the cell's points
      let m = 0, selfBase = 0;
      for (let row = r0; row <= r1; row++) {
        const s = i32At(S, row * G + a0), e = i32At(S, row * G + a1 + 1);
        if (m + (e - s) > CAP) return false;
        if (row == c) selfBase = m - s;
        for (let i = s; i < e; i++) {
          const p = CB + (<usize>(m >> 1) << 5) + (<usize>(m & 1) << 3);
          store<f64>(p, f64At(tx, i)); store<f64>(p, f64At(ty, i), 16);
          m++;
        }
      }
      gWork += <i64>m * (hi - lo);
      // an odd count's spare lane: infinitely far
      if (m & 1) { const p = CB + (<usize>(m >> 1) << 5) + 8; store<f64>(p, Infinity); store<f64>(p, Infinity, 16); }
      for (let t = lo; t < hi; t += 2) {
        const u = t + 1 < hi ? t + 1 : t;
        const qxA = f64At(tx, t), qyA = f64At(ty, t), qxB = f64At(tx, u), qyB = f64At(ty, u);
        scanBlock2(m, t + selfBase, qxA, qyA, u + selfBase, qxB, qyB);
        worst = load<f64>(BEST + (<usize>(kk - 1) << 3));
        const rt = widen(t, a, c, qxA, qyA);
        let ru = rt;
        if (u != t) {
          v128.store(BEST, v128.load(BEST2)); v128.store(BEST, v128.load(BEST2, 16), 16);
          worst = load<f64>(BEST + (<usize>(kk - 1) << 3));
          ru = widen(u, a, c, qxB, qyB);
        }
        countPair(t, rt, u, ru);
      }
    }
  }
  return true;
}

/** KSG neighbour counts: x, y (n f64 each, finite), k in [1, min(64, n - 1)].
 *  Work space: idx, rx, ry (n i32 each), tx, ty, sx, sy (n f64 each: the points in
 *  tree order, the sorted coordinates; rx, ry the places in sx, sy of each point,
 *  first by input index, then by tree order), axis (n bytes: each node's split
 *  coordinate), hist (HIST_BYTES, then the grid's work space). The leaf scans read one
 *  place past a leaf (masked): tx must be followed by ty, and ty by at least 8 readable
 *  bytes. Writes nx, ny (n i32 each, in the input's order). Queries run in cell order
 *  (grid) or tree order, so consecutive searches touch the same cells or nodes and the
 *  same sorted windows. */
export function ksgCounts(x: usize, y: usize, n: i32, k: i32, idx: usize, tx: usize, ty: usize,
                          sx: usize, sy: usize, rx: usize, ry: usize, nx: usize, ny: usize, axis: usize,
                          hist: usize): void {
  // sorting first, with tx, ty, nx, ny as its scratch; the orders go to idx (by x)
  // and nx (by y) for the tree
  HIST = hist;
  argsortF64(x, n, sx, rx, idx, tx, ty, nx, ny);
  argsortF64(y, n, sy, ry, nx, tx, ty, nx, ny);
  if (gridCounts(x, y, n, k, idx, tx, ty, sx, sy, rx, ry, nx, ny, hist + HIST_BYTES)) return;
  // the order by y again (the grid wrote over it)
  for (let i = 0; i < n; i++) store<i32>(nx + (<usize>i32At(ry, i) << 2), i);
  treeCounts(x, y, n, k, idx, tx, ty, sx, sy, rx, ry, ry, nx, ny, axis);
}

/** The target's part of the KSG counts, once for any number of features x against
 *  the same y (n f64, finite): y sorted into sy, with ry[i] = the place of y[i] and
 *  oy[place] = i (n i32 each). Scratch: k0, k1 (8n bytes each), i1 (4n), hist. */
export function ksgTarget(y: usize, n: i32, sy: usize, ry: usize, oy: usize, k0: usize, k1: usize, i1: usize,
                          hist: usize): void {
  HIST = hist;
  argsortF64(y, n, sy, ry, oy, k0, k1, oy, i1);
}

/** The feature's part: ksgCounts' counts of x against the y that ksgTarget sorted into
 *  sy, ry, oy (which stay as they are), with ksgCounts' arrays and rules, and ryt (n
 *  i32) for y's places in tree order. */
export function ksgFeature(x: usize, y: usize, n: i32, k: i32, idx: usize, tx: usize, ty: usize,
                           sx: usize, sy: usize, rx: usize, ry: usize, oy: usize, ryt: usize, nx: usize, ny: usize,
                           axis: usize, hist: usize): void {
  HIST = hist;
  argsortF64(x, n, sx, rx, idx, tx, ty, nx, ny);
  if (gridCounts(x, y, n, k, idx, tx, ty, sx, sy, rx, ry, nx, ny, hist + HIST_BYTES)) return;
  memory.copy(nx, oy, <usize>n << 2);
  treeCounts(x, y, n, k, idx, tx, ty, sx, sy, rx, ry, ryt, nx, ny, axis);
}

/** The counts once both coordinates are sorted: idx (by x) and nx (by y) the orders,
 *  rx, ry the places by input index; the tree built with ny and tx as its scratch;
 *  rx and ryt (may be ry) get the places in tree order. */
function treeCounts(x: usize, y: usize, n: i32, k: i32, idx: usize, tx: usize, ty: usize, sx: usize, sy: usize,
                    rx: usize, ry: usize, ryt: usize, nx: usize, ny: usize, axis: usize): void {
  build(idx, nx, x, y, ny, tx, axis, 0, n);
  for (let t = 0; t < n; t++) {
    const m = i32At(idx, t);
    store<f64>(tx + (<usize>t << 3), f64At(x, m));
    store<f64>(ty + (<usize>t << 3), f64At(y, m));
  }
  // each point's ranks in tree order (nx, ny as scratch), read in sequence by the queries
  for (let t = 0; t < n; t++) {
    const i = <usize>i32At(idx, t) << 2;
    store<i32>(nx + (<usize>t << 2), load<i32>(rx + i));
    store<i32>(ny + (<usize>t << 2), load<i32>(ry + i));
  }
  memory.copy(rx, nx, <usize>n << 2);
  memory.copy(ryt, ny, <usize>n << 2);
  kk = k;
  kv = (k + 1) >> 1;
  gN = n; gTx = tx; gTy = ty; gSx = sx; gSy = sy; gRx = rx; gRy = ryt; gIdx = idx; gNx = nx; gNy = ny; gAxis = axis;
  queries(0, n, 0, -Infinity, Infinity, -Infinity, Infinity);
}

export { heapBase } from "./core/heap";
