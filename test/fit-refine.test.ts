// gaussianFit's refinement on coarse grids: the reproduction (a 21- or 41-point
// x grid against sigmas down to 0.001, where the grid's own minimum is a spike between
// grid points with a negative loss and the refinement used to collapse sigma towards
// 4e-309), and the refinement's guarantees over random coarse grids, in both builds:
//   - every refined sigma >= fit.minSigma (the largest spacing of x);
//   - every refined loss >= fit.lossBound (0 for a normalised target), and is the
//     discretised objective at the reported (mu, sigma) (klDensity of the two);
//   - the optimum exists and is no worse than every grid cell in that domain when one is.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import * as core from "../src/index.js";
import * as sub from "../src/fit.js";
import * as R from "../src/reference.js";

const W = { ...core, ...sub };
type Lib = typeof R;
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const mixture = { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] };

/** The discretised objective at one (mu, sigma), through klDensity (the seed's forward_kl / reverse_kl). */
function objective(L: Lib, p: Float64Array, x: Float64Array, dx: number, mu: number, sigma: number, reverse: boolean): number {
  const q = L.normalPdf(x, mu, sigma);
  return reverse ? L.klDensity(q, p, dx) : L.klDensity(p, q, dx);
}

/** The guarantees above, for one fit. */
function checkFit(L: Lib, fit: ReturnType<Lib["gaussianFit"]>, p: Float64Array, x: Float64Array, dx: number): void {
  const reverse = fit.direction === "reverse";
  const all = fit.optimum ? [fit.optimum, ...fit.modes] : fit.modes;
  for (const m of all) {
    expect(m.sigma).toBeGreaterThanOrEqual(fit.minSigma);
    expect(m.loss).toBeGreaterThanOrEqual(fit.lossBound);
    const want = objective(L, p, x, dx, m.mu, m.sigma, reverse);
    expect(Math.abs(m.loss - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want) + 1e-15);
  }
  // the best grid cell inside the refinement's domain
  let cellBest = Infinity;
  fit.sigmas.forEach((s, j) => {
    if (s < fit.minSigma) return;
    for (let i = 0; i < fit.mus.length; i++) {
      const v = fit.losses[i * fit.sigmas.length + j];
      if (v >= fit.lossBound) cellBest = Math.min(cellBest, v);
    }
  });
  if (cellBest < Infinity) {
    expect(fit.optimum).toBeDefined();
    expect(fit.optimum!.loss).toBeLessThanOrEqual(cellBest);
  }
  if (fit.optimum) {
    expect(fit.modes.length).toBeGreaterThan(0);
    expect(fit.modes.some((m) => m.loss === fit.optimum!.loss)).toBe(true);
    for (let k = 1; k < fit.modes.length; k++) expect(fit.modes[k].mu).toBeGreaterThanOrEqual(fit.modes[k - 1].mu);
  } else {
    expect(fit.modes).toEqual([]);
  }
}

function largestSpacing(x: ArrayLike<number>): number {
  const s = Float64Array.from(x).sort();
  let h = 0;
  for (let k = 1; k < s.length; k++) h = Math.max(h, s[k] - s[k - 1]);
  return h;
}

