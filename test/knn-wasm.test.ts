// The WebAssembly k-NN engine (src/knn/wasm.ts, assembly/knn.ts) against the pure-TS twin (src/knn/twin.ts, itself
// checked against brute force in test/knn-tree.test.ts): every k-th distance, index list and count equal, bit for
// bit (Object.is), over the same kinds of data as knn-tree.test.ts (ties, duplicates, constant columns, clusters,
// negative zeros, huge and tiny magnitudes, both norms), fewer and lighter cases, and large k (the heap). The
// crossover is set to 0 so that the WebAssembly engine runs every case. Timings at n = 10^5, d = 3 are printed (not
// asserted).
import { describe, it, expect, afterAll } from "vitest";
import { twinKnnEngine as T } from "../src/knn/twin.js";
import { wasmKnnEngine as W, setKnnSmall, SMALL_N } from "../src/knn/wasm.js";
import "../src/knn/provision.js";
import type { Norm, Points } from "../src/knn/api.js";
import { rng } from "./helpers/random.js";
import { points, FAMILIES } from "./helpers/knn-brute.js";

const NORMS: Norm[] = ["chebyshev", "euclidean"];

function same(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  let m = got.length === want.length ? -1 : -2;
  for (let i = 0; m === -1 && i < got.length; i++) if (!Object.is(got[i], want[i])) m = i;
  expect(m, `${label}: at ${m}, got ${m >= 0 ? got[m] : ""} want ${m >= 0 ? want[m] : ""}`).toBe(-1);
}

const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
function below(e: number): number { if (!(e > 0) || e === Infinity) return e > 0 ? Number.MAX_VALUE : 0; f64[0] = e; i64[0] -= 1n; return f64[0]; }
function above(e: number): number { if (e === Infinity) return e; f64[0] = e; i64[0] += 1n; return f64[0]; }

/** neighbours (with and without indices) and countWithin of one point set, wasm = twin. */
function checkSet(p: Points, seed: number, label: string, large?: number[]): void {
  const top = Math.min(64, p.n - 1), ks = large ?? [...new Set([1, 3, 17, top].filter((k) => k >= 1 && k <= top))];
  for (const norm of NORMS) {
    for (const k of ks) {
      const t = T.neighbours(p, k, norm, true), w = W.neighbours(p, k, norm, true);
      same(`${label} ${norm} k=${k} dist`, w.dist, t.dist);
      same(`${label} ${norm} k=${k} idx`, w.idx!, t.idx!);
      const plain = W.neighbours(p, k, norm, false);
      expect(plain.idx).toBeUndefined();
      same(`${label} ${norm} k=${k} dist (no indices)`, plain.dist, t.dist);
    }
  }
  const r = rng(seed ^ 0x5eed);
  const ek = T.neighbours(p, ks[Math.floor(ks.length / 2)] ?? 1, "chebyshev", false).dist;
  const radius = new Float64Array(p.n).map((_, i) => {
    const e = ek[i] ?? 0;
    return [e, below(e), above(e), 0, e * r() * 2, below(below(e)), Infinity, 5e-324][i % 8];
  });
  for (const [name, rad] of [["mixed radii", radius], ["zero radii", new Float64Array(p.n)], ["one radius", new Float64Array(p.n).fill(ek[0] ?? 1)]] as const) {
    same(`${label} countWithin ${name}`, W.countWithin(p, rad), T.countWithin(p, rad));
  }
}

