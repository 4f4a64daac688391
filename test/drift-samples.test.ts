// wasserstein1 and ksTest against SciPy 1.17.1 (fixtures from scripts/fixtures/drift_samples.py),
// against exact rational Wasserstein distances, and their errors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ksTest, ksTestSorted, sortSample, sortScratch, sortValues, wasserstein1, wasserstein1Sorted } from "../src/drift/samples.js";
import { kstwoSf, kstwoSfReference, smirnov, smirnovReference, smirnovUntruncated } from "../src/drift/ks.js";

type Enc = number | string;
interface Spec { kind: "uniform" | "normal" | "int"; n: number; seed: number; loc?: number; scale?: number; levels?: number }
interface KsCase { u: Enc[] | Spec; v: Enc[] | Spec; results: Record<string, [Enc, Enc, Enc, number, boolean]> }
interface WCase {
  u: Enc[] | Spec; v: Enc[] | Spec; uWeights: Enc[] | Spec | null; vWeights: Enc[] | Spec | null; scipy: Enc; exact?: Enc;
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/drift-samples.json", import.meta.url), "utf8")) as {
  ks: KsCase[]; wasserstein: WCase[]; kolmogorov: { kstwoSf: [number, Enc, Enc][]; smirnov: [number, Enc, Enc][] };
};

const dec = (x: Enc): number =>
  typeof x === "number" ? x : x === "nan" ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : x === "-0" ? -0 : NaN;

