// gaussianKL's accuracy against mpmath over the whole double range: the shared fixture
// (test/fixtures/gaussian.json, the cases) and test/fixtures/gaussian-extra.json
// (scripts/fixtures/gaussian_extra.py: ~600 random and edge cases, sigma ratios 1e-300 to
// 1e300, mean differences 0 to past the overflow threshold, nearly equal Gaussians).
// Both builds: the WebAssembly entry (kl-wasm/fit) and the reference.
import { describe, it, expect } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import fc from "fast-check";
import * as sub from "../src/fit.js";
import * as R from "../src/reference.js";

interface Case { name: string; mu1: number; sigma1: number; mu2: number; sigma2: number; expected: number | string }
const load = (f: string): Case[] => {
  const path = new URL(`./fixtures/${f}`, import.meta.url);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { cases: Case[] }).cases : [];
};
const extra = load("gaussian-extra.json");
const shared = load("gaussian.json");
const want = (c: Case) => (c.expected === "Infinity" ? Infinity : Number(c.expected));

/** The bound tested: |got - want| <= 4e-16 |want| + 2^-1074 * 4 (a few units in the
 *  last place of a subnormal: below 2^-1022 the result has fewer significant bits). */
const REL = 4e-16, ABS = 4 * 2 ** -1074;
const within = (got: number, w: number) => (w === Infinity ? got === Infinity : Math.abs(got - w) <= REL * w + ABS);
const rel = (got: number, w: number) => (w === Infinity ? (got === Infinity ? 0 : Infinity) : w === 0 ? (got === 0 ? 0 : Infinity) : Math.abs(got - w) / w);

for (const [name, L] of [["WebAssembly", sub], ["reference", R]] as const) {
  describe(`gaussianKL against mpmath (${name})`, () => {
    it("the extra fixture: every case within 4e-16 relative (+ 4 subnormal ulp)", () => {
      expect(extra.length).toBeGreaterThan(500);
      let worst = 0, worstCase = "";
      const bad: string[] = [];
      for (const c of extra) {
        const got = L.gaussianKL(c.mu1, c.sigma1, c.mu2, c.sigma2), w = want(c);
        if (!within(got, w)) bad.push(`${c.name}: got ${got}, want ${w}`);
        if (w >= 2 ** -1022 && rel(got, w) > worst) { worst = rel(got, w); worstCase = c.name; }
      }
      expect(bad).toEqual([]);
      console.log(`gaussianKL (${name}): max relative error over ${extra.length} cases ${worst.toExponential(2)} (${worstCase})`);
    });

    it.runIf(shared.length > 0)("the shared fixture (the issue's cases)", () => {
      const bad = shared.filter((c) => !within(L.gaussianKL(c.mu1, c.sigma1, c.mu2, c.sigma2), want(c)))
        .map((c) => `${c.name}: got ${L.gaussianKL(c.mu1, c.sigma1, c.mu2, c.sigma2)}, want ${want(c)}`);
      expect(bad).toEqual([]);
    });

    it("the issue's cases, stated here too", () => {
      // log(1e16) + 1/(2e32) - 1/2, log(1e8) + 1/(2e16) - 1/2 (the textbook form overflowed / lost 2.8e-10)
      expect(rel(L.gaussianKL(0, 1, 0, 1e16), 36.341361487904734)).toBeLessThanOrEqual(REL);
      expect(rel(L.gaussianKL(0, 1, 0, 1e8), 17.920680743952367)).toBeLessThanOrEqual(REL);
      expect(L.gaussianKL(3, 1e-300, 3, 1e-300)).toBe(0);
      expect(L.gaussianKL(0, 1, 0, Number.MIN_VALUE)).toBe(Infinity); // 1/(2 MIN_VALUE^2) overflows
      expect(L.gaussianKL(Number.MAX_VALUE, 1, -Number.MAX_VALUE, 1)).toBe(Infinity);
      // D = 1e154 is representable and so is D^2 / 2 = 5e307: no intermediate overflow
      expect(rel(L.gaussianKL(1e300, 1, 0, 1e146), 5e307)).toBeLessThanOrEqual(REL);
    });

    it("properties: >= 0, zero exactly for equal Gaussians, invariant under shifts and power-of-two scaling", () => {
      const sig = fc.double({ min: 1e-300, max: 1e300, noNaN: true });
      const mu = fc.double({ min: -1e300, max: 1e300, noNaN: true });
      fc.assert(fc.property(mu, sig, mu, sig, fc.integer({ min: -60, max: 60 }), (m1, s1, m2, s2, k) => {
        const v = L.gaussianKL(m1, s1, m2, s2);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(L.gaussianKL(m1, s1, m1, s1)).toBe(0);
        // scaling every argument by 2^k is exact, so the value must not move (away from over/underflow)
        const t = 2 ** k, sc = [m1 * t, s1 * t, m2 * t, s2 * t];
        if (sc.every((x) => Math.abs(x) < 1e300 && (x === 0 || Math.abs(x) > 1e-300)) && v < 1e300 && v > 1e-290) {
          expect(L.gaussianKL(sc[0], sc[1], sc[2], sc[3])).toBe(v);
        }
      }), { numRuns: 2000 });
    });

    it("gaussianKLDiag is the sum of the per-dimension closed forms, over the same ranges", () => {
      const cs = extra.filter((c) => want(c) < 1e300).slice(0, 200);
      const cols = (k: keyof Case) => cs.map((c) => c[k] as number);
      let s = 0;
      for (const c of cs) s += L.gaussianKL(c.mu1, c.sigma1, c.mu2, c.sigma2);
      expect(L.gaussianKLDiag(cols("mu1"), cols("sigma1"), cols("mu2"), cols("sigma2"))).toBe(s);
      expect(L.gaussianKLDiag([0, 0], [1, 1], [0, 0], [1e16, 1e8])).toBe(L.gaussianKL(0, 1, 0, 1e16) + L.gaussianKL(0, 1, 0, 1e8));
    });
  });
}
