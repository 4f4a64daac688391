// The pure-TS twin of the mutual-information engine: the same algorithms as the
// WebAssembly kernels (compensated marginals, KL sums against outer products,
// dense contingency counting over the label range, and for KSG a radix sort, a k-d
// tree and windowed binary searches), in plain loops.
import type { MutualEngine } from "./api.js";
import { badValue, finiteCopy } from "../core/validate.js";

/** Largest dense range product counted directly; wider label ranges are relabelled first. */
export const DENSE_CELLS = 1 << 22;

/** Whether the WebAssembly engine's dedicated 1-D KSG kernels (src/mutual/wasm.ts ksg, ksgAgainst) take n rows and k
 *  neighbours (below 64 rows or above 64 neighbours: the twin's counts, which are the same). */
export const ksgKernelTakes = (n: number, k: number): boolean => n >= 64 && k <= 64;

/** Order-preserving codes 0..k-1 of the distinct labels: for label ranges too wide to count densely,
 *  and for integer labels beyond int32 (api.ts toLabels). */
export function relabel(a: ArrayLike<number>): { codes: Int32Array; k: number } {
  const distinct = Float64Array.from(new Set(Array.from(a))).sort();
  const code = new Map<number, number>();
  distinct.forEach((v, i) => code.set(v, i));
  return { codes: Int32Array.from(a, (v) => code.get(v)!), k: distinct.length };
}

/** The labels to count densely, [a, b, min a, min b, rows, cols]: as they are, over their ranges [lo, hi],
 *  or relabelled to codes 0..k-1 where the ranges' product is beyond DENSE_CELLS (both engines' contingency). */
export function denseLabels(a: Int32Array, b: Int32Array, [minA, maxA]: number[], [minB, maxB]: number[]):
  [Int32Array, Int32Array, number, number, number, number] {
  if ((maxA - minA + 1) * (maxB - minB + 1) <= DENSE_CELLS) return [a, b, minA, minB, maxA - minA + 1, maxB - minB + 1];
  const ra = relabel(a), rb = relabel(b);
  return [ra.codes, rb.codes, 0, 0, ra.k, rb.k];
}

