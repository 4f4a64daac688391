// The divergence family's hard cases (the issue-16 review's accuracy findings), both builds:
//  - Rényi sums Σ x^α y^(1−α) that underflow (log-sum-exp) and Bhattacharyya as given with masses far from 1,
//    against test/fixtures/divergence-accuracy.json (mpmath on the exact doubles, scripts/fixtures/divergence_accuracy.py);
//  - a row of p that sums to 0 under Rényi as given: a clear RangeError, the same from both builds;
//  - values ≥ 0 for distributions (normalize: true, the default check): a rounding below 0 is 0, equal arrays 0.
// Bound: docs/divergences.md's |got − exact| ≤ 1e-13 |exact| + 1e-15 A (A = Σp for normalised results and the
// Rényi divergence, else 0: relative).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import * as wasm from "../src/divergences.js";
import * as ref from "../src/reference.js";

type Num = number | "Infinity" | "-Infinity";
interface Case {
  name: string; fn: string; p: number[]; q?: number[]; order?: Num; cols?: number;
  options: { normalize?: boolean }; expected: Num | Num[];
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/divergence-accuracy.json", import.meta.url), "utf8")) as {
  cases: Case[];
};
type Api = Record<string, (...a: unknown[]) => unknown>;
const builds: Array<[string, Api]> = [["wasm", wasm as unknown as Api], ["reference", ref as unknown as Api]];
const num = (v: Num) => (typeof v === "number" ? v : Number(v));
const sum = (x: number[]) => x.reduce((u, v) => u + v, 0);

function call(api: Api, c: Case, P: ArrayLike<number>, Q: ArrayLike<number> | undefined): number[] {
  const args: unknown[] = c.fn === "renyiEntropy" ? [P] : [P, Q];
  if (c.order !== undefined) args.push(num(c.order));
  if (c.cols === undefined) return [api[c.fn](...args, c.options) as number];
  return Array.from(api[`${c.fn}Rows`](...args, c.cols, c.options) as Float64Array);
}

describe.each(builds)("underflowing Rényi sums, Bhattacharyya's masses far from 1 (%s)", (build, api) => {
  it("every fixture case within the bound, number[] and Float64Array", () => {
    let worst = 0;
    for (const c of fixture.cases) {
      const want = (Array.isArray(c.expected) ? c.expected : [c.expected]).map(num);
      const cols = c.cols ?? c.p.length;
      for (const [kind, P, Q] of [["number[]", c.p, c.q], ["Float64Array", Float64Array.from(c.p), c.q && Float64Array.from(c.q)]] as const) {
        const got = call(api, c, P, Q);
        want.forEach((e, r) => {
          const pr = c.p.slice(r * cols, (r + 1) * cols);
          const A = c.options.normalize ? 1 : c.fn === "renyiDivergence" ? sum(pr) : 0;
          const err = Math.abs(got[r] - e), tol = 1e-13 * Math.abs(e) + 1e-15 * A;
          expect(err, `${build} ${c.fn} ${c.name} ${kind} row ${r}: got ${got[r]}, want ${e}`).toBeLessThanOrEqual(tol);
          worst = Math.max(worst, err / tol);
        });
      }
    }
    console.log(`divergence-accuracy (${build}): ${fixture.cases.length} cases, worst fraction of the bound used ${worst.toFixed(3)}`);
  });

  it("log n for a uniform row at every large order (Σ x^α below the doubles from α ≈ 110 at n = 1000)", () => {
    for (const n of [40, 1000]) {
      const u = new Float64Array(n).fill(1 / n);
      for (const a of [50, 110, 500, 5000, 1e300]) {
        const h = api.renyiEntropy(u, a, { normalize: true }) as number;
        expect(Math.abs(h - Math.log(n)), `n = ${n}, α = ${a}: ${h}`).toBeLessThanOrEqual(1e-13 * Math.log(n));
      }
    }
  });

  it("disjoint supports below order 1 stay +Infinity (every term 0, not an underflow)", () => {
    const p = new Float64Array(40), q = new Float64Array(40);
    p.fill(1 / 20, 0, 20);
    q.fill(1 / 20, 20);
    for (const a of [0, 0.01, 0.5]) expect(api.renyiDivergence(p, q, a)).toBe(Infinity);
  });
});

describe("both builds agree on rows the WebAssembly engine hands back to the twin", () => {
  it("renyiEntropyRows and renyiDivergenceRows with underflowing rows between ordinary ones", () => {
    const cols = 50, rows = 6, p = new Float64Array(rows * cols), q = new Float64Array(rows * cols);
    for (let i = 0; i < p.length; i++) {
      p[i] = ((i * 7919) % 97) + 1;
      q[i] = ((i * 104729) % 89) + 1;
    }
    p.fill(1, cols, 2 * cols); // row 1 uniform: Σ x^300 underflows
    p.fill(1e-200, 3 * cols, 4 * cols); // row 3 tiny as given
    for (const normalize of [true, false]) {
      for (const a of [0.01, 2, 300]) {
        const w = wasm.renyiEntropyRows(p, a, cols, { normalize }), r = ref.renyiEntropyRows(p, a, cols, { normalize });
        const wd = wasm.renyiDivergenceRows(p, q, a, cols, { normalize }), rd = ref.renyiDivergenceRows(p, q, a, cols, { normalize });
        for (let i = 0; i < rows; i++) {
          expect(Math.abs(w[i] - r[i]), `entropy row ${i} α ${a} ${normalize}`).toBeLessThanOrEqual(1e-12 * Math.abs(r[i]));
          expect(Math.abs(wd[i] - rd[i]), `divergence row ${i} α ${a} ${normalize}`).toBeLessThanOrEqual(1e-12 * Math.abs(rd[i]) + 1e-14 * cols * 100);
        }
      }
    }
  });
});

