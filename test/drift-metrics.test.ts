// The drift metrics (src/drift/metrics.ts) over both discrete builds: against
// test/fixtures/drift-metrics.json (mpmath on the exact counts, SciPy alongside; written by
// scripts/fixtures/drift_metrics.py), properties with fast-check, the binning of raw
// samples, categoryCounts, and every error. Bounds:
//   psi, hellingerDistance, totalVariation, chebyshev: |got - exact| <= 1e-14 |exact|
//   klDivergence: |got - exact| <= 1e-14 S, S = sum |r ln(r/c)| + r (the discrete family's bound)
//   jensenShannonDistance: compared as JS = d^2 ln(base) in nats, |got - exact| <= 1e-14 S_JS
// The binning here uses a local stand-in with NumPy's histogram convention (equal-width edges
// by linspace for integer bins); the real histogram and edges are composed in src/drift/api.ts.
import { describe, it, expect, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";
import { makeMetrics, type Binned, type Metrics, type Smoothing } from "../src/drift/metrics.js";
import type { Vector } from "../src/core/validate.js";

// ---- stand-ins for src/drift/histogram.ts and edges.ts (NumPy's conventions) -------------

function histogram(samples: Vector, edges: Float64Array, options?: { nan?: "raise" | "ignore" }): Binned {
  const k = edges.length - 1, counts = new Float64Array(k);
  let under = 0, over = 0, nan = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    if (x !== x) {
      if (options?.nan !== "ignore") throw new RangeError(`histogram: samples[${i}] is NaN`);
      nan++;
    } else if (x < edges[0]) under++;
    else if (x > edges[k]) over++;
    else if (x === edges[k]) counts[k - 1]++;
    else {
      let lo = 0, hi = k; // the last edge <= x
      while (hi - lo > 1) { const m = (lo + hi) >> 1; if (edges[m] <= x) lo = m; else hi = m; }
      counts[lo]++;
    }
  }
  return { counts, under, over, nan };
}

const builds = [
  ["reference", makeMetrics({ discrete: ref, histogram })],
  ["wasm", makeMetrics({ discrete: wasm, histogram })],
] as const;
const M: Metrics = builds[0][1];

// ---- fixtures -----------------------------------------------------------------------------

