// The built package as users get it: ESM import and CJS require by package name,
// synchronous calls with no init, the reference entry, the raw .wasm export.
import { describe, it, expect } from "vitest";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { seed } from "./helpers/seed.js";

const require = createRequire(import.meta.url);
const { p, q, kl_pq, entropy_p } = seed.discrete;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("dist/", () => {
  it("ESM: import { klDivergence } from 'kl-wasm' works synchronously", async () => {
    const m = await import("kl-wasm");
    expect(rel(m.klDivergence(p, q), kl_pq)).toBeLessThanOrEqual(1e-15);
    const ws = m.createWorkspace(1 << 16);
    const P = ws.f64(3), Q = ws.f64(3);
    P.set(p); Q.set(q);
    expect(rel(m.klDivergence(P, Q), kl_pq)).toBeLessThanOrEqual(1e-15);
    ws.dispose();
  });

  it("CJS: require('kl-wasm') works synchronously", () => {
    const m = require("kl-wasm");
    const big = new Float64Array(10_000).fill(1e-4);
    expect(m.entropy(big)).toBeCloseTo(Math.log(10_000), 12);
    expect(rel(m.entropy(p), entropy_p)).toBeLessThanOrEqual(1e-15);
    expect(() => m.entropy([NaN])).toThrow(RangeError);
  });

  it("kl-wasm/drift and kl-wasm/reference/drift in both formats, the same counts and values", async () => {
    const esm = await import("kl-wasm/drift"), cjs = require("kl-wasm/drift");
    const rEsm = await import("kl-wasm/reference/drift"), rCjs = require("kl-wasm/reference/drift");
    const x = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 3), y = x.map((v) => v + 0.5);
    const edges = esm.histogramEdges(x, { bins: "auto" });
    const want = Array.from(esm.histogram(x, edges).counts);
    for (const m of [cjs, rEsm, rCjs]) expect(Array.from(m.histogram(x, edges).counts)).toEqual(want);
    const v = esm.psi(x, y, { bins: 10 });
    for (const m of [cjs, rEsm, rCjs]) expect(m.psi(x, y, { bins: 10 })).toBe(v);
    const h = esm.createHistogram(edges).add(x);
    expect(esm.Histogram.fromJSON(JSON.stringify(h)).counts).toEqual(h.counts);
    // histograms merge across the four copies of the class (the CommonJS bundles hold one each; an ESM and a CJS
    // copy meet in a package that loads both): found by a new user's trial, where CJS said "other must be a Histogram"
    const all = [esm, cjs, rEsm, rCjs];
    for (const a of all) {
      for (const b of all) {
        const acc = a.createHistogram(edges).add(x.subarray(0, 2000));
        acc.merge(b.createHistogram(edges).add(x.subarray(2000)));
        expect(Array.from(acc.counts)).toEqual(want);
        expect(() => acc.merge(b.createHistogram([0, 1]))).toThrow(new RangeError(`Histogram.merge: the histograms have different edges (${edges.length} and 2 edges)`));
      }
    }
  });

  it("kl-wasm/divergences in both formats, the kernels against kl-wasm/reference", async () => {
    const esm = await import("kl-wasm/divergences"), cjs = require("kl-wasm/divergences");
    const ref = await import("kl-wasm/reference");
    const n = 1000, a = Float64Array.from({ length: n }, (_, i) => 1 + Math.sin(i)), b = a.map((v, i) => v + 0.5 + Math.cos(i) / 4);
    const want = ref.renyiDivergence(a, b, 1.5, { normalize: true });
    for (const m of [esm, cjs]) {
      expect(rel(m.renyiDivergence(a, b, 1.5, { normalize: true }), want)).toBeLessThanOrEqual(1e-12);
      expect(m.hellingerDistance([1, 0], [0, 1])).toBe(1);
    }
  });

  it("kl-wasm/reference in both formats", async () => {
    const esm = await import("kl-wasm/reference");
    const cjs = require("kl-wasm/reference");
    expect(rel(esm.klDivergence(p, q), kl_pq)).toBeLessThanOrEqual(1e-15);
    expect(rel(cjs.klDivergence(p, q), kl_pq)).toBeLessThanOrEqual(1e-15);
  });

  it("the raw modules, one per family, validate and export their kernels", () => {
    const kernels: Record<string, string[]> = {
      discrete: ["entropyRows", "klRows", "crossEntropyRows", "jensenShannonRows", "sumRows", "heapBase"],
      fit: ["klDensityRows", "gaussianSurface", "expArray", "heapBase"],
      mutual: ["colSums", "labelRange", "countPairs", "ksgSamples", "ksgCounts", "ksgTarget", "ksgFeature", "heapBase"],
      drift: ["binUniform", "binSearch", "heapBase"],
      logits: ["logitsLse", "logitsEntropy", "logitsKlStats", "logitsCeStats", "logitsSoftmax", "logitsKlGrad", "logitsCeGrad", "heapBase"],
      pairwise: ["pairDot64", "pairSq64", "pairAbs64", "pairMlogm64", "pairMlogm32", "pairDirect", "pairRowStats", "pairLogClip", "heapBase"],
      knn: ["knnBuild", "knnNeighbours", "knnCross", "knnCount", "knnSort1", "knnKth1", "knnCross1", "knnCount1", "heapBase"],
      divergence: ["divKlRows", "divPowRows", "divPowDirectRows", "divPow2Rows", "divPowDirect2Rows", "divHellingerRows",
        "divTotalVariationRows", "divChiSquareRows", "divJeffreysRows", "divBhattacharyyaRows", "sumRows", "heapBase"],
    };
    for (const [name, names] of Object.entries(kernels)) {
      const bytes = readFileSync(require.resolve(`kl-wasm/${name}.wasm`));
      expect(WebAssembly.validate(bytes)).toBe(true);
      const mod = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.exports(mod).map((e) => e.name)).toEqual(expect.arrayContaining(names));
      // its relaxed-SIMD build (vitest.config.ts gives Node 18–20 the flag): the same exports and imports
      const relaxed = new WebAssembly.Module(readFileSync(require.resolve(`kl-wasm/${name}.relaxed.wasm`)));
      expect(WebAssembly.Module.exports(relaxed)).toEqual(WebAssembly.Module.exports(mod));
      expect(WebAssembly.Module.imports(relaxed)).toEqual(WebAssembly.Module.imports(mod));
    }
  });
});

