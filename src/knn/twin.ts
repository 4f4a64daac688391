// The pure-TS k-NN engine (issue 15): a k-d tree in any number of dimensions, the
// algorithm the WebAssembly engine (assembly/knn.ts, later) will port line for line.
//
// Layout (typed arrays only, no object per node):
// - The tree is complete and implicit, in heap order: node i has children 2i + 1 and
//   2i + 2; all leaves are at depth D, the least depth with ceil(n / 2^D) <= LEAF, so
//   there are 2^(D+1) - 1 nodes and the leaves are the ids firstLeaf = 2^D - 1 and up.
// - perm: Int32Array(n), the points in tree order (perm[t] = the input index of the
//   point at place t); node i owns the places [lo[i], hi[i]) (Int32Arrays), a node's
//   range split at mid = (lo + hi) >> 1 between its children (leaves hold
//   floor or ceil of n / 2^D points).
// - pts: Float64Array(n * d), the coordinates in tree order (row t = point perm[t]).
// - box: Float64Array(nodes * 2d), node i's bounding box: box[2d i + c] the least and
//   box[2d i + d + c] the greatest coordinate c of its points.
// - minIdx: Int32Array(nodes), the least input index of node i's points.
// Build, top down over the node ids: a node's box from its rows, then (internal
// nodes) a split on the widest coordinate (the lowest c among equal widths) by
// selection (Wirth's FIND, the rows of pts moved with perm) of the median place under
// the total order (value, input index), so the build is deterministic; after 48
// partitions of one node a full sort finishes it (only a crafted input gets there).
//
// Distances, bit for bit as the brute force (test/helpers/knn-brute.ts) and the plan:
// chebyshev = max over c ascending of Math.abs(a_c - b_c); euclidean = Math.sqrt of the
// plain sum over c ascending of (a_c - b_c)^2. A box's nearest distance (the gaps
// max(mn - q, q - mx, 0) in the same formula) is a lower bound of every computed
// distance to its points (rounding is monotone; fl(a - b) = -fl(b - a)), and its
// farthest max-norm distance (max over c of the larger of |mn_c - q_c|, |mx_c - q_c|)
// an upper bound, so pruning and whole-box counts never change a result.
//
// Searches: the k best so far kept sorted (insertion) by distance, and with indices by
// (distance, input index), the tie rule; for k > HEAP_K (with indices HEAP_K_IDX) a
// binary max-heap under the same order instead (O(log k) a candidate, the root the
// k-th; with indices heap-sorted at the end): it keeps the same k best, so the same
// k-th, the same pruning, the same results. Without indices a candidate enters only when
// strictly nearer than the k-th and a box is pruned when its distance is >= the k-th;
// with indices an equal distance of a lower index enters too, and a box is pruned when
// strictly farther, or as far with no input index below the k-th's (minIdx: without
// it a point among many duplicates would scan them all).
// neighbours and countWithin run their queries in tree order, each from the query's own
// leaf, then bottom up: at each ancestor the other child's subtree, depth first (the
// nearer child first, the left on equal distances), boxes pruned as above
// (countWithin: boxes whose nearest point is beyond the radius skipped, boxes whose
// farthest point is within it counted whole). crossNeighbours searches depth first from
// the root, its query points in the order of a tree of their own. Outputs are by input
// index: dist[i], counts[i], and idx[i k .. i k + k) the k nearest of point i.
import type { KnnEngine, Norm, Points } from "./api.js";
import { heapReplaceTop, heapSort } from "../core/heap.js";

/** Most points of a leaf. */
export const LEAF = 16;

/** A k-d tree (see the layout above). */
export interface KdTree {
  n: number; d: number; depth: number; nodes: number; firstLeaf: number;
  perm: Int32Array; pts: Float64Array; lo: Int32Array; hi: Int32Array; box: Float64Array; minIdx: Int32Array;
}

/** Orders the places l..r (inclusive) of the tree order (the rows of pts and the
 *  entries of perm together) so that place m holds the point of rank m - l under
 *  (coordinate c, input index), the lesser before it and the greater after: Wirth's
 *  FIND, and after `rounds` partitions (48: never seen on data, only on a crafted
 *  adversary) a full sort of what is left, so the build stays O(n log^2 n) at worst. */
