// klDensity (the seed's clipped, dx-weighted sum), the grid utilities, the
// closed-form Gaussian KL, the async fit, and bad input.
import { describe, it, expect } from "vitest";
import * as core from "../src/index.js";
import * as sub from "../src/fit.js";
import * as R from "../src/reference.js";
import { rng } from "./helpers/random.js";

/** The WebAssembly build: kl-wasm and kl-wasm/fit. */
const W = { ...core, ...sub };

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("klDensity", () => {
  it("is the body of the seed's forward_kl / reverse_kl: equals the surfaces' cells", () => {
    const x = W.linspace(-5, 5, 1000), dx = x[1] - x[0];
    const p = W.normalizeDensity(W.mixturePdf(x, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] }), dx);
    const mus = [-1.3, 0.4], sigmas = [0.35, 2.2];
    for (const L of [W, R]) {
      const fwd = L.gaussianFit(p, x, { mus, sigmas, refine: false }).losses;
      const rev = L.gaussianFit(p, x, { mus, sigmas, direction: "reverse", refine: false }).losses;
      mus.forEach((mu, i) => sigmas.forEach((s, j) => {
        const q = L.normalPdf(x, mu, s);
        expect(relErr(L.klDensity(p, q, dx), fwd[i * 2 + j])).toBeLessThanOrEqual(1e-12);
        expect(relErr(L.klDensity(q, p, dx), rev[i * 2 + j])).toBeLessThanOrEqual(1e-12);
      }));
    }
  });

  it("WebAssembly vs reference: sizes 1..10^5, zeros, tiny and huge values, float32; within 1e-14 S", () => {
    const r = rng(5);
    for (const n of [1, 2, 3, 5, 31, 32, 33, 100, 1001, 4097, 100_003]) {
      for (const floor of [1e-15, 1e-300, 0.01]) {
        const p = new Float64Array(n), q = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          p[i] = r() < 0.2 ? 0 : 10 ** (-320 + 330 * r());
          q[i] = r() < 0.2 ? 0 : 10 ** (-320 + 330 * r());
        }
        let S = 0;
        for (let i = 0; i < n; i++) {
          const a = Math.max(p[i], floor), b = Math.max(q[i], floor);
          S += Math.abs(a * Math.log(a / b)) + a;
        }
        const want = R.klDensity(p, q, 0.5, { floor }), got = W.klDensity(p, q, 0.5, { floor });
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-14 * S * 0.5);
        const p32 = Float32Array.from(p.map((v) => Math.min(v, 1e30))), q32 = Float32Array.from(q.map((v) => Math.min(v, 1e30)));
        const want32 = R.klDensity(p32, q32, 1, { floor: Math.max(floor, 1e-30) });
        const got32 = W.klDensity(p32, q32, 1, { floor: Math.max(floor, 1e-30) });
        let S32 = 0;
        for (let i = 0; i < n; i++) {
          const f = Math.fround(Math.max(floor, 1e-30)), a = Math.max(p32[i], f), b = Math.max(q32[i], f);
          S32 += Math.abs(a * Math.log(a / b)) + a;
        }
        expect(Math.abs(got32 - want32)).toBeLessThanOrEqual(1e-6 * S32);
      }
    }
  });

  it("p = 0 terms are not skipped: they count as floor log(floor / max(q, floor))", () => {
    for (const L of [W, R]) {
      expect(L.klDensity([0, 1], [1, 1], 1, { floor: 0.01 })).toBeCloseTo(0.01 * Math.log(0.01), 15);
      expect(L.klDensity([1, 1], [1, 1], 0.1)).toBe(0);
      expect(L.klDensity([2, 0], [1, 0], 1, { base: 2 })).toBeCloseTo(2, 14);
    }
  });
});

describe("grid utilities", () => {
  it("linspace: NumPy's rounding, exact ends, num >= 2", () => {
    const x = W.linspace(-5, 5, 1000);
    expect(x[0]).toBe(-5);
    expect(x[999]).toBe(5);
    expect(x[1]).toBe(1 * (10 / 999) + -5);
    expect(Array.from(W.linspace(2, 2, 3))).toEqual([2, 2, 2]);
    // a step that underflows to 0: NumPy's branch, np.linspace(0, 5e-324, 4) = [0, 0, 5e-324, 5e-324]
    expect(Array.from(W.linspace(0, 5e-324, 4))).toEqual([0, 0, 5e-324, 5e-324]);
    const out = new Float64Array(4);
    expect(W.linspace(0, 1, 4, out)).toBe(out);
  });

  it("normalPdf is scipy's formula; mixturePdf sums weighted pdfs; out arrays are filled in place", () => {
    const x = [-1, 0, 0.5, 3];
    const y = W.normalPdf(x, 0.5, 2);
    x.forEach((v, i) => expect(y[i]).toBe(Math.exp(-(((v - 0.5) / 2) ** 2) / 2) / 2.5066282746310002 / 2));
    const ws = W.createWorkspace(1024);
    const out = ws.f64(4);
    W.mixturePdf(x, { weights: [0.25, 0.75], mus: [0, 1], sigmas: [1, 0.5] }, out);
    x.forEach((v, i) => expect(out[i]).toBeCloseTo(0.25 * W.normalPdf([v], 0, 1)[0] + 0.75 * W.normalPdf([v], 1, 0.5)[0], 15));
    ws.dispose();
  });

  it("normalizeDensity integrates to 1", () => {
    const p = W.normalizeDensity([1, 2, 3, 4], 0.5);
    expect((p[0] + p[1] + p[2] + p[3]) * 0.5).toBeCloseTo(1, 15);
  });
});

