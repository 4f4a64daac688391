// Mutual information: table measures and their identities (fast-check), counts,
// labels with scikit-learn's semantics, KSG against an O(n^2) brute-force twin and
// against the Gaussian truth, WebAssembly against the pure-TS twin, bad input.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import * as core from "../src/index.js";
import * as sub from "../src/mutual.js";
import * as R from "../src/reference.js";
import { wasmMutualEngine } from "../src/mutual/wasm.js";
import { referenceMutualEngine, below } from "../src/mutual/twin.js";
import { digammaTable, digammaLarge } from "../src/mutual/api.js";
import { rng } from "./helpers/random.js";

/** The WebAssembly build: kl-wasm and kl-wasm/mutual. */
const W = { ...core, ...sub };

const apis = [["WebAssembly", W], ["reference", R]] as const;

/** Direct sums over a normalised table: H(X), H(Y), H(X,Y), I, H(Y|X), and S = sum |terms| + p. */
function direct(t: ArrayLike<number>, cols: number) {
  const rows = t.length / cols;
  let N = 0;
  for (let i = 0; i < t.length; i++) N += t[i];
  const px = new Array(rows).fill(0), py = new Array(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) { px[i] += t[i * cols + j] / N; py[j] += t[i * cols + j] / N; }
  const H = (ps: number[]) => ps.reduce((s, p) => (p > 0 ? s - p * Math.log(p) : s), 0);
  let I = 0, S = 0, hyx = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = t[i * cols + j] / N;
      if (p > 0) {
        // a difference of logs where the outer product underflows (subnormal cells)
        const q = px[i] * py[j];
        const term = p * (q > 0 && p / q < Infinity ? Math.log(p / q) : Math.log(p) - Math.log(px[i]) - Math.log(py[j]));
        I += term; S += Math.abs(term) + p;
        hyx -= p * Math.log(p / px[i]);
      }
    }
  }
  const flat = Array.from(t, (v) => v / N);
  return { hx: H(px), hy: H(py), hxy: H(flat), I, S, hyx };
}

const tables = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 })).chain(([r, c]) =>
  fc.tuple(fc.constant(c), fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0)), { minLength: r * c, maxLength: r * c })))
  .filter(([, t]) => t.some((v) => v > 0));

