// Mutual information kernels: column sums of a table, label ranges and pair counts
// (contingency tables from labels), and the neighbour counts of the
// Kraskov-Stoegbauer-Grassberger estimator. The measures themselves are KL sums
// (span.ts, through the facade) and digamma averages (the facade).

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
// counted, tied points at distance 0 are. O(n log n): a k-d tree for the neighbours,
// binary searches over the sorted coordinates for the counts.
const LEAF: i32 = 16;

// @ts-ignore: decorator
@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }

/** The median of three values: the quickselect and quicksort pivot. */
// @ts-ignore: decorator
@inline function median3(a: f64, b: f64, d: f64): f64 {
  return a < b ? (b < d ? b : a < d ? d : a) : (a < d ? a : b < d ? d : b);
}

/** Rearranges idx[lo, hi) so that idx[k] holds the point with the k-th smallest
 *  coordinate c (c = x or y by index), smaller ones before it, larger after. */
function select(idx: usize, c: usize, lo: i32, hi: i32, k: i32): void {
  hi -= 1;
  while (hi > lo) {
    // median of three as the pivot
    const mid = lo + ((hi - lo) >> 1);
    const a = f64At(c, i32At(idx, lo)), b = f64At(c, i32At(idx, mid)), d = f64At(c, i32At(idx, hi));
    const pivot = median3(a, b, d);
    let i = lo, j = hi;
    while (i <= j) {
      while (f64At(c, i32At(idx, i)) < pivot) i++;
      while (f64At(c, i32At(idx, j)) > pivot) j--;
      if (i <= j) {
        const t = i32At(idx, i);
        store<i32>(idx + (<usize>i << 2), i32At(idx, j));
        store<i32>(idx + (<usize>j << 2), t);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Builds the implicit k-d tree over idx[lo, hi): the median by x at even depths,
 *  by y at odd ones, recursively, down to leaves of at most LEAF points. */
function build(idx: usize, x: usize, y: usize, lo: i32, hi: i32, depth: i32): void {
  while (hi - lo > LEAF) {
    const mid = (lo + hi) >> 1;
    select(idx, depth & 1 ? y : x, lo, hi, mid);
    build(idx, x, y, lo, mid, depth + 1);
    lo = mid + 1;
    depth += 1;
  }
}

// the k best distances of the current query, ascending (k <= 64 slots)
const BEST: usize = memory.data(64 * 8, 8);
// the search stack: (lo, hi, depth, bound) per entry; depth <= 64
const STACK: usize = memory.data(128 * 24, 8);
let kk: i32 = 0;
let worst: f64 = Infinity;

// @ts-ignore: decorator
@inline function offer(d: f64): void {
  // insert into the sorted list, dropping its last
  let i = kk - 1;
  while (i > 0 && load<f64>(BEST + (<usize>(i - 1) << 3)) > d) {
    store<f64>(BEST + (<usize>i << 3), load<f64>(BEST + (<usize>(i - 1) << 3)));
    i--;
  }
  store<f64>(BEST + (<usize>i << 3), d);
  worst = load<f64>(BEST + (<usize>(kk - 1) << 3));
}

/** The k nearest distances (max-norm) from point `self` of the tree-ordered tx, ty:
 *  depth-first, the near side first, a far side only while its splitting plane is
 *  closer than the current k-th distance. Leaves are scanned two points a lane. */
function knn(tx: usize, ty: usize, n: i32, self: i32): void {
  const qx = f64At(tx, self), qy = f64At(ty, self);
  const qxv = f64x2.splat(qx), qyv = f64x2.splat(qy);
  let sp: usize = 0;
  store<i32>(STACK, 0); store<i32>(STACK, n, 4); store<i32>(STACK, 0, 8); store<f64>(STACK, 0.0, 16);
  sp = 1;
  while (sp > 0) {
    sp--;
    const e = STACK + sp * 24;
    let lo = load<i32>(e), hi = load<i32>(e, 4), depth = load<i32>(e, 8);
    if (load<f64>(e, 16) >= worst) continue;
    while (hi - lo > LEAF) {
      const mid = (lo + hi) >> 1;
      const mx = f64At(tx, mid), my = f64At(ty, mid);
      if (mid != self) {
        const d = max(Math.abs(mx - qx), Math.abs(my - qy));
        if (d < worst) offer(d);
      }
      const diff = depth & 1 ? qy - my : qx - mx;
      const f = STACK + sp * 24;
      if (diff < 0) {
        store<i32>(f, mid + 1); store<i32>(f, hi, 4); store<f64>(f, -diff, 16);
        hi = mid;
      } else {
        store<i32>(f, lo); store<i32>(f, mid, 4); store<f64>(f, diff, 16);
        lo = mid + 1;
      }
      depth += 1;
      store<i32>(f, depth, 8);
      sp++;
    }
    let i = lo;
    for (; i + 1 < hi; i += 2) {
      const d = f64x2.max(f64x2.abs(f64x2.sub(v128.load(tx + (<usize>i << 3)), qxv)),
                          f64x2.abs(f64x2.sub(v128.load(ty + (<usize>i << 3)), qyv)));
      if (v128.any_true(f64x2.lt(d, f64x2.splat(worst)))) {
        const d0 = f64x2.extract_lane(d, 0), d1 = f64x2.extract_lane(d, 1);
        if (i != self && d0 < worst) offer(d0);
        if (i + 1 != self && d1 < worst) offer(d1);
      }
    }
    if (i < hi && i != self) {
      const d = max(Math.abs(f64At(tx, i) - qx), Math.abs(f64At(ty, i) - qy));
      if (d < worst) offer(d);
    }
  }
}

/** #{j : |s_j - v| <= r} over the sorted s[0, n): both ends by binary search on the
 *  rounded differences themselves (monotone in s_j), so the count is exact. */
function countWithin(s: usize, n: i32, v: f64, r: f64): i32 {
  // first j with v - s_j <= r
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v - f64At(s, mid) <= r) hi = mid; else lo = mid + 1;
  }
  const first = lo;
  // first j with s_j - v > r
  hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (f64At(s, mid) - v <= r) lo = mid + 1; else hi = mid;
  }
  return lo - first;
}

/** Sorts n f64 at s ascending (in place): quicksort with median-of-three pivots,
 *  insertion sort below 16 elements, the smaller side first (O(log n) stack). */
function sortF64(s: usize, lo: i32, hi: i32): void {
  while (hi - lo > 16) {
    const mid = lo + ((hi - lo) >> 1);
    const a = f64At(s, lo), b = f64At(s, mid), d = f64At(s, hi - 1);
    const pivot = median3(a, b, d);
    let i = lo, j = hi - 1;
    while (i <= j) {
      while (f64At(s, i) < pivot) i++;
      while (f64At(s, j) > pivot) j--;
      if (i <= j) {
        const t = f64At(s, i);
        store<f64>(s + (<usize>i << 3), f64At(s, j));
        store<f64>(s + (<usize>j << 3), t);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) { sortF64(s, lo, j + 1); lo = i; } else { sortF64(s, i, hi); hi = j + 1; }
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = f64At(s, i);
    let j = i - 1;
    while (j >= lo && f64At(s, j) > v) {
      store<f64>(s + (<usize>(j + 1) << 3), f64At(s, j));
      j--;
    }
    store<f64>(s + (<usize>(j + 1) << 3), v);
  }
}

/** The largest double below e (e > 0), or 0 for e = 0. */
// @ts-ignore: decorator
@inline function below(e: f64): f64 {
  return e > 0.0 ? reinterpret<f64>(reinterpret<i64>(e) - 1) : 0.0;
}

/** KSG neighbour counts: x, y (n f64 each, finite), k in [1, min(64, n - 1)].
 *  Work space: idx (n i32), tx, ty, sx, sy (n f64 each: the points in tree order,
 *  and sorted copies). Writes nx, ny (n i32 each, in the input's order). Queries
 *  run in tree order, so consecutive searches touch the same nodes. */
export function ksgCounts(x: usize, y: usize, n: i32, k: i32, idx: usize, tx: usize, ty: usize,
                          sx: usize, sy: usize, nx: usize, ny: usize): void {
  for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), i);
  build(idx, x, y, 0, n, 0);
  for (let t = 0; t < n; t++) {
    const m = i32At(idx, t);
    store<f64>(tx + (<usize>t << 3), f64At(x, m));
    store<f64>(ty + (<usize>t << 3), f64At(y, m));
  }
  memory.copy(sx, x, <usize>n << 3);
  memory.copy(sy, y, <usize>n << 3);
  sortF64(sx, 0, n);
  sortF64(sy, 0, n);
  kk = k;
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < k; j++) store<f64>(BEST + (<usize>j << 3), Infinity);
    worst = Infinity;
    knn(tx, ty, n, t);
    const r = below(worst);
    const m = <usize>i32At(idx, t) << 2;
    store<i32>(nx + m, countWithin(sx, n, f64At(tx, t), r) - 1);
    store<i32>(ny + m, countWithin(sy, n, f64At(ty, t), r) - 1);
  }
}
