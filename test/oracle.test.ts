// Both builds against values neither computed: test/fixtures/discrete.json and
// softmax.json (mpmath on the exact inputs, rounded once; SciPy's values beside them),
// written by scripts/fixtures/discrete.py. The bound is the README's:
//   |got - exact| <= 1e-14 S (float64 input), 1e-6 S (float32 input in the float32 kernels),
// S = sum(|term| + p) as in test/helpers/accuracy.ts, plus 2^-1074 per term where
// products fall below the normal range. jensenShannonDistance is compared as JS = d^2.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";
import { scale, type Measure } from "./helpers/accuracy.js";

type Num = number | "Infinity" | "-Infinity" | "NaN";
interface Case {
  name: string; fn: "entropy" | "klDivergence" | "crossEntropy" | "jensenShannon" | "jensenShannonDistance";
  p: number[] | "p"; q?: number[] | "q"; cols?: number; options: { eps?: number; normalize?: boolean; base?: number };
  f32: boolean; expected: Num | Num[]; scipy?: Num | Num[]; scipy_close?: boolean | boolean[];
}
const load = (f: string) => JSON.parse(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), "utf8"));
const num = (v: Num) => (typeof v === "number" ? v : Number(v));
const discrete = load("discrete.json") as { cases: Case[] };
const softmax = load("softmax.json") as { cases: Case[]; inputs: { p: number[]; q: number[] } };
const resolve = (c: Case, inputs?: { p: number[]; q: number[] }) => ({
  p: c.p === "p" ? inputs!.p : (c.p as number[]), q: c.q === "q" ? inputs!.q : (c.q as number[] | undefined),
});

const builds = [["wasm", wasm], ["reference", ref]] as const;
let worst = 0, worst32 = 0, compared = 0;

function check(api: typeof wasm | typeof ref, c: Case, p: number[], q: number[] | undefined) {
  const measure = (c.fn === "jensenShannonDistance" ? "jensenShannon" : c.fn) as Measure;
  const o = { ...c.options, normalize: c.options.normalize ?? false };
  const rows = c.cols === undefined ? 1 : p.length / c.cols;
  const cols = c.cols ?? p.length;
  const want = (Array.isArray(c.expected) ? c.expected : [c.expected]).map(num);
  const inputs: Array<[string, ArrayLike<number>, ArrayLike<number> | undefined, number]> = [
    ["number[]", p, q, 1e-14], ["Float64Array", Float64Array.from(p), q && Float64Array.from(q), 1e-14],
  ];
  if (c.f32) inputs.push(["Float32Array", Float32Array.from(p), q && Float32Array.from(q), 1e-6]);
  const call = (P: ArrayLike<number>, Q: ArrayLike<number> | undefined): number[] => {
    const f = api as unknown as Record<string, (...a: unknown[]) => unknown>;
    if (c.cols === undefined) return [(c.fn === "entropy" ? f[c.fn](P, o) : f[c.fn](P, Q, o)) as number];
    const name = `${c.fn}Rows`;
    return Array.from((c.fn === "entropy" ? f[name](P, c.cols, o) : f[name](P, Q, c.cols, o)) as Float64Array);
  };
  for (const [kind, P, Q, bound] of inputs) {
    const got = call(P, Q);
    for (let r = 0; r < rows; r++) {
      const pr = p.slice(r * cols, (r + 1) * cols), qr = (q ?? p).slice(r * cols, (r + 1) * cols);
      const w = want[r], base = c.options.base === undefined ? 1 : Math.log(c.options.base);
      let g = got[r], e = w;
      if (c.fn === "jensenShannonDistance") { g *= g; e *= e; }
      const where = `${c.name} ${c.fn}${c.cols ? "Rows" : ""} ${JSON.stringify(c.options)} ${kind} row ${r}: got ${got[r]}, want ${w}`;
      if (!Number.isFinite(e)) { expect(g, where).toBe(e); continue; }
      // (normalised rows whose sums overflow: S of the same rows scaled down, as the library does)
      const over = o.normalize && [pr, qr].some((x) => x.reduce((u, v) => u + v, 0) === Infinity);
      const down = (x: number[]) => (over ? x.map((v) => v * 2 ** -128) : x);
      const S = scale(measure, down(pr), down(qr), o) / base;
      const tol = bound * (Number.isFinite(S) ? S : Math.abs(e)) + 4 * pr.length * Number.MIN_VALUE;
      const err = Math.abs(g - e);
      expect(err, where).toBeLessThanOrEqual(tol);
      compared++;
      const rel = S > 0 && Number.isFinite(S) ? err / S : 0;
      if (kind === "Float32Array") worst32 = Math.max(worst32, rel); else worst = Math.max(worst, rel);
    }
  }
}

describe.each(builds)("%s against mpmath (discrete.json, softmax.json)", (_name, api) => {
  it(`${discrete.cases.length} cases: every input kind within the stated bound`, () => {
    for (const c of discrete.cases) {
      const { p, q } = resolve(c);
      check(api, c, p, q);
    }
  });
  it(`float32 softmax outputs of 32000 classes (${softmax.cases.length} cases)`, () => {
    for (const c of softmax.cases) {
      const { p, q } = resolve(c, softmax.inputs);
      check(api, c, p, q);
    }
  });
  it("the default check passes every case whose vectors sum to 1 within the tolerance, with the same value", () => {
    for (const c of [...discrete.cases, ...softmax.cases]) {
      if (c.options.normalize !== undefined || c.cols !== undefined) continue;
      const { p, q } = resolve(c, softmax.inputs);
      const f = api as unknown as Record<string, (...a: unknown[]) => number>;
      const P = c.f32 ? Float32Array.from(p) : Float64Array.from(p), Q = q && (c.f32 ? Float32Array.from(q) : Float64Array.from(q));
      const tol = c.f32 ? 3.4526698300124393e-4 : 1.4901161193847656e-8;
      const sums = [p, ...(q ? [q] : [])].map((x) => x.reduce((a, b) => a + b, 0));
      const { normalize: _, ...rest } = c.options;
      const run = () => (c.fn === "entropy" ? f[c.fn](P, rest) : f[c.fn](P, Q, rest));
      if (sums.every((s) => Math.abs(s - 1) <= tol * 0.5)) {
        const asGiven = c.fn === "entropy" ? f[c.fn](P, { ...rest, normalize: false }) : f[c.fn](P, Q, { ...rest, normalize: false });
        expect(Object.is(run(), asGiven), c.name).toBe(true);
      } else if (sums.some((s) => Math.abs(s - 1) > tol * 2)) {
        expect(run, c.name).toThrow(/sums to .*, not 1/);
      }
    }
  });
});

describe("SciPy agrees with the same fixtures where it computes the same thing", () => {
  it("scipy_close cases: SciPy within 1e-12 of mpmath (the fixture's flag), so the oracle is not ours alone", () => {
    let n = 0;
    for (const c of discrete.cases) {
      if (c.scipy === undefined) continue;
      const flags = Array.isArray(c.scipy_close) ? c.scipy_close : [c.scipy_close];
      n += flags.filter(Boolean).length;
    }
    expect(n).toBeGreaterThan(250);
    console.log(`oracle: ${compared} values compared; worst |error|/S: float64 ${worst.toExponential(2)}, float32 ${worst32.toExponential(2)}; SciPy within 1e-12 on ${n} values`);
  });
});
