// Mutual information against test/fixtures/mutual.json (scripts/fixtures/mutual.py:
// mpmath at 60 digits on the exact contingency tables and count tables, rounded once;
// scikit-learn alongside), in both builds.
//
// Tolerance: |got - expected| <= 1e-15 |expected| + 1e-16, for every label measure
// (mutualInformationLabels, also in base 2, normalizedMutualInformation with every
// average, and I(a; a) = H(a) against the fixture's entropies) and every table measure
// (counts: true). Measured on the fixture, both builds: at most 2.2e-16 absolute; the
// largest relative errors are on the smallest values (2.2e-14 relative = 1.4e-17
// absolute on an MI of 6.3e-4; 8.3e-8 relative = 1.0e-26 absolute on the nearly
// independent table's MI of 1.25e-19, whose KL form keeps it positive and near;
// scikit-learn's entropy-difference form is off by 8.4e-16 absolute on the 6.3e-4 MI).
// Worst case over the fixture: 0.40 of the tolerance (an MI in bits of 0.179, 1 ulp off).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import * as W from "../src/mutual.js";
import * as R from "../src/reference.js";

interface LabelCase {
  name: string;
  a?: number[];
  b?: number[];
  generator?: {
    seed: number; n: number; ka: number; kb: number; offsetA: number; strideA: number; offsetB: number; strideB: number;
    sumA: number; sumB: number; first5A: number[]; first5B: number[];
  };
  n: number;
  classes: [number, number];
  expected: { mi: number; nmi: Record<"arithmetic" | "geometric" | "min" | "max", number>; entropy_a: number; entropy_b: number };
}
interface TableCase {
  name: string;
  table: number[];
  cols: number;
  expected: {
    mutualInformation: number; mutualInformation_base2: number; jointEntropy: number;
    conditionalEntropy_given_x: number; conditionalEntropy_given_y: number;
  };
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/mutual.json", import.meta.url), "utf8")) as {
  labels: LabelCase[]; tables: TableCase[];
};

const REL = 1e-15, ABS = 1e-16;
const AVERAGES = ["arithmetic", "geometric", "min", "max"] as const;

function close(got: number, want: number, what: string): void {
  expect(Number.isFinite(got), what).toBe(true);
  expect(Math.abs(got - want), `${what}: got ${got}, expected ${want}`).toBeLessThanOrEqual(REL * Math.abs(want) + ABS);
}

/** The fixture's labels: inline arrays, or its documented 32-bit LCG (checked against its checksums). */
function labelsOf(c: LabelCase): [Int32Array, Int32Array] {
  if (c.a !== undefined && c.b !== undefined) return [Int32Array.from(c.a), Int32Array.from(c.b)];
  const g = c.generator!;
  let s = g.seed >>> 0;
  const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s >>> 8; };
  const a = new Int32Array(g.n), b = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) {
    const ca = next() % g.ka;
    const cb = next() % 4 < 2 ? ca % g.kb : next() % g.kb;
    a[i] = g.offsetA + g.strideA * ca;
    b[i] = g.offsetB + g.strideB * cb;
  }
  expect(a.reduce((p, v) => p + v, 0)).toBe(g.sumA);
  expect(b.reduce((p, v) => p + v, 0)).toBe(g.sumB);
  expect(Array.from(a.subarray(0, 5))).toEqual(g.first5A);
  expect(Array.from(b.subarray(0, 5))).toEqual(g.first5B);
  return [a, b];
}

describe.each([["WebAssembly", W], ["reference", R]] as const)("mutual.json oracle (%s)", (_name, L) => {
  it(`labels: MI, MI in bits, NMI (every average), I(a; a) = H(a), within ${REL} relative + ${ABS}`, () => {
    expect(fixture.labels.length).toBeGreaterThan(0);
    for (const c of fixture.labels) {
      const [a, b] = labelsOf(c);
      expect(a.length).toBe(c.n);
      const ct = L.contingencyTable(a, b);
      expect([ct.rows, ct.cols], c.name).toEqual(c.classes);
      for (const [x, y] of [[a, b], [Array.from(a), Array.from(b)]] as const) {
        close(L.mutualInformationLabels(x, y), c.expected.mi, `${c.name} mi`);
        close(L.mutualInformationLabels(x, y, { base: 2 }), c.expected.mi / Math.LN2, `${c.name} mi bits`);
        for (const average of AVERAGES) {
          close(L.normalizedMutualInformation(x, y, { average }), c.expected.nmi[average], `${c.name} nmi ${average}`);
        }
      }
      close(L.normalizedMutualInformation(a, b), c.expected.nmi.arithmetic, `${c.name} nmi default`);
      close(L.mutualInformationLabels(a, a), c.expected.entropy_a, `${c.name} I(a; a) = H(a)`);
      close(L.mutualInformationLabels(b, b), c.expected.entropy_b, `${c.name} I(b; b) = H(b)`);
    }
  });

  it(`count tables: I (nats and bits), H(X,Y), H(Y|X), H(X|Y), within ${REL} relative + ${ABS}`, () => {
    expect(fixture.tables.length).toBeGreaterThan(0);
    for (const c of fixture.tables) {
      const e = c.expected;
      for (const t of [c.table, Float64Array.from(c.table)]) {
        for (const o of [{ counts: true }, {}] as const) {
          close(L.mutualInformation(t, c.cols, o), e.mutualInformation, `${c.name} I`);
          close(L.mutualInformation(t, c.cols, { ...o, base: 2 }), e.mutualInformation_base2, `${c.name} I bits`);
          close(L.jointEntropy(t, c.cols, o), e.jointEntropy, `${c.name} H(X,Y)`);
          close(L.conditionalEntropy(t, c.cols, o), e.conditionalEntropy_given_x, `${c.name} H(Y|X)`);
          close(L.conditionalEntropy(t, c.cols, { ...o, given: "y" }), e.conditionalEntropy_given_y, `${c.name} H(X|Y)`);
        }
      }
    }
  });
});
