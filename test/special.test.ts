// src/core/special.ts against mpmath (test/fixtures/special.json, scripts/fixtures/special.py): lgamma, digamma
// and lbeta, at 50 digits on the exact double arguments. The bounds tested are the ones stated in
// src/core/special.ts and docs/distributions.md.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import {
  lgamma, digamma, lbeta, xlogy, trigamma, erf, lgammaBregman, itakuraSaito, expm1MinusX, lgammaExcess, lgammaStirlingBregman,
  trigammaMinusInverse,
} from "../src/core/special.js";

interface Case { name: string; args: number[]; expected: number | string; tag?: string }
const fx = JSON.parse(readFileSync(new URL("./fixtures/special.json", import.meta.url), "utf8")) as
  Record<"lgamma" | "digamma" | "lbeta" | "trigamma" | "erf" | "lgammaBregman" | "itakuraSaito" | "expm1MinusX" | "lgammaExcess"
    | "lgammaStirlingBregman" | "trigammaMinusInverse", Case[]>;
const num = (v: number | string): number => (typeof v === "number" ? v : Number(v));

/** |got - want| / |want| (0 when both are the same infinity or both 0). */
const relErr = (got: number, want: number): number =>
  Object.is(got, want) || got === want ? 0 : !Number.isFinite(want) ? Infinity : Math.abs(got - want) / Math.abs(want);
/** |got - want| / max(1, |want|): the bound where a relative one cannot hold. */
const mixedErr = (got: number, want: number): number =>
  got === want ? 0 : !Number.isFinite(want) ? Infinity : Math.abs(got - want) / Math.max(1, Math.abs(want));

function worst(cases: Case[], f: (...a: number[]) => number, err: (g: number, w: number, args: number[]) => number) {
  let max = 0, at = "";
  for (const c of cases) {
    const e = err(f(...c.args), num(c.expected), c.args);
    if (!(e <= max)) { max = e; at = c.name; }
  }
  return { max, at };
}

const REL = 1e-15;