/** The range of int32 labels: [min, max]. */
export function rangeOf(a: Int32Array): [number, number] {
  let lo = 2147483647, hi = -2147483648;
  for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

/** Drops the empty rows and columns of a dense rows x cols count table. */
export function compress(counts: ArrayLike<number>, rows: number, cols: number): { counts: Float64Array; rows: number; cols: number } {
  const rowUsed: number[] = [], colUsed = new Uint8Array(cols);
  for (let i = 0; i < rows; i++) {
    let any = false;
    for (let j = 0; j < cols; j++) if (counts[i * cols + j] > 0) { any = true; colUsed[j] = 1; }
    if (any) rowUsed.push(i);
  }
  const colIdx: number[] = [];
  colUsed.forEach((u, j) => { if (u) colIdx.push(j); });
  const out = new Float64Array(rowUsed.length * colIdx.length);
  rowUsed.forEach((i, r) => colIdx.forEach((j, c) => { out[r * colIdx.length + c] = counts[i * cols + j]; }));
  return { counts: out, rows: rowUsed.length, cols: colIdx.length };
}

// ---------------------------------------------------------------- KSG (same algorithm as assembly/mutual.ts)
const LEAF = 32;
/** 1 for true, 0 for false (as a number, for branch-free index arithmetic). */
const bit = (c: boolean): number => c as unknown as number;

/** The implicit k-d tree over the places [lo, hi), from px sorted by x and py by y:
 *  each node splits the coordinate with the wider spread (axis[mid]: 0 x, 1 y) at the
 *  median of its list, and the other list by a stable branch-free partition (as
 *  assembly/mutual.ts build). */
function build(px: Int32Array, py: Int32Array, x: Float64Array, y: Float64Array, tmp: Int32Array,
               side: Uint8Array, axis: Uint8Array, lo: number, hi: number): void {
  while (hi - lo > LEAF) {
    const mid = (lo + hi) >> 1;
    const byY = y[py[hi - 1]] - y[py[lo]] > x[px[hi - 1]] - x[px[lo]];
    axis[mid] = bit(byY);
    const a = byY ? py : px, b = byY ? px : py;
    for (let j = lo; j < hi; j++) side[a[j]] = bit(j > mid) | (bit(j === mid) << 1);
    let l = lo, r = mid + 1;
    for (let j = lo; j < hi; j++) {
      const p = b[j], f = side[p];
      tmp[f === 2 ? mid : l + ((r - l) & -f)] = p;
      l += bit(f === 0);
      r += bit(f === 1);
    }
    b.set(tmp.subarray(lo, hi), lo);
    build(px, py, x, y, tmp, side, axis, lo, mid);
    lo = mid + 1;
  }
}

/** The state of one KSG count: the tree-ordered points, the sorted coordinates and
 *  each point's place in them (by tree order), the current query's k best distances
 *  (ascending). */
interface Ksg {
  n: number; k: number; idx: Int32Array; tx: Float64Array; ty: Float64Array;
  sx: Float64Array; sy: Float64Array; rx: Int32Array; ry: Int32Array; nx: Int32Array; ny: Int32Array;
  axis: Uint8Array; best: Float64Array; worst: number; stack: Float64Array; radii: Float64Array;
}

/** Inserts d (below the k-th) into the sorted k best. The WebAssembly kernel merges
 *  branch-free instead (best'[j] = max(best[j-1], min(best[j], d)), two slots a lane);
 *  in plain JS that network runs no faster at k = 3 and 15% slower at k = 10, so the
 *  twin keeps this loop: the same k best, the same search. */
function offer(s: Ksg, d: number): void {
  const best = s.best;
  let i = s.k - 1;
  while (i > 0 && best[i - 1] > d) { best[i] = best[i - 1]; i--; }
  best[i] = d;
  s.worst = best[s.k - 1];
}

/** Offers the points [lo, hi), except `self`, to the query (qx, qy). */
function scanLeaf(s: Ksg, lo: number, hi: number, self: number, qx: number, qy: number): void {
  const tx = s.tx, ty = s.ty;
  for (let i = lo; i < hi; i++) {
    const d = Math.max(Math.abs(tx[i] - qx), Math.abs(ty[i] - qy));
    if (d < s.worst && i !== self) offer(s, d);
  }
}

/** The k nearest distances of point `self` of the tree order: its own leaf [own, ownHi)
 *  first (own = -1 for an internal node's point), then depth-first from the root. */
function knn(s: Ksg, self: number, own: number, ownHi: number): void {
  const tx = s.tx, ty = s.ty, axis = s.axis, stack = s.stack, qx = tx[self], qy = ty[self];
  if (own >= 0) scanLeaf(s, own, ownHi, self, qx, qy);
  stack[0] = 0; stack[1] = s.n; stack[2] = 0;
  let sp = 1;
  while (sp > 0) {
    sp--;
    let lo = stack[3 * sp], hi = stack[3 * sp + 1];
    if (stack[3 * sp + 2] >= s.worst) continue;
    while (hi - lo > LEAF) {
      const mid = (lo + hi) >> 1, mx = tx[mid], my = ty[mid];
      if (mid !== self) {
        const d = Math.max(Math.abs(mx - qx), Math.abs(my - qy));
        if (d < s.worst) offer(s, d);
      }
      const diff = axis[mid] ? qy - my : qx - mx, f = 3 * sp;
      if (diff < 0) { stack[f] = mid + 1; stack[f + 1] = hi; stack[f + 2] = -diff; hi = mid; }
      else { stack[f] = lo; stack[f + 1] = mid; stack[f + 2] = diff; lo = mid + 1; }
      sp++;
    }
    if (lo !== own) scanLeaf(s, lo, hi, self, qx, qy);
  }
}

const WIN = 1024;

/** First j in [lo, hi) with v - s_j <= r (hi if none). */
function lowerEnd(s: Float64Array, lo: number, hi: number, v: number, r: number): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (v - s[mid] <= r) hi = mid; else lo = mid + 1; }
  return lo;
}

