// The brute-force k-NN engine (O(n^2)): the oracle the k-d tree engines (src/knn/twin.ts,
// the WebAssembly engine) must equal bit for bit. Every distance is computed as the
// plan (docs/knn.md) states: chebyshev = max over c ascending of Math.abs(a_c - b_c),
// euclidean = Math.sqrt of the plain sum over c ascending of (a_c - b_c)^2; neighbours
// are ranked by (distance, index), the k-th distance is the k-th of the sorted list.
import type { KnnEngine, Norm, Points } from "../../src/knn/api.js";
import { rng } from "./random.js";

/** The distance between row i of a and row j of b (both of d coordinates). */
export function distance(a: Float64Array, i: number, b: Float64Array, j: number, d: number, norm: Norm): number {
  if (norm === "euclidean") {
    let s = 0;
    for (let c = 0; c < d; c++) { const x = a[i * d + c] - b[j * d + c]; s += x * x; }
    return Math.sqrt(s);
  }
  let m = 0;
  for (let c = 0; c < d; c++) m = Math.max(m, Math.abs(a[i * d + c] - b[j * d + c]));
  return m;
}

export const bruteKnnEngine: KnnEngine = {
  neighbours(p: Points, k: number, norm: Norm, indices: boolean) {
    const { data, n, d } = p;
    if (!(Number.isInteger(k) && k >= 1 && k < n)) throw new RangeError(`neighbours: k = ${k} with n = ${n}`);
    const dist = new Float64Array(n), idx = indices ? new Int32Array(n * k) : undefined;
    const all = new Float64Array(n - 1), order = new Int32Array(n - 1);
    for (let i = 0; i < n; i++) {
      for (let j = 0, m = 0; j < n; j++) if (j !== i) { all[m] = distance(data, i, data, j, d, norm); order[m] = j; m++; }
      if (idx) {
        // the candidates up to the k-th smallest distance, ranked by (distance, index)
        const kth = all.slice().sort()[k - 1];
        const ranked = Array.from(order).filter((j) => all[j < i ? j : j - 1] <= kth).sort((a, b) => {
          const da = all[a < i ? a : a - 1], db = all[b < i ? b : b - 1];
          return da < db ? -1 : da > db ? 1 : a - b;
        });
        for (let r = 0; r < k; r++) idx[i * k + r] = ranked[r];
        dist[i] = all[ranked[k - 1] < i ? ranked[k - 1] : ranked[k - 1] - 1];
      } else {
        dist[i] = all.slice().sort()[k - 1];
      }
    }
    return idx ? { dist, idx } : { dist };
  },

  crossNeighbours(q: Points, r: Points, k: number, norm: Norm) {
    if (!(Number.isInteger(k) && k >= 1 && k <= r.n)) throw new RangeError(`crossNeighbours: k = ${k} with r.n = ${r.n}`);
    const out = new Float64Array(q.n), all = new Float64Array(r.n);
    for (let i = 0; i < q.n; i++) {
      for (let j = 0; j < r.n; j++) all[j] = distance(q.data, i, r.data, j, q.d, norm);
      out[i] = all.slice().sort()[k - 1];
    }
    return out;
  },

  countWithin(p: Points, radius: Float64Array) {
    const { data, n, d } = p, out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let j = 0; j < n; j++) if (j !== i && distance(data, i, data, j, d, "chebyshev") <= radius[i]) c++;
      out[i] = c;
    }
    return out;
  },
};

/** The kinds of point sets the k-NN engine tests draw: ties, duplicates, constant columns, clusters, signed zeros,
 *  magnitudes at both ends of the range. */
export const FAMILIES = ["uniform", "ints", "dups", "constant", "clusters", "zeros", "huge", "tiny", "mixed"] as const;
export type Family = (typeof FAMILIES)[number];

/** n points of d coordinates of a family, from a seed. */
export function points(family: Family, n: number, d: number, seed: number): Points {
  const r = rng(seed), data = new Float64Array(n * d);
  const centres = Array.from({ length: 4 }, () => Array.from({ length: d }, () => 100 * r()));
  const pool = Math.max(1, Math.floor(n / 5));
  for (let i = 0; i < n; i++) {
    const centre = centres[Math.floor(r() * 4)];
    for (let c = 0; c < d; c++) {
      let v = r();
      switch (family) {
        case "ints": v = Math.floor(v * 5) - 2; break;
        case "dups": v = 0; break; // filled below
        case "constant": v = c % 2 === 1 ? 7.25 : Math.floor(v * 50); break;
        case "clusters": v = centre[c] + 1e-9 * (r() - 0.5); break;
        case "zeros": v = [0, -0, 1, -1, 0.5][Math.floor(v * 5)]; break;
        case "huge": v = (v < 0.5 ? -1 : 1) * 1.7e308 * r(); break;
        case "tiny": v = Math.floor(v * 9) * 5e-324 * (r() < 0.5 ? 1 : 1e10); break;
        case "mixed": v = [Math.floor(v * 3), 1e-300 * r(), 1e300 * r(), r(), -0][Math.floor(r() * 5)]; break;
        default: break;
      }
      data[i * d + c] = v;
    }
  }
  if (family === "dups") {
    // rows drawn from a pool of distinct random rows
    const base = new Float64Array(pool * d).map(() => Math.floor(r() * 1000) / 7);
    for (let i = 0; i < n; i++) { const j = Math.floor(r() * pool); for (let c = 0; c < d; c++) data[i * d + c] = base[j * d + c]; }
  }
  return { data, n, d };
}
