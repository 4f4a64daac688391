// Mutual information: the WebAssembly build (kl-wasm/mutual) against the reference
// (kl-wasm/reference), bit for bit on labels, within a stated bound on tables.
//
// Labels: both builds count the same contingency table (in WebAssembly or in TS) and
// compute its MI and entropies in the same shared TS code (src/mutual/api.ts
// miOfCounts), so mutualInformationLabels and normalizedMutualInformation are
// Object.is-identical, for every input type, label range and `average`.
//
// Tables (counts or probabilities): the WebAssembly build sums t log(t / q) with vector
// logs (<= 1 ulp) in blocked lanes, the twin with Math.log in sequence, so the two agree
// to rounding: |W - R| <= 4e-15 (18 eps) x (1 + sum over cells of |term| / N), where the
// terms are those of the measure (p log(p / (px py)) for I, p log p for H(X,Y),
// p log(p / px) or p log(p / py) for the conditional entropies). Measured: at most 1.32
// eps x that scale over 1600 random count tables up to 300 x 300.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import * as sub from "../src/mutual.js";
import * as R from "../src/reference.js";
import { rng } from "./helpers/random.js";

const W = sub;
const AVERAGES = ["arithmetic", "geometric", "min", "max"] as const;
type Labels = Int32Array | Uint32Array | Float64Array | number[];

/** n labels for each side: codes 0..ka-1 and 0..kb-1, b following a with probability
 *  dep, mapped to class labels of the given spread, in the given array type. */
function labelPair(p: { n: number; ka: number; kb: number; dep: number; spread: string; type: string; seed: number }): [Labels, Labels] {
  const r = rng(p.seed);
  const ca = new Int32Array(p.n), cb = new Int32Array(p.n);
  for (let i = 0; i < p.n; i++) {
    ca[i] = Math.floor(r() * p.ka);
    cb[i] = r() < p.dep ? (ca[i] * 7 + 3) % p.kb : Math.floor(r() * p.kb);
  }
  const classes = (k: number): number[] => {
    if (p.spread === "dense") {
      // non-contiguous, negative: off + stride * code
      const off = Math.floor(r() * 2001) - 1000, stride = 1 + Math.floor(r() * 5);
      return Array.from({ length: k }, (_, c) => off + stride * c);
    }
    if (p.spread === "huge" && (p.type === "array" || p.type === "float64")) {
      // beyond int32: relabelled by rank
      return Array.from({ length: k }, (_, c) => c * 2 ** 33 - 2 ** 50 + (c % 3));
    }
    // scattered over all of int32: a range too wide to count densely (relabelled first)
    const set = new Set<number>();
    while (set.size < k) set.add(Math.floor(r() * 2 ** 32) - 2 ** 31);
    return Array.from(set);
  };
  const la = classes(p.ka), lb = classes(p.kb);
  const make = (codes: Int32Array, l: number[]): Labels => {
    const v = Array.from(codes, (c) => l[c]);
    switch (p.type) {
      case "int32": return Int32Array.from(v);
      case "uint32": return Uint32Array.from(v, (x) => x >>> 0);
      case "float64": return Float64Array.from(v);
      default: return v;
    }
  };
  return [make(ca, la), make(cb, lb)];
}

const labelCases = fc.record({
  n: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 4096, max: 10_000 }), fc.integer({ min: 1, max: 64 })),
  ka: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 8 })),
  kb: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 8 })),
  dep: fc.constantFrom(0, 0.3, 0.9, 1),
  spread: fc.constantFrom("dense", "wide", "huge"),
  type: fc.constantFrom("int32", "array", "float64", "uint32"),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** Every label measure, as [name, value], for one build. */
function labelMeasures(L: typeof W, a: Labels, b: Labels): [string, number][] {
  return [
    ["mutualInformationLabels", L.mutualInformationLabels(a, b)],
    ["mutualInformationLabels base 2", L.mutualInformationLabels(a, b, { base: 2 })],
    ["normalizedMutualInformation (default)", L.normalizedMutualInformation(a, b)],
    ...AVERAGES.map((average): [string, number] => [`normalizedMutualInformation ${average}`, L.normalizedMutualInformation(a, b, { average })]),
  ];
}

function expectIdentical(a: Labels, b: Labels): void {
  const w = labelMeasures(W, a, b), r = labelMeasures(R, a, b);
  for (let i = 0; i < w.length; i++) {
    if (!Object.is(w[i][1], r[i][1])) {
      throw new Error(`${w[i][0]}: WebAssembly ${w[i][1]} !== reference ${r[i][1]}`);
    }
  }
}

describe("labels: WebAssembly and reference give identical bits", () => {
  it("random label arrays (n 1..10^4, 1..300 classes, negative, non-contiguous, wide and beyond-int32 labels; Int32Array, number[], Float64Array, Uint32Array)", () => {
    fc.assert(fc.property(labelCases, (p) => {
      const [a, b] = labelPair(p);
      expectIdentical(a, b);
      // the same contingency table; in the reference, labels MI is its table's MI to the bit
      const ct = W.contingencyTable(a, b);
      expect(ct).toEqual(R.contingencyTable(a, b));
      if (ct.rows > 1 && ct.cols > 1) {
        expect(R.mutualInformation(ct.counts, ct.cols, { counts: true })).toBe(R.mutualInformationLabels(a, b));
      }
    }), { numRuns: 400 });
  });

  it("at scale: 10^6 labels, 100 x 100 and 1000 x 1000 classes (dependent and independent), every input type", () => {
    const r = rng(23), n = 1_000_000;
    for (const k of [100, 1000]) {
      for (const dep of [0, 0.7]) {
        const a = new Int32Array(n), b = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          a[i] = Math.floor(r() * k) * 2 - k;
          b[i] = r() < dep ? (a[i] * 7 + 5) % k : Math.floor(r() * k);
        }
        expectIdentical(a, b);
        if (dep > 0) {
          expectIdentical(Array.from(a), Float64Array.from(b));
          expectIdentical(Uint32Array.from(a), Uint32Array.from(b));
        }
      }
    }
  });
});