type Num = number | "inf" | "nan";
const num = (v: Num) => (v === "inf" ? Infinity : v === "nan" ? NaN : v);
type Key = "psi" | "kl_forward" | "kl_reverse" | "js_e" | "js_2" | "hellinger" | "tv" | "chebyshev";
interface Case {
  name: string; reference: number[]; current: number[]; smoothing: Smoothing;
  expected: Record<Key, Num>; scale: { kl_forward: Num; kl_reverse: Num; js: Num }; scipy?: Record<string, Num>;
}
interface SampleCase {
  name: string; reference: number[]; current: number[]; edges: number[];
  counts: { reference: number[]; current: number[] }; under: [number, number]; over: [number, number];
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/drift-metrics.json", import.meta.url), "utf8")) as
  { cases: Case[]; samples: SampleCase[] };

const worst: Record<string, number> = {};
const note = (k: string, v: number) => { worst[k] = Math.max(worst[k] ?? 0, v); };
afterAll(() => {
  const fmt = Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(", ");
  console.log(`drift metrics against mpmath (${fixture.cases.length} cases x 2 builds x 3 input types), worst: ${fmt}`);
});

function call(m: Metrics, key: Key, r: Vector, c: Vector, smoothing: Smoothing): number {
  switch (key) {
    case "psi": return m.psi(r, c, { smoothing });
    case "kl_forward": return m.klDivergence(r, c, { smoothing });
    case "kl_reverse": return m.klDivergence(r, c, { smoothing, direction: "reverse" });
    case "js_e": return m.jensenShannonDistance(r, c, { smoothing });
    case "js_2": return m.jensenShannonDistance(r, c, { smoothing, base: 2 });
    case "hellinger": return m.hellingerDistance(r, c, { smoothing });
    case "tv": return m.totalVariation(r, c, { smoothing });
    case "chebyshev": return m.chebyshev(r, c, { smoothing });
  }
}

const KEYS: Key[] = ["psi", "kl_forward", "kl_reverse", "js_e", "js_2", "hellinger", "tv", "chebyshev"];

describe("against mpmath on the exact counts", () => {
  for (const [build, m] of builds) {
    it(`${build}: every case, every smoothing, every metric`, () => {
      for (const c of fixture.cases) {
        const inputs: Array<[Vector, Vector]> = [[c.reference, c.current], [Float64Array.from(c.reference), Float64Array.from(c.current)]];
        const f32 = Float32Array.from(c.reference), g32 = Float32Array.from(c.current);
        if (f32.every((v, i) => v === c.reference[i]) && g32.every((v, i) => v === c.current[i])) inputs.push([f32, g32]);
        for (const [r, q] of inputs) {
          for (const key of KEYS) {
            const want = num(c.expected[key]), got = call(m, key, r, q, c.smoothing);
            const what = `${c.name} ${JSON.stringify(c.smoothing)} ${key}: got ${got}, want ${want}`;
            if (!Number.isFinite(want)) { expect(got, what).toBe(want); continue; }
            const err = Math.abs(got - want);
            if (key === "kl_forward" || key === "kl_reverse") {
              const S = num(c.scale[key]);
              note(`${key} |err|/S`, err / S);
              if (want > 1e-6 * S) note("kl rel (value > 1e-6 S)", err / want);
              if (want > 1e-2 * S) note("kl rel (value > 1e-2 S)", err / want);
              expect(err, what).toBeLessThanOrEqual(1e-14 * S);
            } else if (key === "js_e" || key === "js_2") {
              const lb = key === "js_2" ? Math.LN2 : 1, S = num(c.scale.js);
              const e2 = Math.abs(got * got - want * want) * lb;
              note("js |err of JS|/S", e2 / S);
              if (want * want * lb > 1e-6 * S) note("js distance rel (JS > 1e-6 S)", err / want);
              if (want * want * lb > 1e-2 * S) note("js distance rel (JS > 1e-2 S)", err / want);
              expect(e2, what).toBeLessThanOrEqual(1e-14 * S);
            } else {
              const rel = want === 0 ? err : err / want;
              note(`${key} rel`, rel);
              expect(rel, what).toBeLessThanOrEqual(1e-14);
            }
          }
        }
      }
    });
  }

  it("the fixture's SciPy values agree with mpmath where they are well conditioned", () => {
    let n = 0;
    for (const c of fixture.cases) {
      if (!c.scipy) continue;
      for (const key of ["kl_forward", "kl_reverse", "js_e", "js_2", "hellinger", "tv", "chebyshev"] as const) {
        const want = num(c.expected[key]), s = num(c.scipy[key]);
        if (!Number.isFinite(want)) { expect(s).toBe(want); continue; }
        if (want < 1e-4) continue; // SciPy subtracts rounded proportions: no relative accuracy below
        expect(Math.abs(s - want), `${c.name} ${key}`).toBeLessThanOrEqual(1e-9 * want);
        n++;
      }
      const kd = num(c.scipy.kl_forward_kl_div), kf = num(c.expected.kl_forward);
      if (Number.isFinite(kf) && kf > 1e-4) expect(Math.abs(kd - kf)).toBeLessThanOrEqual(1e-9 * kf);
    }
    expect(n).toBeGreaterThan(500);
  });
});

// ---- conventions ----------------------------------------------------------------------------

describe("conventions", () => {
  const r = [10, 20, 30, 40], c = [25, 25, 25, 25];
  const P = [0.1, 0.2, 0.3, 0.4], Q = [0.25, 0.25, 0.25, 0.25];

  it("psi = sum (current - reference) ln(current / reference), symmetric", () => {
    let want = 0;
    for (let i = 0; i < 4; i++) want += (Q[i] - P[i]) * Math.log(Q[i] / P[i]);
    expect(M.psi(r, c)).toBeCloseTo(want, 15);
    expect(M.psi(c, r)).toBe(M.psi(r, c));
  });

  it("klDivergence: forward is KL(reference || current), reverse KL(current || reference); base", () => {
    expect(M.klDivergence(r, c)).toBe(ref.klDivergence(P, Q, { eps: 0 }));
    expect(M.klDivergence(r, c, { direction: "reverse" })).toBe(ref.klDivergence(Q, P, { eps: 0 }));
    expect(M.klDivergence(r, c, { base: 2 })).toBe(ref.klDivergence(P, Q, { eps: 0, base: 2 }));
  });

  it("jensenShannonDistance: base e by default (SciPy's), base 2 in [0, 1]", () => {
    expect(M.jensenShannonDistance(r, c)).toBe(ref.jensenShannonDistance(P, Q));
    expect(M.jensenShannonDistance(r, c, { base: 2 })).toBe(ref.jensenShannonDistance(P, Q, { base: 2 }));
    expect(M.jensenShannonDistance([1, 0], [0, 1], { base: 2 })).toBe(1);
  });

  it("hellinger, total variation, chebyshev", () => {
    let h = 0, tv = 0, ch = 0;
    for (let i = 0; i < 4; i++) { h += (Math.sqrt(P[i]) - Math.sqrt(Q[i])) ** 2; tv += Math.abs(P[i] - Q[i]); ch = Math.max(ch, Math.abs(P[i] - Q[i])); }
    expect(M.hellingerDistance(r, c)).toBeCloseTo(Math.sqrt(h / 2), 15);
    expect(M.totalVariation(r, c)).toBeCloseTo(tv / 2, 15);
    expect(M.chebyshev(r, c)).toBeCloseTo(ch, 15);
    expect(M.hellingerDistance([1, 0], [0, 1])).toBe(1);
    expect(M.totalVariation([1, 0], [0, 1])).toBe(1);
  });

  it('smoothing "none": divergences infinite where one side is empty; empty on both sides contributes 0', () => {
    expect(M.psi([1, 0], [1, 1])).toBe(Infinity);
    expect(M.psi([1, 1], [1, 0])).toBe(Infinity);
    expect(M.klDivergence([1, 1], [1, 0])).toBe(Infinity);
    expect(M.klDivergence([1, 0], [1, 1])).toBe(Math.log(2));
    expect(M.klDivergence([1, 0], [1, 1], { direction: "reverse" })).toBe(Infinity);
    expect(M.psi([1, 0, 2], [2, 0, 1])).toBe(M.psi([1, 2], [2, 1]));
    expect(M.hellingerDistance([1, 0, 2], [2, 0, 1])).toBe(M.hellingerDistance([1, 2], [2, 1]));
  });

  it("smoothing: add on counts, floor on empty proportions, clip below eps; both sides; renormalised", () => {
    const prop = (s: Smoothing, a: number[], b: number[]) => M.proportions(a, b, { smoothing: s });
    const add = prop({ add: 1 }, [0, 3], [2, 2]);
    expect([...add.reference]).toEqual([1 / 5, 4 / 5]);
    expect([...add.current]).toEqual([3 / 6, 3 / 6]);
    const fl = prop({ floor: 0.1 }, [0, 3, 1], [2, 2, 0]);
    expect([...fl.reference].map((x) => x * 1.1)).toEqual([0.1, 0.75, 0.25].map((x) => expect.closeTo(x, 15)));
    expect([...fl.current].map((x) => x * 1.1)).toEqual([0.5, 0.5, 0.1].map((x) => expect.closeTo(x, 15)));
    const cl = prop({ clip: 0.3 }, [1, 9], [5, 5]); // 0.1 -> 0.3, sum 1.2
    expect(cl.reference[0]).toBeCloseTo(0.25, 15);
    expect(cl.reference[1]).toBeCloseTo(0.75, 15);
    expect([...cl.current]).toEqual([0.5, 0.5]);
    // floor leaves small non-zero proportions alone, clip raises them
    const tiny = [1, 1e6], other = [1e6, 1];
    expect(prop({ floor: 1e-3 }, tiny, other).reference[0]).toBeCloseTo(1 / (1e6 + 1), 18);
    expect(prop({ clip: 1e-3 }, tiny, other).reference[0]).toBeGreaterThan(9e-4);
    for (const s of [{ add: 0.5 }, { floor: 1e-4 }, { clip: 1e-4 }] as Smoothing[]) {
      expect(Number.isFinite(M.psi([0, 5], [5, 0], { smoothing: s }))).toBe(true);
      expect(Number.isFinite(M.klDivergence([0, 5], [5, 0], { smoothing: s }))).toBe(true);
    }
  });

  it("counts scaled by a power of two give the same values, bit for bit", () => {
    const a = [3, 0, 7, 1, 12], b = [5, 2, 0, 9, 4];
    for (const s of ["none", { add: 0.5 }, { floor: 1e-4 }, { clip: 1e-3 }] as Smoothing[]) {
      for (const k of [-600, -3, 5, 900]) {
        const f = 2 ** k, a2 = a.map((x) => x * f), b2 = b.map((x) => x * f);
        if (s !== "none" && typeof s === "object" && "add" in s) continue; // a pseudo-count is in count units
        expect(M.psi(a2, b2, { smoothing: s })).toBe(M.psi(a, b, { smoothing: s }));
        expect(M.totalVariation(a2, b2, { smoothing: s })).toBe(M.totalVariation(a, b, { smoothing: s }));
      }
    }
  });

  it("counts whose total overflows, subnormal counts, proportions below the range of doubles", () => {
    // 1e-300 / 1e300 is below the smallest double: that proportion is 0, as in any float64 computation
    expect(M.psi([1e-300, 1, 1e300], [1e300, 1, 1e-300])).toBe(Infinity);
    expect(M.psi([1e-150, 1, 1e150], [1e150, 1, 1e-150])).toBeCloseTo(1381.5510557964274, 10);
    expect(M.totalVariation([1e308, 1e308], [1e308, 0])).toBe(0.5);
    expect(M.chebyshev([5e-324, 5e-324], [5e-324, 0])).toBe(0.5);
    expect(M.jensenShannonDistance([1e308, 1e308], [1e308, 0], { base: 2 })).toBeCloseTo(M.jensenShannonDistance([1, 1], [1, 0], { base: 2 }), 15);
  });
});

// ---- properties -----------------------------------------------------------------------------

const smoothingArb: fc.Arbitrary<Smoothing> = fc.oneof(
  fc.constant("none" as const),
  fc.double({ min: 1e-6, max: 10, noNaN: true }).map((add) => ({ add })),
  fc.double({ min: 1e-9, max: 0.5, noNaN: true }).map((floor) => ({ floor })),
  fc.double({ min: 1e-9, max: 0.05, noNaN: true }).map((clip) => ({ clip })),
);
// counts 0 or >= 1e-300: every proportion of a non-zero count is then a non-zero double (where
// count / total underflows, psi and the discrete functions may disagree on whether it is 0)
const countArb = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 1e-300, max: 1e6, noNaN: true }), fc.constant(0));
const countsArb = fc.integer({ min: 1, max: 24 }).chain((k) =>
  fc.tuple(fc.array(countArb, { minLength: k, maxLength: k }), fc.array(countArb, { minLength: k, maxLength: k })))
  .filter(([a, b]) => a.some((x) => x > 0) && b.some((x) => x > 0));

