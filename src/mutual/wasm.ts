// The mutual-information engine on WebAssembly: row sums and KL sums through the
// shared span kernels (sumRows, klRows), column sums, label ranges, pair counts and
// KSG neighbour counts through assembly/mutual.ts. Inputs that must be resident go
// to the private instance (src/wasm.ts); label arrays are streamed through it.
import type { MutualEngine } from "./api.js";
import type { TargetKsg } from "../knn/api.js";
import { referenceMutualEngine, denseLabels, compress, ksgKernelTakes } from "./twin.js";
import { runRows, privateSlab, PLAIN, SMALL, MIN_NORMAL_F64 } from "../core/wasm.js";
import { findBad, badValue, checkFinite, lengthOf, range, type Vector } from "../core/validate.js";
import { compensatedSum } from "../core/sum.js";

/** Cells (or labels) copied into WebAssembly memory per kernel call. */
const BLOCK = 1 << 16;
// the radix sort's histograms in ksgCounts (assembly/mutual.ts HIST_BYTES)
const HIST_BYTES = 8 * 256 * 4;

// the KSG's arrays in the private instance, bytes from heapStart: X, Y, TX, TY, SX, SY (8n each; TY right after
// TX, SX after TY: the leaf scans read one place past their end), IDX, RX, RY, OY, RYT, NX, NY (4n each), AXIS, HIST,
// then the grid's work space (assembly/mutual.ts gridCounts: at most 4 (n / 3 + 2) + 32 sqrt(n) + 12 n + 16 * 4096 + 32)
const gridBytes = (n: number) => 14 * n + 32 * Math.ceil(Math.sqrt(n)) + 16 * 4096 + 64;
const ksgBytes = (n: number) => 76 * n + ((n + 7) & ~7) + HIST_BYTES + gridBytes(n) + 64;
function ksgLayout(slab: { heapStart: number }, n: number): number[] {
  const X = slab.heapStart, Y = X + 8 * n, TX = Y + 8 * n, TY = TX + 8 * n, SX = TY + 8 * n, SY = SX + 8 * n;
  const IDX = SY + 8 * n, RX = IDX + 4 * n, RY = RX + 4 * n, OY = RY + 4 * n, RYT = OY + 4 * n, NX = RYT + 4 * n;
  const NY = NX + 4 * n, AXIS = NY + 4 * n, HIST = AXIS + ((n + 7) & ~7);
  return [X, Y, TX, TY, SX, SY, IDX, RX, RY, OY, RYT, NX, NY, AXIS, HIST];
}

/** The counts the KSG kernels left at NX, NY, copied out. */
const ksgOut = (slab: { buffer: ArrayBuffer }, NX: number, NY: number, n: number) =>
  ({ nx: new Int32Array(slab.buffer, NX, n).slice(), ny: new Int32Array(slab.buffer, NY, n).slice() });

/** The mutual module's exports for many features against one target (assembly/mutual.ts). */
const firstBad = (fn: string, name: string, t: Vector) => () => {
  const i = findBad(t);
  if (i >= 0) throw badValue(fn, name, t, i);
};

/** t[start, start + count) as something Float64Array.set and runRows accept without copying typed arrays. */
function part(t: Vector, start: number, count: number): Vector {
  // tables reach the engine as typed arrays (api.ts reads plain arrays once, into copies)
  return start === 0 && count === lengthOf(t) ? t : range(t, start, count); // through t's slots (validate.ts)
}