/** First j in [lo, hi) with s_j - v > r (hi if none). */
function upperEnd(s: Float64Array, lo: number, hi: number, v: number, r: number): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (s[mid] - v <= r) lo = mid + 1; else hi = mid; }
  return lo;
}

/** An end whose window ran out, searched for past it (as assembly/mutual.ts fixEnd): a
 *  lower end e at its window's start `edge` > 0 with the place before it also within r,
 *  or an upper end at its window's end `edge` < n; else e as it is. */
function fixEnd(s: Float64Array, e: number, edge: number, n: number, v: number, r: number, upper: boolean): number {
  if (upper) return e === edge && e < n ? upperEnd(s, e, n, v, r) : e;
  return e === edge && edge > 0 && v - s[edge - 1] <= r ? lowerEnd(s, 0, edge, v, r) : e;
}

/** The counts of points t and u of the tree order (u may be t) within rt and ru,
 *  #{j != t : |x_j - x_t| <= rt} and likewise y, into nx, ny at their input indices:
 *  branch-free searches in the WIN places beside each point's own, the eight
 *  interleaved (as assembly/mutual.ts countPair), beyond the window only when it is
 *  too narrow. */
function countPair(s: Ksg, t: number, rt: number, u: number, ru: number): void {
  const { n, sx, sy } = s, w = Math.min(WIN, n);
  const xt = s.tx[t], yt = s.ty[t], xu = s.tx[u], yu = s.ty[u];
  const axt = Math.min(Math.max(s.rx[t] - w + 1, 0), n - w), bxt = Math.min(s.rx[t], n - w);
  const ayt = Math.min(Math.max(s.ry[t] - w + 1, 0), n - w), byt = Math.min(s.ry[t], n - w);
  const axu = Math.min(Math.max(s.rx[u] - w + 1, 0), n - w), bxu = Math.min(s.rx[u], n - w);
  const ayu = Math.min(Math.max(s.ry[u] - w + 1, 0), n - w), byu = Math.min(s.ry[u], n - w);
  let lxt = axt, uxt = bxt, lyt = ayt, uyt = byt, lxu = axu, uxu = bxu, lyu = ayu, uyu = byu;
  let len = w;
  while (len > 1) {
    const h = len >> 1;
    lxt += h & -bit(xt - sx[lxt + h] > rt);
    uxt += h & -bit(sx[uxt + h] - xt <= rt);
    lyt += h & -bit(yt - sy[lyt + h] > rt);
    uyt += h & -bit(sy[uyt + h] - yt <= rt);
    lxu += h & -bit(xu - sx[lxu + h] > ru);
    uxu += h & -bit(sx[uxu + h] - xu <= ru);
    lyu += h & -bit(yu - sy[lyu + h] > ru);
    uyu += h & -bit(sy[uyu + h] - yu <= ru);
    len -= h;
  }
  lxt += bit(xt - sx[lxt] > rt); uxt += bit(sx[uxt] - xt <= rt);
  lyt += bit(yt - sy[lyt] > rt); uyt += bit(sy[uyt] - yt <= rt);
  lxu += bit(xu - sx[lxu] > ru); uxu += bit(sx[uxu] - xu <= ru);
  lyu += bit(yu - sy[lyu] > ru); uyu += bit(sy[uyu] - yu <= ru);
  const it = s.idx[t], iu = s.idx[u];
  s.nx[it] = fixEnd(sx, uxt, bxt + w, n, xt, rt, true) - fixEnd(sx, lxt, axt, n, xt, rt, false) - 1;
  s.ny[it] = fixEnd(sy, uyt, byt + w, n, yt, rt, true) - fixEnd(sy, lyt, ayt, n, yt, rt, false) - 1;
  s.nx[iu] = fixEnd(sx, uxu, bxu + w, n, xu, ru, true) - fixEnd(sx, lxu, axu, n, xu, ru, false) - 1;
  s.ny[iu] = fixEnd(sy, uyu, byu + w, n, yu, ru, true) - fixEnd(sy, lyu, ayu, n, yu, ru, false) - 1;
}

/** Point t's search (in the leaf [own, ownHi), or own = -1): its radius, the largest
 *  double below its k-th distance. */