// ---------------------------------------------------------------- tables
/** For each table measure, 1 + sum over cells of |term| (of the normalised table). */
function scales(t: ArrayLike<number>, cols: number) {
  const rows = t.length / cols;
  let N = 0;
  for (let i = 0; i < t.length; i++) N += t[i];
  const px = new Float64Array(rows), py = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) { px[i] += t[i * cols + j] / N; py[j] += t[i * cols + j] / N; }
  let mi = 1, joint = 1, yGivenX = 1, xGivenY = 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = t[i * cols + j] / N;
      if (p > 0) {
        mi += Math.abs(p * Math.log(p / (px[i] * py[j])));
        joint -= p * Math.log(p);
        yGivenX -= p * Math.log(p / px[i]);
        xGivenY -= p * Math.log(p / py[j]);
      }
    }
  }
  return { mi, joint, yGivenX, xGivenY };
}

/** The stated bound between the builds on tables, in units of the measure's scale. */
const TABLE_BOUND = 4e-15;

const countTables = fc.record({
  rows: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 })),
  cols: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 })),
  top: fc.constantFrom(1, 10, 1000, 1e6, 2 ** 40),
  zeros: fc.constantFrom(0, 0.3, 0.9),
  dep: fc.constantFrom(0, 1, 100),
  type: fc.constantFrom("float64", "array", "float32"),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
}).map((p) => {
  const r = rng(p.seed), t = new Float64Array(p.rows * p.cols);
  for (let i = 0; i < p.rows; i++) {
    for (let j = 0; j < p.cols; j++) {
      const near = Math.abs((i * p.cols) / p.rows - j) < 2 ? 1 + p.dep : 1;
      t[i * p.cols + j] = r() < p.zeros ? 0 : Math.floor(r() * p.top * near);
    }
  }
  if (!t.some((v) => v > 0)) t[0] = 1;
  // float32 holds integers exactly only up to 2^24
  const input = p.type === "float32" && p.top * (1 + p.dep) <= 2 ** 24 ? Float32Array.from(t) : p.type === "array" ? Array.from(t) : t;
  return { t, input, cols: p.cols };
});

describe("tables with counts: true: the builds agree within the stated bound", () => {
  it(`|W - R| <= ${TABLE_BOUND} x (1 + sum |terms|) for I, H(X,Y), H(Y|X), H(X|Y); both >= 0`, () => {
    fc.assert(fc.property(countTables, ({ t, input, cols }) => {
      const s = scales(t, cols);
      const o = { counts: true } as const;
      const cases = [
        ["mutualInformation", (L: typeof W) => L.mutualInformation(input, cols, o), s.mi],
        ["jointEntropy", (L: typeof W) => L.jointEntropy(input, cols, o), s.joint],
        ["conditionalEntropy x", (L: typeof W) => L.conditionalEntropy(input, cols, o), s.yGivenX],
        ["conditionalEntropy y", (L: typeof W) => L.conditionalEntropy(input, cols, { ...o, given: "y" }), s.xGivenY],
      ] as const;
      for (const [name, f, scale] of cases) {
        const w = f(W), r = f(R);
        expect(w, name).toBeGreaterThanOrEqual(0);
        expect(r, name).toBeGreaterThanOrEqual(0);
        expect(Math.abs(w - r), name).toBeLessThanOrEqual(TABLE_BOUND * scale);
      }
    }), { numRuns: 300 });
  });

  it("the table MI of a contingency table is within the bound of the labels MI (identical in the reference)", () => {
    const r = rng(31), n = 200_000;
    for (const k of [5, 100, 400]) {
      const a = new Int32Array(n), b = new Int32Array(n);
      for (let i = 0; i < n; i++) { a[i] = Math.floor(r() * k); b[i] = r() < 0.5 ? (a[i] * 3) % k : Math.floor(r() * k); }
      const ct = W.contingencyTable(a, b), labels = W.mutualInformationLabels(a, b);
      expect(R.mutualInformation(ct.counts, ct.cols, { counts: true })).toBe(labels);
      expect(Math.abs(W.mutualInformation(ct.counts, ct.cols, { counts: true }) - labels))
        .toBeLessThanOrEqual(TABLE_BOUND * scales(ct.counts, ct.cols).mi);
    }
  });
});

describe("KSG on samples at the top of the double range", () => {
  it("samples with |x| ≥ 2^1023 are scaled as the twin scales them (the module's 2^-1023 was 0: MI came out 0)", () => {
    const rand = rng(1023);
    for (const top of [1.7e308, 2 ** 1023, 1e308]) {
      const x = Float64Array.from({ length: 500 }, () => (2 * rand() - 1) * top);
      const y = x.map((v, i) => v / top + 0.3 * Math.sin(i));
      const w = sub.mutualInformationKSG(x, y), r = R.mutualInformationKSG(x, y);
      expect(w).toBe(r);
      expect(w).toBeGreaterThan(0.5);
    }
  });
});