describe("properties (fast-check)", () => {
  for (const [build, m] of builds) {
    it(`${build}: ranges, symmetry, 0 for identical inputs`, () => {
      fc.assert(fc.property(countsArb, smoothingArb, ([a, b], s) => {
        const o = { smoothing: s };
        const tv = m.totalVariation(a, b, o), h = m.hellingerDistance(a, b, o), js2 = m.jensenShannonDistance(a, b, { ...o, base: 2 });
        const ch = m.chebyshev(a, b, o), psi = m.psi(a, b, o);
        expect(tv).toBeGreaterThanOrEqual(0); expect(tv).toBeLessThanOrEqual(1);
        expect(h).toBeGreaterThanOrEqual(0); expect(h).toBeLessThanOrEqual(1);
        expect(js2).toBeGreaterThanOrEqual(0); expect(js2).toBeLessThanOrEqual(1);
        expect(ch).toBeGreaterThanOrEqual(0); expect(ch).toBeLessThanOrEqual(tv * (1 + 1e-15) + 1e-30); // d at the 2^-106 floor need not sum to 0
        expect(psi).toBeGreaterThanOrEqual(0);
        // H^2 <= TV <= sqrt(2) H
        expect(h * h).toBeLessThanOrEqual(tv * (1 + 1e-12) + 1e-30);
        expect(tv).toBeLessThanOrEqual(Math.SQRT2 * h * (1 + 1e-12) + 1e-30);
        // psi = KL forward + KL reverse
        const kf = m.klDivergence(a, b, o), kr = m.klDivergence(a, b, { ...o, direction: "reverse" });
        expect(kf).toBeGreaterThanOrEqual(0); expect(kr).toBeGreaterThanOrEqual(0);
        if (Number.isFinite(psi)) expect(Math.abs(psi - (kf + kr))).toBeLessThanOrEqual(1e-9 * Math.max(1, psi));
        else expect(kf + kr).toBe(Infinity);
        expect(m.klDivergence(b, a, o)).toBe(kr);
        // exactly symmetric
        expect(m.psi(b, a, o)).toBe(psi);
        expect(m.totalVariation(b, a, o)).toBe(tv);
        expect(m.hellingerDistance(b, a, o)).toBe(h);
        expect(m.chebyshev(b, a, o)).toBe(ch);
        expect(m.jensenShannonDistance(b, a, { ...o, base: 2 })).toBe(js2);
        // 0 for identical (and for proportional) inputs
        const twice = a.map((x) => 2 * x);
        for (const f of ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance", "totalVariation", "chebyshev"] as const) {
          expect(m[f](a, a, o)).toBe(0);
          if (s === "none" || !("add" in s)) expect(m[f](a, twice, o)).toBe(0);
        }
      }), { numRuns: 300 });
    }, 60_000); // ~0.4 s alone; the machine is shared
  }
});