function search(s: Ksg, t: number, own: number, ownHi: number): number {
  s.best.fill(Infinity);
  s.worst = Infinity;
  knn(s, t, own, ownHi);
  return below(s.worst);
}

/** The searches and counts of the subtree [lo, hi), in tree order, a leaf's counts two
 *  points at a time. */
function queries(s: Ksg, lo: number, hi: number): void {
  while (hi - lo > LEAF) {
    const mid = (lo + hi) >> 1;
    queries(s, lo, mid);
    const r = search(s, mid, -1, 0);
    countPair(s, mid, r, mid, r);
    lo = mid + 1;
  }
  const radii = s.radii;
  for (let t = lo; t < hi; t++) radii[t - lo] = search(s, t, lo, hi);
  for (let t = lo; t < hi; t += 2) {
    const u = Math.min(t + 1, hi - 1);
    countPair(s, t, radii[t - lo], u, radii[u - lo]);
  }
}

/** v sorted ascending into out, rank[i] = the place of v[i], and the order (the points
 *  by place) returned (ties in input order):
 *  the stable LSD radix sort of assembly/mutual.ts on order-preserving keys, as two
 *  32-bit halves, a byte a pass, skipping the bytes all keys share. */
function argsort(v: Float64Array, out: Float64Array, rank: Int32Array): Int32Array {
  const n = v.length, words = new Uint32Array(v.buffer, v.byteOffset, 2 * n);
  let lo = new Uint32Array(n), hi = new Uint32Array(n), ix = new Int32Array(n);
  let lo2 = new Uint32Array(n), hi2 = new Uint32Array(n), ix2 = new Int32Array(n);
  const hist = new Uint32Array(8 * 256);
  for (let i = 0; i < n; i++) {
    const h0 = words[2 * i + 1], m = h0 >> 31, l = words[2 * i] ^ m, h = h0 ^ (m | 0x80000000);
    lo[i] = l; hi[i] = h; ix[i] = i;
    hist[l & 0xff]++; hist[256 + ((l >>> 8) & 0xff)]++; hist[512 + ((l >>> 16) & 0xff)]++; hist[768 + (l >>> 24)]++;
    hist[1024 + (h & 0xff)]++; hist[1280 + ((h >>> 8) & 0xff)]++; hist[1536 + ((h >>> 16) & 0xff)]++; hist[1792 + (h >>> 24)]++;
  }
  for (let p = 0; p < 8; p++) {
    const base = 256 * p, shift = (p & 3) * 8, src = p < 4 ? lo : hi;
    if (hist[base + ((src[0] >>> shift) & 0xff)] === n) continue;
    for (let b = 0, sum = 0; b < 256; b++) { const c = hist[base + b]; hist[base + b] = sum; sum += c; }
    for (let i = 0; i < n; i++) {
      const pos = hist[base + ((src[i] >>> shift) & 0xff)]++;
      lo2[pos] = lo[i]; hi2[pos] = hi[i]; ix2[pos] = ix[i];
    }
    [lo, lo2] = [lo2, lo]; [hi, hi2] = [hi2, hi]; [ix, ix2] = [ix2, ix];
  }
  for (let i = 0; i < n; i++) { out[i] = v[ix[i]]; rank[ix[i]] = i; }
  return ix;
}

const bits = new Float64Array(1), word = new BigInt64Array(bits.buffer);

/** The population standard deviation of x, each value times f: two sequential passes,
 *  the mean then the squares (assembly/mutual.ts stdScaled, the same order and bits). */
function stdScaled(x: Float64Array, f: number): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] * f;
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) { const d = x[i] * f - m; s += d * d; }
  return Math.sqrt(s / n);
}

/** scikit-learn's scale for one vector: its population standard deviation, or 1 when
 *  that is below 10 eps (_handle_zeros_in_scale). Sums that overflow (|x| above ~1e154)
 *  are redone on x times the power of two that brings the largest |x| into [1, 2). */
