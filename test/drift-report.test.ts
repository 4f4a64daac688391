// driftReport: the presets against the Python twins of Evidently's and NannyML's recipes
// (scripts/fixtures/drift_report.py -> test/fixtures/drift-report.json), a small table end to
// end (object and matrix forms, the generic pipeline against the metric functions), and errors.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { makeApi } from "../src/discrete/api.js";
import { referenceEngine } from "../src/discrete/twin.js";
import { histogramEdges } from "../src/drift/edges.js";
import { makeHistogramApi } from "../src/drift/histogram.js";
import { twinBinEngine } from "../src/drift/twin.js";
import { makeMetrics } from "../src/drift/metrics.js";
import { wasserstein1, ksTest } from "../src/drift/samples.js";
import { makeReport, type ReportMetric, type DriftReport } from "../src/drift/report.js";

const discrete = makeApi(referenceEngine);
const { histogram } = makeHistogramApi(twinBinEngine);
const metrics = makeMetrics({ discrete, histogram });
const { driftReport } = makeReport({ metrics, histogram, discrete });

type Num = number | string;
interface ColumnResult {
  values: Record<string, Num>; drifted: Record<string, boolean | null>;
  bins: { kind: string; edges?: Num[]; categories?: (string | number)[]; leftover?: boolean };
  ks?: { statistic: Num; pvalue: Num }; error?: string;
}
interface Fixture {
  evidently: { metrics: ReportMetric[]; columns: Record<string, ColumnResult> };
  nannyml: { metrics: ReportMetric[]; columns: Record<string, ColumnResult> };
  data: { reference: Record<string, Num[]>; current: Record<string, Num[]> };
}
const fx: Fixture = JSON.parse(readFileSync(new URL("./fixtures/drift-report.json", import.meta.url), "utf8"));
const num = (v: Num): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
function decode(cols: Record<string, Num[]>): Record<string, Float64Array | string[]> {
  const out: Record<string, Float64Array | string[]> = {};
  for (const [k, v] of Object.entries(cols)) {
    out[k] = typeof v[0] === "string" && !["nan", "inf", "-inf"].includes(v[0]) ? (v as string[]) : Float64Array.from(v, num);
  }
  return out;
}
const reference = decode(fx.data.reference), current = decode(fx.data.current);

/** Relative error with a floor of 1 ulp-ish scale at 0. */
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

function compare(report: DriftReport, expected: Record<string, ColumnResult>, bound: number): number {
  let worst = 0;
  for (const f of report.features) {
    const e = expected[f.name];
    expect(Object.keys(f.values).sort(), f.name).toEqual(Object.keys(e.values).sort());
    for (const [m, v] of Object.entries(e.values)) {
      const got = f.values[m as ReportMetric]!, r = rel(got, num(v));
      worst = Math.max(worst, r);
      expect(r, `${f.name} ${m}: ${got} vs ${num(v)}`).toBeLessThanOrEqual(bound);
      expect(f.flags[m as ReportMetric], `${f.name} ${m} flag`).toBe(e.drifted[m]);
    }
    if (e.ks) {
      const r = rel(f.pvalue!, num(e.ks.pvalue));
      worst = Math.max(worst, r);
      expect(r, `${f.name} ks pvalue`).toBeLessThanOrEqual(bound);
    }
    if (e.bins.kind === "edges") {
      expect(Array.from(f.bins.edges!), `${f.name} edges`).toEqual(e.bins.edges!.map(num));
    } else {
      expect(f.bins.categories!.map(String).sort(), `${f.name} categories`).toEqual(e.bins.categories!.map(String).sort());
    }
  }
  return worst;
}