export function select(perm: Int32Array, pts: Float64Array, d: number, c: number, l: number, r: number, m: number, rounds = 48): void {
  while (l < r) {
    if (rounds-- <= 0) { sortPlaces(perm, pts, d, c, l, r); return; }
    const x = perm[m], xv = pts[m * d + c];
    let i = l, j = r;
    do {
      for (;;) { const e = perm[i], v = pts[i * d + c]; if (v < xv || (v === xv && e < x)) i++; else break; }
      for (;;) { const e = perm[j], v = pts[j * d + c]; if (xv < v || (v === xv && x < e)) j--; else break; }
      if (i <= j) {
        const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        for (let u = 0, oi = i * d, oj = j * d; u < d; u++) { const v = pts[oi + u]; pts[oi + u] = pts[oj + u]; pts[oj + u] = v; }
        i++; j--;
      }
    } while (i <= j);
    if (j < m) l = i;
    if (m < i) r = j;
  }
}

/** Sorts the places l..r (inclusive) by (coordinate c, input index). */
function sortPlaces(perm: Int32Array, pts: Float64Array, d: number, c: number, l: number, r: number): void {
  const places = Array.from({ length: r - l + 1 }, (_, u) => l + u);
  places.sort((a, b) => pts[a * d + c] - pts[b * d + c] || perm[a] - perm[b]);
  const rows = new Float64Array(places.length * d), ids = new Int32Array(places.length);
  places.forEach((t, u) => { ids[u] = perm[t]; rows.set(pts.subarray(t * d, t * d + d), u * d); });
  perm.set(ids, l);
  pts.set(rows, l * d);
}

/** The k-d tree of the points p. */
export function buildTree(p: Points): KdTree {
  const { data, n, d } = p;
  let depth = 0;
  while (Math.ceil(n / 2 ** depth) > LEAF) depth++;
  const firstLeaf = 2 ** depth - 1, nodes = 2 * firstLeaf + 1, w = 2 * d;
  const perm = new Int32Array(n), lo = new Int32Array(nodes), hi = new Int32Array(nodes), box = new Float64Array(nodes * w);
  const pts = data.slice(0, n * d);
  for (let i = 0; i < n; i++) perm[i] = i;
  hi[0] = n;
  for (let i = 0; i < nodes; i++) {
    const a = lo[i], b = hi[i], o = i * w;
    for (let c = 0; c < d; c++) {
      let least = Infinity, most = -Infinity;
      for (let t = a * d + c, end = b * d; t < end; t += d) {
        const v = pts[t];
        if (v < least) least = v;
        if (v > most) most = v;
      }
      box[o + c] = least; box[o + d + c] = most;
    }
    if (i >= firstLeaf) continue;
    let axis = 0, widest = -1;
    for (let c = 0; c < d; c++) {
      const s = box[o + d + c] - box[o + c];
      if (s > widest) { widest = s; axis = c; }
    }
    const mid = (a + b) >> 1;
    if (b - a > 1) select(perm, pts, d, axis, a, b - 1, mid);
    lo[2 * i + 1] = a; hi[2 * i + 1] = mid;
    lo[2 * i + 2] = mid; hi[2 * i + 2] = b;
  }
  const minIdx = new Int32Array(nodes);
  for (let i = nodes - 1; i >= 0; i--) {
    if (i >= firstLeaf) {
      let m = 0x7fffffff;
      for (let t = lo[i]; t < hi[i]; t++) m = Math.min(m, perm[t]);
      minIdx[i] = m;
    } else minIdx[i] = Math.min(minIdx[2 * i + 1], minIdx[2 * i + 2]);
  }
  return { n, d, depth, nodes, firstLeaf, perm, pts, lo, hi, box, minIdx };
}

/** Above this k the k best are a max-heap (below: sorted by insertion, the faster for
 *  small k); with indices above HEAP_K_IDX (the heap is sorted at the end). Measured at
 *  n = 5000, d = 3, max-norm, medians of 5 (twin / wasm ms, insertion -> heap): k = 16:
 *  20.9 -> 20.6 / 12.8 -> 12.1, k = 32: 33.6 -> 32.4 / 22.1 -> 18.9, k = 64: 63.8 ->
 *  53.5 / 44.3 -> 31.6; with indices k = 64: 80.8 -> 77.0 / 48.3 -> 54.7, k = 96: 141 ->
 *  107 / 80.5 -> 82.5, k = 128: 219 -> 147 / 124 -> 115. */
