// Both builds of kl-wasm/divergences (and jensenShannon's weights in the main entry) against
// test/fixtures/divergence.json: mpmath on the exact inputs from the textbook formulas, written by
// scripts/fixtures/divergence.py. The bound is docs/divergences.md's:
//   |got − exact| ≤ 1e-13 |exact| + 1e-15 A   (float64 input),   1e-6 (|exact| + A)   (float32 input),
// A the case's absolute scale: Σx (every measure's sum of p), the error that normalising p/Σp (or, for the
// Rényi divergence, rounding log(p/q)) leaves in any difference of p and q; A = 0 for an as-given pair with
// no normalising (normalize false and the default check), where the result is relatively accurate.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import * as wasmDiv from "../src/divergences.js";
import * as wasmMain from "../src/index.js";
import * as ref from "../src/reference.js";

type Num = number | "Infinity" | "-Infinity" | "NaN";
interface Case {
  name: string; fn: string; p: number[]; q?: number[]; order?: Num; cols?: number;
  options: { normalize?: boolean; base?: number; weights?: number[] }; f32: boolean; expected: Num | Num[]; peer?: Num;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/divergence.json", import.meta.url), "utf8")) as { cases: Case[] };
const num = (v: Num) => (typeof v === "number" ? v : Number(v));
type Api = Record<string, (...a: unknown[]) => unknown>;
const builds: Array<[string, Api]> = [
  ["wasm", { ...(wasmMain as unknown as Api), ...(wasmDiv as unknown as Api) }],
  ["reference", ref as unknown as Api],
];
const ONE_ARG = new Set(["renyiEntropy", "tsallisEntropy"]);

export function call(api: Api, c: Case, P: ArrayLike<number>, Q: ArrayLike<number> | undefined, o: object): number[] {
  const f = api[c.fn], order = c.order === undefined ? undefined : num(c.order);
  if (c.fn === "jensenShannonMany") return [f(P, c.cols, o) as number];
  const args: unknown[] = ONE_ARG.has(c.fn) ? [P] : [P, Q];
  if (order !== undefined) args.push(order);
  if (c.cols === undefined) return [f(...args, o) as number];
  return Array.from(api[`${c.fn}Rows`](...args, c.cols, o) as Float64Array);
}

let worstRel = 0, worstUsed = 0, worst32 = 0, compared = 0;

describe.each(builds)("divergence fixtures (%s)", (build, api) => {
  it("every case within the bound, for number[], Float64Array and Float32Array input", () => {
    for (const c of fixture.cases) {
      const o = { ...c.options, normalize: c.options.normalize ?? false };
      const want = (Array.isArray(c.expected) ? c.expected : [c.expected]).map(num);
      const rows = want.length, cols = c.cols === undefined || c.fn === "jensenShannonMany" ? c.p.length : c.cols;
      const inputs: Array<[string, ArrayLike<number>, ArrayLike<number> | undefined, boolean]> = [
        ["number[]", c.p, c.q, false], ["Float64Array", Float64Array.from(c.p), c.q && Float64Array.from(c.q), false],
      ];
      if (c.f32) inputs.push(["Float32Array", Float32Array.from(c.p), c.q && Float32Array.from(c.q), true]);
      for (const [kind, P, Q, f32] of inputs) {
        const got = call(api, c, P, Q, o);
        for (let r = 0; r < rows; r++) {
          const e = want[r], g = got[r];
          const where = `${build} ${c.fn} ${c.name} ${JSON.stringify(c.options)} ${kind} row ${r}: got ${g}, want ${e}`;
          if (!Number.isFinite(e)) { expect(g, where).toBe(e); continue; }
          const pr = c.p.slice(r * cols, (r + 1) * cols);
          const A = c.options.normalize || c.fn === "renyiDivergence" || c.fn === "jensenShannonMany"
            || c.fn === "jensenShannon" ? pr.reduce((u, v) => u + v, 0) / (c.options.normalize ? pr.reduce((u, v) => u + v, 0) : 1) : 0;
          const err = Math.abs(g - e);
          const tol = f32 ? 1e-6 * (Math.abs(e) + A + 1e-300) : 1e-13 * Math.abs(e) + 1e-15 * A + 4 * cols * Number.MIN_VALUE;
          expect(err, where).toBeLessThanOrEqual(tol);
          compared++;
          if (f32) worst32 = Math.max(worst32, err / (Math.abs(e) + A));
          else {
            worstUsed = Math.max(worstUsed, err / tol);
            if (A === 0 && e !== 0) worstRel = Math.max(worstRel, err / Math.abs(e));
          }
        }
      }
    }
  });
});

describe("peers", () => {
  it("SciPy / NumPy agree with the fixture within 1e-12 (where they compute the same thing)", () => {
    for (const c of fixture.cases) {
      if (c.peer === undefined || !Number.isFinite(num(c.expected as Num))) continue;
      const e = num(c.expected as Num);
      expect(Math.abs(num(c.peer) - e), `${c.fn} ${c.name}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
    }
    console.log(`divergence oracle: ${compared} values compared; float64: worst relative error (A = 0) ` +
      `${worstRel.toExponential(2)}, worst fraction of the bound used ${worstUsed.toFixed(3)}; float32: worst |error|/(|e| + A) ` +
      `${worst32.toExponential(2)}`);
  });
});