/** The fixture script's generators, with the same IEEE operations. */
function lcg(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296;
  }
  return out;
}
function generate(spec: Spec): Float64Array {
  const { kind, n, seed } = spec, loc = spec.loc ?? 0, scale = spec.scale ?? 1;
  const out = new Float64Array(n);
  if (kind === "uniform") {
    const u = lcg(seed, n);
    for (let i = 0; i < n; i++) out[i] = u[i] * scale + loc;
  } else if (kind === "normal") {
    const u = lcg(seed, 4 * n);
    for (let i = 0; i < n; i++) out[i] = ((((u[4 * i] + u[4 * i + 1]) + u[4 * i + 2]) + u[4 * i + 3]) - 2) * scale + loc;
  } else {
    const u = lcg(seed, n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(u[i] * spec.levels!) + loc;
  }
  return out;
}
const data = (x: Enc[] | Spec): Float64Array => (Array.isArray(x) ? Float64Array.from(x, dec) : generate(x));
const relErr = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

// Bounds (measured worst figures are printed by the tests and quoted in docs/drift/samples.md)
const KS_P_REL = 1e-12;           // p-value vs SciPy, every path (measured worst: docs/drift/samples.md)
const W_REL_SCIPY = 1e-13;
const U = 2 ** -53;
/** The stated bound of wasserstein1 against the exact value: 4u·W + (2 [+ n + m with weights])u·R (+ O(N u²)). */
const wBound = (W: number, R: number, N: number, weighted: boolean): number =>
  4 * U * W + (weighted ? 2 + N : 2) * U * R + 4 * N * U * U * (W + R);

describe("ksTest against scipy.stats.ks_2samp", () => {
  const worst = { stable: 0, all: 0, where: "" };
  it("statistic, location and sign exactly; p-value within the bound, for every alternative and method", () => {
    let count = 0;
    const byCat: Record<string, [number, string]> = {};
    for (const c of fx.ks) {
      const u = data(c.u), v = data(c.v);
      for (const [key, [stat, p, loc, sign, fell]] of Object.entries(c.results)) {
        const [alternative, m] = key.split("/") as ["two-sided" | "less" | "greater", string];
        const method = m === "asymp" ? "asymptotic" : (m as "auto" | "exact");
        const r = ksTest(u, v, { alternative, method });
        const what = `n=${u.length} m=${v.length} ${key}`;
        expect(Object.is(r.statistic, dec(stat)), `${what}: statistic ${r.statistic} vs ${dec(stat)}`).toBe(true);
        expect(Object.is(r.statisticLocation, dec(loc)), `${what}: location`).toBe(true);
        expect(r.statisticSign, what).toBe(sign);
        if (fell) expect(r.method, what).toBe("asymptotic");
        const want = dec(p);
        if (Number.isNaN(want)) {
          expect(r.pvalue, what).toBeNaN();
          continue;
        }
        const e = relErr(r.pvalue, want);
        const pathCount = r.method === "exact" && alternative !== "two-sided" && u.length !== v.length;
        const cat = `${alternative === "two-sided" ? "two-sided" : "one-sided"} ${r.method}${pathCount ? " (path count)" : ""}`;
        if (e > (byCat[cat]?.[0] ?? -1)) byCat[cat] = [e, `${what}: ${r.pvalue} vs ${want}`];
        if (e > worst.all) { worst.all = e; worst.where = `${what} (${r.method}): ${r.pvalue} vs ${want}`; }
        expect(e, `${what}: p ${r.pvalue} vs ${want}`).toBeLessThanOrEqual(KS_P_REL);
        count++;
      }
    }
    console.log(`ksTest: ${count} p-values, worst relative error ${worst.all.toExponential(2)} at ${worst.where}`);
    for (const [cat, [e, at]] of Object.entries(byCat)) console.log(`  ${cat}: worst ${e.toExponential(2)} at ${at}`);
  }, 120_000);

  it("kstwo.sf and smirnov on a grid", () => {
    let wk = 0, ws = 0, wkAt = "";
    for (const [n, x, want] of fx.kolmogorov.kstwoSf) {
      const got = kstwoSf(dec(x), n), e = relErr(got, dec(want));
      if (e > wk) { wk = e; wkAt = `n=${n} x=${dec(x)}: ${got} vs ${dec(want)}`; }
    }
    for (const [n, x, want] of fx.kolmogorov.smirnov) ws = Math.max(ws, relErr(smirnov(n, dec(x)), dec(want)));
    console.log(`kstwo.sf worst ${wk.toExponential(2)} (${wkAt}); smirnov worst ${ws.toExponential(2)}`);
    expect(ws).toBeLessThanOrEqual(KS_P_REL);
    expect(wk).toBeLessThanOrEqual(KS_P_REL);
  });
});

describe("smirnov's log-domain sum against xsf's term-by-term evaluation (the code it replaced)", () => {
  // x over every branch of kstwoSf and smirnov: fixed x, n x (Ruben–Gambino, the nxfl special
  // cases), n x² (DMTW / Pomeranz / Pelz–Good / 2 smirnov / 0 boundaries) and 1 − c/n
  const xsFor = (n: number): number[] => {
    const xs = [1e-4, 1e-3, 0.005, 0.007, 0.01, 0.02, 0.05, 0.086, 0.1, 0.2, 0.3, 0.4, 0.45, 0.49, 0.5, 0.55, 0.7, 0.9, 0.99];
    for (const t of [0.5, 0.6, 1, 1.5, 2, 2.5, 3.7, 10]) xs.push(t / n);
    for (const q of [0.3, 0.754693, 0.76, 1, 1.5, 2.19, 2.2, 2.3, 3, 3.99, 4, 4.01, 5, 7, 10, 20, 30, 50, 100, 200, 300, 350, 355, 369.9, 371]) xs.push(Math.sqrt(q / n));
    xs.push(1 - 1.5 / n, 1 - 1 / n, 1 - 0.5 / n);
    return xs.filter((x) => x > 0 && x < 1);
  };
  const REL = 1e-14;   // measured worst: 7.8e-16 (docs/drift/samples.md)

  // KS_FULL=1: every n in [1, 160] and 17 log-spaced n to 20000, and n = 10^6 below (about 30 s);
  // by default a sparser grid over the same branches (a few seconds)
  const FULL = process.env.KS_FULL === "1";
  it("kstwoSf and smirnov on a dense grid of n in [1, 20000] and x over every branch", () => {
    const ns = new Set<number>();
    for (let n = 1; n <= 160; n += FULL || n < 40 ? 1 : 7) ns.add(n);
    const logSteps = FULL ? 16 : 5;
    for (let k = 0; k <= logSteps; k++) ns.add(Math.round(160 * Math.pow(20000 / 160, k / logSteps)));
    let wk = 0, ws = 0, at = "", count = 0;
    for (const n of ns) {
      for (const x of xsFor(n)) {
        const a = kstwoSf(x, n), b = kstwoSfReference(x, n), e = relErr(a, b);
        const c = smirnov(n, x), d = smirnovReference(n, x), f = relErr(c, d);
        expect(Number.isNaN(a)).toBe(Number.isNaN(b));
        if (e > wk) { wk = e; at = `kstwoSf n=${n} x=${x}`; }
        if (f > ws) { ws = f; if (f > wk) at = `smirnov n=${n} x=${x}`; }
        count += 2;
      }
    }
    console.log(`log-domain sum vs xsf's: ${count} values, kstwoSf worst ${wk.toExponential(2)}, smirnov worst ${ws.toExponential(2)} (${at})`);
    expect(wk).toBeLessThanOrEqual(REL);
    expect(ws).toBeLessThanOrEqual(REL);
  }, 120_000);

  it("kstwoSf at n from 5·10^4 to 10^6 where it sums (n x² from 2.2 to 370, x >= 0.5)", () => {
    let w = 0, at = "";
    for (const n of FULL ? [50000, 100001, 1000000] : [50000]) {
      for (const x of [Math.sqrt(2.2 / n), 0.007, Math.sqrt(10 / n), Math.sqrt(100 / n), Math.sqrt(369.9 / n), 0.7]) {
        const e = relErr(kstwoSf(x, n), kstwoSfReference(x, n));
        if (e > w) { w = e; at = `n=${n} x=${x}`; }
      }
    }
    console.log(`log-domain sum vs xsf's, large n: worst ${w.toExponential(2)} (${at})`);
    expect(w).toBeLessThanOrEqual(REL);
  }, 120_000);

  it("the dropped tails are below the stated 2^-59 of the sum (truncated against every term)", () => {
    let w = 0;
    for (const n of [20, 141, 1000, 50000, 300000]) {
      for (const q of [2.2, 4.5, 10, 50, 200, 369]) {
        const x = Math.sqrt(q / n);
        if (x >= 1) continue;
        w = Math.max(w, relErr(smirnov(n, x), smirnovUntruncated(n, x)));
      }
      for (const x of [0.5, 0.6, 0.8]) w = Math.max(w, relErr(smirnov(n, x), smirnovUntruncated(n, x)));
    }
    console.log(`truncated vs untruncated log-domain sum: worst ${w.toExponential(2)}`);
    expect(w).toBeLessThanOrEqual(4 * 2 ** -52);   // the sums differ by the tails and roundings only
  }, 120_000);
});

describe("wasserstein1 against scipy.stats.wasserstein_distance and exact values", () => {
  it("within the stated bounds", () => {
    let ws = 0, we = 0, weAt = "";
    for (const c of fx.wasserstein) {
      const u = data(c.u), v = data(c.v);
      const opts = {
        ...(c.uWeights ? { uWeights: data(c.uWeights) } : {}),
        ...(c.vWeights ? { vWeights: data(c.vWeights) } : {}),
      };
      const got = wasserstein1(u, v, opts);
      const es = relErr(got, dec(c.scipy));
      ws = Math.max(ws, es);
      expect(es, `n=${u.length} m=${v.length}: ${got} vs SciPy ${dec(c.scipy)}`).toBeLessThanOrEqual(W_REL_SCIPY);
      if (c.exact !== undefined) {
        const exact = dec(c.exact), weighted = !!(c.uWeights || c.vWeights);
        const e = relErr(got, exact);
        if (e > we) { we = e; weAt = `n=${u.length} m=${v.length} weights=${weighted}`; }
        let lo = Infinity, hi = -Infinity;
        for (const x of [...u, ...v]) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
        // the exact value is stored rounded: allow its half ulp too
        const bound = wBound(exact, hi - lo, u.length + v.length, weighted) + Math.abs(exact) * U;
        expect(Math.abs(got - exact), `n=${u.length} m=${v.length}: ${got} vs exact ${exact}`).toBeLessThanOrEqual(bound);
      }
    }
    console.log(`wasserstein1: worst relative error vs SciPy ${ws.toExponential(2)}, ` +
      `vs exact ${we.toExponential(2)} (${weAt})`);
  });
});

describe("inputs and errors", () => {
  it("number[], Float64Array and Float32Array give the same answers; inputs are not modified", () => {
    const a = [3, 1, 2.5, 7, -1], b = [0.5, 2, 2, 9];
    const fa = Float64Array.from(a), f32 = Float32Array.from(b);
    const r1 = ksTest(a, b), r2 = ksTest(fa, Float64Array.from(f32));
    expect(r1).toEqual(r2);
    expect(ksTest(a, f32)).toEqual(r1);
    expect(wasserstein1(a, b)).toBe(wasserstein1(fa, f32));
    expect(Array.from(fa)).toEqual(a);
    const w = [1, 2, 3, 4, 5];
    wasserstein1(fa, b, { uWeights: w });
    expect(w).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(fa)).toEqual(a);
  });

  it("NaN, infinities, empty samples, bad weights and options", () => {
    expect(() => ksTest([1, NaN], [1])).toThrow(/ksTest: u\[1\] is NaN/);
    expect(() => ksTest([1], [2, 3, NaN])).toThrow(/ksTest: v\[2\] is NaN/);
    expect(() => wasserstein1([1, Infinity], [1])).toThrow(/wasserstein1: u\[1\] is Infinity/);
    expect(() => wasserstein1([1], [-Infinity])).toThrow(/wasserstein1: v\[0\] is -Infinity/);
    expect(() => ksTest([], [1])).toThrow(RangeError);
    expect(() => wasserstein1([1], new Float64Array(0))).toThrow(/v is empty/);
    expect(() => ksTest([1, "a" as unknown as number], [1])).toThrow(TypeError);
    expect(() => wasserstein1([1, 2], [1], { uWeights: [1] }))
      .toThrow(/uWeights must have the same length as u \(2\), got 1/);
    expect(() => wasserstein1([1, 2], [1], { uWeights: [1, -1] })).toThrow(/uWeights\[1\] is negative/);
    expect(() => wasserstein1([1, 2], [1], { uWeights: [1, NaN] })).toThrow(/uWeights\[1\] is NaN/);
    expect(() => wasserstein1([1, 2], [1], { vWeights: [0] })).toThrow(/vWeights must have a positive, finite sum, got 0/);
    expect(() => wasserstein1([1, 2], [1], { vWeights: [Infinity] })).toThrow(/vWeights\[0\] is infinite/);
    expect(() => wasserstein1([1, 2], [1], { uWeights: [1e308, 1e308] })).toThrow(/positive, finite sum, got Infinity/);
    expect(() => wasserstein1([1], [2], { weights: [1] } as never)).toThrow(/unknown option 'weights'/);
    expect(() => ksTest([1], [2], { alternative: "two_sided" } as never)).toThrow(/alternative must be/);
    expect(() => ksTest([1], [2], { method: "approx" } as never)).toThrow(/method must be/);
    expect(() => ksTest([1], [2], { mode: "exact" } as never)).toThrow(/unknown option 'mode'/);
    expect(ksTest([1, Infinity], [2, -Infinity]).statisticLocation).toBe(-Infinity);
  });

  it("the radix sort with weights equals a stable index sort (ties, signed zeros, extremes)", () => {
    const n = 5000, vals = new Float64Array(n), w = new Float64Array(n);
    const u = lcg(7, 2 * n);
    const pool = [0, -0, 1, -1, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2.5, 2.5];
    for (let i = 0; i < n; i++) {
      vals[i] = u[2 * i] < 0.3 ? pool[Math.floor(u[2 * i + 1] * pool.length)] : (u[2 * i + 1] - 0.5) * 1e6;
      w[i] = i;
    }
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => vals[a] - vals[b] || a - b);
    const v2 = vals.slice(), w2 = w.slice();
    sortSample(v2, w2);
    for (let i = 0; i < n; i++) {
      expect(v2[i] === vals[idx[i]]).toBe(true);
    }
    // stable on equal keys (-0 and 0 are different keys to the radix sort: -0 first)
    for (let i = 1; i < n; i++) if (Object.is(v2[i], v2[i - 1])) expect(w2[i]).toBeGreaterThan(w2[i - 1]);
  });
});

