// docs/scaling.md's claims, checked. The DuckDB example (examples/scaling/duckdb.mjs): per-shard
// partial results in SQL, merged in JS (examples/scaling/merge.mjs), equal the one-shot kl-wasm
// call on all the data, bit for bit (counts, rows, edges) or within the doc's bounds (float sums,
// the KS bracket, W1 on a grid). Then the merge helpers alone, on random splits, in both builds
// (kl-wasm and kl-wasm/reference): the one-pass algebra, the eps caveat, rows, the KS bracket and
// the W1 bound, mutual information of merged tables, and their errors. Runs against the built
// package (npm test builds first), as the examples do.
import { describe, it, expect } from "vitest";
import * as W from "kl-wasm";
import * as R from "kl-wasm/reference";
import * as WD from "kl-wasm/drift";
import * as RD from "kl-wasm/reference/drift";
import * as WM from "kl-wasm/mutual";
import * as WP from "kl-wasm/pairwise";
import { runScalingExample } from "../examples/scaling/duckdb.mjs";
import {
  addPartials, fromOnePassPartials, onePassScale, termScales, mergeContingency, ksFromHistograms, wasserstein1FromHistograms,
} from "../examples/scaling/merge.mjs";
import { rng } from "./helpers/random.js";

interface Case { name: string; ok: boolean; equal?: boolean; inside?: boolean; error?: number; bound?: number }

describe("examples/scaling/duckdb.mjs: DuckDB partials merged = the one-shot call", () => {
  for (const [label, options] of [
    ["2·10^5 samples and elements, 8 shards", { samples: 200_000, elements: 200_000, shards: 8 }],
    ["another seed, 5 shards, 300 bins", { samples: 60_000, elements: 50_000, rows: 300, cols: 37, shards: 5, seed: 9, bins: 300 }],
  ] as const) {
    it(label, async () => {
      const result = await runScalingExample({ ...options, log: null });
      const cases = result.cases as Case[];
      expect(cases.length).toBe(16);
      for (const c of cases) {
        expect(c.ok, c.name).toBe(true);
        if (c.equal !== undefined) expect(c.equal, c.name).toBe(true);
        else expect(c.error!, c.name).toBeLessThanOrEqual(c.bound!);
      }
      const ks = cases.find((c) => c.name.startsWith("KS"))!;
      expect(ks.inside).toBe(true);
      expect(result.ok).toBe(true);
    });
  }
});

/** A count vector of n elements with ~zeroFraction zeros, values up to `scale`. */
function counts(n: number, seed: number, zeroFraction: number, scale = 1000): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => (r() < zeroFraction ? 0 : Math.floor(r() * scale) + (zeroFraction === 0 ? 1 : 0)));
}

/** Random cut points splitting 0 … n into `shards` consecutive pieces (some may be empty). */
function cuts(n: number, shards: number, seed: number): number[] {
  const r = rng(seed), c = Array.from({ length: shards - 1 }, () => Math.floor(r() * (n + 1))).sort((a, b) => a - b);
  return [0, ...c, n];
}

/** One-pass partials of one shard, computed in JS with compensated sums (what the SQL's fsum computes). */
function partial(c: Float64Array, d: Float64Array) {
  const terms = Array.from(c, (ci, i) => {
    const pos = ci > 0;
    return {
      sp: ci, sq: d[i], cLogC: pos ? ci * Math.log(ci) : 0, cLogD: pos ? ci * Math.log(d[i]) : 0,
      cLogCD: pos ? ci * Math.log(ci / d[i]) : 0, absKlTerms: pos ? Math.abs(ci * Math.log(ci / d[i])) : 0,
    };
  });
  return terms.length ? addPartials(terms) : { sp: 0, sq: 0, cLogC: 0, cLogD: 0, cLogCD: 0, absKlTerms: 0 };
}