describe("preset evidently (twin of src/evidently/legacy/calculations/stattests)", () => {
  it("every column: values within 1e-13 relative, the same flags and edges", () => {
    const report = driftReport(reference, current, { preset: "evidently" });
    expect(report.features.map((f) => f.name)).toEqual(Object.keys(fx.evidently.columns));
    const worst = compare(report, fx.evidently.columns, 1e-13);
    expect(worst).toBeLessThan(1e-13);
    expect(report.rule).toEqual({ distance: ">=", pvalue: "<=" });
    const named = Object.fromEntries(report.features.map((f) => [f.name, f]));
    expect(named.ints.bins.edges).toBeNull(); // <= 20 distinct reference values: by value, as Evidently
    expect(named.with_nan_inf.n.reference).toBeLessThan((reference.with_nan_inf as Float64Array).length);
  });

  it("options override the preset's fields (threshold, metrics)", () => {
    const r = driftReport(reference, current, { preset: "evidently", metrics: ["psi"], threshold: 2, columns: ["gap", "scale"] });
    expect(r.features.map((f) => [f.name, f.flags.psi])).toEqual([["gap", true], ["scale", false]]);
    expect(r.thresholds).toEqual({ psi: 2 });
  });
});

describe("preset nannyml (twin of nannyml/drift/univariate/methods.py)", () => {
  const cols = Object.keys(fx.nannyml.columns).filter((c) => !fx.nannyml.columns[c].error);

  it("every column: values within 1e-13 relative, the same flags, edges and leftover bin", () => {
    const report = driftReport(reference, current, { preset: "nannyml", columns: cols });
    const worst = compare(report, Object.fromEntries(cols.map((c) => [c, fx.nannyml.columns[c]])), 1e-13);
    expect(worst).toBeLessThan(1e-13);
    expect(report.rule).toEqual({ distance: ">", pvalue: "<" });
    expect(report.thresholds.wasserstein1).toBeNull();
  });

  it("an infinite reference value is an error (NumPy's Doane edges raise), naming the column", () => {
    expect(fx.nannyml.columns.with_nan_inf.error).toMatch(/not finite/);
    expect(() => driftReport(reference, current, { preset: "nannyml", columns: ["with_nan_inf"] }))
      .toThrow(/driftReport: column "with_nan_inf": /);
  });
});