describe.each(apis)("table measures (%s)", (_name, L) => {
  it("subnormal and tiny cells (a case fast-check found): I matches the direct sum", () => {
    const t = [0, 0, 5e-323, 0, 0, 0, 2e-323, ...Array(13).fill(0), 0.599754069071058, 0.9999999999999987,
      ...Array(12).fill(0), 0.9999999999999981, 0.9999999999999993, ...Array(9).fill(0), 4.1698021321033715e-210,
      ...Array(6).fill(0), 1.8578697696820826e-113, ...Array(5).fill(0), 0.0002459280274458298, ...Array(5).fill(0),
      0.9999999999999983, 0, 0, 0, 0, 2.901502593743999e-9, 0, 0, 0.9999999999999979, 0, 0, 0, 0];
    const d = direct(t, 7);
    expect(Number.isFinite(d.I)).toBe(true);
    expect(Math.abs(L.mutualInformation(t, 7) - d.I)).toBeLessThanOrEqual(1e-14 * d.S);
    expect(Math.abs(L.mutualInformation(t, 7) - (d.hx + d.hy - L.jointEntropy(t, 7)))).toBeLessThanOrEqual(1e-14 * (d.hx + d.hy + d.hxy + 1));
  });

  it("a 2 x 2 example by hand", () => {
    const t = [0.1, 0.2, 0.3, 0.4];
    const d = direct(t, 2);
    expect(L.mutualInformation(t, 2)).toBeCloseTo(d.I, 15);
    expect(L.jointEntropy(t, 2)).toBeCloseTo(d.hxy, 15);
    expect(L.conditionalEntropy(t, 2)).toBeCloseTo(d.hyx, 15);
    expect(L.conditionalEntropy(t, 2, { given: "y" })).toBeCloseTo(d.hxy - d.hy, 15);
    expect(L.mutualInformation(t, 2, { base: 2 })).toBeCloseTo(d.I / Math.LN2, 15);
  });

  it("identities: I = H(X) + H(Y) - H(X,Y) = KL(Pxy || Px Py) >= 0, H(Y|X) = H(X,Y) - H(X)", () => {
    fc.assert(fc.property(tables, ([cols, t]) => {
      const d = direct(t, cols);
      const I = L.mutualInformation(t, cols), hxy = L.jointEntropy(t, cols);
      expect(I).toBeGreaterThanOrEqual(0);
      expect(Math.abs(I - d.I)).toBeLessThanOrEqual(1e-14 * d.S);
      const scaleH = d.hx + d.hy + d.hxy + 1;
      expect(Math.abs(I - (d.hx + d.hy - hxy))).toBeLessThanOrEqual(1e-14 * scaleH);
      expect(Math.abs(L.conditionalEntropy(t, cols) - (hxy - d.hx))).toBeLessThanOrEqual(1e-14 * scaleH);
      expect(Math.abs(L.conditionalEntropy(t, cols, { given: "y" }) - (hxy - d.hy))).toBeLessThanOrEqual(1e-14 * scaleH);
      // KL(Pxy || Px Py) through the divergence API
      const rows = t.length / cols, N = t.reduce((a, b) => a + b, 0);
      const px = Array.from({ length: rows }, (_, i) => t.slice(i * cols, (i + 1) * cols).reduce((a, b) => a + b, 0) / N);
      const py = Array.from({ length: cols }, (_, j) => t.filter((_, k) => k % cols === j).reduce((a, b) => a + b, 0) / N);
      const outer = t.map((_, k) => px[Math.floor(k / cols)] * py[k % cols]);
      // the divergence API sees Px Py as numbers: where a product underflows to 0 under
      // a positive cell, KL is rightly infinite and this form of the identity is moot
      if (outer.every((q, k) => q > 0 || t[k] === 0)) {
        const kl = L.klDivergence(t.map((v) => v / N), outer, { eps: 0 });
        expect(Math.abs(I - Math.max(0, kl))).toBeLessThanOrEqual(1e-14 * d.S);
      }
    }), { numRuns: 200 });
  });

  it("independent tables give 0 to rounding; I(X;X) = H(X)", () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 1e-3, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
      fc.array(fc.double({ min: 1e-3, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
      (a, b) => {
        const t = a.flatMap((u) => b.map((v) => u * v));
        expect(L.mutualInformation(t, b.length)).toBeLessThanOrEqual(1e-15);
        const diag = a.flatMap((u, i) => a.map((_, j) => (i === j ? u : 0)));
        const hx = L.entropy(a, { normalize: true });
        expect(Math.abs(L.mutualInformation(diag, a.length) - hx)).toBeLessThanOrEqual(1e-14 * (hx + 1));
        expect(L.conditionalEntropy(diag, a.length)).toBeLessThanOrEqual(1e-15);
      }), { numRuns: 100 });
  });

  it("counts: normalised internally, exact for integers up to 2^53, same result as the probabilities", () => {
    const c = [2 ** 52, 3, 5, 2 ** 52 - 1];
    const I = L.mutualInformation(c, 2, { counts: true });
    expect(I).toBeCloseTo(L.mutualInformation(c.map((v) => v / 2 ** 53), 2), 15);
    // scale invariance: doubling every count (exact) changes nothing
    expect(L.mutualInformation(c.map((v) => v * 2), 2, { counts: true })).toBe(I);
    // small MI from huge counts: no cancellation of two entropies near 0.69
    const near = [2 ** 51 + 1, 2 ** 51, 2 ** 51, 2 ** 51];
    const want = direct(near.map((v) => v - 2 ** 51 + 1e6), 2); // a shifted table only to check the sign and size
    expect(want.I).toBeGreaterThan(0);
    const got = L.mutualInformation(near, 2, { counts: true });
    // exact: p = (N1, N, N, N)/(4N + 1) with N = 2^51, I ~ 1/(32 N^2) ~ 6e-33 -> far below rounding of the
    // entropies (1e-16), but the KL form keeps it tiny and non-negative
    expect(got).toBeGreaterThanOrEqual(0);
    expect(got).toBeLessThan(1e-30);
    expect(() => L.mutualInformation([1, 2.5, 3, 4], 2, { counts: true })).toThrow(/pxy\[1\] is not an integer count \(2.5\)/);
  });
});