describe("shards of elements: the one-pass algebra (eps: 0) and the two-pass form (any eps)", () => {
  for (const [name, lib] of [["kl-wasm", W], ["kl-wasm/reference", R]] as const) {
    it(`${name}: entropy, cross-entropy and KL of merged sums within 1e-14 of the scale, any split`, () => {
      let worst = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const n = 10 + Math.floor(rng(seed)() * 20_000);
        const c = counts(n, seed, 0.1), d = c.map((v, i) => v + (i % 7) + 1);
        const at = cuts(n, 1 + (seed % 9), seed + 100);
        const parts = at.slice(1).map((end, k) => partial(c.subarray(at[k], end), d.subarray(at[k], end)));
        const merged = addPartials(parts), v = fromOnePassPartials(merged), s = onePassScale(merged);
        const exact = { normalize: true, eps: 0 };
        const one = { entropy: lib.entropy(c, { normalize: true }), crossEntropy: lib.crossEntropy(c, d, exact), klDivergence: lib.klDivergence(c, d, exact) };
        for (const m of ["entropy", "crossEntropy", "klDivergence"] as const) {
          const err = Math.abs(v[m]! - one[m]) / s[m];
          worst = Math.max(worst, err);
          expect(err, `${m} seed ${seed}`).toBeLessThanOrEqual(1e-14);
        }
        // every d / S_q (d >= 1 here) is far above the default eps, so the default's clip changes nothing
        expect(Math.min(...d) / merged.sq).toBeGreaterThan(1e-15);
        expect(Math.abs(v.klDivergence! - lib.klDivergence(c, d, { normalize: true })) / s.klDivergence).toBeLessThanOrEqual(1e-14);
      }
      expect(worst).toBeLessThan(1e-14);
    });

    it(`${name}: the one-pass form is eps: 0: a q of 0 under p > 0 is +Infinity, where the default eps is finite`, () => {
      const c = counts(500, 3, 0.1), d = c.map((v, i) => (i === 7 ? 0 : v + 1));
      c[7] = 5;
      const v = fromOnePassPartials(addPartials([partial(c.subarray(0, 200), d.subarray(0, 200)), partial(c.subarray(200), d.subarray(200))]));
      expect(v.klDivergence).toBe(Infinity);
      expect(v.crossEntropy).toBe(Infinity);
      // as SQL sends it: the element left out of the sums, counted in qZeros
      const sql = fromOnePassPartials({ sp: 10, sq: 10, cLogC: 1, cLogD: -2, cLogCD: 3, qZeros: 1 });
      expect([sql.klDivergence, sql.crossEntropy]).toEqual([Infinity, Infinity]);
      expect(lib.klDivergence(c, d, { normalize: true, eps: 0 })).toBe(Infinity);
      expect(Number.isFinite(lib.klDivergence(c, d, { normalize: true }))).toBe(true);
    });

    it(`${name}: two passes (global sums, then each shard's terms as given) = the normalised call with the default eps`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const n = 40 + Math.floor(rng(seed + 7)() * 5000);
        const c = counts(n, seed, 0.05), d = counts(n, seed + 50, 0.05);
        const sp = c.reduce((s, x) => s + x, 0), sq = d.reduce((s, x) => s + x, 0);
        const at = cuts(n, 2 + (seed % 6), seed);
        const terms = at.slice(1).map((end, k) => {
          const p = c.slice(at[k], end).map((x) => x / sp), q = d.slice(at[k], end).map((x) => x / sq), g = { normalize: false };
          return p.length === 0 ? { kl: 0, ce: 0, h: 0, js: 0 } :
            { kl: lib.klDivergence(p, q, g), ce: lib.crossEntropy(p, q, g), h: lib.entropy(p, g), js: lib.jensenShannon(p, q, g) };
        });
        const m = addPartials(terms), norm = { normalize: true };
        const one = { kl: lib.klDivergence(c, d, norm), ce: lib.crossEntropy(c, d, norm), h: lib.entropy(c, norm), js: lib.jensenShannon(c, d, norm) };
        const S = termScales(c.map((x) => x / sp), d.map((x) => x / sq));
        const scale = { kl: S.klDivergence, ce: S.crossEntropy, h: S.entropy, js: S.jensenShannon };
        for (const k of ["kl", "ce", "h", "js"] as const) {
          expect(Math.abs(m[k] - one[k]) / scale[k], `${k} seed ${seed}`).toBeLessThanOrEqual(2e-14);
        }
      }
    });
  }

  it("shards of rows: klDivergenceRows of each shard = the one call, bit for bit, for shards of >= 32 elements", () => {
    const cols = 17, rows = 400, r = rng(5);
    const P = Float64Array.from({ length: rows * cols }, () => r() + 1e-3), Q = Float64Array.from({ length: rows * cols }, () => r() + 1e-3);
    for (const lib of [W, R]) {
      const one = lib.klDivergenceRows(P, Q, cols, { normalize: true });
      const at = cuts(rows, 9, 11).filter((x, i, a) => i === 0 || x - a[i - 1] >= 2 || x === rows);
      const merged = new Float64Array(rows);
      at.slice(1).forEach((end, k) => {
        if (end > at[k]) merged.set(lib.klDivergenceRows(P.subarray(at[k] * cols, end * cols), Q.subarray(at[k] * cols, end * cols), cols, { normalize: true }), at[k]);
      });
      expect(Array.from(merged)).toEqual(Array.from(one));
    }
  });

  it("shards of rows below 32 elements run the twin: within 1e-14 of the batch, not bit for bit", () => {
    const cols = 5, r = rng(8);
    const P = Float64Array.from({ length: 40 * cols }, () => r() + 1e-3), Q = Float64Array.from({ length: 40 * cols }, () => r() + 1e-3);
    const one = W.klDivergenceRows(P, Q, cols, { normalize: true });
    for (let i = 0; i < 40; i++) {
      const v = W.klDivergenceRows(P.subarray(i * cols, (i + 1) * cols), Q.subarray(i * cols, (i + 1) * cols), cols, { normalize: true })[0];
      expect(Math.abs(v - one[i])).toBeLessThanOrEqual(1e-14 * (1 + v));
    }
  });

  it("pairwise matrices split by blocks of rows of X = the one call, bit for bit", () => {
    const cols = 50, n = 300, m = 200, r = rng(12);
    const X = Float64Array.from({ length: n * cols }, () => r()), Y = Float64Array.from({ length: m * cols }, () => r());
    for (const metric of ["jensenShannonDistance", "klDivergence", "crossEntropy", "hellinger", "totalVariation"] as const) {
      const full = WP.pairwise(X, Y, cols, { metric, normalize: true });
      for (const [a, b] of [[0, 1], [1, 37], [37, 300]]) {
        const part = WP.pairwise(X.subarray(a * cols, b * cols), Y, cols, { metric, normalize: true });
        expect(Array.from(part), `${metric} rows ${a}-${b}`).toEqual(Array.from(full.subarray(a * m, b * m)));
      }
    }
  });

  it("mutualInformationFeatures split by blocks of features (every block with all rows and y) = the one call, bit for bit", () => {
    const n = 3000, F = 6, r = rng(21);
    const X = Float64Array.from({ length: n * F }, () => r());
    const y = Float64Array.from({ length: n }, (_, i) => X[i * F] + 0.5 * X[i * F + 1] + r());
    const labels = Int32Array.from(y, (v) => Math.floor(2 * v));
    const columns = (idx: number[]) => Float64Array.from({ length: n * idx.length }, (_, k) => X[Math.floor(k / idx.length) * F + idx[k % idx.length]]);
    for (const [target, options] of [[y, {}], [labels, { discreteTarget: true }]] as const) {
      const full = WM.mutualInformationFeatures(X, target, { cols: F, ...options });
      const parts = [[0, 1, 2], [3], [4, 5]].flatMap((idx) => Array.from(WM.mutualInformationFeatures(columns(idx), target, { cols: idx.length, ...options })));
      expect(parts).toEqual(Array.from(full));
    }
  });

  it("addPartials: compensated, and names a missing field", () => {
    expect(addPartials([{ s: 1e16 }, { s: 1 }, { s: -1e16 }, { s: 1 }]).s).toBe(2);
    expect(() => addPartials([{ a: 1, b: 2 }, { a: 1 }])).toThrow(/no field 'b'/);
    expect(() => fromOnePassPartials({ sp: 0, sq: 1, cLogC: 0, cLogD: 0, cLogCD: 0 })).toThrow(RangeError);
    expect(fromOnePassPartials({ sp: 4, cLogC: 4 * Math.log(1) })).toEqual({ entropy: Math.log(4) });
  });
});

