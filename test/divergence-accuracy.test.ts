// The divergence family's hard cases (the issue-16 review's accuracy findings), both builds:
//  - Rényi sums Σ x^α y^(1−α) that underflow (log-sum-exp) and Bhattacharyya as given with masses far from 1,
//    against test/fixtures/divergence-accuracy.json (mpmath on the exact doubles, scripts/fixtures/divergence_accuracy.py);
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