export let HEAP_K = 32, HEAP_K_IDX = 96;
/** For measurements and tests: the thresholds (both engines read them). */
export function setKnnHeapK(k: number, kIdx = k): void {
  HEAP_K = k; HEAP_K_IDX = kIdx;
}
/** Whether a search of k with(out) indices keeps a heap. */
export function useHeap(k: number, withIdx: boolean): boolean {
  return k > (withIdx ? HEAP_K_IDX : HEAP_K);
}

/** The state of one k-nearest search: the query (q at row qo of qs), the k best
 *  (useHeap false: ascending, the k-th at top = k - 1; else a max-heap, the k-th at
 *  top = 0; with indices by (distance, index)), the pruning rule, the stacks. */
interface Search {
  k: number; euclid: boolean; withIdx: boolean; heap: boolean; top: number;
  bd: Float64Array; bi: Int32Array; worst: number;
  qs: Float64Array; qo: number;
  stackNode: Int32Array; stackDist: Float64Array;
}

function newSearch(tree: KdTree, k: number, norm: Norm, withIdx: boolean): Search {
  const size = 2 * tree.depth + 4;
  const heap = useHeap(k, withIdx);
  return {
    k, euclid: norm === "euclidean", withIdx, heap, top: heap ? 0 : k - 1, bd: new Float64Array(k), bi: new Int32Array(k), worst: Infinity,
    qs: tree.pts, qo: 0, stackNode: new Int32Array(size), stackDist: new Float64Array(size),
  };
}

/** The distance from the query to the box of node i (a lower bound of its points'). */
function boxDist(tree: KdTree, s: Search, i: number): number {
  const d = tree.d, box = tree.box, o = 2 * d * i, qs = s.qs, qo = s.qo;
  if (s.euclid) {
    let sum = 0;
    for (let c = 0; c < d; c++) {
      const q = qs[qo + c], mn = box[o + c], mx = box[o + d + c];
      const g = q < mn ? mn - q : q > mx ? q - mx : 0;
      sum += g * g;
    }
    return Math.sqrt(sum);
  }
  let m = 0;
  for (let c = 0; c < d; c++) {
    const q = qs[qo + c], mn = box[o + c], mx = box[o + d + c];
    const g = q < mn ? mn - q : q > mx ? q - mx : 0;
    m = Math.max(m, g);
  }
  return m;
}

/** The distance from the query (row qo of qs) to place t of the tree. */
function pointDist(pts: Float64Array, t: number, qs: Float64Array, qo: number, d: number, euclid: boolean): number {
  const o = t * d;
  if (euclid) {
    let sum = 0;
    for (let c = 0; c < d; c++) { const x = pts[o + c] - qs[qo + c]; sum += x * x; }
    return Math.sqrt(sum);
  }
  let m = 0;
  for (let c = 0; c < d; c++) m = Math.max(m, Math.abs(pts[o + c] - qs[qo + c]));
  return m;
}

/** scanLeaf on a max-heap of the k best (the root, place 0, the k-th): a candidate
 *  enters by the same test as in the sorted list, replacing the root, sifted down. */
function scanLeafHeap(tree: KdTree, s: Search, a: number, b: number, self: number): void {
  const d = tree.d, pts = tree.pts, qs = s.qs, qo = s.qo, bd = s.bd, k = s.k, euclid = s.euclid;
  if (s.withIdx) {
    const perm = tree.perm, bi = s.bi;
    for (let t = a; t < b; t++) {
      if (t === self) continue;
      const dist = pointDist(pts, t, qs, qo, d, euclid), e = perm[t];
      if (dist < s.worst || (dist === s.worst && e < bi[0])) {
        heapReplaceTop(bd, bi, 0, k, dist, e);
        s.worst = bd[0];
      }
    }
    return;
  }
  let worst = s.worst;
  for (let t = a; t < b; t++) {
    const dist = pointDist(pts, t, qs, qo, d, euclid);
    if (dist < worst && t !== self) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= k) break;
        if (c + 1 < k && bd[c + 1] > bd[c]) c++;
        if (bd[c] <= dist) break;
        bd[i] = bd[c]; i = c;
      }
      bd[i] = dist;
      worst = bd[0];
    }
  }
  s.worst = worst;
}

