// Bad input: a TypeError or RangeError naming the argument (and the first
// offending index for values), never a silent wrong number; identical for the
// WebAssembly facade (small and large inputs) and the reference.
import { describe, it, expect } from "vitest";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";

const apis = { wasm, reference: ref };
const good = (n: number) => Float64Array.from({ length: n }, (_, i) => (i % 7) / 7 + 0.01);

describe.each(Object.entries(apis))("%s: bad input", (_name, api) => {
  it("argument shapes", () => {
    expect(() => api.klDivergence([0.5, 0.5], [1])).toThrow(new RangeError("klDivergence: p and q must have the same length, got 2 and 1"));
    expect(() => api.entropy([])).toThrow(new RangeError("entropy: p is empty"));
    expect(() => api.klDivergence([], [])).toThrow(RangeError);
    expect(() => api.entropyRows([1, 2, 3], 2)).toThrow(new RangeError("entropyRows: cols (2) does not divide the length (3)"));
    expect(() => api.entropyRows([1, 2, 3], 0)).toThrow(/cols must be a positive integer/);
    expect(() => api.entropyRows([1, 2, 3], 1.5)).toThrow(/cols must be a positive integer/);
    expect(() => api.klDivergenceRows([1, 2], [1, 2], 3)).toThrow(RangeError);
    // @ts-expect-error: not a vector
    expect(() => api.entropy("abc")).toThrow(new TypeError("entropy: p must be a Float64Array, Float32Array or number[], got string"));
    // @ts-expect-error: missing q
    expect(() => api.klDivergence([1])).toThrow(/q must be a Float64Array/);
    // @ts-expect-error: not a vector
    expect(() => api.entropy(null)).toThrow(TypeError);
    // @ts-expect-error: BigInt arrays are not numbers
    expect(() => api.entropy(new BigInt64Array(2))).toThrow(TypeError);
  });

  it("values: NaN, infinities, negatives and non-numbers, with the first offending index", () => {
    for (const n of [3, 40, 5000, 100_001]) {
      const at = n - 2;
      const withBad = (v: unknown) => { const a: unknown[] = Array.from(good(n)); a[at] = v; return a as number[]; };
      expect(() => api.entropy(withBad(NaN))).toThrow(new RangeError(`entropy: p[${at}] is NaN (NaN); values must be finite and >= 0`));
      expect(() => api.klDivergence(good(n), withBad(Infinity))).toThrow(new RangeError(`klDivergence: q[${at}] is infinite (Infinity); values must be finite and >= 0`));
      expect(() => api.crossEntropy(withBad(-Infinity), good(n))).toThrow(/p\[\d+\] is infinite/);
      expect(() => api.jensenShannon(good(n), withBad(-1e-300))).toThrow(new RangeError(`jensenShannon: q[${at}] is negative (-1e-300); values must be finite and >= 0`));
      expect(() => api.entropy(withBad("0.5"))).toThrow(new TypeError(`entropy: p[${at}] is not a number (string)`));
      expect(() => api.klDivergence(withBad(null), good(n))).toThrow(new TypeError(`klDivergence: p[${at}] is not a number (null)`));
      // typed arrays too, and the first index wins, p before q at the same index
      const p = good(n), q = good(n);
      p[at] = NaN; q[0] = -1;
      expect(() => api.klDivergence(p, q)).toThrow(/q\[0\] is negative/);
      q[0] = 0.5; q[at] = -1;
      expect(() => api.klDivergence(p, q)).toThrow(new RangeError(`klDivergence: p[${at}] is NaN (NaN); values must be finite and >= 0`));
      expect(() => api.klDivergence(Float32Array.from(p), Float32Array.from(q))).toThrow(/p\[\d+\] is NaN/);
    }
    // -0 is zero, not negative
    expect(api.entropy([-0, 1])).toBe(0);
  });

  it("options", () => {
    for (const eps of [-0.1, 1, 2, NaN, Infinity]) {
      expect(() => api.klDivergence([1], [1], { eps })).toThrow(new RangeError(`klDivergence: eps must be a number in [0, 1), got ${eps}`));
    }
    for (const base of [0, -2, 1, NaN, Infinity]) {
      expect(() => api.entropy([1], { base })).toThrow(new RangeError(`entropy: base must be a finite number > 0 and != 1, got ${base}`));
    }
    // @ts-expect-error: unknown option
    expect(() => api.entropy([1], { bas: 2 })).toThrow(new TypeError("entropy: unknown option 'bas'"));
    // @ts-expect-error: eps is for KL and cross-entropy only
    expect(() => api.jensenShannon([1], [1], { eps: 0.1 })).toThrow(/unknown option 'eps'/);
    // @ts-expect-error: not a boolean
    expect(() => api.entropy([1], { normalize: 1 })).toThrow(TypeError);
    expect(() => api.entropy([0, 0], { normalize: true })).toThrow(new RangeError("entropy: cannot normalize: p sums to 0"));
    expect(() => api.klDivergenceRows([1, 1, 1, 1], [1, 1, 0, 0], 2, { normalize: true })).toThrow(/row 1 of q sums to 0/);
    // a sum beyond the largest double still normalises (the row is scaled down by 2^-128 first)
    expect(api.entropy(new Array(40).fill(1e308), { normalize: true })).toBeCloseTo(Math.log(40), 14);
  });
});

