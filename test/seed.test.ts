// Section 1 of the seed chapter, value for value: every path against seed.json.
import { describe, it, expect } from "vitest";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";
import { seed } from "./helpers/seed.js";

const { p, q } = seed.discrete;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// three ways in: plain arrays (below the crossover: the TS twin), typed arrays,
// and workspace views (always the WebAssembly kernels, f64 and f32)
const ws = wasm.createWorkspace(1 << 16);
const view = (x: number[]) => { const v = ws.f64(x.length); v.set(x); return v; };
const paths = {
  "facade, number[]": { api: wasm, P: p, Q: q },
  "facade, Float64Array": { api: wasm, P: Float64Array.from(p), Q: Float64Array.from(q) },
  "WebAssembly, zero-copy f64": { api: wasm, P: view(p), Q: view(q) },
  "reference": { api: ref, P: p, Q: q },
};

describe("seed section 1", () => {
  for (const [name, { api, P, Q }] of Object.entries(paths)) {
    it(`${name}: H, KL both ways, CE both ways to 1e-15 relative`, () => {
      const d = seed.discrete;
      expect(rel(api.entropy(P), d.entropy_p)).toBeLessThanOrEqual(1e-15);
      expect(rel(api.klDivergence(P, Q), d.kl_pq)).toBeLessThanOrEqual(1e-15);
      expect(rel(api.klDivergence(Q, P), d.kl_qp)).toBeLessThanOrEqual(1e-15);
      expect(rel(api.crossEntropy(P, Q), d.cross_entropy_pq)).toBeLessThanOrEqual(1e-15);
      expect(rel(api.crossEntropy(P, Q), d.cross_entropy_direct)).toBeLessThanOrEqual(1e-15);
      expect(rel(api.entropy(P) + api.klDivergence(P, Q), d.cross_entropy_pq)).toBeLessThanOrEqual(1e-15);
    });
  }

  it("float32 zero-copy agrees with the seed to float32 accuracy", () => {
    const f = (x: number[]) => { const v = ws.f32(x.length); v.set(x); return v; };
    const P = f(p), Q = f(q);
    // the inputs themselves are rounded to float32 (relative 6e-8)
    expect(rel(wasm.klDivergence(P, Q), seed.discrete.kl_pq)).toBeLessThan(1e-5);
    expect(rel(wasm.entropy(P), seed.discrete.entropy_p)).toBeLessThan(1e-6);
  });

  it("bits: base 2 divides by ln 2", () => {
    expect(rel(wasm.entropy(p, { base: 2 }), seed.discrete.entropy_p / Math.LN2)).toBeLessThan(1e-15);
  });
});