describe("table measures: WebAssembly vs the pure-TS twin", () => {
  it("random tables up to 300 x 300 (and 3 x 30000), float64, float32 and number[]", () => {
    const r = rng(3);
    for (const [rows, cols] of [[1, 40], [40, 1], [7, 9], [64, 64], [300, 300], [3, 30000], [30000, 3]]) {
      const t = new Float64Array(rows * cols).map(() => (r() < 0.2 ? 0 : r() ** 3));
      for (const input of [t, Float32Array.from(t), Array.from(t)]) {
        const d = direct(input, cols);
        for (const f of ["mutualInformation", "jointEntropy", "conditionalEntropy"] as const) {
          const a = W[f](input, cols), b = R[f](input, cols);
          expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-14 * (d.S + d.hxy));
        }
      }
    }
  });
});

// ---------------------------------------------------------------- labels
/** scikit-learn's mutual_info_score and normalized_mutual_info_score, from their definitions. */
function sklearnMI(a: number[], b: number[]): number {
  const n = a.length, ca = new Map<number, number>(), cb = new Map<number, number>(), cab = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
    const key = `${a[i]},${b[i]}`;
    cab.set(key, (cab.get(key) ?? 0) + 1);
  }
  if (ca.size === 1 || cb.size === 1) return 0;
  let mi = 0;
  for (const [key, c] of cab) {
    const [x, y] = key.split(",").map(Number);
    mi += (c / n) * Math.log((c * n) / (ca.get(x)! * cb.get(y)!));
  }
  return Math.max(0, mi);
}
function labelEntropy(a: number[]): number {
  const c = new Map<number, number>();
  for (const v of a) c.set(v, (c.get(v) ?? 0) + 1);
  let h = 0;
  for (const v of c.values()) h -= (v / a.length) * Math.log(v / a.length);
  return h;
}
function sklearnNMI(a: number[], b: number[], average = "arithmetic"): number {
  const ka = new Set(a).size, kb = new Set(b).size;
  if (ka === 1 && kb === 1) return 1;
  const mi = sklearnMI(a, b);
  if (mi === 0) return 0;
  const ha = labelEntropy(a), hb = labelEntropy(b);
  const norm = average === "arithmetic" ? (ha + hb) / 2 : average === "geometric" ? Math.sqrt(ha * hb) : average === "min" ? Math.min(ha, hb) : Math.max(ha, hb);
  return mi / norm;
}

const labelPairs = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(
  fc.array(fc.integer({ min: -5, max: 8 }), { minLength: n, maxLength: n }),
  fc.array(fc.integer({ min: 100, max: 104 }), { minLength: n, maxLength: n })));