describe("a small table end to end", () => {
  const ref = { a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], b: [1, 1, 2, 2, 2, 3, 3, 3, 3, 4], c: ["x", "y", "x", "x", "z", "y", "x", "y", "x", "x"] };
  const cur = { a: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], b: [1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4], c: ["x", "y", "y", "y", "w", "y", "x"] };

  it("each metric equals the metric functions on the same bins; flags by the default thresholds", () => {
    const all: ReportMetric[] = ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance", "totalVariation",
      "chebyshev", "wasserstein1", "ksTest"];
    const r = driftReport(ref, cur, { metrics: all, bins: 4 });
    expect(r.features.map((f) => [f.name, f.kind])).toEqual([["a", "numeric"], ["b", "numeric"], ["c", "categorical"]]);
    const a = r.features[0];
    const edges = histogramEdges(ref.a, { bins: 4 });
    expect(Array.from(a.bins.edges!)).toEqual(Array.from(edges));
    expect(Array.from(a.bins.reference)).toEqual([3, 2, 2, 3]);
    expect(a.bins.outside).toEqual({ reference: 0, current: 3 });
    const floor = { smoothing: { floor: 1e-4 } as const };
    expect(a.values.psi).toBe(metrics.psi(ref.a, cur.a, { bins: 4, ...floor }));
    expect(a.values.klDivergence).toBe(metrics.klDivergence(ref.a, cur.a, { bins: 4, ...floor }));
    expect(a.values.jensenShannonDistance).toBe(metrics.jensenShannonDistance(ref.a, cur.a, { bins: 4 }));
    expect(a.values.totalVariation).toBe(metrics.totalVariation(ref.a, cur.a, { bins: 4 }));
    expect(a.values.wasserstein1).toBe(wasserstein1(ref.a, cur.a));
    expect(a.values.ksTest).toBe(ksTest(ref.a, cur.a).statistic);
    expect(a.pvalue).toBe(ksTest(ref.a, cur.a).pvalue);
    expect(a.flags.wasserstein1).toBeNull(); // no default threshold for a scale-dependent distance
    expect(a.flags.psi).toBe(a.values.psi! > 0.1);
    expect(a.flags.ksTest).toBe(a.pvalue! < 0.05);
    const c = r.features[2];
    expect(c.bins.categories).toEqual(["w", "x", "y", "z"]);
    expect(Array.from(c.bins.reference)).toEqual([0, 6, 3, 1]);
    expect(Array.from(c.bins.current)).toEqual([1, 2, 4, 0]);
    expect(c.values.chebyshev).toBe(metrics.chebyshev([0, 6, 3, 1], [1, 2, 4, 0]));
    expect(c.values.wasserstein1).toBeUndefined();
    expect(c.values.ksTest).toBeUndefined();
    expect(r.drifted).toEqual(r.features.filter((f) => f.drifted).map((f) => f.name));
    expect(r.share).toBe(r.drifted.length / 3);
  });

  it("a row-major matrix with cols gives the object form's numbers; columns pick and order", () => {
    const rows = (t: Record<string, number[]>, n: number) => {
      const m = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) { m[2 * i] = t.a[i]; m[2 * i + 1] = t.b[i]; }
      return m;
    };
    const M = driftReport(rows(ref, 10), rows(cur, 11), { cols: 2, columns: [1, 0], bins: 4 });
    const O = driftReport({ a: ref.a, b: ref.b }, { a: cur.a, b: cur.b }, { columns: ["b", "a"], bins: 4 });
    expect(M.features.map((f) => f.name)).toEqual(["1", "0"]);
    expect(M.features.map((f) => f.values)).toEqual(O.features.map((f) => f.values));
  });

  it("edgesFrom both, a threshold per metric, NaN omitted on request", () => {
    const r = driftReport({ a: ref.a }, { a: cur.a }, { edgesFrom: "both", metrics: ["psi", "wasserstein1"], threshold: { wasserstein1: 1 } });
    expect(r.features[0].bins.outside).toEqual({ reference: 0, current: 0 });
    expect(r.features[0].flags).toEqual({ psi: r.features[0].values.psi! > 0.1, wasserstein1: true });
    const n = driftReport({ a: [...ref.a, NaN] }, { a: [NaN, ...cur.a] }, { nan: "ignore", metrics: ["ksTest"] });
    expect(n.features[0].n).toEqual({ reference: 10, current: 11 });
    expect(n.features[0].pvalue).toBe(ksTest(ref.a, cur.a).pvalue);
  });

  it("Float32Array columns and reading each plain-array element once", () => {
    let reads = 0;
    const arr = [1, 2, 3, 4, 5, 6];
    const spy = new Proxy(arr, { get(t, k, rcv) { if (typeof k === "string" && /^\d+$/.test(k)) reads++; return Reflect.get(t, k, rcv); } });
    const r = driftReport({ a: spy }, { a: new Float32Array([2, 3, 4, 5, 6, 7]) }, { metrics: ["jensenShannonDistance"], bins: 3 });
    expect(reads).toBe(6);
    expect(r.features[0].values.jensenShannonDistance).toBeGreaterThan(0);
  });
});