// ---- raw samples ----------------------------------------------------------------------------

describe("raw samples (bins)", () => {
  it("explicit edges: np.histogram's counts, extra bins for the mass outside", () => {
    for (const c of fixture.samples) {
      const b = M.binCounts(c.reference, c.current, { bins: c.edges });
      const below = c.under[0] + c.under[1] > 0, above = c.over[0] + c.over[1] > 0;
      expect(b.extended).toEqual({ below, above });
      const want = (counts: number[], side: 0 | 1) =>
        [...(below ? [c.under[side]] : []), ...counts, ...(above ? [c.over[side]] : [])];
      expect([...b.reference]).toEqual(want(c.counts.reference, 0));
      expect([...b.current]).toEqual(want(c.counts.current, 1));
      expect(b.under).toEqual({ reference: c.under[0], current: c.under[1] });
      expect(b.over).toEqual({ reference: c.over[0], current: c.over[1] });
      for (const [, m] of builds) {
        expect(m.psi(c.reference, c.current, { bins: c.edges, smoothing: { add: 0.5 } }))
          .toBe(m.psi(b.reference, b.current, { smoothing: { add: 0.5 } }));
        expect(m.jensenShannonDistance(Float64Array.from(c.reference), Float32Array.from(c.current), { bins: c.edges, base: 2 }))
          .toBe(m.jensenShannonDistance(b.reference, b.current, { base: 2 }));
      }
    }
  });

  it('outside: "extend" (default), "clip", "ignore"', () => {
    const r = [0.5, 1.5, 2.5], c = [-1, 0.5, 1.5, 2.5, 3, 9];
    const e = [0, 1, 2, 3];
    expect([...M.binCounts(r, c, { bins: e }).current]).toEqual([1, 1, 1, 2, 1]); // 3 is on the last edge: in the last bin
    expect([...M.binCounts(r, c, { bins: e }).reference]).toEqual([0, 1, 1, 1, 0]);
    expect([...M.binCounts(r, c, { bins: e, outside: "clip" }).current]).toEqual([2, 1, 3]);
    expect([...M.binCounts(r, c, { bins: e, outside: "ignore" }).current]).toEqual([1, 1, 2]);
    expect([...M.binCounts(r, [0.5, 9], { bins: e }).current]).toEqual([1, 0, 0, 1]); // only the bin above
    expect(M.psi(r, c, { bins: e })).toBe(Infinity); // the reference has nothing outside
    expect(M.totalVariation(r, c, { bins: e })).toBeCloseTo(1 / 3, 15);
    expect(() => M.psi(r, [9, 10], { bins: e, outside: "ignore" })).toThrow("psi: current has no samples in the bins");
  });

  it('edgesFrom: "reference" (default) or "both"; bins as a count; range', () => {
    const r = [0, 1, 2, 3, 4], c = [2, 3, 4, 5, 6, 7, 8];
    const a = M.binCounts(r, c, { bins: 4 });
    expect([...a.edges]).toEqual([0, 1, 2, 3, 4]);
    expect([...a.current]).toEqual([0, 0, 1, 2, 4]);
    const b = M.binCounts(r, c, { bins: 4, edgesFrom: "both" });
    expect([...b.edges]).toEqual([0, 2, 4, 6, 8]);
    expect([...b.reference]).toEqual([2, 2, 1, 0]);
    const d = M.binCounts(r, c, { bins: 2, range: [0, 10] });
    expect([...d.edges]).toEqual([0, 5, 10]);
    expect(M.totalVariation(r, c, { bins: 4 })).toBe(M.totalVariation(a.reference, a.current));
  });

  it("NaN: a RangeError naming the index, or left out with nan: \"ignore\"", () => {
    expect(() => M.psi([1, 2, NaN], [1, 2], { bins: 2 })).toThrow('psi: reference[2] is NaN; pass nan: "ignore" to leave NaN samples out');
    expect(() => M.psi([1, 2], Float64Array.of(1, NaN), { bins: 2 })).toThrow("psi: current[1] is NaN");
    const b = M.binCounts([NaN, 1, 2, NaN], [1, NaN, 2], { bins: 2, nan: "ignore", edgesFrom: "both" });
    expect(b.nan).toEqual({ reference: 2, current: 1 });
    expect([...b.edges]).toEqual([1, 1.5, 2]);
    expect([...b.reference]).toEqual([1, 1]);
    expect(() => M.psi([NaN], [1], { bins: 2, nan: "ignore" })).toThrow("psi: no samples to compute the edges from (all NaN)");
    expect(() => M.psi([1, "x" as unknown as number], [1], { bins: 2, nan: "ignore" })).toThrow(new TypeError("psi: reference[1] is not a number (string)"));
  });
});