describe("special functions against mpmath", () => {
  const report = (what: string, w: { max: number; at: string }, n: number) =>
    console.log(`${what}: max error ${w.max.toExponential(2)} over ${n} cases (${w.at})`);

  it("lgamma, x > 0: within 1e-15 relative (next to its zeros at 1 and 2 too)", () => {
    const cs = fx.lgamma.filter((c) => c.args[0] > 0);
    expect(cs.length).toBeGreaterThan(700);
    const w = worst(cs, lgamma, relErr);
    report("lgamma x > 0 (relative)", w, cs.length);
    expect(w.max).toBeLessThanOrEqual(REL);
  });

  it("lgamma, x < 0: within 1e-15 max(|lgamma(x)|, 1 + |lgamma(1 - x)|) (the reflection's scale; also next to its negative zeros)", () => {
    const cs = fx.lgamma.filter((c) => c.args[0] < 0);
    expect(cs.length).toBeGreaterThan(200);
    const w = worst(cs, lgamma, (g, want, [x]) => (g === want ? 0 : Math.abs(g - want) / Math.max(Math.abs(want), 1 + Math.abs(lgamma(1 - x)))));
    report("lgamma x < 0 (on the reflection's scale)", w, cs.length);
    expect(w.max).toBeLessThanOrEqual(REL);
  });

  it("digamma, x > 0: within 1e-15 relative (next to its zero 1.4616... too)", () => {
    const cs = fx.digamma.filter((c) => c.args[0] > 0);
    expect(cs.length).toBeGreaterThan(500);
    const w = worst(cs, digamma, relErr);
    report("digamma x > 0 (relative)", w, cs.length);
    expect(w.max).toBeLessThanOrEqual(REL);
  });

  it("digamma, x < 0: within 1e-15 (1 + |digamma(1 - x)| + |pi cot(pi x)|) (the reflection's scale)", () => {
    const cs = fx.digamma.filter((c) => c.args[0] < 0);
    expect(cs.length).toBeGreaterThan(200);
    const cot = (x: number) => Math.abs(Math.PI / Math.tan(Math.PI * (x - Math.round(x))));
    const w = worst(cs, digamma, (g, want, [x]) => (g === want ? 0 : Math.abs(g - want) / (1 + Math.abs(digamma(1 - x)) + cot(x))));
    report("digamma x < 0 (on the reflection's scale)", w, cs.length);
    expect(w.max).toBeLessThanOrEqual(REL);
  });

  it("lbeta: within 1e-15 max(1, |lbeta|) where a stirling branch applies (max(a, b) >= 10), else 1e-15 (|lgamma(a)| + |lgamma(b)| + |lgamma(a + b)|)", () => {
    const big = fx.lbeta.filter((c) => Math.max(...c.args) >= 10), small = fx.lbeta.filter((c) => Math.max(...c.args) < 10);
    const w = worst(big, lbeta, mixedErr);
    report("lbeta max(a, b) >= 10 (absolute below 1, relative above)", w, big.length);
    expect(w.max).toBeLessThanOrEqual(REL);
    const scale = (a: number, b: number) => Math.abs(lgamma(a)) + Math.abs(lgamma(b)) + Math.abs(lgamma(a + b));
    const ws = worst(small, lbeta, (g, want, [a, b]) => (g === want ? 0 : Math.abs(g - want) / scale(a, b)));
    report("lbeta max(a, b) < 10 (on the three lgammas' scale)", ws, small.length);
    expect(ws.max).toBeLessThanOrEqual(REL);
  });

  // the building blocks of the closed forms (src/distributions/): relative bounds, also where they are tiny
  // (a result below 2^-1022 has fewer bits: there within 4 units of 2^-1074)
  const blocks: [keyof typeof fx, (...a: number[]) => number, number][] = [
    ["trigamma", trigamma, 1e-15], ["erf", erf, 1e-15], ["lgammaBregman", lgammaBregman, 2e-15],
    ["itakuraSaito", itakuraSaito, 1e-15], ["expm1MinusX", expm1MinusX, 1e-15], ["lgammaExcess", lgammaExcess, 1e-15],
    ["lgammaStirlingBregman", lgammaStirlingBregman, 2e-15], ["trigammaMinusInverse", trigammaMinusInverse, 1e-15],
  ];
  for (const [name, f, bound] of blocks) {
    it(`${name}: within ${bound} relative of mpmath`, () => {
      const cs = fx[name];
      expect(cs.length).toBeGreaterThan(100);
      const w = worst(cs, f, (g, want) => (Math.abs(g - want) <= 4 * 2 ** -1074 ? 0 : relErr(g, want)));
      report(`${name} (relative)`, w, cs.length);
      expect(w.max).toBeLessThanOrEqual(bound);
    });
  }

  it("poles, infinities and NaN as torch", () => {
    for (const x of [0, -0, -1, -2, -170, -Infinity, Infinity]) expect(lgamma(x)).toBe(Infinity);
    expect(lgamma(NaN)).toBeNaN();
    expect(digamma(0)).toBe(-Infinity);
    expect(digamma(-0)).toBe(Infinity);
    expect(digamma(Infinity)).toBe(Infinity);
    for (const x of [-1, -2, -1e20, -Infinity, NaN]) expect(digamma(x)).toBeNaN();
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
    expect(digamma(1)).toBe(-0.5772156649015329);
    expect(lbeta(0, 1)).toBe(Infinity);
    expect(lbeta(1, Infinity)).toBe(-Infinity);
    for (const [a, b] of [[-1, 1], [1, -1], [NaN, 1], [1, NaN], [0, -1]]) expect(lbeta(a, b)).toBeNaN();
    expect(lbeta(2, 3)).toBe(lbeta(3, 2));
  });

  it("xlogy: 0 when x = 0, NaN for NaN y", () => {
    expect(xlogy(0, 0)).toBe(0);
    expect(xlogy(0, 5)).toBe(0);
    expect(xlogy(2, Math.E)).toBe(2);
    expect(xlogy(0, NaN)).toBeNaN();
    expect(xlogy(1, 0)).toBe(-Infinity);
  });
});
