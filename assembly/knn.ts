// The k-NN engine (issue 15): src/knn/twin.ts's k-d tree, ported line for line (same build, same search
// order, same tie rules, same distance arithmetic: every result equals the twin's, bit for bit). The
// layout, the algorithm and the distances are documented at the top of src/knn/twin.ts. The arrays live
// in the caller's memory (src/knn/wasm.ts stages them): knnBuild records where, and the searches read
// the tree last built. Only the fallback of the selection differs (a heap sort instead of Array.sort:
// the same order, as (value, input index) is total, and the results do not depend on the order of the
// places within a leaf anyway). For k above HEAP_K the k best are a max-heap, as in the twin. One and two dimensions
// count without the tree (the same tests of the same values, so the same counts: below).

export { heapBase } from "./core/heap";

// @ts-ignore: decorator
@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setF64(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
// @ts-ignore: decorator
@inline function setI32(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
// Max of two values that are never NaN (distances and gaps are >= +0: no signed zeros differ).
// @ts-ignore: decorator
@inline function fmax(a: f64, b: f64): f64 { return select<f64>(a, b, a > b); }

// Max-norm pieces two coordinates a lane (the maxima are exact, so the same as the twin's scalar loops): e8 the
// row's bytes (8 d), p8 those of its even part (16 floor(d / 2)).
/** max over c of |a_c - b_c| (rows at a and b). */
// @ts-ignore: decorator
@inline function chebRow(a: usize, b: usize, p8: usize, e8: usize): f64 {
  let acc = f64x2.splat(0);
  for (let c: usize = 0; c < p8; c += 16) acc = f64x2.pmax(acc, f64x2.abs(f64x2.sub(v128.load(a + c), v128.load(b + c))));
  let m = fmax(f64x2.extract_lane(acc, 0), f64x2.extract_lane(acc, 1));
  if (p8 < e8) m = fmax(m, Math.abs(load<f64>(a + p8) - load<f64>(b + p8)));
  return m;
}
/** The nearest max-norm distance from q to the box [mn, mx] (the gaps max(mn - q, q - mx, 0)). */
// @ts-ignore: decorator
@inline function chebNear(q: usize, mn: usize, mx: usize, p8: usize, e8: usize): f64 {
  let acc = f64x2.splat(0);
  for (let c: usize = 0; c < p8; c += 16) {
    const x = v128.load(q + c);
    acc = f64x2.pmax(acc, f64x2.pmax(f64x2.sub(v128.load(mn + c), x), f64x2.sub(x, v128.load(mx + c))));
  }
  let m = fmax(f64x2.extract_lane(acc, 0), f64x2.extract_lane(acc, 1));
  if (p8 < e8) {
    const x = load<f64>(q + p8), a = load<f64>(mn + p8), b = load<f64>(mx + p8);
    m = fmax(m, x < a ? a - x : x > b ? x - b : 0);
  }
  return m;
}
/** The farthest max-norm distance from q to the box [mn, mx]. */
// @ts-ignore: decorator
@inline function chebFar(q: usize, mn: usize, mx: usize, p8: usize, e8: usize): f64 {
  let acc = f64x2.splat(0);
  for (let c: usize = 0; c < p8; c += 16) {
    const x = v128.load(q + c);
    acc = f64x2.pmax(acc, f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(mn + c), x)), f64x2.abs(f64x2.sub(v128.load(mx + c), x))));
  }
  let m = fmax(f64x2.extract_lane(acc, 0), f64x2.extract_lane(acc, 1));
  if (p8 < e8) {
    const x = load<f64>(q + p8);
    m = fmax(m, fmax(Math.abs(load<f64>(mn + p8) - x), Math.abs(load<f64>(mx + p8) - x)));
  }
  return m;
}

// the tree last built (twin.ts's KdTree)
let N: i32 = 0, D: i32 = 0, DEPTH: i32 = 0, NODES: i32 = 0, FIRST_LEAF: i32 = 0;
let PERM: usize = 0, PTS: usize = 0, LO: usize = 0, HI: usize = 0, BOX: usize = 0, MIN_IDX: usize = 0;

// the search stacks (2 depth + 4 entries; depth <= 28 in a 4 GiB memory)
const STACK_NODE: usize = memory.data(128 * 4, 16);
const STACK_DIST: usize = memory.data(128 * 8, 16);

// The leaf scans and box distances are compiled for d = 2, 3, 4 (dd, a constant after inlining) and for any d (dd = 0).
/** chebRow of rows at a and b. */
// @ts-ignore: decorator
@inline function chebRowD(a: usize, b: usize, dd: i32): f64 {
  if (dd == 2) {
    const v = f64x2.abs(f64x2.sub(v128.load(a), v128.load(b)));
    return fmax(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
  }
  if (dd == 3) {
    const v = f64x2.abs(f64x2.sub(v128.load(a), v128.load(b)));
    return fmax(fmax(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1)), Math.abs(load<f64>(a, 16) - load<f64>(b, 16)));
  }
  if (dd == 4) {
    const v = f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(a), v128.load(b))), f64x2.abs(f64x2.sub(v128.load(a, 16), v128.load(b, 16))));
    return fmax(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
  }
  return chebRow(a, b, <usize>(D >> 1) << 4, <usize>D << 3);
}
/** chebNear of q to the box [mn, mx]. */
// @ts-ignore: decorator
@inline function chebNearD(q: usize, mn: usize, mx: usize, dd: i32): f64 {
  if (dd == 2 || dd == 4) {
    const x = v128.load(q);
    let v = f64x2.pmax(f64x2.sub(v128.load(mn), x), f64x2.sub(x, v128.load(mx)));
    if (dd == 4) {
      const y = v128.load(q, 16);
      v = f64x2.pmax(v, f64x2.pmax(f64x2.sub(v128.load(mn, 16), y), f64x2.sub(y, v128.load(mx, 16))));
    }
    return fmax(fmax(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1)), 0);
  }
  if (dd == 3) return chebNear(q, mn, mx, 16, 24);
  return chebNear(q, mn, mx, <usize>(D >> 1) << 4, <usize>D << 3);
}