describe("published declarations", () => {
  const dts = (name: string) => readFileSync(new URL(`../dist/${name}.d.ts`, import.meta.url), "utf8");
  for (const entry of ["index", "fit", "mutual", "drift", "logits", "pairwise", "divergences", "distributions", "reference", "reference-drift"]) {
    it(`${entry}.d.ts: every function is declared as a function with its doc comment, and no internals`, () => {
      const text = dts(entry);
      expect(text).not.toMatch(/export declare const \w+: \(/); // no destructured constants
      const names = [...text.matchAll(/export declare function (\w+)/g)].map((m) => m[1]);
      expect(names.length).toBeGreaterThanOrEqual(entry === "pairwise" ? 3 : entry === "mutual" || entry === "logits" ? 7 : 9);
      for (const name of new Set(names)) {
        const at = text.indexOf(`export declare function ${name}`);
        expect(text.slice(Math.max(0, at - 300), at), name).toMatch(/\*\/\s*$/);
      }
      for (const internal of ["parseOptions", "checkVector", "makeApi", "runRows", "Slab", "throwFirstBad", "BinEngine", "BinPlan",
        "makeDriftApi", "makeMetrics", "makeReport", "sortSample", "log2CR", "powCR", "makePairwiseApi", "PairPlan", "PairwiseEngine"]) {
        expect(text).not.toMatch(new RegExp(`\\b${internal}\\b`));
      }
      // what a module's .d.cts twin says is the same (no relative imports to rename)
      expect(readFileSync(new URL(`../dist/${entry}.d.cts`, import.meta.url), "utf8")).toBe(text);
    });
  }
});
