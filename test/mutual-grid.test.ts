// The one-dimensional KSG's two neighbour searches in WebAssembly (assembly/mutual.ts): the grid in rank space,
// taken where a sample of its searches visits few points, and the k-d tree, taken otherwise (dependent, tied,
// heavy-tailed data). Whichever runs, the counts are the reference engine's (the twin, itself equal to the O(n^2)
// definition in test/mutual.test.ts) bit for bit: for one KSG (wasmMutualEngine.ksg) and for many features against
// one target (ksgAgainst, mutualInformationFeatures' path), on data of every shape that sends either way.
import { describe, it, expect } from "vitest";
import { wasmMutualEngine } from "../src/mutual/wasm.js";
import { referenceMutualEngine, stdOrOne } from "../src/mutual/twin.js";
import * as W from "../src/mutual.js";
import * as R from "../src/reference.js";
import { rng } from "./helpers/random.js";

function normals(n: number, seed: number): Float64Array {
  const r = rng(seed), z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = Math.sqrt(-2 * Math.log(r() || 1e-300)) * Math.cos(2 * Math.PI * r());
  return z;
}

/** Features of many shapes against y: independent and dependent (the grid), nearly or exactly functional, tied,
 *  duplicated, heavy-tailed, periodic (the tree, or the grid with long searches). */
function shapes(y: Float64Array, seed: number): [string, Float64Array][] {
  const n = y.length, z = normals(n, seed), w = normals(n, seed + 1), r = rng(seed + 2);
  const out: [string, Float64Array][] = [];
  for (const rho of [0, 0.5, 0.9, 0.99, 0.999]) out.push([`rho ${rho}`, y.map((v, i) => rho * v + Math.sqrt(1 - rho * rho) * z[i])]);
  out.push(["x = y", y.slice()], ["x = y^3", y.map((v) => v * v * v)], ["x = -y + 1e-3 z", y.map((v, i) => -v + 1e-3 * z[i])]);
  out.push(["rounded to 0.1", z.map((v) => Math.round(v * 10) / 10)], ["integers", z.map((v) => Math.round(v))]);
  out.push(["two values", z.map(() => (r() < 0.5 ? 0 : 1))], ["constant", z.map(() => 3)]);
  out.push(["rows in fours", Float64Array.from({ length: n }, (_, i) => z[i >> 2])]);
  out.push(["lognormal", z.map((v) => Math.exp(3 * v))], ["Cauchy", w.map((v, i) => v / (z[i] || 1e-300))]);
  out.push(["sin(8y)", y.map((v) => Math.sin(8 * v))], ["one cluster", z.map((v, i) => (i % 3 === 0 ? 0.5 : v))]);
  return out;
}

const same = (a: { nx: Int32Array; ny: Int32Array }, b: { nx: Int32Array; ny: Int32Array }, what: string) => {
  expect(Array.from(a.nx), what).toEqual(Array.from(b.nx));
  expect(Array.from(a.ny), what).toEqual(Array.from(b.ny));
};

describe("1-D KSG in WebAssembly: grid or tree, the twin's counts", () => {
  it("one KSG: every shape, k from 1 to 64, n from 64 to 20000", () => {
    for (const [n, ks] of [[64, [1, 3, 63]], [97, [2, 5]], [1000, [1, 3, 4, 10]], [20000, [3, 5, 64]]] as [number, number[]][]) {
      const y = normals(n, n);
      for (const [name, x] of shapes(y, 7 * n)) {
        for (const k of ks) {
          same(wasmMutualEngine.ksg("ksg", x, y, k, true), referenceMutualEngine.ksg("ksg", x, y, k, true), `${name}, n = ${n}, k = ${k}`);
        }
      }
    }
  }, 120_000);

  it("many features against one target (ksgAgainst), and tied or functional targets", () => {
    const n = 30000, y0 = normals(n, 5);
    for (const [target, y] of [["normal", y0], ["rounded", y0.map((v) => Math.round(v * 4) / 4)], ["y^3", y0.map((v) => v * v * v)]] as const) {
      // y scaled once, as mutualInformationFeatures scales it; each feature scaled by the kernel (the same bits)
      const sd = stdOrOne(y), ys = y.map((v) => v / sd);
      for (const k of target === "normal" ? [3, 6] : [3]) {
        const against = wasmMutualEngine.ksgAgainst(ys, k)!;
        for (const [name, x] of shapes(y0, 11)) {
          const sx = stdOrOne(x);
          same(against(x.slice(), true), referenceMutualEngine.ksg("ksg", x.map((v) => v / sx), ys, k, false), `${target}: ${name}, k = ${k}`);
        }
      }
    }
  }, 120_000);

  it("mutualInformationFeatures: the same values from both entries on mixed shapes", () => {
    const n = 5000, y = normals(n, 21), cols = shapes(y, 22), p = cols.length;
    const X = new Float64Array(n * p);
    cols.forEach(([, c], j) => { for (let i = 0; i < n; i++) X[i * p + j] = c[i]; });
    const w = W.mutualInformationFeatures(X, y, { cols: p }), r = R.mutualInformationFeatures(X, y, { cols: p });
    expect(Array.from(w)).toEqual(Array.from(r));
  });
});