/** The euclidean distance of rows a and b (the twin's plain sum over c ascending of (a_c − b_c)², unrolled for
 *  dd = 2, 3, 4: the products of a lane are the same roundings, the sum is taken in the same order). */
// @ts-ignore: decorator
@inline function eucRowD(a: usize, b: usize, dd: i32): f64 {
  if (dd >= 2 && dd <= 4) {
    const x = f64x2.sub(v128.load(a), v128.load(b)), sq = f64x2.mul(x, x);
    let sum = f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1);
    if (dd == 3) { const z = load<f64>(a, 16) - load<f64>(b, 16); sum += z * z; }
    if (dd == 4) {
      const y = f64x2.sub(v128.load(a, 16), v128.load(b, 16)), sy = f64x2.mul(y, y);
      sum += f64x2.extract_lane(sy, 0);
      sum += f64x2.extract_lane(sy, 1);
    }
    return Math.sqrt(sum);
  }
  let sum: f64 = 0;
  for (let c: usize = 0, e = <usize>D << 3; c < e; c += 8) { const x = load<f64>(a + c) - load<f64>(b + c); sum += x * x; }
  return Math.sqrt(sum);
}

// ---------------------------------------------------------------- build
// @ts-ignore: decorator
@inline function swapPlaces(i: i32, j: i32): void {
  const t = i32At(PERM, i); setI32(PERM, i, i32At(PERM, j)); setI32(PERM, j, t);
  const oi = PTS + ((<usize>i * D) << 3), oj = PTS + ((<usize>j * D) << 3);
  for (let u: usize = 0, e = <usize>D << 3; u < e; u += 8) {
    const v = load<f64>(oi + u); store<f64>(oi + u, load<f64>(oj + u)); store<f64>(oj + u, v);
  }
}

/** Whether place i is before place j under (coordinate c, input index). */
// @ts-ignore: decorator
@inline function before(c: i32, i: i32, j: i32): bool {
  const a = f64At(PTS, i * D + c), b = f64At(PTS, j * D + c);
  return a < b || (a == b && i32At(PERM, i) < i32At(PERM, j));
}

function siftDown(c: i32, l: i32, root: i32, count: i32): void {
  for (;;) {
    let child = 2 * root + 1;
    if (child >= count) return;
    if (child + 1 < count && before(c, l + child, l + child + 1)) child++;
    if (!before(c, l + root, l + child)) return;
    swapPlaces(l + root, l + child);
    root = child;
  }
}

/** Sorts the places l..r (inclusive) by (coordinate c, input index): a heap sort, rows moved with perm. */
function sortPlaces(c: i32, l: i32, r: i32): void {
  const count = r - l + 1;
  for (let i = (count >> 1) - 1; i >= 0; i--) siftDown(c, l, i, count);
  for (let e = count - 1; e > 0; e--) {
    swapPlaces(l, l + e);
    siftDown(c, l, 0, e);
  }
}

/** twin.ts's select: Wirth's FIND of place m in l..r under (coordinate c, input index), rows moved with perm. */
function selectPlace(c: i32, l: i32, r: i32, m: i32): void {
  let rounds = 48;
  const d = D;
  while (l < r) {
    if (rounds-- <= 0) { sortPlaces(c, l, r); return; }
    const x = i32At(PERM, m), xv = f64At(PTS, m * d + c);
    let i = l, j = r;
    do {
      for (;;) { const e = i32At(PERM, i), v = f64At(PTS, i * d + c); if (v < xv || (v == xv && e < x)) i++; else break; }
      for (;;) { const e = i32At(PERM, j), v = f64At(PTS, j * d + c); if (xv < v || (v == xv && x < e)) j--; else break; }
      if (i <= j) {
        swapPlaces(i, j);
        i++; j--;
      }
    } while (i <= j);
    if (j < m) l = i;
    if (m < i) r = j;
  }
}

/** Builds the k-d tree of the n points of d coordinates at pts (rows moved in place, into tree order):
 *  perm (n i32), lo, hi, minIdx (2^(depth+1) - 1 i32 each), box (as many times 2d f64). */
export function knnBuild(pts: usize, perm: usize, lo: usize, hi: usize, box: usize, minIdx: usize, n: i32, d: i32, depth: i32): void {
  N = n; D = d; DEPTH = depth; PTS = pts; PERM = perm; LO = lo; HI = hi; BOX = box; MIN_IDX = minIdx;
  const firstLeaf = (1 << depth) - 1, nodes = 2 * firstLeaf + 1, w = 2 * d;
  FIRST_LEAF = firstLeaf; NODES = nodes;
  for (let i = 0; i < n; i++) setI32(perm, i, i);
  setI32(lo, 0, 0); setI32(hi, 0, n);
  for (let i = 0; i < nodes; i++) {
    const a = i32At(lo, i), b = i32At(hi, i), o = i * w;
    // the box: two columns a lane (pmin(m, v) is v < m ? v : m, the scalar loop's choice among equal values too)
    for (let c = 0; c < d; c += 2) {
      if (c + 1 == d) {
        let least = Infinity, most = -Infinity;
        for (let t = a * d + c, end = b * d; t < end; t += d) {
          const v = f64At(pts, t);
          if (v < least) least = v;
          if (v > most) most = v;
        }
        setF64(box, o + c, least); setF64(box, o + d + c, most);
        break;
      }
      let least = f64x2.splat(Infinity), most = f64x2.splat(-Infinity);
      for (let t = pts + ((<usize>(a * d + c)) << 3), end = pts + ((<usize>(b * d + c)) << 3), step = <usize>d << 3; t < end; t += step) {
        const v = v128.load(t);
        least = f64x2.pmin(least, v); most = f64x2.pmax(most, v);
      }
      v128.store(box + ((<usize>(o + c)) << 3), least); v128.store(box + ((<usize>(o + d + c)) << 3), most);
    }
    if (i >= firstLeaf) continue;
    let axis = 0, widest: f64 = -1;
    for (let c = 0; c < d; c++) {
      const s = f64At(box, o + d + c) - f64At(box, o + c);
      if (s > widest) { widest = s; axis = c; }
    }
    const mid = (a + b) >> 1;
    if (b - a > 1) selectPlace(axis, a, b - 1, mid);
    setI32(lo, 2 * i + 1, a); setI32(hi, 2 * i + 1, mid);
    setI32(lo, 2 * i + 2, mid); setI32(hi, 2 * i + 2, b);
  }
  for (let i = nodes - 1; i >= 0; i--) {
    if (i >= firstLeaf) {
      let m = 0x7fffffff;
      for (let t = i32At(lo, i), e = i32At(hi, i); t < e; t++) m = min(m, i32At(perm, t));
      setI32(minIdx, i, m);
    } else setI32(minIdx, i, min(i32At(minIdx, 2 * i + 1), i32At(minIdx, 2 * i + 2)));
  }
}

