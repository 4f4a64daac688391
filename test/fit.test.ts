// Section 2 of the seed: densities on a grid, the forward and reverse loss
// surfaces of Gaussian fits, their argmins and modes, against seed.json; the
// refined optima; the WebAssembly surfaces against the pure-TS twin.
import { describe, it, expect } from "vitest";
import * as core from "../src/index.js";
import * as sub from "../src/fit.js";
import * as R from "../src/reference.js";
import { seed } from "./helpers/seed.js";

/** The WebAssembly build: kl-wasm and kl-wasm/fit. */
const W = { ...core, ...sub };

interface Grid {
  x: { start: number; stop: number; num: number };
  dx: number;
  mixture: { weights: number[]; mus: number[]; sigmas: number[] };
  p_normalised_first5: number[];
  p_sum_dx: number;
  mus: { start: number; stop: number; num: number };
  sigmas: { start: number; stop: number; num: number };
  forward_losses: number[][];
  reverse_losses: number[][];
  forward_argmin: [number, number];
  reverse_argmin: [number, number];
  mu_fwd: number; sigma_fwd: number; mu_rev: number; sigma_rev: number;
  forward_min: number; reverse_min: number;
}
const g = seed.grid as unknown as Grid;
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

for (const [name, L] of [["WebAssembly", W], ["reference", R]] as const) {
  describe(`seed section 2 (${name})`, () => {
    const x = L.linspace(g.x.start, g.x.stop, g.x.num);
    const dx = x[1] - x[0];
    const p = L.normalizeDensity(L.mixturePdf(x, g.mixture), dx);
    const mus = L.linspace(g.mus.start, g.mus.stop, g.mus.num);
    const sigmas = L.linspace(g.sigmas.start, g.sigmas.stop, g.sigmas.num);
    const fwd = L.gaussianFit(p, x, { direction: "forward", mus, sigmas });
    const rev = L.gaussianFit(p, x, { direction: "reverse", mus, sigmas });

    it("grid, dx and the normalised mixture", () => {
      expect(dx).toBe(g.dx);
      expect(x[x.length - 1]).toBe(g.x.stop);
      g.p_normalised_first5.forEach((v, i) => expect(relErr(p[i], v)).toBeLessThanOrEqual(1e-14));
      let s = 0;
      for (const v of p) s += v;
      expect(Math.abs(s * dx - g.p_sum_dx)).toBeLessThanOrEqual(1e-13);
    });

    it("both 40 x 40 surfaces element-wise within 1e-12 relative", () => {
      for (const [fit, want] of [[fwd, g.forward_losses], [rev, g.reverse_losses]] as const) {
        let worst = 0;
        want.forEach((row, i) => row.forEach((v, j) => { worst = Math.max(worst, relErr(fit.losses[i * g.sigmas.num + j], v)); }));
        expect(worst).toBeLessThanOrEqual(1e-12);
      }
    });

    it("grid argmins are the seed's or its mirror, and both mirrors are reported as grid modes", () => {
      const mirror = ([i, j]: number[]) => [g.mus.num - 1 - i, j];
      for (const [fit, want] of [[fwd, g.forward_argmin], [rev, g.reverse_argmin]] as const) {
        const got = [fit.best.i, fit.best.j];
        expect([want, mirror(want)]).toContainEqual(got);
        expect(fit.gridModes.map((c) => [c.i, c.j]).sort()).toEqual([want, mirror(want)].sort());
      }
      // forward: an exact tie in NumPy, so the first in row-major order
      expect([fwd.best.i, fwd.best.j]).toEqual(g.forward_argmin);
      expect(fwd.best.mu).toBe(g.mu_fwd);
      expect(fwd.best.sigma).toBe(g.sigma_fwd);
      // the mirror's mu is linspace's value there (not exactly -mu_rev)
      expect([g.mu_rev, mus[g.mus.num - 1 - g.reverse_argmin[0]]]).toContain(rev.best.mu);
      expect(rev.best.sigma).toBe(g.sigma_rev);
      expect(relErr(fwd.best.loss, g.forward_min)).toBeLessThanOrEqual(1e-12);
      expect(relErr(rev.best.loss, g.reverse_min)).toBeLessThanOrEqual(1e-12);
    });

    it("refined: forward has one optimum (moment matching), reverse two mirror modes", () => {
      // moment matching of the discretised, clipped P
      let w = 0, m1 = 0;
      const pc = p.map((v) => Math.max(v, 1e-15));
      pc.forEach((v, k) => { w += v; m1 += v * x[k]; });
      const mean = m1 / w;
      let m2 = 0;
      pc.forEach((v, k) => { m2 += v * (x[k] - mean) ** 2; });
      const sd = Math.sqrt(m2 / w);
      expect(fwd.modes).toHaveLength(1);
      // value-only minimisation finds a flat minimum to about sqrt(u) ~ 1e-8
      expect(Math.abs(fwd.optimum!.mu - mean)).toBeLessThanOrEqual(1e-7);
      expect(relErr(fwd.optimum!.sigma, sd)).toBeLessThanOrEqual(1e-7);
      expect(fwd.optimum!.loss).toBeLessThan(fwd.best.loss);
      expect(rev.modes).toHaveLength(2);
      const [a, b] = rev.modes;
      expect(a.mu).toBeLessThan(0);
      expect(Math.abs(a.mu + b.mu)).toBeLessThanOrEqual(1e-7);
      expect(relErr(a.sigma, b.sigma)).toBeLessThanOrEqual(1e-7);
      expect(relErr(a.loss, b.loss)).toBeLessThanOrEqual(1e-12);
      expect(rev.optimum!.loss).toBeLessThan(rev.best.loss);
      // each refined mode lies near a grid mode
      for (const m of rev.modes) expect(Math.abs(Math.abs(m.mu) - g.mu_rev)).toBeLessThan(0.16);
    });
  });
}