describe("gaussianKL", () => {
  it("closed form: zero for equal Gaussians, asymmetric, accurate when close", () => {
    expect(W.gaussianKL(1, 2, 1, 2)).toBe(0);
    expect(W.gaussianKL(0, 1, 1, 1)).toBeCloseTo(0.5, 15);
    expect(W.gaussianKL(0, 1, 0, 2)).toBeCloseTo(Math.log(2) + 1 / 8 - 0.5, 15);
    // d = 1e-9: KL = d^2 (first order) = 1e-18, where the textbook formula gives rounding noise
    expect(relErr(W.gaussianKL(0, 1 + 1e-9, 0, 1), 1e-18)).toBeLessThan(1e-6);
  });

  it("agrees with klDensity on wide, fine grids (8 digits)", () => {
    const r = rng(9);
    for (let t = 0; t < 20; t++) {
      const m1 = 4 * (r() - 0.5), s1 = 0.3 + 2 * r(), m2 = 4 * (r() - 0.5), s2 = 0.3 + 2 * r();
      const x = W.linspace(-40, 40, 200_001), dx = x[1] - x[0];
      const kl = W.klDensity(W.normalPdf(x, m1, s1), W.normalPdf(x, m2, s2), dx, { floor: 1e-300 });
      expect(relErr(kl, W.gaussianKL(m1, s1, m2, s2))).toBeLessThan(1e-8);
    }
  });

  it("diagonal multivariate: the sum over dimensions", () => {
    const mu1 = [0, 1, -2], s1 = [1, 0.5, 2], mu2 = [0.5, 1, -1], s2 = [2, 0.5, 1];
    const want = mu1.reduce((acc, _, i) => acc + W.gaussianKL(mu1[i], s1[i], mu2[i], s2[i]), 0);
    expect(W.gaussianKLDiag(mu1, s1, mu2, s2)).toBe(want);
    expect(R.gaussianKLDiag(Float64Array.from(mu1), s1, mu2, s2)).toBe(want);
  });
});