// ---------------------------------------------------------------- k nearest
// the search (twin.ts's Search): the k best (BD ascending; with indices BI, by (distance, index))
// (HEAP: twin.ts's useHeap, the k best a max-heap under the same order, the k-th at TOP = 0; else sorted,
// TOP = k - 1)
let K: i32 = 0, EUCLID: bool = false, WITH_IDX: bool = false, WORST: f64 = Infinity, HEAP: bool = false, TOP: i32 = 0;
let BD: usize = 0, BI: usize = 0, QS: usize = 0; // QS: the query row's address

/** The distance from the query to the box of node i. */
// @ts-ignore: decorator
@inline function boxDist(i: i32, dd: i32): f64 {
  const d = dd > 0 ? dd : D, o = BOX + ((<usize>(2 * d * i)) << 3), oh = o + (<usize>d << 3), q = QS;
  if (EUCLID) {
    let sum: f64 = 0;
    for (let c: usize = 0, e = <usize>d << 3; c < e; c += 8) {
      const x = load<f64>(q + c), mn = load<f64>(o + c), mx = load<f64>(oh + c);
      const g = x < mn ? mn - x : x > mx ? x - mx : 0;
      sum += g * g;
    }
    return Math.sqrt(sum);
  }
  return chebNearD(q, o, oh, dd);
}

/** The distance from the query to place t of the tree. */
// @ts-ignore: decorator
@inline function pointDist(t: i32, euclid: bool, dd: i32): f64 {
  const d = dd > 0 ? dd : D, o = PTS + ((<usize>t * d) << 3), q = QS;
  return euclid ? eucRowD(o, q, dd) : chebRowD(o, q, dd);
}

/** Whether entry a of the heap is after entry b under (distance, index). */
// @ts-ignore: decorator
@inline function heapAfter(bd: usize, bi: usize, a: i32, b: i32): bool {
  const x = f64At(bd, a), y = f64At(bd, b);
  return x > y || (x == y && i32At(bi, a) > i32At(bi, b));
}

/** Sifts (dist, e) down from the root of the heap of the first `end` entries (with indices): src/core/heap.ts's heapReplaceTop. */
// @ts-ignore: decorator
@inline function siftKey(bd: usize, bi: usize, end: i32, dist: f64, e: i32): void {
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= end) break;
    if (c + 1 < end && heapAfter(bd, bi, c + 1, c)) c++;
    const x = f64At(bd, c);
    if (x < dist || (x == dist && i32At(bi, c) < e)) break;
    setF64(bd, i, x); setI32(bi, i, i32At(bi, c)); i = c;
  }
  setF64(bd, i, dist); setI32(bi, i, e);
}

/** Sifts dist down from the root of the heap of the k distances (no indices). */
// @ts-ignore: decorator
@inline function siftDist(bd: usize, k: i32, dist: f64): void {
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= k) break;
    if (c + 1 < k && f64At(bd, c + 1) > f64At(bd, c)) c++;
    const x = f64At(bd, c);
    if (x <= dist) break;
    setF64(bd, i, x); i = c;
  }
  setF64(bd, i, dist);
}

/** twin.ts's scanLeafHeap: the k best a max-heap, a candidate replacing the root. */
// @ts-ignore: decorator
@inline function scanLeafHeap(a: i32, b: i32, self: i32, dd: i32): void {
  const bd = BD, k = K;
  if (WITH_IDX) {
    const bi = BI, euclid = EUCLID;
    for (let t = a; t < b; t++) {
      if (t == self) continue;
      const dist = pointDist(t, euclid, dd), e = i32At(PERM, t);
      if (dist < WORST || (dist == WORST && e < i32At(bi, 0))) {
        siftKey(bd, bi, k, dist, e);
        WORST = f64At(bd, 0);
      }
    }
    return;
  }
  let worst = WORST;
  if (EUCLID) {
    for (let t = a; t < b; t++) {
      const dist = pointDist(t, true, dd);
      if (dist < worst && t != self) { siftDist(bd, k, dist); worst = f64At(bd, 0); }
    }
  } else {
    for (let t = a; t < b; t++) {
      const dist = pointDist(t, false, dd);
      if (dist < worst && t != self) { siftDist(bd, k, dist); worst = f64At(bd, 0); }
    }
  }
  WORST = worst;
}

/** src/core/heap.ts's heapSort (the twin's): the heap of the k best with indices sorted ascending by (distance, index). */
function sortHeap(): void {
  const bd = BD, bi = BI;
  for (let end = K - 1; end > 0; end--) {
    const dist = f64At(bd, end), e = i32At(bi, end);
    setF64(bd, end, f64At(bd, 0)); setI32(bi, end, i32At(bi, 0));
    siftKey(bd, bi, end, dist, e);
  }
}