describe("histograms: KS bracketed, W1 on a grid, metrics of merged counts (both builds)", () => {
  for (const [name, lib] of [["kl-wasm/drift", WD], ["kl-wasm/reference/drift", RD]] as const) {
    it(`${name}: statistic <= ks_2samp's D <= statistic + slack, and W1 within the widest bin`, () => {
      for (let seed = 1; seed <= 25; seed++) {
        const r = rng(seed), nu = 50 + Math.floor(r() * 3000), nv = 50 + Math.floor(r() * 3000), shift = r() - 0.5;
        const u = Float64Array.from({ length: nu }, () => Math.floor(r() * 40) / 4);   // ties on purpose
        const v = Float64Array.from({ length: nv }, () => r() * 10 + shift);
        const lo = Math.min(...u, ...v), hi = Math.max(...u, ...v), bins = 5 + Math.floor(r() * 200);
        const edges = lib.histogramEdges([lo, hi], { bins });
        const parts = (x: Float64Array) => {
          const h = lib.createHistogram(edges), at = cuts(x.length, 4, seed);
          at.slice(1).forEach((end, k) => h.merge(lib.Histogram.fromJSON(lib.createHistogram(edges).add(x.subarray(at[k], end)).toJSON())));
          return h;
        };
        const hu = parts(u), hv = parts(v);
        const ks = ksFromHistograms(hu, hv), D = lib.ksTest(u, v).statistic;
        expect(ks.low, `seed ${seed}`).toBeLessThanOrEqual(D + 1e-15);
        expect(D, `seed ${seed}`).toBeLessThanOrEqual(ks.high + 1e-15);
        const w = wasserstein1FromHistograms(hu, hv), exact = lib.wasserstein1(u, v);
        expect(Math.abs(w.value - exact), `seed ${seed}`).toBeLessThanOrEqual(w.maxWidth);
        // edges inside the data: under/over become bins of their own in the KS walk, W1 refuses
        const inner = lib.histogramEdges([lo + 1, hi - 1], { bins });
        const iu = lib.createHistogram(inner).add(u), iv = lib.createHistogram(inner).add(v), k2 = ksFromHistograms(iu, iv);
        expect(k2.low).toBeLessThanOrEqual(D + 1e-15);
        expect(D).toBeLessThanOrEqual(k2.high + 1e-15);
        expect(() => wasserstein1FromHistograms(iu, iv)).toThrow(/outside the edges/);
        expect(() => ksFromHistograms(hu, iv)).toThrow(/different edges/);
        expect(() => wasserstein1FromHistograms(hu, iv)).toThrow(/different edges/);
      }
    });

    it(`${name}: equal-width edges from the merged min and max are histogramEdges of all the data`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const r = rng(seed), x = Float64Array.from({ length: 10 + Math.floor(r() * 1000) }, () => (r() - 0.3) * 10 ** Math.floor(r() * 6 - 3));
        // each shard sends its min and max; the smallest min and the largest max are the data's
        const at = cuts(x.length, 5, seed), pieces = at.slice(1).map((e, k) => x.subarray(at[k], e)).filter((p) => p.length > 0);
        const lo = Math.min(...pieces.map((p) => Math.min(...p))), hi = Math.max(...pieces.map((p) => Math.max(...p)));
        for (const bins of [1, 7, 100]) expect(Array.from(lib.histogramEdges([lo, hi], { bins }))).toEqual(Array.from(lib.histogramEdges(x, { bins })));
      }
    });
  }

  it("mutual information of a merged contingency table = mutualInformationLabels of all labels (both builds, bits)", () => {
    for (let seed = 1; seed <= 15; seed++) {
      const r = rng(seed), n = 100 + Math.floor(r() * 20_000), ka = 2 + Math.floor(r() * 12), kb = 2 + Math.floor(r() * 12);
      const a = Int32Array.from({ length: n }, () => Math.floor(r() * ka) * 3 - 5);
      const b = Int32Array.from(a, (x) => (r() < 0.6 ? x % kb : Math.floor(r() * kb)));
      const at = cuts(n, 6, seed);
      const shards = at.slice(1).map((end, k) => {
        const m = new Map<string, { a: number; b: number; count: number }>();
        for (let i = at[k]; i < end; i++) {
          const e = m.get(`${a[i]},${b[i]}`) ?? { a: a[i], b: b[i], count: 0 };
          e.count++;
          m.set(`${a[i]},${b[i]}`, e);
        }
        return [...m.values()];
      });
      const t = mergeContingency(shards), direct = WM.contingencyTable(a, b);
      expect(Array.from(t.counts)).toEqual(Array.from(direct.counts));
      expect([t.rows, t.cols]).toEqual([direct.rows, direct.cols]);
      expect(R.mutualInformation(t.counts, t.cols, { counts: true })).toBe(R.mutualInformationLabels(a, b));
      const w = WM.mutualInformation(t.counts, t.cols, { counts: true });
      expect(Math.abs(w - WM.mutualInformationLabels(a, b))).toBeLessThanOrEqual(4e-15 * (1 + w));
    }
  });
});
