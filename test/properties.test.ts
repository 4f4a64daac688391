// Identities that must hold for any input (fast-check), on the WebAssembly path
// (inputs staged into a workspace so even short vectors use the kernels) and
// on the reference.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";
import { scale } from "./helpers/accuracy.js";

const ws = wasm.createWorkspace(1 << 22);
/** Runs f with x and y copied into workspace views (zero-copy path), then releases them. */
function staged<T>(x: number[], y: number[], f: (a: Float64Array, b: Float64Array) => T): T {
  const a = ws.f64(x.length), b = ws.f64(y.length);
  a.set(x); b.set(y);
  try { return f(a, b); } finally { ws.release(a); ws.release(b); }
}

const prob = fc.double({ min: 0, max: 1, noNaN: true });
const weights = fc.oneof(prob, fc.constant(0), fc.double({ min: 0, max: 1e-300, noNaN: true }));
const pairs = fc.integer({ min: 1, max: 200 }).chain((n) =>
  fc.tuple(fc.array(weights, { minLength: n, maxLength: n }), fc.array(weights, { minLength: n, maxLength: n })))
  .filter(([p, q]) => p.some((v) => v > 0) && q.some((v) => v > 0));
const runs = { numRuns: 300 };

describe.each([["wasm", true], ["reference", false]] as const)("%s: properties", (_name, useWasm) => {
  const api = useWasm ? wasm : ref;
  const run = <T>(p: number[], q: number[], f: (a: ArrayLike<number>, b: ArrayLike<number>) => T): T =>
    useWasm ? staged(p, q, f) : f(p, q);

  it("Gibbs: KL(P || Q) >= 0 for distributions (normalize, eps = 0)", () => {
    fc.assert(fc.property(pairs, ([p, q]) => {
      const kl = run(p, q, (a, b) => api.klDivergence(a, b, { normalize: true, eps: 0 }));
      expect(kl).toBeGreaterThanOrEqual(-1e-14 * scale("klDivergence", p, q, { normalize: true, eps: 0 }));
    }), runs);
  });

  it("KL(P || P) = 0 exactly with eps = 0, as given and normalised", () => {
    fc.assert(fc.property(pairs, ([p]) => {
      expect(run(p, p, (a, b) => api.klDivergence(a, b, { eps: 0, normalize: false }))).toBe(0);
      expect(run(p, p, (a, b) => api.klDivergence(a, b, { eps: 0, normalize: true }))).toBe(0);
    }), runs);
  });

  it("cross-entropy = entropy + KL", () => {
    fc.assert(fc.property(pairs, ([p, q]) => {
      const o = { normalize: false }; // the identity of the formulas, as given
      const [h, kl, ce] = run(p, q, (a, b) => [api.entropy(a, o), api.klDivergence(a, b, o), api.crossEntropy(a, b, o)]);
      const s = scale("klDivergence", p, q) + scale("entropy", p, q) + scale("crossEntropy", p, q);
      // products below the normal range round to multiples of 2^-1074: absolute error, 3 terms a row
      expect(Math.abs(ce - (h + kl))).toBeLessThanOrEqual(1e-14 * s + 3 * p.length * Number.MIN_VALUE);
    }), runs);
  });

  it("Jensen-Shannon is symmetric (exactly) and within [0, ln 2] for distributions", () => {
    fc.assert(fc.property(pairs, ([p, q]) => {
      const [pq, qp] = run(p, q, (a, b) => [api.jensenShannon(a, b, { normalize: true }), api.jensenShannon(b, a, { normalize: true })]);
      expect(pq).toBe(qp);
      expect(pq).toBeGreaterThanOrEqual(-1e-15);
      expect(pq).toBeLessThanOrEqual(Math.LN2 * (1 + 1e-15));
      const d = run(p, q, (a, b) => api.jensenShannonDistance(a, b, { normalize: true, base: 2 }));
      expect(d).toBeLessThanOrEqual(1 + 1e-15);
    }), runs);
  });

  // The reference runs one path, so rows equal single calls exactly. The WebAssembly
  // facade runs rows of fewer than 32 elements through the pure-TS twin when they
  // come alone, so there the two agree within the accuracy bound (1e-14 S).
  it("rows results equal the one-row calls", () => {
    const matrices = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 })).chain(([rows, cols]) =>
      fc.tuple(fc.constant(cols), fc.array(prob, { minLength: rows * cols, maxLength: rows * cols }),
        fc.array(prob, { minLength: rows * cols, maxLength: rows * cols })));
    fc.assert(fc.property(matrices, ([cols, p, q]) => {
      const o = { normalize: false }; // random rows, not distributions: as given
      const all = run(p, q, (a, b) => ({
        h: api.entropyRows(a, cols, o), kl: api.klDivergenceRows(a, b, cols, o),
        ce: api.crossEntropyRows(a, b, cols, o), js: api.jensenShannonRows(a, b, cols, o),
        jsd: api.jensenShannonDistanceRows(a, b, cols, { ...o, base: 2 }),
      }));
      for (let r = 0; r < p.length / cols; r++) {
        const pr = p.slice(r * cols, (r + 1) * cols), qr = q.slice(r * cols, (r + 1) * cols);
        const one = run(pr, qr, (a, b) => ({
          h: api.entropy(a, o), kl: api.klDivergence(a, b, o), ce: api.crossEntropy(a, b, o), js: api.jensenShannon(a, b, o),
          jsd: api.jensenShannonDistance(a, b, { ...o, base: 2 }),
        }));
        const same = (x: number, y: number, s: number) => {
          if (useWasm) expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-14 * s);
          else expect(x).toBe(y);
        };
        same(all.h[r], one.h, scale("entropy", pr, qr));
        same(all.kl[r], one.kl, scale("klDivergence", pr, qr));
        same(all.ce[r], one.ce, scale("crossEntropy", pr, qr));
        same(all.js[r], one.js, scale("jensenShannon", pr, qr));
        // the distance is a square root: its error is the divergence's over 2 sqrt(JS)
        same(all.jsd[r] ** 2, one.jsd ** 2, scale("jensenShannon", pr, qr) / Math.LN2);
      }
    }), { numRuns: 200 });
  });
});