/** Offers the places [a, b) of the tree, except `self`, to the search. */
// @ts-ignore: decorator
@inline function scanLeaf(a: i32, b: i32, self: i32, dd: i32): void {
  const bd = BD, k = K;
  if (WITH_IDX) {
    const bi = BI, euclid = EUCLID;
    for (let t = a; t < b; t++) {
      if (t == self) continue;
      const dist = pointDist(t, euclid, dd), e = i32At(PERM, t);
      if (dist < WORST || (dist == WORST && e < i32At(bi, k - 1))) {
        let i = k - 1;
        while (i > 0 && (f64At(bd, i - 1) > dist || (f64At(bd, i - 1) == dist && i32At(bi, i - 1) > e))) {
          setF64(bd, i, f64At(bd, i - 1)); setI32(bi, i, i32At(bi, i - 1)); i--;
        }
        setF64(bd, i, dist); setI32(bi, i, e);
        WORST = f64At(bd, k - 1);
      }
    }
    return;
  }
  let worst = WORST;
  if (EUCLID) {
    for (let t = a; t < b; t++) {
      const dist = pointDist(t, true, dd);
      if (dist < worst && t != self) {
        let i = k - 1;
        while (i > 0 && f64At(bd, i - 1) > dist) { setF64(bd, i, f64At(bd, i - 1)); i--; }
        setF64(bd, i, dist);
        worst = f64At(bd, k - 1);
      }
    }
  } else {
    let t = a;
    if (dd == 2 || dd == 4) {
      // two points a step: both distances in one vector (the same maxima), tested against the k-th together
      const q = QS, q0 = v128.load(q), q1 = dd == 4 ? v128.load(q, 16) : q0;
      for (; t + 1 < b; t += 2) {
        const o = PTS + ((<usize>t * dd) << 3);
        let u: v128, w: v128;
        if (dd == 4) {
          u = f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(o), q0)), f64x2.abs(f64x2.sub(v128.load(o, 16), q1)));
          w = f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(o, 32), q0)), f64x2.abs(f64x2.sub(v128.load(o, 48), q1)));
        } else {
          u = f64x2.abs(f64x2.sub(v128.load(o), q0));
          w = f64x2.abs(f64x2.sub(v128.load(o, 16), q0));
        }
        const two = f64x2.pmax(v128.shuffle<f64>(u, w, 0, 2), v128.shuffle<f64>(u, w, 1, 3));
        if (!v128.any_true(f64x2.lt(two, f64x2.splat(worst)))) continue;
        for (let j = 0; j < 2; j++) {
          const dist = j == 0 ? f64x2.extract_lane(two, 0) : f64x2.extract_lane(two, 1);
          if (dist < worst && t + j != self) worst = insertSorted(bd, k, dist);
        }
      }
    }
    for (; t < b; t++) {
      const dist = pointDist(t, false, dd);
      if (dist < worst && t != self) worst = insertSorted(bd, k, dist);
    }
  }
  WORST = worst;
}

/** Inserts dist into the k best distances (sorted ascending, no indices); returns the k-th. */
// @ts-ignore: decorator
@inline function insertSorted(bd: usize, k: i32, dist: f64): f64 {
  let i = k - 1;
  while (i > 0 && f64At(bd, i - 1) > dist) { setF64(bd, i, f64At(bd, i - 1)); i--; }
  setF64(bd, i, dist);
  return f64At(bd, k - 1);
}

/** scanLeaf and boxDist compiled for the tree's d: 2 and 4 (KSG 2 + 2's joint space, the two-column searches), the
 *  rest (3 columns, large k's heap) in one general copy each, which keeps kl-wasm/mutual within its 45 KB budget
 *  (compiled for 3 as well the module was 415 B larger gzipped; entropyKNN / klDivergenceKNN of 10^5 x 3 took
 *  119 / 179 ms, 139 / 188 ms in the general copy). */
function scanLeafAny(a: i32, b: i32, self: i32): void {
  const d = D;
  if (HEAP) {
    scanLeafHeap(a, b, self, 0);
    return;
  }
  if (d == 2) scanLeaf(a, b, self, 2);
  else if (d == 4) scanLeaf(a, b, self, 4);
  else scanLeaf(a, b, self, 0);
}
function boxDistAny(i: i32): f64 {
  const d = D;
  if (d == 2) return boxDist(i, 2);
  if (d == 4) return boxDist(i, 4);
  return boxDist(i, 0);
}

/** Whether a box at distance bdist can hold no better candidate. */
// @ts-ignore: decorator
@inline function pruned(bdist: f64, node: i32): bool {
  return WITH_IDX ? bdist > WORST || (bdist == WORST && i32At(MIN_IDX, node) > i32At(BI, TOP)) : bdist >= WORST;
}

/** Offers the subtree of node `root` (at box distance rootDist) to the search: depth first, the nearer child first. */
function descend(root: i32, rootDist: f64, self: i32): void {
  const d = D;
  if (d == 2) descendD(root, rootDist, self, 2);
  else if (d == 4) descendD(root, rootDist, self, 4);
  else descendD(root, rootDist, self, 0);
}

/** The children's box distances (dl, dr) of node i, lanes 0 and 1 (the two boxes are side by side). */
// @ts-ignore: decorator
@inline function childDists(i: i32, dd: i32): v128 {
  const l = 2 * i + 1;
  if (!EUCLID && (dd == 2 || dd == 4)) {
    // boxes of 2 dd values: [mn, mx] of l, then of r; each gap vector max(mn − q, q − mx), their lanes paired
    const o = BOX + ((<usize>(2 * dd * l)) << 3), q = QS, x = v128.load(q);
    const m = o + (<usize>dd << 3);
    let a = f64x2.pmax(f64x2.sub(v128.load(o), x), f64x2.sub(x, v128.load(m)));
    let b = f64x2.pmax(f64x2.sub(v128.load(m + (<usize>dd << 3)), x), f64x2.sub(x, v128.load(m + (<usize>dd << 4))));
    if (dd == 4) {
      const y = v128.load(q, 16);
      a = f64x2.pmax(a, f64x2.pmax(f64x2.sub(v128.load(o, 16), y), f64x2.sub(y, v128.load(o, 48))));
      b = f64x2.pmax(b, f64x2.pmax(f64x2.sub(v128.load(o, 80), y), f64x2.sub(y, v128.load(o, 112))));
    }
    return f64x2.pmax(f64x2.pmax(v128.shuffle<f64>(a, b, 0, 2), v128.shuffle<f64>(a, b, 1, 3)), f64x2.splat(0));
  }
  return f64x2.replace_lane(f64x2.splat(boxDist(l, dd)), 1, boxDist(l + 1, dd));
}

