// The pure-TS twin of the mutual-information engine: the same algorithms as the
// WebAssembly kernels (compensated marginals, KL sums against outer products,
// dense contingency counting over the label range, a k-d tree and binary searches
// for KSG), in plain loops.
import type { MutualEngine } from "./mutual.js";
import { badValue } from "./validate.js";

/** Largest dense range product counted directly; wider label ranges are relabelled first. */
export const DENSE_CELLS = 1 << 22;

/** Order-preserving codes 0..k-1 of the distinct labels (for label ranges too wide to count densely). */
export function relabel(a: Int32Array): { codes: Int32Array; k: number } {
  const distinct = Int32Array.from(new Set(a)).sort();
  const code = new Map<number, number>();
  distinct.forEach((v, i) => code.set(v, i));
  return { codes: a.map((v) => code.get(v)!), k: distinct.length };
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
const LEAF = 16;

function select(idx: Int32Array, c: Float64Array, lo: number, hi: number, k: number): void {
  hi -= 1;
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    const a = c[idx[lo]], b = c[idx[mid]], d = c[idx[hi]];
    const pivot = a < b ? (b < d ? b : a < d ? d : a) : (a < d ? a : b < d ? d : b);
    let i = lo, j = hi;
    while (i <= j) {
      while (c[idx[i]] < pivot) i++;
      while (c[idx[j]] > pivot) j--;
      if (i <= j) { const t = idx[i]; idx[i] = idx[j]; idx[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function build(idx: Int32Array, x: Float64Array, y: Float64Array, lo: number, hi: number, depth: number): void {
  while (hi - lo > LEAF) {
    const mid = (lo + hi) >> 1;
    select(idx, depth & 1 ? y : x, lo, hi, mid);
    build(idx, x, y, lo, mid, depth + 1);
    lo = mid + 1;
    depth += 1;
  }
}

/** The k-th smallest max-norm distance from point `self` of the tree-ordered tx, ty to the others. */
function kthDistance(tx: Float64Array, ty: Float64Array, k: number, self: number, best: Float64Array, stack: Float64Array): number {
  best.fill(Infinity);
  let worst = Infinity;
  const qx = tx[self], qy = ty[self];
  const offer = (d: number) => {
    let i = k - 1;
    while (i > 0 && best[i - 1] > d) { best[i] = best[i - 1]; i--; }
    best[i] = d;
    worst = best[k - 1];
  };
  stack[0] = 0; stack[1] = tx.length; stack[2] = 0; stack[3] = 0;
  let sp = 1;
  while (sp > 0) {
    sp--;
    let lo = stack[4 * sp], hi = stack[4 * sp + 1], depth = stack[4 * sp + 2];
    if (stack[4 * sp + 3] >= worst) continue;
    while (hi - lo > LEAF) {
      const mid = (lo + hi) >> 1, mx = tx[mid], my = ty[mid];
      if (mid !== self) {
        const d = Math.max(Math.abs(mx - qx), Math.abs(my - qy));
        if (d < worst) offer(d);
      }
      const diff = depth & 1 ? qy - my : qx - mx, f = 4 * sp;
      if (diff < 0) { stack[f] = mid + 1; stack[f + 1] = hi; stack[f + 3] = -diff; hi = mid; }
      else { stack[f] = lo; stack[f + 1] = mid; stack[f + 3] = diff; lo = mid + 1; }
      depth += 1;
      stack[f + 2] = depth;
      sp++;
    }
    for (let i = lo; i < hi; i++) {
      if (i === self) continue;
      const d = Math.max(Math.abs(tx[i] - qx), Math.abs(ty[i] - qy));
      if (d < worst) offer(d);
    }
  }
  return worst;
}

/** #{j : |s_j - v| <= r} over sorted s, by binary search on the rounded differences. */
function countWithin(s: Float64Array, v: number, r: number): number {
  let lo = 0, hi = s.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (v - s[mid] <= r) hi = mid; else lo = mid + 1; }
  const first = lo;
  hi = s.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (s[mid] - v <= r) lo = mid + 1; else hi = mid; }
  return lo - first;
}

const bits = new Float64Array(1), word = new BigInt64Array(bits.buffer);
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
    let [minA, maxA] = rangeOf(a), [minB, maxB] = rangeOf(b);
    let ca = a, cb = b;
    if ((maxA - minA + 1) * (maxB - minB + 1) > DENSE_CELLS) {
      const ra = relabel(a), rb = relabel(b);
      ca = ra.codes; cb = rb.codes; minA = 0; maxA = ra.k - 1; minB = 0; maxB = rb.k - 1;
    }
    const rangeB = maxB - minB + 1, rowsN = maxA - minA + 1;
    const counts = new Uint32Array(rowsN * rangeB);
    for (let i = 0; i < ca.length; i++) counts[(ca[i] - minA) * rangeB + (cb[i] - minB)]++;
    return compress(counts, rowsN, rangeB);
  },

  ksg(x, y, k) {
    const n = x.length, idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    build(idx, x, y, 0, n, 0);
    const tx = new Float64Array(n), ty = new Float64Array(n);
    for (let t = 0; t < n; t++) { tx[t] = x[idx[t]]; ty[t] = y[idx[t]]; }
    const sx = x.slice().sort(), sy = y.slice().sort();
    const nx = new Int32Array(n), ny = new Int32Array(n), best = new Float64Array(k), stack = new Float64Array(4 * 128);
    for (let t = 0; t < n; t++) {
      const r = below(kthDistance(tx, ty, k, t, best, stack));
      nx[idx[t]] = countWithin(sx, tx[t], r) - 1;
      ny[idx[t]] = countWithin(sy, ty[t], r) - 1;
    }
    return { nx, ny };
  },
};
