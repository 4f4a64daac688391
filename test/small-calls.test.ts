// The small calls' own path (a short Float64Array or Float32Array, pair, with no options:
// src/discrete/twin.ts plainCalls) must give what the general path gives for the same
// input: the same double (Object.is) or the same error. The general path is reached with
// an options object ({}), which the plain call never takes.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";
import { BLOCK } from "../src/discrete/twin.js";
import { SMALL } from "../src/core/wasm.js";

const builds = [["wasm", wasm], ["reference", ref]] as const;
const FNS = ["entropy", "klDivergence", "crossEntropy", "jensenShannon", "jensenShannonDistance"] as const;

/** Values users pass, and faults: mostly a distribution, sometimes far off. */
const value = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-16, 1e-15, 1.0000001) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -1e-300, -0.5, 1e300, 1.7e308) },
);

function outcome(f: () => number): { v?: number; e?: string } {
  try {
    return { v: f() };
  } catch (err) {
    return { e: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

it("the plain KL call's cutoff (the twin's BLOCK) is the facade's small-input size (SMALL): one block per small call", () => {
  expect(BLOCK).toBe(SMALL);
});

describe.each(builds)("%s: the plain small call = the general path", (_name, api) => {
  it("every measure, n = 1..70 (across the twin's summation blocks of 32 and the small-call size), float64, float32, both mixes and number[]", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 70 }), fc.nat(), fc.constantFrom("f64", "f32", "mixed", "mixed2", "array"), fc.boolean(),
      (n, seed, kind, normalise) => {
        const pv = fc.sample(fc.array(value, { minLength: n, maxLength: n }), { seed, numRuns: 1 })[0];
        const qv = fc.sample(fc.array(value, { minLength: n, maxLength: n }), { seed: seed + 1, numRuns: 1 })[0];
        if (normalise) { // most calls pass the default sum check, where the plain call returns
          for (const x of [pv, qv]) {
            const s = x.reduce((a, b) => a + b, 0);
            if (s > 0 && s < Infinity) for (let i = 0; i < n; i++) x[i] /= s;
          }
        }
        // mixed: float64 p, float32 q; mixed2: the reverse; array: number[] (read once into a Float64Array)
        const p = kind === "array" ? pv : kind === "f32" || kind === "mixed2" ? Float32Array.from(pv) : Float64Array.from(pv);
        const q = kind === "array" ? qv : kind === "f64" || kind === "mixed2" ? Float64Array.from(qv) : Float32Array.from(qv);
        for (const fn of FNS) {
          const f = api[fn] as (p: unknown, q: unknown, o?: object) => number;
          const plain = fn === "entropy" ? outcome(() => f(p, undefined)) : outcome(() => f(p, q));
          const general = fn === "entropy" ? outcome(() => f(p, {})) : outcome(() => f(p, q, {}));
          expect(plain, `${fn}(${Array.from(p)}, ${Array.from(q)})`).toEqual(general);
          if (plain.v !== undefined) expect(Object.is(plain.v, general.v)).toBe(true);
        }
      }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 42) });
  });
});