// @ts-ignore: decorator
@inline function descendD(root: i32, rootDist: f64, self: i32, dd: i32): void {
  const sn = STACK_NODE, sd = STACK_DIST, firstLeaf = FIRST_LEAF;
  setI32(sn, 0, root); setF64(sd, 0, rootDist);
  let sp = 1;
  while (sp > 0) {
    sp--;
    const i = i32At(sn, sp);
    if (pruned(f64At(sd, sp), i)) continue;
    if (i >= firstLeaf) { scanLeafAny(i32At(LO, i), i32At(HI, i), self); continue; }
    const two = childDists(i, dd), l = 2 * i + 1, r = l + 1, dl = f64x2.extract_lane(two, 0), dr = f64x2.extract_lane(two, 1);
    if (dl <= dr) {
      if (!pruned(dr, r)) { setI32(sn, sp, r); setF64(sd, sp, dr); sp++; }
      if (!pruned(dl, l)) { setI32(sn, sp, l); setF64(sd, sp, dl); sp++; }
    } else {
      if (!pruned(dl, l)) { setI32(sn, sp, l); setF64(sd, sp, dl); sp++; }
      if (!pruned(dr, r)) { setI32(sn, sp, r); setF64(sd, sp, dr); sp++; }
    }
  }
}

/** The k nearest of the query QS among the tree's points except place `self` (-1: none); from the leaf
 *  `own` bottom up, or (own = -1) from the root. */
// @ts-ignore: decorator
function knn(self: i32, own: i32): void {
  for (let i = 0; i < K; i++) setF64(BD, i, Infinity);
  if (WITH_IDX) for (let i = 0; i < K; i++) setI32(BI, i, 0x7fffffff);
  WORST = Infinity;
  if (own < 0) { descend(0, 0, self); return; }
  scanLeafAny(i32At(LO, own), i32At(HI, own), self);
  const d = D;
  if (d == 2) ascend(own, self, 2);
  else if (d == 4) ascend(own, self, 4);
  else ascend(own, self, 0);
}

/** knn's way up from the leaf `own`: each sibling's subtree offered, unless its box is pruned (compiled for dd). */
// @ts-ignore: decorator
@inline function ascend(own: i32, self: i32, dd: i32): void {
  for (let node = own; node > 0; node = (node - 1) >> 1) {
    const sib = node & 1 ? node + 1 : node - 1, bdist = boxDist(sib, dd);
    if (!pruned(bdist, sib)) descend(sib, bdist, self);
  }
}

// @ts-ignore: decorator
@inline function neighboursAll(k: i32, dist: usize, idx: usize): void {
  const d = D;
  for (let leaf = FIRST_LEAF; leaf < NODES; leaf++) {
    for (let t = i32At(LO, leaf), e = i32At(HI, leaf); t < e; t++) {
      QS = PTS + ((<usize>t * d) << 3);
      knn(t, leaf);
      const p = i32At(PERM, t);
      setF64(dist, p, WORST);
      if (WITH_IDX && HEAP) sortHeap();
      if (WITH_IDX) memory.copy(idx + ((<usize>p * k) << 2), BI, <usize>k << 2);
    }
  }
}

/** neighbours on the tree last built: dist (n f64) and, with indices, idx (n k i32) by input index;
 *  bd (k f64) and bi (k i32) the search's room; heap: the k best a max-heap (twin.ts's useHeap). */
export function knnNeighbours(k: i32, euclid: i32, withIdx: i32, bd: usize, bi: usize, dist: usize, idx: usize, heap: i32): void {
  K = k; EUCLID = euclid != 0; WITH_IDX = withIdx != 0; BD = bd; BI = bi; HEAP = heap != 0; TOP = HEAP ? 0 : k - 1;
  neighboursAll(k, dist, idx);
}

// @ts-ignore: decorator
@inline function crossAll(qs: usize, qperm: usize, nq: i32, out: usize): void {
  const d = D;
  for (let t = 0; t < nq; t++) {
    QS = qs + ((<usize>t * d) << 3);
    knn(-1, -1);
    setF64(out, i32At(qperm, t), WORST);
  }
}

/** crossNeighbours on the tree last built (the reference points): the nq query rows at qs (in the order
 *  of a tree of their own, qperm their input indices), each one's k-th nearest distance into out[qperm[t]]. */
export function knnCross(qs: usize, qperm: usize, nq: i32, k: i32, euclid: i32, bd: usize, out: usize, heap: i32): void {
  K = k; EUCLID = euclid != 0; WITH_IDX = false; BD = bd; BI = 0; HEAP = heap != 0; TOP = HEAP ? 0 : k - 1;
  crossAll(qs, qperm, nq, out);
}