describe.each(apis)("labels (%s)", (_name, L) => {
  it("mutualInformationLabels and normalizedMutualInformation: scikit-learn's semantics", () => {
    fc.assert(fc.property(labelPairs, ([a, b]) => {
      const mi = L.mutualInformationLabels(a, b);
      expect(Math.abs(mi - sklearnMI(a, b))).toBeLessThanOrEqual(1e-13);
      for (const average of ["arithmetic", "geometric", "min", "max"] as const) {
        const nmi = L.normalizedMutualInformation(a, b, { average });
        expect(nmi).toBeGreaterThanOrEqual(0);
        expect(nmi).toBeLessThanOrEqual(1);
        expect(Math.abs(nmi - Math.min(1, sklearnNMI(a, b, average)))).toBeLessThanOrEqual(1e-12);
      }
    }), { numRuns: 200 });
  });

  it("label permutations (renaming classes) do not change MI or NMI; I(a; a) = H(a)", () => {
    const r = rng(17);
    const a = Array.from({ length: 5000 }, () => Math.floor(r() * 7) * 3 - 4);
    const b = a.map((v) => (r() < 0.7 ? v : Math.floor(r() * 7)));
    const rename = (v: number) => 1000 - v * 37;
    expect(L.mutualInformationLabels(a.map(rename), b)).toBeCloseTo(L.mutualInformationLabels(a, b), 14);
    expect(L.normalizedMutualInformation(b, a.map(rename))).toBeCloseTo(L.normalizedMutualInformation(a, b), 14);
    expect(L.mutualInformationLabels(a, a)).toBeCloseTo(labelEntropy(a), 14);
    expect(L.normalizedMutualInformation(a, a)).toBe(1);
  });

  it("special cases: one class each -> NMI 1; one class on one side -> 0; typed arrays and wide labels", () => {
    expect(L.normalizedMutualInformation([3, 3, 3], [7, 7, 7])).toBe(1);
    expect(L.normalizedMutualInformation([3, 3, 3], [1, 2, 3])).toBe(0);
    expect(L.mutualInformationLabels([3, 3, 3], [1, 2, 3])).toBe(0);
    const a = [0, 0, 1, 1, 2, 2], b = [0, 0, 1, 1, 1, 1];
    const want = sklearnMI(a, b);
    expect(L.mutualInformationLabels(Int32Array.from(a), Int32Array.from(b))).toBeCloseTo(want, 15);
    expect(L.mutualInformationLabels(Uint32Array.from(a.map((v) => v + 4e9)), Uint32Array.from(b))).toBeCloseTo(want, 15);
    expect(L.mutualInformationLabels(a.map((v) => v * 1e12), b)).toBeCloseTo(want, 15);
    expect(L.mutualInformationLabels(Float64Array.from(a), b, { base: 2 })).toBeCloseTo(want / Math.LN2, 15);
    const ct = L.contingencyTable([5, 1, 5, 9], [0, 0, 2, 2]);
    expect(ct).toEqual({ rows: 3, cols: 2, counts: Float64Array.from([1, 0, 1, 1, 0, 1]) });
  });
});

describe("labels: WebAssembly vs the pure-TS twin at scale", () => {
  it("10^6 labels, 100 x 100 classes; a label range too wide to count densely", () => {
    const r = rng(5), n = 1_000_000;
    const a = new Int32Array(n), b = new Int32Array(n);
    for (let i = 0; i < n; i++) { a[i] = Math.floor(r() * 100); b[i] = (a[i] * 7 + Math.floor(r() * 30)) % 100; }
    expect(W.contingencyTable(a, b)).toEqual(R.contingencyTable(a, b));
    expect(W.mutualInformationLabels(a, b)).toBe(R.mutualInformationLabels(a, b));
    const wide = a.map((v) => v * 40_000_000 - 2_000_000_000);
    expect(W.mutualInformationLabels(wide, b)).toBe(W.mutualInformationLabels(a, b));
  });
});

// ---------------------------------------------------------------- KSG
/** The O(n^2) twin: scikit-learn's counts from their definitions. */
function bruteCounts(x: Float64Array, y: Float64Array, k: number) {
  const n = x.length, nx = new Int32Array(n), ny = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = new Float64Array(n - 1);
    for (let j = 0, m = 0; j < n; j++) if (j !== i) d[m++] = Math.max(Math.abs(x[j] - x[i]), Math.abs(y[j] - y[i]));
    d.sort();
    const rad = below(d[k - 1]);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (Math.abs(x[j] - x[i]) <= rad) nx[i]++;
      if (Math.abs(y[j] - y[i]) <= rad) ny[i]++;
    }
  }
  return { nx, ny };
}

