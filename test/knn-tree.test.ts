// The k-d tree engine (src/knn/twin.ts) against the brute-force oracle
// (test/helpers/knn-brute.ts): every k-th distance, every index list and every count
// equal, bit for bit (Object.is), in d = 1..8, n from 2 to 3000, k from 1 to
// min(64, n - 1) and large k (33 to 300: the heap), on data with ties (small
// integers), duplicate points, constant columns, clusters, negative zeros, huge (overflowing) and tiny (subnormal)
// magnitudes, for both norms; crossNeighbours with k up to r.n; countWithin with radii
// 0, the k-th distances, the doubles beside them, random radii and Infinity.
// A timing at n = 10^5, d = 3 is printed (not asserted).
import { describe, it, expect } from "vitest";
import { twinKnnEngine as T, buildTree, select, LEAF } from "../src/knn/twin.js";
import { bruteKnnEngine as B, distance, points, FAMILIES } from "./helpers/knn-brute.js";
import type { Norm, Points } from "../src/knn/api.js";
import { rng } from "./helpers/random.js";

const NORMS: Norm[] = ["chebyshev", "euclidean"];

/** The first place where two arrays differ (Object.is), or -1. */
function mismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function same(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  const m = mismatch(got, want);
  expect(m, `${label}: at ${m}, got ${m >= 0 ? got[m] : ""} want ${m >= 0 ? want[m] : ""}`).toBe(-1);
}

const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
/** The next double toward 0 (0 stays 0) and away from 0. */
function below(e: number): number { if (!(e > 0) || e === Infinity) return e > 0 ? Number.MAX_VALUE : 0; f64[0] = e; i64[0] -= 1n; return f64[0]; }
function above(e: number): number { if (e === Infinity) return e; f64[0] = e; i64[0] += 1n; return f64[0]; }

/** The ks tried at n: 1, 2, 3, a middle one, min(64, n - 1). */
function ksFor(n: number): number[] {
  const top = Math.min(64, n - 1);
  return [...new Set([1, 2, 3, 5, 17, top].filter((k) => k <= top))];
}

/** Checks neighbours (with and without indices) and countWithin for one point set. */
function checkSet(p: Points, seed: number, label: string, ks = ksFor(p.n)): void {
  const kmax = ks[ks.length - 1];
  for (const norm of NORMS) {
    // the oracle's ranking for the largest k gives every smaller k's lists (prefixes)
    const ref = B.neighbours(p, kmax, norm, true), refIdx = ref.idx!;
    for (const k of ks) {
      const wantIdx = new Int32Array(p.n * k), wantDist = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        for (let r = 0; r < k; r++) wantIdx[i * k + r] = refIdx[i * kmax + r];
        wantDist[i] = distance(p.data, i, p.data, refIdx[i * kmax + k - 1], p.d, norm);
      }
      if (k === kmax) same(`${label} ${norm} brute self-check`, ref.dist, wantDist);
      const plain = T.neighbours(p, k, norm, false);
      expect(plain.idx).toBeUndefined();
      same(`${label} ${norm} k=${k} dist`, plain.dist, wantDist);
      const full = T.neighbours(p, k, norm, true);
      same(`${label} ${norm} k=${k} dist (indices)`, full.dist, wantDist);
      same(`${label} ${norm} k=${k} idx`, full.idx!, wantIdx);
    }
  }
  // countWithin: radii from the max-norm k-th distances and the doubles beside them, 0, random, Infinity
  const r = rng(seed ^ 0x5eed);
  const ek = B.neighbours(p, ks[Math.floor(ks.length / 2)], "chebyshev", false).dist;
  const radius = new Float64Array(p.n).map((_, i) => {
    const e = ek[i];
    return [e, below(e), above(e), 0, e * r() * 2, below(below(e)), Infinity, 5e-324][i % 8];
  });
  const zeros = new Float64Array(p.n);
  const uniform = new Float64Array(p.n).fill(ek[0]);
  for (const [name, rad] of [["mixed radii", radius], ["zero radii", zeros], ["one radius", uniform]] as const) {
    same(`${label} countWithin ${name}`, T.countWithin(p, rad), B.countWithin(p, rad));
  }
}