// ---------------------------------------------------------------- counts
// The count's tests compare every lane with r (max ≤ r exactly when each term is ≤ r): whether the row at a is
// within r of q, whether the box [mn, mx] is (its nearest point, its farthest); two: d = 2 (one vector, no loop).
// @ts-ignore: decorator
@inline function rowWithin(a: usize, q: usize, qv: v128, p8: usize, e8: usize, r: f64, rv: v128, two: bool): bool {
  if (two) return i64x2.all_true(f64x2.le(f64x2.abs(f64x2.sub(v128.load(a), qv)), rv));
  let acc = f64x2.splat(0);
  for (let c: usize = 0; c < p8; c += 16) acc = f64x2.pmax(acc, f64x2.abs(f64x2.sub(v128.load(a + c), v128.load(q + c))));
  if (p8 < e8 && !(Math.abs(load<f64>(a + p8) - load<f64>(q + p8)) <= r)) return false;
  return i64x2.all_true(f64x2.le(acc, rv));
}
// @ts-ignore: decorator
@inline function nearWithin(q: usize, x: v128, mn: usize, mx: usize, p8: usize, e8: usize, r: f64, rv: v128, two: bool): bool {
  if (two) {
    return i64x2.all_true(f64x2.le(f64x2.pmax(f64x2.sub(v128.load(mn), x), f64x2.sub(x, v128.load(mx))), rv));
  }
  return chebNear(q, mn, mx, p8, e8) <= r;
}
// @ts-ignore: decorator
@inline function farWithin(q: usize, x: v128, mn: usize, mx: usize, p8: usize, e8: usize, r: f64, rv: v128, two: bool): bool {
  if (two) {
    return i64x2.all_true(f64x2.le(f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(mn), x)), f64x2.abs(f64x2.sub(v128.load(mx), x))), rv));
  }
  return chebFar(q, mn, mx, p8, e8) <= r;
}

/** #{u in the subtree of node `root`, u != t : dist∞(place u, place t) <= r}. */
// @ts-ignore: decorator
@inline function countSubtree(root: i32, t: i32, r: f64, two: bool): i32 {
  const d = D, w = 2 * d, q = PTS + ((<usize>t * d) << 3), sn = STACK_NODE, e8 = <usize>d << 3, p8 = <usize>(d >> 1) << 4;
  const rv = f64x2.splat(r), qv = v128.load(q);
  let count = 0, sp = 1;
  setI32(sn, 0, root);
  while (sp > 0) {
    const i = i32At(sn, --sp), o = BOX + ((<usize>i * w) << 3), oh = o + e8;
    if (!nearWithin(q, qv, o, oh, p8, e8, r, rv, two)) continue;
    const a = i32At(LO, i), b = i32At(HI, i);
    if (farWithin(q, qv, o, oh, p8, e8, r, rv, two)) { count += b - a - <i32>(a <= t && t < b); continue; }
    if (i >= FIRST_LEAF) {
      // the point itself (at distance 0, so within r when 0 <= r) taken out after the loop
      let u = a;
      if (two) {
        // two points a step: the x lanes of both and the y lanes of both compared, -1 per point within
        let acc = i64x2.splat(0);
        for (; u + 1 < b; u += 2) {
          const o2 = PTS + (<usize>u << 4);
          const m0 = f64x2.le(f64x2.abs(f64x2.sub(v128.load(o2), qv)), rv);
          const m1 = f64x2.le(f64x2.abs(f64x2.sub(v128.load(o2, 16), qv)), rv);
          acc = i64x2.sub(acc, v128.and(v128.shuffle<i64>(m0, m1, 0, 2), v128.shuffle<i64>(m0, m1, 1, 3)));
        }
        count += <i32>(i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1));
      }
      for (; u < b; u++) count += <i32>rowWithin(PTS + ((<usize>u * d) << 3), q, qv, p8, e8, r, rv, two);
      count -= <i32>(a <= t && t < b && 0 <= r);
      continue;
    }
    setI32(sn, sp++, 2 * i + 1);
    setI32(sn, sp++, 2 * i + 2);
  }
  return count;
}

/** countWithin for every point, in tree order (two: d = 2). */
// @ts-ignore: decorator
@inline function countLeaves(radius: usize, out: usize, two: bool): void {
  for (let leaf = FIRST_LEAF; leaf < NODES; leaf++) {
    for (let t = i32At(LO, leaf), e = i32At(HI, leaf); t < e; t++) {
      const p = i32At(PERM, t), r = f64At(radius, p);
      let count = countSubtree(leaf, t, r, two);
      for (let node = leaf; node > 0; node = (node - 1) >> 1) count += countSubtree(node & 1 ? node + 1 : node - 1, t, r, two);
      setI32(out, p, count);
    }
  }
}

/** countWithin on the tree last built: radius (n f64) and out (n i32) by input index. */
export function knnCount(radius: usize, out: usize): void {
  if (D == 2) countLeaves(radius, out, true);
  else countLeaves(radius, out, false);
}

// ---------------------------------------------------------------- one dimension
// In d = 1 the points sorted by value replace the tree (src/knn/wasm.ts says why the results are the twin's):
// knnSort1 sorts (an LSD radix sort of the values' order-preserving 64-bit keys, 11 bits a pass, with each place's
// input index), knnKth1 widens a window from each place to its k-th nearest, knnCount1 finds each place's run
// within its radius by galloping and binary searches, knnCross1 walks the sorted queries along the sorted reference.

/** Sorts the n values at x: their sorted values into s (f64) and input indices into perm (i32); keys, keys2 (n u64)
 *  and perm2 (n i32) are room, hist 2048 u32. */
export function knnSort1(x: usize, n: i32, s: usize, perm: usize, keys: usize, keys2: usize, perm2: usize, hist: usize): void {
  sortColumn(x, 1, n, s, perm, keys, keys2, perm2, hist);
}