export function stdOrOne(x: Float64Array): number {
  let sd = stdScaled(x, 1);
  if (!(sd < Infinity)) {
    let top = 0;
    for (let i = 0; i < x.length; i++) top = Math.max(top, Math.abs(x[i]));
    bits[0] = top;
    const e = Number((word[0] >> 52n) & 0x7ffn) - 1023;
    sd = stdScaled(x, 2 ** -e) * 2 ** e;
  }
  return sd >= 10 * Number.EPSILON ? sd : 1;
}

/** x[i] /= d, in place. */
function divide(x: Float64Array, d: number): void {
  for (let i = 0; i < x.length; i++) x[i] /= d;
}

/** The largest double below e > 0, or 0 for e = 0 (numpy.nextafter(e, 0)). */
export function below(e: number): number {
  if (!(e > 0)) return 0;
  bits[0] = e;
  word[0] -= 1n;
  return bits[0];
}

export const referenceMutualEngine: MutualEngine = {
  marginals(fn, name, t, rows, cols) {
    const a = new Float64Array(rows), b = new Float64Array(cols), bc = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      let s = 0, c = 0;
      for (let j = 0; j < cols; j++) {
        const v = t[i * cols + j];
        if (typeof v !== "number" || !(v >= 0 && v < Infinity)) throw badValue(fn, name, t, i * cols + j);
        let u = s + v;
        c += s >= v ? (s - u) + v : (v - u) + s;
        s = u;
        const w = b[j];
        u = w + v;
        bc[j] += w >= v ? (w - u) + v : (v - u) + w;
        b[j] = u;
      }
      a[i] = s + c;
    }
    for (let j = 0; j < cols; j++) b[j] += bc[j];
    return { a, b };
  },

  klOuter(_fn, t, rows, cols, alpha, beta, total) {
    let s = 0, c = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = t[i * cols + j];
        if (v > 0) {
          // (t / alpha)(N / beta), or a sum of logs where that under- or overflows
          const ratio = (v / alpha[i]) * (total / beta[j]);
          const lr = ratio > 0 && ratio < Infinity ? Math.log(ratio)
            : Math.log(v) - Math.log(alpha[i]) + (Math.log(total) - Math.log(beta[j]));
          const term = v * lr, u = s + term;
          c += Math.abs(s) >= Math.abs(term) ? (s - u) + term : (term - u) + s;
          s = u;
        }
      }
    }
    return s + c;
  },

  contingency(_fn, a, b) {
    const [ca, cb, minA, minB, rowsN, rangeB] = denseLabels(a, b, rangeOf(a), rangeOf(b));
    const counts = new Uint32Array(rowsN * rangeB);
    for (let i = 0; i < ca.length; i++) counts[(ca[i] - minA) * rangeB + (cb[i] - minB)]++;
    return compress(counts, rowsN, rangeB);
  },

  ksg(fn, x0, y0, k, scale) {
    const x = finiteCopy(fn, "x", x0), y = finiteCopy(fn, "y", y0), n = x.length;
    if (scale) {
      divide(x, stdOrOne(x));
      divide(y, stdOrOne(y));
    }
    const sx = new Float64Array(n), sy = new Float64Array(n), rx = new Int32Array(n), ry = new Int32Array(n);
    const idx = argsort(x, sx, rx), byY = argsort(y, sy, ry);
    const axis = new Uint8Array(n);
    build(idx, byY, x, y, new Int32Array(n), new Uint8Array(n), axis, 0, n);
    // the points and their ranks in tree order
    const tx = new Float64Array(n), ty = new Float64Array(n), trx = new Int32Array(n), try_ = new Int32Array(n);
    for (let t = 0; t < n; t++) { const i = idx[t]; tx[t] = x[i]; ty[t] = y[i]; trx[t] = rx[i]; try_[t] = ry[i]; }
    const nx = new Int32Array(n), ny = new Int32Array(n);
    const s: Ksg = { n, k, idx, tx, ty, sx, sy, rx: trx, ry: try_, nx, ny, axis, best: new Float64Array(k), worst: Infinity, stack: new Float64Array(3 * 128),
      radii: new Float64Array(LEAF) };
    queries(s, 0, n);
    return { nx, ny };
  },
};