describe("every bad value is caught on the WebAssembly path, wherever it hides", () => {
  const ws = wasm.createWorkspace(1 << 20);
  const cases: Array<[string, "p" | "q", number, number]> = [
    ["NaN in q where p = 0", "q", NaN, 0],
    ["+Infinity in q where p = 0", "q", Infinity, 0],
    ["+Infinity in q (it would be clipped to 1)", "q", Infinity, 0.5],
    ["-Infinity in q", "q", -Infinity, 0.5],
    ["negative q (it would be clipped to eps)", "q", -0.5, 0.5],
    ["+Infinity in p", "p", Infinity, 0.5],
    ["NaN in p", "p", NaN, 0.5],
    ["negative p", "p", -1, 0.5],
  ];
  for (const [what, name, bad, other] of cases) {
    it(what, () => {
      for (const n of [40, 5003]) {
        const at = n - 3;
        for (const make of ["f64", "f32", "view64", "view32"] as const) {
          const alloc = (len: number) => make === "view64" ? ws.f64(len) : make === "view32" ? ws.f32(len)
            : make === "f32" ? new Float32Array(len) : new Float64Array(len);
          const p = alloc(n), q = alloc(n);
          p.fill(0.01); q.fill(0.02);
          (name === "p" ? p : q)[at] = bad;
          (name === "p" ? q : p)[at] = other;
          for (const f of ["klDivergence", "crossEntropy", "jensenShannon"] as const) {
            expect(() => wasm[f](p, q), `${f} ${make} n=${n}`).toThrow(new RegExp(`${name}\\[${at}\\] is`));
          }
          for (const f of ["klDivergence", "crossEntropy"] as const) {
            for (const o of [{ eps: 0 }, { normalize: true }]) {
              expect(() => wasm[f](p, q, o), `${f} ${JSON.stringify(o)} ${make} n=${n}`).toThrow(new RegExp(`${name}\\[${at}\\] is`));
            }
          }
          if (name === "p") expect(() => wasm.entropy(p)).toThrow(new RegExp(`p\\[${at}\\] is`));
          if (make.startsWith("view")) { ws.release(p as Float64Array); ws.release(q as Float64Array); }
        }
      }
    });
  }
  it("an infinite result from clean data is returned, not an error", () => {
    const p = new Float64Array(100).fill(0.01), q = new Float64Array(100).fill(0.01);
    q[7] = 0; q[8] = 0.02; // still a distribution
    expect(wasm.klDivergence(p, q, { eps: 0 })).toBe(Infinity);
    expect(wasm.crossEntropy(p, q, { eps: 0 })).toBe(Infinity);
    expect(wasm.klDivergence(new Float64Array(100).fill(1e308), new Float64Array(100).fill(1e-300), { normalize: false })).toBe(Infinity);
  });
});

describe("after a bad call", () => {
  it("the module stays usable and has leaked nothing", () => {
    const ws = wasm.createWorkspace(1 << 20);
    const p = ws.f64(1000), q = ws.f64(1000);
    p.fill(0.001); q.fill(0.001);
    const before = ws.used, value = wasm.klDivergence(p, q);
    for (let i = 0; i < 100; i++) {
      p[i * 7] = NaN;
      expect(() => wasm.klDivergence(p, q)).toThrow(RangeError);
      p[i * 7] = 0.001;
      expect(() => wasm.klDivergence(Array.from(p), [...Array.from(q).slice(1), "x" as unknown as number])).toThrow(TypeError);
    }
    expect(ws.used).toBe(before);
    expect(wasm.klDivergence(p, q)).toBe(value);
    ws.dispose();
  });
});