/** knnSort1 of the values x[i stride] (one column of rows of `stride` values). */
function sortColumn(x: usize, stride: i32, n: i32, s: usize, perm: usize, keys: usize, keys2: usize, perm2: usize, hist: usize): void {
  for (let i = 0; i < n; i++) {
    const b = load<u64>(x + ((<usize>i * stride) << 3));
    store<u64>(keys + (<usize>i << 3), b ^ (<u64>(<i64>b >> 63) | 0x8000000000000000));
    setI32(perm, i, i);
  }
  if (n <= 64) {
    // few values: an insertion sort (the radix passes cost ~5 us whatever n)
    for (let i = 1; i < n; i++) {
      const key = load<u64>(keys + (<usize>i << 3)), e = i32At(perm, i);
      let j = i;
      while (j > 0 && load<u64>(keys + (<usize>(j - 1) << 3)) > key) {
        store<u64>(keys + (<usize>j << 3), load<u64>(keys + (<usize>(j - 1) << 3)));
        setI32(perm, j, i32At(perm, j - 1));
        j--;
      }
      store<u64>(keys + (<usize>j << 3), key);
      setI32(perm, j, e);
    }
    for (let t = 0; t < n; t++) setF64(s, t, f64At(x, i32At(perm, t) * stride));
    return;
  }
  let ka = keys, kb = keys2, pa = perm, pb = perm2;
  for (let shift: u64 = 0; shift < 64; shift += 11) {
    memory.fill(hist, 0, 2048 * 4);
    for (let i = 0; i < n; i++) {
      const h = hist + (<usize>((load<u64>(ka + (<usize>i << 3)) >> shift) & 2047) << 2);
      store<u32>(h, load<u32>(h) + 1);
    }
    let sum: u32 = 0;
    for (let b = 0; b < 2048; b++) { const h = hist + (<usize>b << 2), c = load<u32>(h); store<u32>(h, sum); sum += c; }
    for (let i = 0; i < n; i++) {
      const key = load<u64>(ka + (<usize>i << 3)), h = hist + (<usize>((key >> shift) & 2047) << 2), at = load<u32>(h);
      store<u32>(h, at + 1);
      store<u64>(kb + (<usize>at << 3), key);
      store<i32>(pb + (<usize>at << 2), i32At(pa, i));
    }
    const tk = ka; ka = kb; kb = tk;
    const tp = pa; pa = pb; pb = tp;
  }
  // six passes: the sorted order is back in keys and perm
  for (let t = 0; t < n; t++) setF64(s, t, f64At(x, i32At(perm, t) * stride));
}

/** The k-th nearest distance of every point (sorted values s, input indices perm) among the others, into out by
 *  input index. */
export function knnKth1(s: usize, perm: usize, n: i32, k: i32, euclid: i32, out: usize): void {
  for (let t = 0; t < n; t++) {
    const v = f64At(s, t);
    let l = t - 1, r = t + 1, x: f64 = 0;
    for (let step = 0; step < k; step++) {
      const dl = l >= 0 ? Math.abs(f64At(s, l) - v) : Infinity, dr = r < n ? Math.abs(f64At(s, r) - v) : Infinity;
      if (l >= 0 && (r >= n || dl <= dr)) { x = f64At(s, l) - v; l--; } else { x = f64At(s, r) - v; r++; }
    }
    setF64(out, i32At(perm, t), euclid ? Math.sqrt(x * x) : Math.abs(x));
  }
}

/** The k-th nearest distance of every query (sorted values qs, input indices qperm, nq of them) among the sorted
 *  reference values s (n), into out by the queries' input index. */
export function knnCross1(qs: usize, qperm: usize, nq: i32, s: usize, n: i32, k: i32, euclid: i32, out: usize): void {
  let pos = 0;
  for (let t = 0; t < nq; t++) {
    const v = f64At(qs, t);
    while (pos < n && f64At(s, pos) < v) pos++;
    let l = pos - 1, r = pos, x: f64 = 0;
    for (let step = 0; step < k; step++) {
      const dl = l >= 0 ? Math.abs(f64At(s, l) - v) : Infinity, dr = r < n ? Math.abs(f64At(s, r) - v) : Infinity;
      if (l >= 0 && (r >= n || dl <= dr)) { x = f64At(s, l) - v; l--; } else { x = f64At(s, r) - v; r++; }
    }
    setF64(out, i32At(qperm, t), euclid ? Math.sqrt(x * x) : Math.abs(x));
  }
}

// @ts-ignore: decorator
@inline function within1(s: usize, j: i32, v: f64, r: f64): bool { return Math.abs(f64At(s, j) - v) <= r; }

/** The edge of a run in the places [a, b] of the sorted values s: with `right`, the first place from which
 *  |s_j − v| <= r fails (b if none: the test passes on [a, edge)); else the first place from which it passes (b if
 *  none). Found from the place g in [a, b] (a guess: any place gives the same edge) by galloping and a binary search;
 *  the test is monotone along each side of v (rounding is monotone; NaN fails). */
// @ts-ignore: decorator
@inline function edge(s: usize, a: i32, b: i32, g: i32, v: f64, r: f64, right: bool): i32 {
  let lo: i32, hi: i32, step = 1;
  if (g < b && within1(s, g, v, r) == right) {
    lo = g + 1; hi = lo;
    while (hi < b && within1(s, hi, v, r) == right) { lo = hi + 1; hi = min(b, hi + step); step <<= 1; }
  } else {
    hi = g; lo = g - 1;
    while (lo >= a && within1(s, lo, v, r) != right) { hi = lo; lo -= step; step <<= 1; }
    lo = max(lo + 1, a);
  }
  while (lo < hi) { const m = (lo + hi) >>> 1; if (within1(s, m, v, r) == right) lo = m + 1; else hi = m; }
  return lo;
}

// the run's first place (run's result)
let RUN_LO: i32 = 0;

/** The run of places around t of the n sorted values s within r of s[t] (|s_j − s[t]| <= r): its end returned, its
 *  first place in RUN_LO (empty, [t, t), when s[t] itself fails: r < 0, NaN); from the guesses gl (its first place)
 *  and gr (its end). */
function run(s: usize, n: i32, t: i32, r: f64, gl: i32, gr: i32): i32 {
  const v = f64At(s, t);
  RUN_LO = edge(s, 0, t, min(gl, t), v, r, false);
  return edge(s, t, n, max(gr, t), v, r, true);
}

// value buckets (the guesses of knnCount2's runs): B buckets of equal width from the least sorted value
let BUCKETS: i32 = 0;

/** bucket b of value u: floor((u − least) scale) within [0, B] (NaN: 0). */
// @ts-ignore: decorator
@inline function bucketOf(u: f64, least: f64, scale: f64): i32 {
  const f = (u - least) * scale;
  return f > 0 ? (f < <f64>BUCKETS ? <i32>f : BUCKETS) : 0;
}