function gaussianPairs(n: number, rho: number, seed: number): [Float64Array, Float64Array] {
  const r = rng(seed), x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = r() || 1e-300, u2 = r();
    const z1 = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2), z2 = Math.sqrt(-2 * Math.log(u1)) * Math.sin(2 * Math.PI * u2);
    x[i] = z1;
    y[i] = rho * z1 + Math.sqrt(1 - rho * rho) * z2;
  }
  return [x, y];
}

describe("KSG", () => {
  it("digamma: the asymptotic series (n >= 64) agrees with the compensated harmonic table", () => {
    const psi = digammaTable(200000);
    for (const n of [64, 65, 100, 1000, 4097, 12345, 99999, 200000]) {
      expect(Math.abs(digammaLarge(n) - psi[n])).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(psi[n]));
    }
  });

  it("neighbour counts equal the O(n^2) twin exactly, ties included (both engines)", () => {
    for (const [n, k, round] of [[2, 1, 0], [5, 4, 0], [70, 1, 0], [200, 3, 0], [500, 5, 1], [300, 64, 2], [300, 3, 3]]) {
      let [x, y] = gaussianPairs(n, 0.5, n + k);
      // rounding makes ties: equal coordinates and equal distances
      if (round) { x = x.map((v) => Math.round(v * 2 ** round) / 2 ** round); y = y.map((v) => Math.round(v * 2 ** round) / 2 ** round); }
      const want = bruteCounts(x, y, k);
      for (const engine of [wasmMutualEngine, referenceMutualEngine]) {
        const got = engine.ksg("ksg", x, y, k, false);
        expect(Array.from(got.nx)).toEqual(Array.from(want.nx));
        expect(Array.from(got.ny)).toEqual(Array.from(want.ny));
      }
    }
  });

  it("counts stay exact past the 1024-place search windows, across signs, zeros and magnitudes (both engines)", () => {
    // n > 2048, so each count is searched for beside the point's place in the sorted
    // coordinates; coarse rounding makes counts far wider than the window (the
    // fallback searches); the radix sort's keys meet negative numbers, -0 and +0,
    // subnormals and huge values.
    const [gx, gy] = gaussianPairs(3000, 0.7, 99);
    const cases: [string, Float64Array, Float64Array, number][] = [
      ["plain", gx, gy, 3],
      ["coarse ties", gx.map((v) => Math.round(v * 2) / 2), gy.map((v) => Math.round(v * 8) / 8), 3],
      ["one x value", gx.map(() => 1), gy, 2],
      ["one y value", gx, gy.map(() => -2), 2],
      ["signed zeros", gx.map((v, i) => (i % 7 === 0 ? (i % 2 ? -0 : 0) : v)), gy.map((v, i) => (i % 5 === 0 ? -0 : v)), 4],
      ["subnormal", gx.map((v) => v * 1e-310), gy.map((v) => v * 4e-312), 3],
      ["huge", gx.map((v) => v * 1e300), gy.map((v) => 1e6 + v), 16],
      ["k = 64", gx, gy, 64],
    ];
    for (const [name, x, y, k] of cases) {
      const want = bruteCounts(x, y, k);
      for (const engine of [wasmMutualEngine, referenceMutualEngine]) {
        const got = engine.ksg("ksg", x, y, k, false);
        expect(Array.from(got.nx), name).toEqual(Array.from(want.nx));
        expect(Array.from(got.ny), name).toEqual(Array.from(want.ny));
      }
    }
  });

  it("converges to -1/2 ln(1 - rho^2) on Gaussian samples (n = 10^4)", () => {
    // Tolerances from the estimator's known behaviour (Kraskov, Stoegbauer and
    // Grassberger 2004, section IV): its statistical error is about 1/sqrt(n), nearly
    // independent of rho; its systematic error vanishes for independent variables and
    // stays below the statistical one except for very strong dependence. So each of
    // B = 6 independent estimates must lie within 5/sqrt(n), and their mean within
    // 4/sqrt(B n) plus a bias allowance of 1/sqrt(n) for |rho| > 0.9.
    const n = 10_000, B = 6, sd = 1 / Math.sqrt(n);
    for (const rho of [0, 0.3, 0.6, 0.9, 0.99]) {
      const truth = -0.5 * Math.log(1 - rho * rho);
      const est = Array.from({ length: B }, (_, b) => {
        const [x, y] = gaussianPairs(n, rho, 1000 * (b + 1) + Math.round(rho * 100));
        return W.mutualInformationKSG(x, y, { clip: false });
      });
      for (const e of est) expect(Math.abs(e - truth)).toBeLessThanOrEqual(5 * sd);
      const mean = est.reduce((s, e) => s + e, 0) / B;
      expect(Math.abs(mean - truth)).toBeLessThanOrEqual(4 * sd / Math.sqrt(B) + (rho > 0.9 ? sd : 0));
    }
  });

  it("the same estimate from both engines; k > 64 runs the twin; scale and clip options", () => {
    const [x, y] = gaussianPairs(3000, 0.8, 11);
    // the engines scale to the same bits (odd n: the vector loop's tail), so count alike
    const [ox, oy] = gaussianPairs(2999, 0.3, 12);
    const a = wasmMutualEngine.ksg("ksg", ox.map((v) => 3 * v + 7), oy, 4, true), b = referenceMutualEngine.ksg("ksg", ox.map((v) => 3 * v + 7), oy, 4, true);
    expect(Array.from(a.nx)).toEqual(Array.from(b.nx));
    expect(Array.from(a.ny)).toEqual(Array.from(b.ny));
    expect(W.mutualInformationKSG(Float32Array.from(x), Array.from(y))).toBe(R.mutualInformationKSG(Float32Array.from(x), Array.from(y)));
    expect(W.mutualInformationKSG(x, y)).toBe(R.mutualInformationKSG(x, y));
    expect(W.mutualInformationKSG(x, y, { k: 80 })).toBe(R.mutualInformationKSG(x, y, { k: 80 }));
    // scale: KSG is invariant to scaling both by the same factor, not each separately
    const y10 = y.map((v) => v * 10);
    expect(W.mutualInformationKSG(x, y10)).toBe(W.mutualInformationKSG(x, y));
    expect(W.mutualInformationKSG(x, y10, { scale: false })).not.toBe(W.mutualInformationKSG(x, y, { scale: false }));
    const [u, v] = gaussianPairs(500, 0, 2);
    expect(W.mutualInformationKSG(u, v)).toBeGreaterThanOrEqual(0);
    expect(W.mutualInformationKSG(u, v, { base: 2, clip: false })).toBeCloseTo(W.mutualInformationKSG(u, v, { clip: false }) / Math.LN2, 14);
  });

  it("scale: huge samples do not overflow it; a deviation below 10 eps counts as constant (scikit-learn)", () => {
    const [x, y] = gaussianPairs(1000, 0.9, 21);
    for (const L of [W, R]) {
      // a power of two scales exactly, so the estimate is the same to the bit
      expect(L.mutualInformationKSG(x.map((v) => v * 2 ** 600), y)).toBe(L.mutualInformationKSG(x, y));
      expect(L.mutualInformationKSG(x, y.map((v) => -v * 2 ** 1000))).toBe(L.mutualInformationKSG(x, y.map((v) => -v)));
      // y's deviation is exactly 1, so scaling can only change x: a deviation of about
      // 1e-15 (below 10 eps) leaves it as it is, one of about 8e-15 does not
      const r = rng(5), u = Array.from({ length: 200 }, () => r() - 0.5);
      const pm = u.map((_, i) => (i % 4 < 2 ? 1 : -1));
      const below = u.map((v) => 1 + v * 2 ** -48), above = u.map((v) => 1 + v * 2 ** -45);
      expect(L.mutualInformationKSG(below, pm, { clip: false })).toBe(L.mutualInformationKSG(below, pm, { clip: false, scale: false }));
      expect(L.mutualInformationKSG(above, pm, { clip: false })).not.toBe(L.mutualInformationKSG(above, pm, { clip: false, scale: false }));
    }
  });

  it("finds the dependence of y = x^2 that Pearson's correlation misses", () => {
    const r = rng(4), n = 5000;
    const x = Float64Array.from({ length: n }, () => 2 * r() - 1), y = x.map((v) => v * v);
    const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
    expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThan(0.05);
    expect(W.mutualInformationKSG(x, y)).toBeGreaterThan(1);
  });
});