// ---- categories -----------------------------------------------------------------------------

describe("categoryCounts", () => {
  it("numbers ascending, then strings by code units; aligned counts", () => {
    const cc = M.categoryCounts(["b", 2, "a", 10, -0, "B", Infinity], [0, "é", "a", 2, 2, -Infinity]);
    expect(cc.categories).toEqual([-Infinity, 0, 2, 10, Infinity, "B", "a", "b", "é"]);
    expect(Object.is(cc.categories[1], 0)).toBe(true);
    expect([...cc.reference]).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect([...cc.current]).toEqual([1, 1, 2, 0, 0, 0, 1, 0, 1]);
    expect(cc.missing).toEqual({ reference: 0, current: 0 });
    expect(M.categoryCounts(Int32Array.of(3, 1, 3), Float64Array.of(2)).categories).toEqual([1, 2, 3]);
    expect(M.categoryCounts(["1"], [1]).categories).toEqual([1, "1"]);
  });

  it("independent of data order, so partial counts merge by category", () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("x", "y", "z", "")), { maxLength: 40 }),
      fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("x", "y", "z", "")), { maxLength: 40 }),
      fc.nat(40), (a, b, cut) => {
        const whole = M.categoryCounts(a, b);
        const rev = M.categoryCounts([...a].reverse(), [...b].reverse());
        expect(rev).toEqual(whole);
        const p1 = M.categoryCounts(a.slice(0, cut), b.slice(0, cut)), p2 = M.categoryCounts(a.slice(cut), b.slice(cut));
        const merged = new Map<unknown, [number, number]>();
        for (const p of [p1, p2]) p.categories.forEach((k, i) => {
          const e = merged.get(k) ?? [0, 0]; e[0] += p.reference[i]; e[1] += p.current[i]; merged.set(k, e);
        });
        expect([...merged.keys()].length).toBe(whole.categories.length);
        whole.categories.forEach((k, i) => expect(merged.get(k)).toEqual([whole.reference[i], whole.current[i]]));
      }));
  });

  it("missing values (NaN, null, undefined, holes): RangeError or left out", () => {
    expect(() => M.categoryCounts(["a", null], ["a"])).toThrow('categoryCounts: reference[1] is missing (null); pass nan: "ignore" to leave missing values out');
    expect(() => M.categoryCounts(["a"], [1, NaN])).toThrow("categoryCounts: current[1] is missing (NaN)");
    // eslint-disable-next-line no-sparse-arrays
    expect(() => M.categoryCounts([1, , 2], [1])).toThrow("categoryCounts: reference[1] is missing (undefined)");
    const cc = M.categoryCounts(["a", null, undefined], [NaN, "a", 1], { nan: "ignore" });
    expect(cc.categories).toEqual([1, "a"]);
    expect(cc.missing).toEqual({ reference: 2, current: 1 });
    expect(M.categoryCounts([], []).categories).toEqual([]);
  });

  it("other types and bad arguments", () => {
    expect(() => M.categoryCounts([true], [1])).toThrow(new TypeError("categoryCounts: reference[0] is not a number or string (boolean)"));
    expect(() => M.categoryCounts([1], [{}])).toThrow(new TypeError("categoryCounts: current[0] is not a number or string (object)"));
    expect(() => M.categoryCounts("abc" as never, [1])).toThrow(new TypeError("categoryCounts: reference must be an array of numbers or strings, or a numeric typed array, got string"));
    expect(() => M.categoryCounts([1], [1], { nan: "drop" as never })).toThrow(new TypeError('categoryCounts: nan must be "raise" or "ignore", got "drop"'));
    expect(() => M.categoryCounts([1], [1], { bins: 3 } as never)).toThrow(new TypeError("categoryCounts: unknown option 'bins'"));
  });
});