/** first[b] (b = 0 .. B): the first place of the n sorted values s in a bucket >= b (n if none); returns the scale. */
function bucketFirsts(s: usize, n: i32, first: usize): f64 {
  const least = f64At(s, 0), span = f64At(s, n - 1) - least, scale = span > 0 && span < Infinity ? <f64>BUCKETS / span : 0;
  let b = 0;
  for (let j = 0; j < n; j++) for (const e = bucketOf(f64At(s, j), least, scale); b <= e; b++) setI32(first, b, j);
  for (; b <= BUCKETS; b++) setI32(first, b, n);
  return scale;
}

/** countWithin in d = 1 (sorted values s, input indices perm, radius and out (i32) by input index). */
export function knnCount1(s: usize, perm: usize, n: i32, radius: usize, out: usize): void {
  for (let t = 0; t < n; t++) {
    const p = i32At(perm, t), r = f64At(radius, p), right = run(s, n, t, r, t, t + 1);
    setI32(out, p, right - RUN_LO - <i32>(0 <= r));
  }
}

// ---------------------------------------------------------------- two dimensions
// countWithin in d = 2 without a tree: a point j is within r of point i in the max-norm when |x_j − x_i| <= r and
// |y_j − y_i| <= r, each a run of places in its column's sorted order (knnCount1's runs: the same test, so the same
// points), so the count is the number of points whose place in x order and place in y order fall in two ranges of
// integers: counted offline, sweeping the places in x order with a Fenwick tree over the places in y order.

/** countWithin in d = 2 of the n rows at pts (2 values each), radius (n f64) and out (n i32) by input index; room:
 *  sx, sy (n f64), px, py, rank, xlo, xhi, ylo, yhi, acc (n i32 each), bit (n + 1 i32), start (n + 2 i32), ev (2 n
 *  i32), keys, keys2 (n u64), perm2 (n i32), hist (2048 u32). */
export function knnCount2(pts: usize, n: i32, radius: usize, out: usize, sx: usize, sy: usize, px: usize, py: usize,
  rank: usize, xlo: usize, xhi: usize, ylo: usize, yhi: usize, acc: usize, bit: usize, start: usize, ev: usize,
  keys: usize, keys2: usize, perm2: usize, hist: usize): void {
  sortColumn(pts, 2, n, sx, px, keys, keys2, perm2, hist);
  sortColumn(pts + 8, 2, n, sy, py, keys, keys2, perm2, hist);
  // py becomes each point's place in y order, by its place in x order
  for (let t = 0; t < n; t++) setI32(rank, i32At(py, t), t);
  for (let t = 0; t < n; t++) setI32(py, t, i32At(rank, i32At(px, t)));
  // the runs' guesses: value buckets (in keys and keys2, free after the sorts), as many as points (measured: 4 points
  // a bucket 6% slower, 16 20%)
  BUCKETS = max(1, n);
  const fx = keys, fy = keys2, lx0 = f64At(sx, 0), ly0 = f64At(sy, 0), cx = bucketFirsts(sx, n, fx), cy = bucketFirsts(sy, n, fy);
  // each point's runs in x and y order (by its place t in x order); start[h + 1]: the x runs starting or ending at h
  memory.fill(start, 0, (<usize>n + 2) << 2);
  for (let t = 0; t < n; t++) {
    const r = f64At(radius, i32At(px, t)), u = f64At(sx, t), ty = i32At(py, t), w = f64At(sy, ty);
    const hx = run(sx, n, t, r, i32At(fx, bucketOf(u - r, lx0, cx)), i32At(fx, bucketOf(u + r, lx0, cx))), lx = RUN_LO;
    const hy = run(sy, n, ty, r, i32At(fy, bucketOf(w - r, ly0, cy)), i32At(fy, bucketOf(w + r, ly0, cy)));
    setI32(xlo, t, lx); setI32(xhi, t, hx); setI32(ylo, t, RUN_LO); setI32(yhi, t, hy);
    setI32(start, lx + 1, i32At(start, lx + 1) + 1);
    setI32(start, hx + 1, i32At(start, hx + 1) + 1);
  }
  for (let h = 1; h <= n + 1; h++) setI32(start, h, i32At(start, h) + i32At(start, h - 1));
  // ev: the run ends bucketed by place (2 t: point t's x run starts there, 2 t + 1: it ends there); after, start[h]
  // is bucket h's end
  for (let t = 0; t < n; t++) {
    const a = start + (<usize>i32At(xlo, t) << 2), i = load<i32>(a);
    setI32(ev, i, 2 * t); store<i32>(a, i + 1);
    const b = start + (<usize>i32At(xhi, t) << 2), j = load<i32>(b);
    setI32(ev, j, 2 * t + 1); store<i32>(b, j + 1);
  }
  // the sweep: when bucket h is read, the points at x places < h are in the Fenwick tree over y places (bit[u]
  // counts the places u − lowbit(u) .. u − 1), so a run end at h adds (or a start takes away) the points at x places
  // < h in the point's y run: its count, less itself (within r of itself when 0 <= r)
  memory.fill(bit, 0, (<usize>n + 1) << 2);
  memory.fill(acc, 0, <usize>n << 2);
  for (let h = 0, e = 0; h <= n; h++) {
    for (const end = i32At(start, h); e < end; e++) {
      const v = i32At(ev, e), q = v >> 1;
      // the points at y places below yhi less those below ylo (two loops: their branches predictable)
      let c = 0;
      for (let u = i32At(yhi, q); u > 0; u &= u - 1) c += i32At(bit, u);
      for (let u = i32At(ylo, q); u > 0; u &= u - 1) c -= i32At(bit, u);
      setI32(acc, q, i32At(acc, q) + (v & 1 ? c : -c));
    }
    if (h < n) for (let u = i32At(py, h) + 1; u <= n; u += u & -u) setI32(bit, u, i32At(bit, u) + 1);
  }
  for (let t = 0; t < n; t++) {
    const p = i32At(px, t);
    setI32(out, p, i32At(acc, t) - <i32>(0 <= f64At(radius, p)));
  }
}