describe("twinKnnEngine = brute force, bit for bit", () => {
  it("the brute-force oracle on a hand example", () => {
    // 1-D points 0, 1, 1, 3, -0: from 0 the others are at 1, 1, 3, 0; from 1 at 1, 0, 2, 1
    const p: Points = { data: Float64Array.of(0, 1, 1, 3, -0), n: 5, d: 1 };
    const b = B.neighbours(p, 2, "chebyshev", true);
    expect(Array.from(b.idx!.subarray(0, 2))).toEqual([4, 1]);
    expect(Array.from(b.idx!.subarray(2, 4))).toEqual([2, 0]);
    expect(Array.from(b.dist)).toEqual([1, 1, 1, 2, 1]);
    expect(Array.from(B.countWithin(p, Float64Array.of(0, 0, 2, 1, 1)))).toEqual([1, 1, 4, 0, 3]);
    expect(Array.from(B.crossNeighbours({ data: Float64Array.of(2), n: 1, d: 1 }, p, 5, "euclidean"))).toEqual([2]);
    expect(Array.from(T.neighbours(p, 2, "chebyshev", true).idx!)).toEqual(Array.from(b.idx!));
  });

  it("the tree's layout: complete, leaves of at most LEAF points, boxes bound their points", () => {
    for (const n of [1, 2, LEAF, LEAF + 1, 100, 1000, 4097]) {
      const p = points("mixed", n, 3, n), t = buildTree(p);
      expect(Math.ceil(n / 2 ** t.depth)).toBeLessThanOrEqual(LEAF);
      expect(t.depth === 0 || Math.ceil(n / 2 ** (t.depth - 1)) > LEAF).toBe(true);
      expect(Array.from(t.perm).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      for (let i = 0; i < t.nodes; i++) {
        if (i >= t.firstLeaf) expect(t.hi[i] - t.lo[i]).toBeGreaterThanOrEqual(n >= LEAF ? LEAF >> 1 : n);
        for (let u = t.lo[i]; u < t.hi[i]; u++) {
          for (let c = 0; c < 3; c++) {
            expect(t.pts[u * 3 + c]).toBeGreaterThanOrEqual(t.box[i * 6 + c]);
            expect(t.pts[u * 3 + c]).toBeLessThanOrEqual(t.box[i * 6 + 3 + c]);
          }
        }
      }
    }
  });

  it("the selection: the median under (value, index), rows kept with their index, with and without the sort fallback", () => {
    const r = rng(9);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(r() * 300), d = 1 + Math.floor(r() * 4), c = Math.floor(r() * d);
      const data = points(trial % 2 ? "ints" : "zeros", n, d, trial).data;
      const l = Math.floor(r() * n), rr = l + Math.floor(r() * (n - l)), m = l + Math.floor(r() * (rr - l + 1));
      const perm = Int32Array.from({ length: n }, (_, i) => i), pts = data.slice();
      select(perm, pts, d, c, l, rr, m, [0, 1, 2, 48][trial % 4]);
      const key = (t: number): [number, number] => [pts[t * d + c], perm[t]];
      const less = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
      for (let t = 0; t < n; t++) {
        for (let u = 0; u < d; u++) expect(Object.is(pts[t * d + u], data[perm[t] * d + u])).toBe(true);
        if (t < l || t > rr) expect(perm[t]).toBe(t);
        else if (t < m) expect(less(key(t), key(m))).toBe(true);
        else if (t > m) expect(less(key(m), key(t))).toBe(true);
      }
    }
  });

  for (let d = 1; d <= 8; d++) {
    it(`d = ${d}: every family, n from 2 to 700`, () => {
      let seed = 1000 * d;
      for (const family of FAMILIES) {
        for (const n of [2, 3, 5, 17, 33, 130, 700]) {
          seed++;
          checkSet(points(family, n, d, seed), seed, `d=${d} ${family} n=${n}`);
        }
      }
    });
  }

  it("n = 3000 (d = 1, 2, 3, 5, 8; ties (25 distinct points in d = 2), duplicates, clusters; uniform at large k below)", () => {
    let seed = 77;
    for (const [d, family] of [[1, "ints"], [2, "ints"], [3, "dups"], [5, "clusters"], [8, "zeros"]] as const) {
      seed++;
      checkSet(points(family, 3000, d, seed), seed, `d=${d} ${family} n=3000`);
    }
  });

  it("large k (the heap: k > HEAP_K, with indices k > HEAP_K_IDX): k = 33, 97, 100, 300 at n = 1000-2000, ties and duplicates", () => {
    let seed = 900;
    for (const [d, family, n] of [[2, "ints", 1000], [3, "dups", 2000], [4, "zeros", 1000], [5, "uniform", 1000]] as const) {
      seed++;
      checkSet(points(family, n, d, seed), seed, `large k d=${d} ${family} n=${n}`, [33, 97, 100, 300]);
    }
    for (const [d, family] of [[2, "ints"], [3, "dups"], [6, "uniform"]] as const) {
      seed++;
      const q = points(family, 300, d, seed), r = points(family, 1000, d, seed + 99999);
      for (let i = 0; i < 300; i += 3) for (let c = 0; c < d; c++) q.data[i * d + c] = r.data[i * d + c];
      for (const norm of NORMS) {
        for (const k of [33, 100, 300, 1000]) same(`large k cross d=${d} ${family} ${norm} k=${k}`, T.crossNeighbours(q, r, k, norm), B.crossNeighbours(q, r, k, norm));
      }
    }
  });

  it("d = 12 and d = 20 (beyond 8)", () => {
    for (const d of [12, 20]) {
      for (const family of ["uniform", "ints", "constant"] as const) checkSet(points(family, 300, d, d), d, `d=${d} ${family}`);
    }
  });

  it("crossNeighbours: every family, k up to r.n, query sets smaller and larger than the reference", () => {
    let seed = 5000;
    for (let d = 1; d <= 8; d++) {
      for (const family of FAMILIES) {
        for (const [nq, nr] of [[1, 1], [7, 3], [50, 200], [400, 37], [150, 600]]) {
          seed++;
          const q = points(family, nq, d, seed), r = points(family, nr, d, seed + 99999);
          // some queries exactly on reference points
          for (let i = 0; i < nq; i += 3) for (let c = 0; c < d; c++) q.data[i * d + c] = r.data[(i % nr) * d + c];
          for (const norm of NORMS) {
            for (const k of new Set([1, 2, 3, Math.min(64, nr), nr])) {
              if (k > nr) continue;
              same(`cross d=${d} ${family} ${nq}x${nr} ${norm} k=${k}`, T.crossNeighbours(q, r, k, norm), B.crossNeighbours(q, r, k, norm));
            }
          }
        }
      }
    }
  });

  it("degenerate sets: all points equal, n = 2, empty query sets and counts of one point", () => {
    for (const d of [1, 3, 8]) {
      for (const n of [2, 3, 40]) {
        const p: Points = { data: new Float64Array(n * d).fill(-0), n, d };
        checkSet(p, n, `all equal d=${d} n=${n}`);
      }
    }
    expect(T.crossNeighbours({ data: new Float64Array(0), n: 0, d: 2 }, points("uniform", 5, 2, 1), 5, "euclidean").length).toBe(0);
    expect(Array.from(T.countWithin({ data: Float64Array.of(1, 2), n: 1, d: 2 }, Float64Array.of(Infinity)))).toEqual([0]);
    expect(T.countWithin({ data: new Float64Array(0), n: 0, d: 3 }, new Float64Array(0)).length).toBe(0);
    expect(() => T.neighbours(points("uniform", 5, 2, 1), 5, "chebyshev", false)).toThrow(RangeError);
    expect(() => T.crossNeighbours(points("uniform", 5, 2, 1), points("uniform", 5, 2, 2), 6, "chebyshev")).toThrow(RangeError);
  });

  it("timing at n = 10^5, d = 3 (printed, not asserted)", () => {
    const n = 100_000, p = points("uniform", n, 3, 42), q = points("uniform", n, 3, 43);
    const time = (f: () => unknown): number => { const t0 = performance.now(); f(); return performance.now() - t0; };
    T.neighbours(points("uniform", 5000, 3, 1), 3, "chebyshev", false); // warm up
    const rows: string[] = [];
    let dist: Float64Array = new Float64Array(0);
    rows.push(`build ${time(() => buildTree(p)).toFixed(0)} ms`);
    rows.push(`neighbours k=3 chebyshev ${time(() => { dist = T.neighbours(p, 3, "chebyshev", false).dist; }).toFixed(0)} ms`);
    rows.push(`neighbours k=3 chebyshev + indices ${time(() => T.neighbours(p, 3, "chebyshev", true)).toFixed(0)} ms`);
    rows.push(`neighbours k=3 euclidean ${time(() => T.neighbours(p, 3, "euclidean", false)).toFixed(0)} ms`);
    const rad = dist.map(below);
    rows.push(`countWithin (radii below the k=3 distances) ${time(() => T.countWithin(p, rad)).toFixed(0)} ms`);
    rows.push(`crossNeighbours 10^5 x 10^5 k=1 euclidean ${time(() => T.crossNeighbours(q, p, 1, "euclidean")).toFixed(0)} ms`);
    // 25 distinct points, 4000 copies each: the indices' tie rule must not scan every copy
    const dup = points("ints", n, 2, 44);
    rows.push(`25 distinct points in d = 2: neighbours k=3 + indices ${time(() => T.neighbours(dup, 3, "chebyshev", true)).toFixed(0)} ms, countWithin r=0 ${time(() => T.countWithin(dup, new Float64Array(n))).toFixed(0)} ms`);
    console.log(`twinKnnEngine, n = 10^5, d = 3:\n  ${rows.join("\n  ")}`);
    expect(dist.length).toBe(n);
  });
});