/** Offers the places [a, b) of the tree, except `self`, to the search. */
function scanLeaf(tree: KdTree, s: Search, a: number, b: number, self: number): void {
  if (s.heap) { scanLeafHeap(tree, s, a, b, self); return; }
  const d = tree.d, pts = tree.pts, qs = s.qs, qo = s.qo, bd = s.bd, k = s.k, euclid = s.euclid;
  if (s.withIdx) {
    const perm = tree.perm, bi = s.bi;
    for (let t = a; t < b; t++) {
      if (t === self) continue;
      const dist = pointDist(pts, t, qs, qo, d, euclid), e = perm[t];
      if (dist < s.worst || (dist === s.worst && e < bi[k - 1])) {
        let i = k - 1;
        while (i > 0 && (bd[i - 1] > dist || (bd[i - 1] === dist && bi[i - 1] > e))) { bd[i] = bd[i - 1]; bi[i] = bi[i - 1]; i--; }
        bd[i] = dist; bi[i] = e;
        s.worst = bd[k - 1];
      }
    }
    return;
  }
  let worst = s.worst;
  for (let t = a; t < b; t++) {
    const dist = pointDist(pts, t, qs, qo, d, euclid);
    if (dist < worst && t !== self) {
      let i = k - 1;
      while (i > 0 && bd[i - 1] > dist) { bd[i] = bd[i - 1]; i--; }
      bd[i] = dist;
      worst = bd[k - 1];
    }
  }
  s.worst = worst;
}

/** Whether a box at distance bdist can hold no better candidate. */
function pruned(tree: KdTree, s: Search, bdist: number, node: number): boolean {
  return s.withIdx ? bdist > s.worst || (bdist === s.worst && tree.minIdx[node] > s.bi[s.top]) : bdist >= s.worst;
}

/** Offers the subtree of node `root` (at box distance rootDist) to the search: depth
 *  first, the nearer child first. */
function descend(tree: KdTree, s: Search, root: number, rootDist: number, self: number): void {
  const lo = tree.lo, hi = tree.hi, firstLeaf = tree.firstLeaf, sn = s.stackNode, sd = s.stackDist;
  sn[0] = root; sd[0] = rootDist;
  let sp = 1;
  while (sp > 0) {
    sp--;
    const i = sn[sp];
    if (pruned(tree, s, sd[sp], i)) continue;
    if (i >= firstLeaf) { scanLeaf(tree, s, lo[i], hi[i], self); continue; }
    const l = 2 * i + 1, r = l + 1, dl = boxDist(tree, s, l), dr = boxDist(tree, s, r);
    // the farther child below the nearer (the left first on equal distances)
    if (dl <= dr) {
      if (!pruned(tree, s, dr, r)) { sn[sp] = r; sd[sp] = dr; sp++; }
      if (!pruned(tree, s, dl, l)) { sn[sp] = l; sd[sp] = dl; sp++; }
    } else {
      if (!pruned(tree, s, dl, l)) { sn[sp] = l; sd[sp] = dl; sp++; }
      if (!pruned(tree, s, dr, r)) { sn[sp] = r; sd[sp] = dr; sp++; }
    }
  }
}

/** The k nearest of the query (row s.qo of s.qs) among the tree's points except place
 *  `self` (-1: none). With a leaf `own` (-1: none): that leaf first, then bottom up, at
 *  each of its ancestors the other child's subtree (when its box is not pruned); else
 *  from the root. */
function knn(tree: KdTree, s: Search, self: number, own: number): void {
  s.bd.fill(Infinity);
  if (s.withIdx) s.bi.fill(0x7fffffff);
  s.worst = Infinity;
  if (own < 0) { descend(tree, s, 0, 0, self); return; }
  scanLeaf(tree, s, tree.lo[own], tree.hi[own], self);
  for (let node = own; node > 0; node = (node - 1) >> 1) {
    const sib = node & 1 ? node + 1 : node - 1, bdist = boxDist(tree, s, sib);
    if (!pruned(tree, s, bdist, sib)) descend(tree, s, sib, bdist, self);
  }
}