// ---- errors -----------------------------------------------------------------------------------

describe("errors", () => {
  const cases: Array<[() => unknown, Error]> = [
    [() => M.psi([1, 2], [1, 2, 3]), new RangeError("psi: reference and current must have the same length, got 2 and 3")],
    [() => M.psi([1, -2], [1, 2]), new RangeError("psi: reference[1] is negative (-2); values must be finite and >= 0")],
    [() => M.totalVariation([1, 2], [Infinity, 2]), new RangeError("totalVariation: current[0] is infinite (Infinity); values must be finite and >= 0")],
    [() => M.chebyshev([1, NaN], [1, 2]), new RangeError("chebyshev: reference[1] is NaN (NaN); values must be finite and >= 0")],
    [() => M.psi([1, 2, NaN], [1, -1, 3]), new RangeError("psi: current[1] is negative (-1); values must be finite and >= 0")],
    [() => M.hellingerDistance(["1", 2] as never, [1, 2]), new TypeError("hellingerDistance: reference[0] is not a number (string)")],
    [() => M.psi([0, 0], [1, 2]), new RangeError("psi: reference sums to 0 (no counts)")],
    [() => M.klDivergence([1, 2], [0, 0]), new RangeError("klDivergence: current sums to 0 (no counts)")],
    [() => M.psi([], []), new RangeError("psi: reference is empty")],
    [() => M.psi("1,2" as never, [1, 2]), new TypeError("psi: reference must be a Float64Array, Float32Array or number[], got string")],
    [() => M.psi([1], [1], { smoothing: { add: 0 } }), new RangeError("psi: smoothing.add must be a number > 0 and finite, got 0")],
    [() => M.psi([1], [1], { smoothing: { add: Infinity } }), new RangeError("psi: smoothing.add must be a number > 0 and finite, got Infinity")],
    [() => M.psi([1], [1], { smoothing: { floor: 1 } }), new RangeError("psi: smoothing.floor must be a number in (0, 1), got 1")],
    [() => M.psi([1], [1], { smoothing: { clip: -1e-3 } }), new RangeError("psi: smoothing.clip must be a number in (0, 1), got -0.001")],
    [() => M.psi([1], [1], { smoothing: { clip: "0.1" } as never }), new RangeError('psi: smoothing.clip must be a number in (0, 1), got "0.1"')],
    [() => M.psi([1], [1], { smoothing: { add: 1, floor: 0.1 } as never }), new TypeError('psi: smoothing must be "none", { add: c }, { floor: v } or { clip: eps }, got an object with 2 keys')],
    [() => M.psi([1], [1], { smoothing: { pseudo: 1 } as never }), new TypeError("psi: unknown key 'pseudo' in smoothing (it takes add, floor, clip)")],
    [() => M.psi([1], [1], { smoothing: "laplace" as never }), new TypeError('psi: smoothing must be "none", { add: c }, { floor: v } or { clip: eps }, got "laplace"')],
    [() => M.psi([1], [1], { eps: 0 } as never), new TypeError("psi: unknown option 'eps'")],
    [() => M.psi([1], [1], { base: 2 } as never), new TypeError("psi: unknown option 'base'")],
    [() => M.totalVariation([1], [1], { direction: "forward" } as never), new TypeError("totalVariation: unknown option 'direction'")],
    [() => M.psi([1], [1], 3 as never), new TypeError("psi: options must be an object, got number")],
    [() => M.klDivergence([1], [1], { direction: "backward" as never }), new TypeError('klDivergence: direction must be "forward" or "reverse", got "backward"')],
    [() => M.jensenShannonDistance([1], [1], { base: 1 }), new RangeError("jensenShannonDistance: base must be a finite number > 0 and != 1, got 1")],
    [() => M.psi([1], [1], { edgesFrom: "both" }), new TypeError("psi: edgesFrom applies to raw samples only (give bins)")],
    [() => M.psi([1], [1], { nan: "ignore" }), new TypeError("psi: nan applies to raw samples only (give bins)")],
    [() => M.psi([1], [1], { bins: 0 }), new RangeError('psi: bins must be a positive integer (at most 268435456), one of "auto", "fd", "doane", "scott", "rice", "sturges", "sqrt" or edges, got 0')],
    [() => M.psi([1], [1], { bins: 2.5 }), new RangeError('psi: bins must be a positive integer (at most 268435456), one of "auto", "fd", "doane", "scott", "rice", "sturges", "sqrt" or edges, got 2.5')],
    [() => M.psi([1], [1], { bins: "freedman" as never }), new RangeError('psi: bins must be a positive integer (at most 268435456), one of "auto", "fd", "doane", "scott", "rice", "sturges", "sqrt" or edges, got "freedman"')],
    [() => M.psi([1], [1], { bins: [0] }), new RangeError("psi: bins as edges needs at least 2 of them, got 1")],
    [() => M.psi([1], [1], { bins: [0, 2, 1] }), new RangeError("psi: bins must be non-decreasing, but bins[2] = 1 < bins[1] = 2")],
    [() => M.psi([1], [1], { bins: [0, Infinity] }), new RangeError("psi: bins[1] is Infinity; edges must be finite")],
    [() => M.psi([1], [1], { bins: [0, 1], edgesFrom: "both" }), new TypeError("psi: edgesFrom does not apply to explicit edges")],
    [() => M.psi([1], [1], { bins: [0, 1], range: [0, 1] }), new TypeError("psi: range does not apply to explicit edges")],
    [() => M.psi([1], [1], { bins: 2, range: [1, 0] }), new RangeError("psi: range must be two finite numbers with lo <= hi, got [1, 0]")],
    [() => M.psi([1], [1], { bins: 2, range: 5 as never }), new TypeError("psi: range must be [lo, hi], got 5")],
    [() => M.psi([1], [1], { bins: 2, outside: "drop" as never }), new TypeError('psi: outside must be "extend" or "clip" or "ignore", got "drop"')],
    [() => M.binCounts([1], [1], {} as never), new TypeError("binCounts: bins is required")],
    [() => M.binCounts([1], [1], { bins: 2, smoothing: { add: 1 } }), new TypeError("binCounts: smoothing does not apply (it returns counts)")],
  ];
  for (const [f, err] of cases) {
    it(err.message, () => {
      expect(f).toThrow(err);
      try { f(); } catch (e) { expect(e).toBeInstanceOf(err.constructor); }
    });
  }

  it("options are read once, own keys only", () => {
    let reads = 0;
    const o = { get smoothing() { reads++; return { add: 1 }; } };
    M.psi([1, 2], [2, 1], o);
    expect(reads).toBe(1);
    const proto = Object.create({ smoothing: { add: 1 } });
    expect(M.psi([1, 0], [1, 1], proto)).toBe(Infinity);
  });
});