describe("errors", () => {
  const R = { a: [1, 2, 3, 4], s: ["x", "y", "x", "z"] }, C = { a: [2, 3, 4, 5], s: ["x", "x", "y", "y"] };
  const cases: [string, () => unknown, RegExp, ErrorConstructor][] = [
    ["unknown option", () => driftReport(R, C, { colums: ["a"] } as never), /driftReport: unknown option 'colums'/, TypeError],
    ["missing column in current", () => driftReport(R, { s: C.s }, {}), /current has no column "a"/, RangeError],
    ["missing picked column", () => driftReport(R, C, { columns: ["zz"] }), /reference has no column "zz"/, RangeError],
    ["unknown metric", () => driftReport(R, C, { metrics: ["mmd" as never] }), /unknown metric "mmd"/, RangeError],
    ["metric without a recipe", () => driftReport(R, C, { preset: "evidently", metrics: ["chebyshev"] }), /no recipe for "chebyshev"/, RangeError],
    ["bad preset", () => driftReport(R, C, { preset: "alibi" as never }), /preset must be/, RangeError],
    ["bad bins", () => driftReport(R, C, { bins: 0 }), /bins must be a positive integer/, RangeError],
    ["bad threshold", () => driftReport(R, C, { threshold: NaN }), /threshold must be a finite number/, RangeError],
    ["unknown threshold key", () => driftReport(R, C, { threshold: { pis: 1 } as never }), /driftReport: unknown key 'pis' in threshold \(it takes psi, /, TypeError],
    // a new user's trial: these said "options must be an object, got string" or nothing at all
    ["threshold a string", () => driftReport(R, C, { threshold: "0.1" as never }), /driftReport: threshold must be a number or an object of one number per metric, got "0.1"/, TypeError],
    ["threshold null", () => driftReport(R, C, { threshold: null as never }), /threshold must be a number or an object of one number per metric, got null/, TypeError],
    ["threshold an array", () => driftReport(R, C, { threshold: [0.1] as never }), /threshold must be a number or an object/, TypeError],
    ["negative threshold", () => driftReport(R, C, { threshold: -1 }), /driftReport: threshold must be a finite number >= 0, got -1/, RangeError],
    ["one threshold above 1 with ksTest", () => driftReport(R, C, { threshold: 2, metrics: ["psi", "ksTest"] }), /threshold 2 would apply to ksTest's p-value/, RangeError],
    ["ksTest's threshold above 1", () => driftReport(R, C, { threshold: { ksTest: 2 } }), /driftReport: threshold.ksTest must be a p-value in \[0, 1\], got 2/, RangeError],
    ["a negative metric threshold", () => driftReport(R, C, { threshold: { psi: -0.1 } }), /driftReport: threshold.psi must be a finite number >= 0, got -0.1/, RangeError],
    ["edgesFrom with a preset", () => driftReport(R, C, { preset: "nannyml", edgesFrom: "both" }), /fixed by the preset/, TypeError],
    ["matrix without cols", () => driftReport([1, 2, 3, 4], [1, 2], {}), /needs the cols option/, TypeError],
    ["cols not dividing", () => driftReport([1, 2, 3, 4], [1, 2, 3], { cols: 2 }), /cols \(2\) does not divide/, RangeError],
    ["matrix column out of range", () => driftReport([1, 2, 3, 4], [1, 2], { cols: 2, columns: [2] }), /integers in \[0, 2\)/, RangeError],
    ["cols with an object", () => driftReport(R, C, { cols: 2 }), /cols is for a matrix/, TypeError],
    ["object and matrix", () => driftReport(R, [1, 2], {}), /must both be objects of columns or both matrices/, TypeError],
    ["numbers vs categories", () => driftReport({ a: [1, 2] }, { a: ["x", "y"] }), /numeric in reference but categorical/, TypeError],
    ["a string among numbers", () => driftReport({ a: [1, "2" as never, 3] }, { a: [1, 2] }), /reference\.a\[1\] is not a number \(string\)/, TypeError],
    ["a number among strings", () => driftReport({ s: ["x", 2 as never] }, { s: ["x"] }), /reference\.s\[1\] is not a string/, TypeError],
    ["NaN by default", () => driftReport({ a: [1, NaN, 3] }, { a: [1, 2] }), /reference\.a\[1\] is NaN; pass nan: "ignore"/, RangeError],
    ["nothing left", () => driftReport({ a: [NaN] }, { a: [1, 2] }, { preset: "evidently" }), /column "a" of reference has no values/, RangeError],
    ["infinite in reference (evidently drops it, a plain report's edges cannot)",
      () => driftReport({ a: [1, Infinity, 3] }, { a: [1, 2] }, { metrics: ["psi"] }), /driftReport: column "a": autodetected range of \[1, Infinity\] is not finite/, RangeError],
  ];
  for (const [name, f, msg, E] of cases) {
    it(name, () => {
      expect(f).toThrow(msg);
      expect(f).toThrow(E);
    });
  }
  it("evidently drops infinities instead", () => {
    expect(driftReport({ a: [1, Infinity, 3, 4] }, { a: [1, 2, -Infinity] }, { preset: "evidently", metrics: ["psi"] })
      .features[0].n).toEqual({ reference: 3, current: 2 });
  });
});

describe("sorted columns (sample metrics) bin as the engine does", () => {
  // values on the edges, ties, signed zeros, current values outside the edges and infinite
  const u = (seed: number, n: number, scale: number, shift: number) => {
    const out = new Float64Array(n);
    let s = seed >>> 0;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = Math.round(((s / 4294967296) * scale + shift) * 8) / 8;
    }
    return out;
  };
  const R = { a: u(1, 3000, 10, 0), b: Float64Array.from(u(2, 2000, 4, -2), (x) => (x === 0 ? -0 : x)), c: u(3, 700, 1, 0) };
  const C = { a: u(4, 2500, 14, -2), b: u(5, 1800, 4, -1.5), c: Float64Array.from(u(6, 900, 1, 0.5), (x, i) => (i === 7 ? Infinity : i === 9 ? -Infinity : x)) };
  const strip = (r: DriftReport) => r.features.map((f) => ({ name: f.name, bins: f.bins, n: f.n, values: { ...f.values, ksTest: undefined, wasserstein1: undefined } }));
  for (const [label, opts] of [["plain", {}], ["plain, edges from both", { edgesFrom: "both" }], ["plain, fd", { bins: "fd" }],
    ["evidently", { preset: "evidently" }], ["nannyml", { preset: "nannyml" }]] as const) {
    it(`${label}: bins, counts and binned values equal with and without ksTest`, () => {
      const binned: ReportMetric[] = label === "evidently" ? ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance"]
        : label === "nannyml" ? ["jensenShannonDistance", "hellingerDistance"] : ["psi", "jensenShannonDistance", "totalVariation"];
      // edges from both windows cannot take c's infinite current values (NumPy's edges raise)
      const columns = label === "plain, edges from both" ? ["a", "b"] : ["a", "b", "c"];
      const a = driftReport(R, C, { ...opts, metrics: binned, columns });
      const b = driftReport(R, C, { ...opts, metrics: [...binned, "ksTest"], columns });
      expect(strip(b)).toEqual(strip(a));
      const finite = (x: Float64Array) => (label === "evidently" ? x.filter(Number.isFinite) : x);   // evidently drops them
      for (const f of b.features) {
        expect(f.values.ksTest).toBe(ksTest(finite(R[f.name as "a"]), finite(C[f.name as "a"])).statistic);
      }
    });
  }
  it("the caller's columns are not reordered; one array in several places gives each place's values", () => {
    const a0 = R.a.slice(), b0 = C.b.slice();
    const metrics: ReportMetric[] = ["psi", "ksTest", "wasserstein1"];
    const r = driftReport({ x: R.a, y: R.a, z: C.b }, { x: C.b, y: R.a, z: C.b }, { metrics });
    expect(R.a).toEqual(a0);
    expect(C.b).toEqual(b0);
    const one = (u: Float64Array, v: Float64Array) => driftReport({ q: u }, { q: v }, { metrics }).features[0];
    for (const [f, u, v] of [[r.features[0], R.a, C.b], [r.features[1], R.a, R.a], [r.features[2], C.b, C.b]] as const) {
      const g = one(u, v);
      expect([f.values, f.pvalue, f.bins]).toEqual([g.values, g.pvalue, g.bins]);
    }
    expect(r.features[1].values.ksTest).toBe(0);
    expect(r.features[1].values.wasserstein1).toBe(0);
  });
  it("an infinite current value is wasserstein1's error naming its index in the column's order", () => {
    expect(() => driftReport(R, C, { metrics: ["ksTest", "wasserstein1"], columns: ["c"] }))
      .toThrow(/driftReport: column "c": wasserstein1: v\[7\] is Infinity/);
    expect(driftReport(R, C, { metrics: ["ksTest"], columns: ["c"] }).features[0].values.ksTest)
      .toBe(ksTest(R.c, C.c).statistic);
  });
});