describe("gaussianFitAsync", () => {
  const x = W.linspace(-5, 5, 2000), dx = x[1] - x[0];
  const p = W.normalizeDensity(W.mixturePdf(x, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] }), dx);
  const mus = W.linspace(-3, 3, 60), sigmas = W.linspace(0.3, 3, 50);

  it("gives the synchronous result, in chunks, with progress", async () => {
    const progress: Array<{ done: number; total: number }> = [];
    const a = await W.gaussianFitAsync(p, x, { mus, sigmas, direction: "reverse", chunkTerms: 200_000, onProgress: (pr) => progress.push(pr) });
    const b = W.gaussianFit(p, x, { mus, sigmas, direction: "reverse" });
    expect(a.losses).toEqual(b.losses);
    expect(a.modes).toEqual(b.modes);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toEqual({ done: 3000, total: 3000 });
    for (let k = 1; k < progress.length; k++) expect(progress[k].done).toBeGreaterThan(progress[k - 1].done);
  });

  it("yields to the event loop between chunks, and two fits interleave correctly", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const other = W.linspace(-1, 1, 2000);
    const [a, b] = await Promise.all([
      W.gaussianFitAsync(p, x, { mus, sigmas, chunkTerms: 100_000 }),
      R.gaussianFitAsync(p, other, { mus, sigmas, chunkTerms: 100_000, refine: false }),
    ]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(a.losses).toEqual(W.gaussianFit(p, x, { mus, sigmas }).losses);
    expect(b.losses).toEqual(R.gaussianFit(p, other, { mus, sigmas, refine: false }).losses);
    // the WebAssembly one after another target was loaded into the shared instance
    const c = W.gaussianFitAsync(p, other, { mus, sigmas, chunkTerms: 100_000, refine: false });
    const d = W.gaussianFitAsync(p, x, { mus, sigmas, chunkTerms: 100_000, refine: false });
    expect((await d).losses).toEqual(a.losses);
    expect((await c).losses).toEqual(W.gaussianFit(p, other, { mus, sigmas, refine: false }).losses);
  });

  it("can be cancelled with an AbortSignal", async () => {
    const ac = new AbortController();
    let chunks = 0;
    const run = W.gaussianFitAsync(p, x, {
      mus, sigmas, chunkTerms: 100_000, signal: ac.signal,
      onProgress: () => { if (++chunks === 3) ac.abort(new Error("stop")); },
    });
    await expect(run).rejects.toThrow("stop");
    expect(chunks).toBe(3);
    const pre = new AbortController();
    pre.abort();
    await expect(W.gaussianFitAsync(p, x, { mus, sigmas, signal: pre.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("bad input", () => {
  const x = [0, 1, 2, 3], p = [0.1, 0.4, 0.4, 0.1];
  const opts = { mus: [0, 1], sigmas: [1, 2] };
  for (const [name, L] of [["WebAssembly", W], ["reference", R]] as const) {
    it(`clear errors naming the argument (${name})`, () => {
      expect(() => L.normalPdf(x, 0, 0)).toThrow(/normalPdf: sigma must be a finite number > 0, got 0/);
      expect(() => L.normalPdf([0, NaN], 0, 1)).toThrow(/normalPdf: x\[1\] is NaN/);
      expect(() => L.linspace(0, 1, 1)).toThrow(/linspace: num must be an integer >= 2, got 1/);
      expect(() => L.linspace(0, Infinity, 3)).toThrow(/linspace: stop must be a finite number/);
      expect(() => L.mixturePdf(x, { weights: [0.5, 0.5], mus: [0], sigmas: [1, 1] })).toThrow(/same length/);
      expect(() => L.mixturePdf(x, { weights: [1.5, -0.5], mus: [0, 1], sigmas: [1, 1] })).toThrow(/weights\[1\] is negative/);
      expect(() => L.mixturePdf(x, { weights: [0.5, 0.6], mus: [0, 1], sigmas: [1, 1] })).toThrow(/weights must sum to 1/);
      expect(() => L.mixturePdf(x, { weights: [0.5, 0.5], mus: [0, 1], sigmas: [1, -1] })).toThrow(/sigmas\[1\] must be a finite number > 0/);
      expect(() => L.gaussianFit(p, x, { mus: [], sigmas: [1] })).toThrow(/gaussianFit: mus is empty/);
      expect(() => L.gaussianFit(p, x, { mus: [0], sigmas: [] })).toThrow(/gaussianFit: sigmas is empty/);
      expect(() => L.gaussianFit(p, x, { mus: [0], sigmas: [1, 0] })).toThrow(/gaussianFit: sigmas\[1\] must be > 0/);
      expect(() => L.gaussianFit(p, [0, 1, 2], opts)).toThrow(/gaussianFit: p and x must have the same length, got 4 and 3/);
      expect(() => L.gaussianFit(p, [0, 1, Infinity, 3], opts)).toThrow(/gaussianFit: x\[2\] is infinite/);
      expect(() => L.gaussianFit([0.1, -0.4, 0.4, 0.1], x, opts)).toThrow(/gaussianFit: p\[1\] is negative/);
      expect(() => L.gaussianFit(p, x, { ...opts, floor: 0 })).toThrow(/floor must be a number in \(0, 1\)/);
      expect(() => L.gaussianFit(p, x, { ...opts, direction: "sideways" as never })).toThrow(/direction must be/);
      expect(() => L.gaussianFit(p, x, { ...opts, sigma: 1 } as never)).toThrow(/unknown option 'sigma'/);
      expect(() => L.klDensity(p, [1, 2, 3], 0.1)).toThrow(/p and q must have the same length/);
      expect(() => L.klDensity(p, p, 0)).toThrow(/klDensity: dx must be a finite number > 0/);
      expect(() => L.klDensity(p, p, 1, { floor: 1 })).toThrow(/floor must be a number in \(0, 1\)/);
      const big = new Float64Array(100).fill(0.01);
      const bad = big.slice();
      bad[77] = NaN;
      expect(() => L.klDensity(big, bad, 1)).toThrow(/klDensity: q\[77\] is NaN/);
      expect(() => L.gaussianKL(0, 0, 0, 1)).toThrow(/gaussianKL: sigma1 must be a finite number > 0/);
      expect(() => L.gaussianKLDiag([0], [1], [0, 1], [1, 1])).toThrow(/gaussianKLDiag: mu2 must have the same length/);
    });
  }
});