describe("mutual information: bad input", () => {
  for (const [name, L] of apis) {
    it(`clear errors naming the argument (${name})`, () => {
      expect(() => L.mutualInformation([0.1, -0.2, 0.3, 0.4], 2)).toThrow(/mutualInformation: pxy\[1\] is negative/);
      expect(() => L.mutualInformation(new Float64Array(40).fill(0.1).map((v, i) => (i === 33 ? NaN : v)), 4)).toThrow(/pxy\[33\] is NaN/);
      expect(() => L.jointEntropy([0.1, 0.2, 0.3], 2)).toThrow(/cols \(2\) does not divide the length \(3\)/);
      expect(() => L.mutualInformation([0, 0, 0, 0], 2)).toThrow(/pxy sums to 0/);
      expect(() => L.conditionalEntropy([1, 1], 1, { given: "z" as never })).toThrow(/given must be "x" or "y"/);
      expect(() => L.mutualInformationLabels([1, 2, 3], [1, 2])).toThrow(/a and b must have the same length, got 3 and 2/);
      expect(() => L.mutualInformationLabels([1, 2.5], [1, 2])).toThrow(/a\[1\] is not an integer label \(2.5\)/);
      expect(() => L.mutualInformationLabels([1, 2], [1, NaN])).toThrow(/b\[1\] is not an integer label/);
      expect(() => L.mutualInformationLabels([], [])).toThrow(/a is empty/);
      expect(() => L.normalizedMutualInformation([1, 2], [1, 2], { average: "median" as never })).toThrow(/average must be/);
      expect(() => L.mutualInformationKSG([1, 2, 3], [1, 2, 3], { k: 0 })).toThrow(/k must be an integer >= 1, got 0/);
      expect(() => L.mutualInformationKSG([1, 2, 3], [1, 2, 3], { k: 3 })).toThrow(/needs at least k \+ 1 = 4 samples, got 3/);
      expect(() => L.mutualInformationKSG([1, NaN, 3, 4], [1, 2, 3, 4])).toThrow(/x\[1\] is NaN/);
      // large enough for the WebAssembly checks (n >= 64): every input type, x before y
      const big = Array.from({ length: 101 }, (_, i) => Math.sin(i));
      const at = (v: number, i: number) => big.map((u, j) => (j === i ? v : u));
      expect(() => L.mutualInformationKSG(Float64Array.from(big), Float64Array.from(at(NaN, 77)))).toThrow(new RangeError("mutualInformationKSG: y[77] is NaN; values must be finite"));
      expect(() => L.mutualInformationKSG(Float32Array.from(at(Infinity, 100)), big)).toThrow(new RangeError("mutualInformationKSG: x[100] is infinite; values must be finite"));
      expect(() => L.mutualInformationKSG(at(-Infinity, 3), at(NaN, 5), { scale: false })).toThrow(/x\[3\] is infinite/);
      expect(() => L.mutualInformationKSG(big, at("1" as never, 9))).toThrow(new TypeError("mutualInformationKSG: y[9] is not a number (string)"));
      expect(() => L.mutualInformationKSG(Float64Array.from(at(NaN, 5)), at("1" as never, 9))).toThrow(/x\[5\] is NaN/);
      expect(() => L.mutualInformationKSG([1, 2, 3, 4], [1, 2, 3])).toThrow(/x and y must have the same length/);
    });
  }
});