describe("sorted kernels (driftReport sorts each column once)", () => {
  /** The earlier ksTest statistic: two scans, cddiff at every value of [sorted a, sorted b], first extremes. */
  function twoScans(a: Float64Array, b: Float64Array, alternative: "two-sided" | "less" | "greater") {
    let min = Infinity, max = -Infinity, locMin = NaN, locMax = NaN;
    const scan = (xs: Float64Array, ys: Float64Array, sign: 1 | -1): void => {
      const nx = xs.length, ny = ys.length;
      let iy = 0;
      for (let i = 0; i < nx;) {
        const x = xs[i];
        let end = i + 1;
        while (end < nx && xs[end] === x) end++;
        while (iy < ny && ys[iy] <= x) iy++;
        const diff = sign > 0 ? end / nx - iy / ny : iy / ny - end / nx;
        if (diff < min) { min = diff; locMin = x; }
        if (diff > max) { max = diff; locMax = x; }
        i = end;
      }
    };
    scan(a, b, 1);
    scan(b, a, -1);
    let minS = -min;   // -0 when the samples are equal, as SciPy
    if (minS < 0) minS = 0;
    else if (minS > 1) minS = 1;
    return alternative === "less" || (alternative === "two-sided" && minS > max)
      ? { statistic: minS, statisticLocation: locMin, statisticSign: -1 }
      : { statistic: max, statisticLocation: locMax, statisticSign: 1 };
  }
  /** Samples with many ties across both, signed zeros and infinities. */
  function tied(seed: number, n: number, levels: number): Float64Array {
    const u = lcg(seed, 2 * n), out = new Float64Array(n);
    const pool = [0, -0, Infinity, -Infinity, 0.5, -0.5];
    for (let i = 0; i < n; i++) {
      out[i] = u[2 * i] < 0.05 ? pool[Math.floor(u[2 * i + 1] * pool.length)] : Math.floor(u[2 * i + 1] * levels) / 4;
    }
    return out;
  }

  it("sortValues equals Float64Array.prototype.sort element for element (ties, signed zeros, infinities, long runs)", () => {
    const scratch = sortScratch();
    const cases: Float64Array[] = [
      generate({ kind: "normal", n: 100000, seed: 3 }), generate({ kind: "uniform", n: 700, seed: 4, loc: -3 }),
      tied(5, 20000, 7), tied(6, 600, 1000), generate({ kind: "int", n: 3000, seed: 8, levels: 5 }),
      Float64Array.from({ length: 5000 }, (_, i) => 1 + ((i * 7919) % 5000) * 2 ** -52),   // one high word: a long run
      Float64Array.from({ length: 3000 }, (_, i) => -1 - ((i * 31) % 40) * 2 ** -52),      // runs of 40 negative values
      Float64Array.from({ length: 2000 }, (_, i) => (i % 2 ? -0 : 0)), new Float64Array(1000).fill(2.5),
      generate({ kind: "normal", n: 100, seed: 9 }),
    ];
    for (const x of cases) {
      const want = x.slice().sort(), got = x.slice(), again = x.slice();
      sortValues(got, scratch);
      sortSample(again);
      for (let i = 0; i < x.length; i++) {
        if (!Object.is(got[i], want[i]) || !Object.is(again[i], want[i])) {
          throw new Error(`n=${x.length}: [${i}] ${got[i]} / ${again[i]} vs ${want[i]}`);
        }
      }
    }
  });

  it("ksTestSorted's single merge walk gives the two scans' statistic, location and sign", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const n = 1 + (seed * 37) % 300, m = 1 + (seed * 53) % 250;
      const a = tied(seed, n, 2 + (seed % 9)), b = tied(seed + 1000, m, 2 + (seed % 7));
      if (seed % 3 === 0) for (let i = 0; i < m; i++) b[i] += 0.25;
      const sa = a.slice().sort(), sb = b.slice().sort();
      for (const alternative of ["two-sided", "less", "greater"] as const) {
        const want = twoScans(sa, sb, alternative), got = ksTestSorted(sa, sb, alternative, "asymptotic");
        const what = `seed ${seed} ${alternative}`;
        expect(Object.is(got.statistic, want.statistic), `${what}: ${got.statistic} vs ${want.statistic}`).toBe(true);
        expect(Object.is(got.statisticLocation, want.statisticLocation), `${what}: location`).toBe(true);
        expect(got.statisticSign, what).toBe(want.statisticSign);
        expect(ksTest(a, b, { alternative, method: "asymptotic" })).toEqual(got);
        expect(ksTest(a, b, { alternative })).toEqual(ksTestSorted(sa, sb, alternative));
      }
    }
  });

  it("wasserstein1Sorted equals wasserstein1 bit for bit", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const a = generate({ kind: "normal", n: 50 + seed * 97, seed }), b = generate({ kind: "int", n: 40 + seed * 61, seed: seed + 99, levels: 9 });
      expect(wasserstein1Sorted(a.slice().sort(), b.slice().sort())).toBe(wasserstein1(a, b));
    }
  });
});