export const wasmMutualEngine: MutualEngine & TargetKsg = {
  marginals(fn, name, t, rows, cols) {
    if (t.length < SMALL) return referenceMutualEngine.marginals(fn, name, t, rows, cols);
    const a = runRows(fn, "sumRows", t, undefined, rows, cols, PLAIN, new Float64Array(rows), firstBad(fn, name, t));
    // column sums: rows streamed in blocks (a row longer than a block in segments)
    const seg = Math.min(cols, BLOCK);
    const slab = privateSlab(8 * (2 * cols + seg));
    slab.owner = undefined;
    const base = slab.heapStart >> 3, sum = base, comp = base + cols, blk = comp + cols;
    slab.f64.fill(0, sum, blk);
    const perBlock = Math.max(1, Math.floor(BLOCK / cols));
    if (cols <= BLOCK) {
      for (let r = 0; r < rows; r += perBlock) {
        const nr = Math.min(perBlock, rows - r);
        slab.f64.set(part(t, r * cols, nr * cols) as ArrayLike<number>, blk);
        slab.exports.colSums(blk << 3, nr, cols, sum << 3, comp << 3);
      }
    } else {
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j += seg) {
          const len = Math.min(seg, cols - j);
          slab.f64.set(part(t, r * cols + j, len) as ArrayLike<number>, blk);
          slab.exports.colSums(blk << 3, 1, len, (sum + j) << 3, (comp + j) << 3);
        }
      }
    }
    const b = slab.f64.slice(sum, comp);
    for (let j = 0; j < cols; j++) b[j] += slab.f64[comp + j];
    return { a, b };
  },

  klOuter(fn, t, rows, cols, alpha, beta, total) {
    if (t.length < SMALL) return referenceMutualEngine.klOuter(fn, t, rows, cols, alpha, beta, total);
    // q = alpha_i (beta_j / N) >= t_ij: it can only underflow when the marginals span
    // more than ~2^1000; such tables take the twin's overflow-safe logs
    const betaS = beta.map((v) => v / total);
    let aMin = Infinity, bMin = Infinity;
    for (const v of alpha) if (v > 0) aMin = Math.min(aMin, v);
    for (const v of betaS) if (v > 0) bMin = Math.min(bMin, v);
    if (!(aMin * bMin >= 2 ** -1000)) return referenceMutualEngine.klOuter(fn, t, rows, cols, alpha, beta, total);
    const perBlock = Math.max(1, Math.floor(BLOCK / cols));
    const q = new Float64Array(Math.min(rows, perBlock) * cols), out = new Float64Array(Math.min(rows, perBlock));
    const sums: number[] = [];
    for (let r = 0; r < rows; r += perBlock) {
      const nr = Math.min(perBlock, rows - r);
      for (let i = 0; i < nr; i++) {
        const ai = alpha[r + i];
        for (let j = 0; j < cols; j++) q[i * cols + j] = ai * betaS[j];
      }
      const tb = part(t, r * cols, nr * cols);
      // q > 0 wherever t > 0 (alpha_i, beta_j >= t_ij): the lower clip only guards underflow
      runRows(fn, "klRows", tb, q.subarray(0, nr * cols), nr, cols, { lo: MIN_NORMAL_F64, hi: Infinity, a: 0, b: 0, clips: true },
        out.subarray(0, nr), firstBad(fn, "pxy", t));
      for (let i = 0; i < nr; i++) sums.push(out[i]);
    }
    return compensatedSum(sums);
  },

  contingency(fn, a, b) {
    const n = a.length;
    if (n < 4096) return referenceMutualEngine.contingency(fn, a, b);
    let slab = privateSlab(8 + 8 * BLOCK);
    slab.owner = undefined;
    const i32 = () => new Int32Array(slab.buffer);
    const R = slab.heapStart, A = R + 8, B = A + 4 * BLOCK;
    const range = (x: Int32Array): [number, number] => {
      const v = i32();
      v[R >> 2] = 2147483647; v[(R >> 2) + 1] = -2147483648;
      for (let s = 0; s < n; s += BLOCK) {
        const len = Math.min(BLOCK, n - s);
        v.set(x.subarray(s, s + len), A >> 2);
        slab.exports.labelRange(A, len, R);
      }
      return [v[R >> 2], v[(R >> 2) + 1]];
    };
    const [ca, cb, minA, minB, rowsN, rangeB] = denseLabels(a, b, range(a), range(b)), cells = rowsN * rangeB;
    slab = privateSlab(8 + 8 * BLOCK + 4 * cells);
    slab.owner = undefined;
    const C = B + 4 * BLOCK;
    const v = i32();
    v.fill(0, C >> 2, (C >> 2) + cells);
    for (let s = 0; s < n; s += BLOCK) {
      const len = Math.min(BLOCK, n - s);
      v.set(ca.subarray(s, s + len), A >> 2);
      v.set(cb.subarray(s, s + len), B >> 2);
      slab.exports.countPairs(A, B, len, minA, minB, rangeB, C);
    }
    return compress(new Uint32Array(slab.buffer, C, cells), rowsN, rangeB);
  },

  ksg(fn, x, y, k, scale) {
    const n = x.length;
    if (!ksgKernelTakes(n, k)) return referenceMutualEngine.ksg(fn, x, y, k, scale);
    const slab = privateSlab(ksgBytes(n));
    const [X, Y, TX, TY, SX, SY, IDX, RX, RY, , , NX, NY, AXIS, HIST] = ksgLayout(slab, n);
    slab.owner = undefined;
    // each input checked whole (x before y, as the twin): a plain array's entry types
    // first (typed arrays hold numbers), then finiteness in the module
    for (const [name, v, to] of [["x", x, X], ["y", y, Y]] as const) {
      if (Array.isArray(v)) checkFinite(fn, name, v);
      slab.f64.set(v, to >> 3);
      if (slab.exports.ksgSamples(to, n, scale ? 1 : 0)) checkFinite(fn, name, v);
    }
    slab.exports.ksgCounts(X, Y, n, k, IDX, TX, TY, SX, SY, RX, RY, NX, NY, AXIS, HIST);
    return ksgOut(slab, NX, NY, n);
  },

  ksgAgainst(y, k) {
    const n = y.length;
    if (!ksgKernelTakes(n, k)) return undefined;
    // y sorted once (ksgTarget); again only when another caller has used the private instance meanwhile
    const owner = {};
    return (x, scale) => {
      const slab = privateSlab(ksgBytes(n)), e = slab.exports;
      const [X, Y, TX, TY, SX, SY, IDX, RX, RY, OY, RYT, NX, NY, AXIS, HIST] = ksgLayout(slab, n);
      if (slab.owner !== owner) {
        slab.f64.set(y, Y >> 3);
        e.ksgTarget(Y, n, SY, RY, OY, TX, TY, NX, HIST);
        slab.owner = owner;
      }
      slab.f64.set(x, X >> 3);
      if (scale) slab.exports.ksgSamples(X, n, 1);
      e.ksgFeature(X, Y, n, k, IDX, TX, TY, SX, SY, RX, RY, OY, RYT, NX, NY, AXIS, HIST);
      return ksgOut(slab, NX, NY, n);
    };
  },
};