describe("wasmKnnEngine = twinKnnEngine, bit for bit", () => {
  const small = SMALL_N;
  setKnnSmall(0);
  afterAll(() => setKnnSmall(small));

  for (const d of [1, 2, 3, 5, 8]) {
    it(`d = ${d}: every family, n from 2 to 700`, () => {
      let seed = 1000 * d;
      for (const family of FAMILIES) {
        for (const n of [2, 5, 33, 130, 700]) {
          seed++;
          checkSet(points(family, n, d, seed), seed, `d=${d} ${family} n=${n}`);
        }
      }
    });
  }

  it("n = 3000 (d = 1, 2, 3, 5; ties, duplicates, clusters) and d = 12, 20", () => {
    let seed = 77;
    for (const [d, family] of [[1, "ints"], [2, "ints"], [3, "dups"], [5, "clusters"]] as const) {
      seed++;
      checkSet(points(family, 3000, d, seed), seed, `d=${d} ${family} n=3000`);
    }
    for (const d of [12, 20]) checkSet(points("uniform", 300, d, d), d, `d=${d} uniform`);
  });

  it("large k (the heap): k = 33, 97, 100, 300 at n = 600-2000, ties and duplicates; crossNeighbours k = 100, 300", () => {
    let seed = 900;
    for (const [d, family, n] of [[2, "ints", 1000], [3, "dups", 2000], [4, "zeros", 1000], [5, "uniform", 1000], [12, "uniform", 600]] as const) {
      seed++;
      checkSet(points(family, n, d, seed), seed, `large k d=${d} ${family} n=${n}`, [33, 97, 100, 300]);
    }
    for (const [d, family] of [[2, "ints"], [3, "dups"], [6, "uniform"]] as const) {
      seed++;
      const q = points(family, 300, d, seed), r = points(family, 1000, d, seed + 99999);
      for (let i = 0; i < 300; i += 3) for (let c = 0; c < d; c++) q.data[i * d + c] = r.data[i * d + c];
      for (const norm of NORMS) {
        for (const k of [33, 100, 300, 1000]) same(`large k cross d=${d} ${family} ${norm} k=${k}`, W.crossNeighbours(q, r, k, norm), T.crossNeighbours(q, r, k, norm));
      }
    }
  });

  it("crossNeighbours: every family, k up to r.n, query sets smaller and larger than the reference", () => {
    let seed = 5000;
    for (const d of [1, 2, 3, 6]) {
      for (const family of FAMILIES) {
        for (const [nq, nr] of [[1, 1], [7, 3], [50, 200], [400, 37]]) {
          seed++;
          const q = points(family, nq, d, seed), r = points(family, nr, d, seed + 99999);
          for (let i = 0; i < nq; i += 3) for (let c = 0; c < d; c++) q.data[i * d + c] = r.data[(i % nr) * d + c];
          for (const norm of NORMS) {
            for (const k of new Set([1, 3, Math.min(64, nr), nr])) {
              if (k > nr) continue;
              same(`cross d=${d} ${family} ${nq}x${nr} ${norm} k=${k}`, W.crossNeighbours(q, r, k, norm), T.crossNeighbours(q, r, k, norm));
            }
          }
        }
      }
    }
  });

  it("errors as the twin's; inputs left untouched; a subarray's data", () => {
    const p = points("uniform", 100, 2, 3), copy = p.data.slice();
    expect(() => W.neighbours(p, 100, "chebyshev", false)).toThrow(/k = 100 is not an integer in \[1, 99\]/);
    expect(() => W.crossNeighbours(p, points("uniform", 10, 3, 4), 1, "euclidean")).toThrow(/coordinates/);
    W.neighbours(p, 3, "euclidean", true);
    W.countWithin(p, new Float64Array(100).fill(0.1));
    same("input untouched", p.data, copy);
    const big = new Float64Array(1000).map((_, i) => Math.sin(i)), sub: Points = { data: big.subarray(100, 500), n: 200, d: 2 };
    same("subarray", W.neighbours(sub, 2, "chebyshev", false).dist, T.neighbours({ ...sub, data: sub.data.slice() }, 2, "chebyshev", false).dist);
  });

  it("timings at n = 10^5, d = 3 (printed), results equal", () => {
    const n = 100_000, p = points("uniform", n, 3, 42), q = points("uniform", n, 3, 43);
    const time = (f: () => unknown) => { const t0 = performance.now(); f(); return performance.now() - t0; };
    const rad = T.neighbours(p, 3, "chebyshev", false).dist;
    const cases: Array<[string, (e: typeof T) => ArrayLike<number>]> = [
      ["neighbours k=3 chebyshev", (e) => e.neighbours(p, 3, "chebyshev", false).dist],
      ["neighbours k=3 indices", (e) => e.neighbours(p, 3, "chebyshev", true).idx!],
      ["crossNeighbours k=1 euclidean", (e) => e.crossNeighbours(p, q, 1, "euclidean")],
      ["countWithin", (e) => e.countWithin(p, rad)],
    ];
    const lines: string[] = [];
    for (const [name, f] of cases) {
      same(name, f(W), f(T));
      const tw: number[] = [], tt: number[] = [];
      for (let rep = 0; rep < 3; rep++) { tw.push(time(() => f(W))); tt.push(time(() => f(T))); }
      const med = (a: number[]) => a.sort((x, y) => x - y)[1];
      lines.push(`${name}: wasm ${med(tw).toFixed(1)} ms, twin ${med(tt).toFixed(1)} ms`);
    }
    console.log(`knn engines at n = 10^5, d = 3:\n  ${lines.join("\n  ")}`);
  });
});