function checkK(fn: string, k: number, lo: number, hi: number): void {
  if (!Number.isInteger(k) || k < lo || k > hi) throw new RangeError(`${fn}: k = ${k} is not an integer in [${lo}, ${hi}]`);
}

/** #{u in the subtree of node `root`, u != t : dist∞(place u, place t) <= r}: boxes
 *  beyond r pruned, boxes within r counted whole, the other leaves scanned. */
function countSubtree(tree: KdTree, root: number, t: number, r: number, stack: Int32Array): number {
  const { d, pts, lo, hi, box, firstLeaf } = tree, w = 2 * d, q = t * d;
  let count = 0, sp = 1;
  stack[0] = root;
  while (sp > 0) {
    const i = stack[--sp], o = i * w;
    // the nearest and farthest max-norm distances of the box
    let near = 0, far = 0;
    for (let c = 0; c < d; c++) {
      const x = pts[q + c], mn = box[o + c], mx = box[o + d + c];
      near = Math.max(near, x < mn ? mn - x : x > mx ? x - mx : 0);
    }
    if (!(near <= r)) continue;
    for (let c = 0; c < d; c++) {
      const x = pts[q + c];
      far = Math.max(far, Math.abs(box[o + c] - x), Math.abs(box[o + d + c] - x));
    }
    const a = lo[i], b = hi[i];
    if (far <= r) { count += b - a - ((a <= t && t < b) as unknown as number); continue; }
    if (i >= firstLeaf) {
      for (let u = a; u < b; u++) {
        const o2 = u * d;
        let dist = 0;
        for (let c = 0; c < d; c++) dist = Math.max(dist, Math.abs(pts[o2 + c] - pts[q + c]));
        count += (dist <= r && u !== t) as unknown as number;
      }
      continue;
    }
    stack[sp++] = 2 * i + 1;
    stack[sp++] = 2 * i + 2;
  }
  return count;
}

/** The max-norm counts of countWithin for every point, in tree order: a point's own
 *  leaf, then bottom up the other child of each of its ancestors. */
function countAll(tree: KdTree, radius: Float64Array): Int32Array {
  const { n, perm, lo, hi, firstLeaf, nodes } = tree;
  const out = new Int32Array(n), stack = new Int32Array(2 * tree.depth + 4);
  for (let leaf = firstLeaf; leaf < nodes; leaf++) {
    for (let t = lo[leaf]; t < hi[leaf]; t++) {
      const r = radius[perm[t]];
      let count = countSubtree(tree, leaf, t, r, stack);
      for (let node = leaf; node > 0; node = (node - 1) >> 1) count += countSubtree(tree, node & 1 ? node + 1 : node - 1, t, r, stack);
      out[perm[t]] = count;
    }
  }
  return out;
}

export const twinKnnEngine: KnnEngine = {
  neighbours(p, k, norm, indices) {
    const n = p.n;
    checkK("neighbours", k, 1, n - 1);
    const tree = buildTree(p), s = newSearch(tree, k, norm, indices);
    const dist = new Float64Array(n), idx = indices ? new Int32Array(n * k) : undefined;
    const { lo, hi, perm, firstLeaf, nodes, d } = tree;
    for (let leaf = firstLeaf; leaf < nodes; leaf++) {
      for (let t = lo[leaf]; t < hi[leaf]; t++) {
        s.qo = t * d;
        knn(tree, s, t, leaf);
        const e = perm[t];
        dist[e] = s.worst;
        if (idx) {
          if (s.heap) heapSort(s.bd, s.bi, 0, s.k);
          idx.set(s.bi, e * k);
        }
      }
    }
    return idx ? { dist, idx } : { dist };
  },

  crossNeighbours(q, r, k, norm) {
    checkK("crossNeighbours", k, 1, r.n);
    if (q.d !== r.d) throw new RangeError(`crossNeighbours: the query points have ${q.d} coordinates, the reference ${r.d}`);
    const tree = buildTree(r), s = newSearch(tree, k, norm, false), d = q.d;
    const order = buildTree(q).perm, out = new Float64Array(q.n);
    s.qs = q.data;
    for (let t = 0; t < q.n; t++) {
      const e = order[t];
      s.qo = e * d;
      knn(tree, s, -1, -1);
      out[e] = s.worst;
    }
    return out;
  },

  countWithin(p, radius) {
    return countAll(buildTree(p), radius);
  },
};