for (const [name, L] of [["WebAssembly", W], ["reference", R]] as const) {
  describe(`gaussianFit refinement on coarse grids (${name})`, () => {
    for (const n of [21, 41]) {
      it(`the issue's reproduction: x = linspace(-5, 5, ${n}), sigmas from 0.001, both directions`, () => {
        const x = L.linspace(-5, 5, n), dx = x[1] - x[0];
        const p = L.normalizeDensity(L.mixturePdf(x, mixture), dx);
        const opts = { mus: L.linspace(-3, 3, 40), sigmas: L.linspace(0.001, 3, 40) };
        const fwd = L.gaussianFit(p, x, { ...opts, direction: "forward" });
        const rev = L.gaussianFit(p, x, { ...opts, direction: "reverse" });
        for (const fit of [fwd, rev]) {
          expect(relErr(fit.minSigma, dx)).toBeLessThanOrEqual(1e-12);
          expect(fit.lossBound).toBe(0);
          checkFit(L, fit, p, x, dx);
        }
        // the grid itself keeps NumPy's semantics: its reverse minimum is a spike
        // (sigma < dx) whose discretised loss is negative
        expect(rev.best.sigma).toBeLessThan(dx);
        expect(rev.best.loss).toBeLessThan(0);
        // the refinement finds what a fine grid finds (the seed's: 0.55516 / 0.69184)
        expect(fwd.modes).toHaveLength(1);
        expect(Math.abs(fwd.optimum!.mu)).toBeLessThan(1e-6);
        expect(Math.abs(fwd.optimum!.sigma - 2.088)).toBeLessThan(0.01);
        expect(Math.abs(fwd.optimum!.loss - 0.5552)).toBeLessThan(1e-3);
        expect(rev.modes).toHaveLength(2);
        for (const m of rev.modes) {
          expect(Math.abs(Math.abs(m.mu) - 2)).toBeLessThan(0.01);
          expect(Math.abs(m.sigma - 0.605)).toBeLessThan(0.01);
          expect(Math.abs(m.loss - 0.6918)).toBeLessThan(1e-3);
        }
      });
    }

    it("every sigma of the grid below minSigma: starts from the grid's minima raised to minSigma", () => {
      const x = L.linspace(-5, 5, 21), dx = x[1] - x[0];
      const p = L.normalizeDensity(L.mixturePdf(x, mixture), dx);
      for (const direction of ["forward", "reverse"] as const) {
        const fit = L.gaussianFit(p, x, { direction, mus: L.linspace(-3, 3, 13), sigmas: L.linspace(0.001, 0.4, 9) });
        checkFit(L, fit, p, x, dx);
        expect(fit.optimum).toBeDefined();
        expect(fit.optimum!.sigma).toBeGreaterThanOrEqual(dx);
      }
    });

    it("refine: false reports the bounds and no optimum; an unnormalised target has lossBound m log m / -log m", () => {
      const x = L.linspace(-5, 5, 41), dx = x[1] - x[0];
      const p = L.normalizeDensity(L.mixturePdf(x, mixture), dx).map((v) => v * 0.5);
      const opts = { mus: L.linspace(-3, 3, 20), sigmas: L.linspace(0.001, 3, 20) };
      const off = L.gaussianFit(p, x, { ...opts, refine: false });
      expect(off.optimum).toBeUndefined();
      expect(relErr(off.minSigma, dx)).toBeLessThanOrEqual(1e-12);
      const fwd = L.gaussianFit(p, x, opts), rev = L.gaussianFit(p, x, { ...opts, direction: "reverse" });
      expect(relErr(fwd.lossBound, 0.5 * Math.log(0.5))).toBeLessThanOrEqual(1e-12);
      expect(relErr(rev.lossBound, Math.log(2))).toBeLessThanOrEqual(1e-12);
      checkFit(L, fwd, p, x, dx);
      checkFit(L, rev, p, x, dx);
    });

    it("property: random coarse grids (uniform or not), random mixtures, grids of mus past the ends of x", () => {
      const arb = fc.record({
        n: fc.integer({ min: 5, max: 61 }),
        a: fc.double({ min: -8, max: -2, noNaN: true }),
        b: fc.double({ min: 2, max: 8, noNaN: true }),
        jitter: fc.boolean(),
        comps: fc.array(fc.record({ w: fc.double({ min: 0.1, max: 1, noNaN: true }), m: fc.double({ min: -1, max: 1, noNaN: true }), s: fc.double({ min: 0.05, max: 2, noNaN: true }) }), { minLength: 1, maxLength: 3 }),
        mu0: fc.double({ min: -1.5, max: 0.5, noNaN: true }), mu1: fc.double({ min: 0.5, max: 1.5, noNaN: true }), nMu: fc.integer({ min: 2, max: 15 }),
        s0: fc.double({ min: 1e-4, max: 0.5, noNaN: true }), s1: fc.double({ min: 0.6, max: 4, noNaN: true }), nSig: fc.integer({ min: 2, max: 15 }),
        reverse: fc.boolean(),
      });
      fc.assert(fc.property(arb, (t) => {
        let x = L.linspace(t.a, t.b, t.n);
        if (t.jitter) {
          const h = x[1] - x[0];
          x = x.map((v, k) => (k === 0 || k === t.n - 1 ? v : v + 0.4 * h * Math.sin(7.3 * k)));
        }
        const dx = x[1] - x[0];
        const wsum = t.comps.reduce((s, c) => s + c.w, 0);
        const span = t.b - t.a, mid = (t.a + t.b) / 2;
        const mix = { weights: t.comps.map((c) => c.w / wsum), mus: t.comps.map((c) => mid + 0.4 * span * c.m), sigmas: t.comps.map((c) => c.s) };
        const p = L.normalizeDensity(L.mixturePdf(x, mix), dx);
        // candidate means from mid + span * [mu0, mu1]: up to a span past either end of x
        const fit = L.gaussianFit(p, x, {
          direction: t.reverse ? "reverse" : "forward",
          mus: L.linspace(mid + span * t.mu0, mid + span * t.mu1, t.nMu), sigmas: L.linspace(t.s0, t.s1, t.nSig),
        });
        expect(fit.minSigma).toBe(largestSpacing(x));
        expect(fit.lossBound).toBe(0);
        checkFit(L, fit, p, x, dx);
      }), { numRuns: 300, seed: 20240611 });
    });
  });
}