describe("WebAssembly surfaces vs the pure-TS twin on other targets", () => {
  it("random targets, odd grid sizes, wide sigma ranges: within 1e-12 relative", () => {
    for (const [n, nMu, nSig] of [[7, 3, 2], [101, 5, 7], [1001, 4, 3], [5003, 2, 2]]) {
      const x = W.linspace(-8, 6, n), dx = x[1] - x[0];
      const p = W.normalizeDensity(W.mixturePdf(x, { weights: [0.2, 0.5, 0.3], mus: [-3, 0, 2.5], sigmas: [0.4, 1.5, 0.2] }), dx);
      const mus = W.linspace(-4, 4, nMu), sigmas = W.linspace(0.05, 6, nSig);
      for (const direction of ["forward", "reverse"] as const) {
        const a = W.gaussianFit(p, x, { direction, mus, sigmas, refine: false }).losses;
        const b = R.gaussianFit(p, x, { direction, mus, sigmas, refine: false }).losses;
        a.forEach((v, k) => expect(relErr(v, b[k])).toBeLessThanOrEqual(1e-12));
      }
    }
  });

  it("non-uniform grids (an exp per term) and narrow sigmas: within 1e-12 relative", () => {
    let seedv = 3;
    const r = () => ((seedv = (seedv * 16807) % 2147483647) / 2147483647);
    const x = Float64Array.from({ length: 3001 }, () => -6 + 12 * r()).sort();
    const p = W.mixturePdf(x, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] });
    for (const [xs, sigmas] of [[x, [0.01, 0.3, 2]], [W.linspace(-6, 6, 3001), [1e-3, 0.004]]] as const) {
      const ps = xs === x ? p : W.mixturePdf(xs, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] });
      for (const direction of ["forward", "reverse"] as const) {
        const opts = { direction, mus: [-2.5, 0.1, 1.9], sigmas: [...sigmas], refine: false, dx: 0.004 };
        const a = W.gaussianFit(ps, xs, opts).losses, b = R.gaussianFit(ps, xs, opts).losses;
        a.forEach((v, k) => expect(relErr(v, b[k])).toBeLessThanOrEqual(1e-12));
      }
    }
  });
});