describe.each(builds)("Rényi of a row of p that sums to 0 (%s)", (_build, api) => {
  it("as given: a RangeError that says so, for every order, single and rows", () => {
    for (const a of [0, 0.5, 1, 2, 10, Infinity]) {
      expect(() => api.renyiDivergence([0, 0, 0], [1, 0, 0], a, { normalize: false }))
        .toThrow(new RangeError("renyiDivergence: p sums to 0 (as given, Rényi's measures divide by Σp)"));
      expect(() => api.renyiEntropy(new Float64Array(40), a, { normalize: false }))
        .toThrow(new RangeError("renyiEntropy: p sums to 0 (as given, Rényi's measures divide by Σp)"));
      const p = new Float64Array(80).fill(0.025, 0, 40), q = new Float64Array(80).fill(0.025);
      expect(() => api.renyiDivergenceRows(p, q, a, 40, { normalize: false }))
        .toThrow(new RangeError("renyiDivergenceRows: row 1 of p sums to 0 (as given, Rényi's measures divide by Σp)"));
    }
  });

  it("the default check: the sum's own message; a bad value is still named first", () => {
    for (const a of [0, 2, Infinity]) {
      expect(() => api.renyiEntropy([0, 0, 0], a)).toThrow(/renyiEntropy: p sums to 0, not 1/);
      expect(() => api.renyiDivergenceRows(new Float64Array(80).fill(0.025, 40), new Float64Array(80).fill(0.025), a, 40))
        .toThrow(/renyiDivergenceRows: row 0 of p sums to 0, not 1/);
      expect(() => api.renyiEntropy([0, 0, -1], a, { normalize: false })).toThrow(/p\[2\] is negative/);
    }
  });

  it("Tsallis of zeros as given is 0 (no division by Σp); q all zero is +Infinity", () => {
    expect(api.tsallisEntropy(new Float64Array(40), 2, { normalize: false })).toBe(0);
    expect(api.renyiDivergence([0.5, 0.5], [0, 0], 0.5, { normalize: false })).toBe(Infinity);
  });
});

describe.each(builds)("values ≥ 0 for distributions (%s)", (_build, api) => {
  const tenth = Array(10).fill(0.1) as number[]; // the doubles sum to 1 + 5.55e-17
  it("equal arrays give exactly 0 with the default check and normalize: true", () => {
    for (const o of [undefined, { normalize: true }]) {
      for (const x of [tenth, new Float64Array(40).fill(0.025), new Float64Array(50).fill(0.1)]) {
        if (o === undefined && x.length === 50) continue; // (sums to 5)
        expect(Object.is(api.bhattacharyyaDistance(x, x, o), 0), `${x.length} ${JSON.stringify(o)}`).toBe(true);
        for (const a of [0, 0.5, 2, Infinity]) expect(Object.is(api.renyiDivergence(x, x, a, o), 0)).toBe(true);
      }
    }
  });

  it("D_0 of full support is 0 (−log 1), not −1e-16", () => {
    const p = Array.from({ length: 40 }, (_, i) => (i + 1) / 820), q = Array.from({ length: 40 }, (_, i) => (40 - i) / 820);
    for (const o of [undefined, { normalize: true }]) {
      expect(Object.is(api.renyiDivergence(p, q, 0, o), 0)).toBe(true);
      expect(Object.is(api.renyiDivergence(p.slice(0, 7), q.slice(0, 7), 0, { normalize: true }), 0)).toBe(true);
    }
  });

  it("as given the incomplete-distribution values stay negative where they are", () => {
    // −log Σ √(xy) = −log Σp for p = q: ten 0.1s sum to 1 + 2^-54 (as doubles, exactly)
    expect(api.bhattacharyyaDistance(tenth, tenth, { normalize: false })).toBe(-Math.log1p(2 ** -54));
    const s = new Float64Array(40).fill(0.05); // Σ = 2: −log 2
    expect(Math.abs((api.bhattacharyyaDistance(s, s, { normalize: false }) as number) + Math.LN2)).toBeLessThanOrEqual(1e-16);
    expect(api.renyiDivergence([0.5, 0.5], [0.6, 0.6], 2, { normalize: false })).toBeCloseTo(Math.log(0.5 / 0.6), 15);
  });
});

describe.each(builds)("Jensen–Shannon of near-equal rows: an absolute bound, not a relative one (%s)", (_build, api) => {
  it("within 1e-15 A of mpmath's 5.0e-19 (p, q 1e-9 apart), as src/divergences.ts states", () => {
    const p = [0.5, 0.5], q = [0.5 + 1e-9, 0.5 - 1e-9];
    // mpmath, 60 digits: ½ KL(p‖m) + ½ KL(q‖m) on the exact doubles = 4.999999994736445e-19
    const v = api.jensenShannonMany([...p, ...q], 2) as number;
    expect(Math.abs(v - 4.999999994736445e-19)).toBeLessThanOrEqual(1e-15);
    expect(v).toBeGreaterThanOrEqual(0);
  });
});
