// kl-wasm/pairwise (src/pairwise.ts, the WebAssembly engine) and the same functions of kl-wasm/reference
// (src/reference.ts, the pure-TS twin): pairwise, pairwiseCondensed, nearest.
//   - against test/fixtures/pairwise.json (mpmath on the exact doubles, SciPy's cdist / pdist 'jensenshannon'
//     and squareform order beside them; written by scripts/fixtures/pairwise.py);
//   - every cell against the one-pair functions of kl-wasm (klDivergence, crossEntropy, jensenShannon,
//     jensenShannonDistance with the same options; hellinger and totalVariation against an f64 loop and
//     kl-wasm/drift's hellingerDistance / totalVariation) over random shapes (m, n, cols from 1 to 1000), zeros,
//     counts, hostile rows (subnormals, up to 1e308: row sums past the double range), float32, plain arrays, mixed
//     Float32Array / Float64Array, normalize true / false / left out, base, eps;
//   - symmetry and the diagonal of X against itself, the condensed order, out and float32, nearest against a full
//     sort (ties, k = n, self excluded), every error of the plan (both builds the same), hostile inputs.
// Bounds (docs / plan of issue 14), on the raw cell in nats (distances compared squared, divided by ln base):
//   reference build, float64:           |got − exact| ≤ 1e-14 · S
//   WebAssembly build, float64:         |got − exact| ≤ 1e-14 · (S + C); ≤ 1e-14 · S where the raw cell is below
//                                       2^-10 · C (the plan's cancellation guard: such cells are computed directly)
//   float32 inputs (either build):      |got − exact| ≤ 1e-6 · (S + C)
// S = Σ (|term| + p) over the terms of the direct form (the discrete family's S; hellinger / TV: their terms + p),
// C the product / one-log forms' scale (kl, crossEntropy: Σ p|log p| + Σ p|log clip q|; JS: Σ p|log p| + Σ q|log q|;
// 0 for hellinger / TV), both on the rows as the cell sees them (normalised with normalize: true), plus
// 4 · cols · 2^-1074 for subnormal products.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import * as W from "../src/pairwise.js";
import * as R from "../src/reference.js";
import * as K from "../src/index.js";
import * as Drift from "../src/drift.js";
import { rng } from "./helpers/random.js";
import { SMALL_PAIRS, setPairsSmall } from "../src/pairwise/wasm.js";

type Metric = "klDivergence" | "crossEntropy" | "jensenShannon" | "jensenShannonDistance" | "hellinger" | "totalVariation";
const METRICS: Metric[] = ["klDivergence", "crossEntropy", "jensenShannon", "jensenShannonDistance", "hellinger", "totalVariation"];
const SYMMETRIC: Metric[] = ["jensenShannon", "jensenShannonDistance", "hellinger", "totalVariation"];
interface Opts { metric: Metric; eps?: number; base?: number; normalize?: boolean }
type Api = Pick<typeof R, "pairwise" | "pairwiseCondensed" | "nearest">;
type Arr = Float64Array | Float32Array | number[];
// "wasm-engine": the WebAssembly entry with its small-call path off (SMALL_PAIRS = 0), so that the small fixtures
// and shapes run through the WebAssembly kernels rather than the twin
type Build = "wasm" | "wasm-engine" | "reference";
const BUILDS: ReadonlyArray<readonly [Build, Api]> = [["wasm", W], ["wasm-engine", W], ["reference", R]];
const SMALL0 = SMALL_PAIRS;
function engineOnly(build: Build): void {
  beforeAll(() => { if (build === "wasm-engine") setPairsSmall(0); });
  afterAll(() => { setPairsSmall(SMALL0); });
}
const logs = (m: Metric) => m !== "hellinger" && m !== "totalVariation";
const clips = (m: Metric) => m === "klDivergence" || m === "crossEntropy";

// ------------------------------------------------------------------ bounds
const row = (x: ArrayLike<number>, r: number, cols: number): number[] => Array.from({ length: cols }, (_, i) => Number(x[r * cols + i]));

/** The row as the cell sees it: divided by its sum with normalize: true (sums past the double range scaled by 2^-128). */
function normalised(p: number[], normalize: boolean | undefined): number[] {
  if (normalize !== true) return p;
  let s = p.reduce((a, b) => a + b, 0), k = 1;
  if (s === Infinity) { k = 2 ** -128; s = p.reduce((a, b) => a + b * k, 0); }
  return p.map((v) => (v * k) / s);
}

/** S and C of one cell, in nats. */
function scales(metric: Metric, p0: number[], q0: number[], o: Opts): { S: number; C: number } {
  const p = normalised(p0, o.normalize), q = normalised(q0, o.normalize), eps = o.eps ?? 1e-15;
  let S = 0, C = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i], y = q[i];
    switch (metric) {
      case "klDivergence": case "crossEntropy": {
        if (!(x > 0)) break;
        const c = Math.min(Math.max(y, eps), 1);
        const t = metric === "klDivergence" ? x * (Math.log(x) - Math.log(c)) : -x * Math.log(c);
        S += Math.abs(t) + x;
        C += Math.abs(x * Math.log(x)) + (c > 0 ? Math.abs(x * Math.log(c)) : 0);
        break;
      }
      case "jensenShannon": case "jensenShannonDistance": {
        const m = x / 2 + y / 2;
        if (x > 0) { S += (Math.abs(x * Math.log(x / m)) + x) / 2; C += Math.abs(x * Math.log(x)); }
        if (y > 0) { S += (Math.abs(y * Math.log(y / m)) + y) / 2; C += Math.abs(y * Math.log(y)); }
        break;
      }
      case "hellinger": { const d = Math.sqrt(x) - Math.sqrt(y); S += (d * d) / 2 + x; break; }
      default: S += Math.abs(x - y) / 2 + x;
    }
  }
  return { S, C };
}

/** A cell back in the raw unit the bound is stated in (nats; squared for the distances). */
function raw(metric: Metric, v: number, logBase: number): number {
  if (metric === "jensenShannonDistance") return v * v * logBase;
  if (metric === "hellinger") return v * v;
  return logs(metric) ? v * logBase : v;
}

const worst: Record<string, number> = {};
function note(key: string, rel: number) { if (rel === rel) worst[key] = Math.max(worst[key] ?? 0, rel); }
afterAll(() => {
  const show = Object.entries(worst).sort().map(([k, v]) => `${k} ${v.toExponential(2)}`).join("; ");
  console.log(`pairwise: worst |error| / bound scale: ${show}`);
});

/**
 * Checks got against want (both in the metric's unit) for the cell of rows p, q: within the build's bound. `key`
 * names the worst-error record. Returns nothing; throws with `where` on failure.
 */
function checkCell(build: Build, metric: Metric, got: number, want: number, p: number[], q: number[], o: Opts,
                   f32: boolean, where: () => string, key: string, extra = 0): void {
  if (!Number.isFinite(want) || !Number.isFinite(got)) {
    if (!Object.is(got, want)) throw new Error(`${where()}: got ${got}, want ${want}`);
    return;
  }
  const lb = o.base === undefined || !logs(metric) ? 1 : Math.log(o.base);
  const { S, C } = scales(metric, p, q, o);
  // the WebAssembly build's cells below 2^-10 C are recomputed directly (the plan's cancellation guard): 1e-14 S there
  const refined = !f32 && build !== "reference" && raw(metric, want, lb) < 2 ** -10 * C;
  const scale = f32 ? S + C : build !== "reference" && !refined ? S + C : S;
  const slack = 4 * p.length * Number.MIN_VALUE, tol = (f32 ? 1e-6 : 1e-14) * scale + slack;
  const err0 = Math.abs(raw(metric, got, lb) - raw(metric, want, lb));
  const err = Math.max(0, err0 - slack); // (the subnormal slack left out of the recorded errors)
  if (!(err0 - extra <= tol) && !Object.is(got, want)) {
    throw new Error(`${where()}: got ${got}, want ${want}, error ${err0} > ${tol} + ${extra} (S ${S}, C ${C})`);
  }
  if (!f32 && build !== "reference" && S > 0 && Number.isFinite(S) && extra === 0) note(`${build} f64 err/S${refined ? " (refined cells)" : " (other cells)"}`, err / S);
  if (scale > 0 && Number.isFinite(scale)) note(`${build} ${f32 ? "f32" : "f64"} err/${scale === S ? "S" : "(S+C)"}${extra > 0 ? " vs SciPy" : ""}`, err / scale);
  if (key === "fixture" && scale > 0 && Number.isFinite(scale)) note(`${build} ${f32 ? "f32" : "f64"} vs mpmath err/${scale === S ? "S" : "(S+C)"}`, err / scale);
}

// ------------------------------------------------------------------ fixtures
type Num = number | "Infinity" | "-Infinity" | "NaN";
const num = (v: Num) => (typeof v === "number" ? v : Number(v));
interface Case {
  name: string; metric: Metric; X: number[]; Y: number[] | null; cols: number; options: Omit<Opts, "metric">;
  f32: boolean; expected: Num[]; condensed?: Num[]; scipy?: Num[]; scipy_condensed?: Num[];
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/pairwise.json", import.meta.url), "utf8")) as { cases: Case[] };

describe.each(BUILDS)("%s against mpmath and SciPy (pairwise.json)", (build, api) => {
  engineOnly(build);
  it(`${fixture.cases.length} cases, number[], Float64Array and (float32 cases) Float32Array, every cell within the bound`, () => {
    let cells = 0;
    for (const c of fixture.cases) {
      const kinds: Array<[string, (v: number[]) => Arr, boolean]> = [
        ["number[]", (v) => v.slice(), false], ["Float64Array", (v) => Float64Array.from(v), false],
      ];
      if (c.f32) kinds.push(["Float32Array", (v) => Float32Array.from(v), true]);
      const m = c.X.length / c.cols, Yr = c.Y ?? c.X, n = Yr.length / c.cols;
      for (const [kind, make, f32] of kinds) {
        // float32 values sum to 1 within float32's tolerance only: as float64 they are computed as given
        const opts: Opts = { metric: c.metric, ...c.options };
        if (c.f32 && !f32 && opts.normalize === undefined) opts.normalize = false;
        const got = api.pairwise(make(c.X), c.Y === null ? null : make(c.Y), c.cols, opts);
        expect(got).toBeInstanceOf(Float64Array);
        expect(got.length).toBe(m * n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            const p = row(c.X, i, c.cols), q = row(Yr, j, c.cols), g = got[i * n + j];
            const where = () => `${c.name} ${c.metric} ${kind} cell (${i}, ${j})`;
            checkCell(build, c.metric, g, num(c.expected[i * n + j]), p, q, opts, f32, where, "fixture");
            // SciPy: its own rounding besides ours (1e-14 S more)
            if (c.scipy) checkCell(build, c.metric, g, num(c.scipy[i * n + j]), p, q, opts, f32, () => `${where()} vs SciPy`, "scipy",
              1e-14 * scales(c.metric, p, q, opts).S);
            cells++;
          }
        }
        if (c.Y === null && c.condensed) {
          const cond = api.pairwiseCondensed(make(c.X), c.cols, opts);
          expect(cond.length).toBe((m * (m - 1)) / 2);
          let k = 0;
          for (let i = 0; i < m; i++) {
            for (let j = i + 1; j < m; j++, k++) {
              const p = row(c.X, i, c.cols), q = row(c.X, j, c.cols);
              const where = () => `${c.name} ${c.metric} ${kind} condensed ${k} = (${i}, ${j})`;
              checkCell(build, c.metric, cond[k], num(c.condensed[k]), p, q, opts, f32, where, "fixture");
              if (c.scipy_condensed) checkCell(build, c.metric, cond[k], num(c.scipy_condensed[k]), p, q, opts, f32,
                () => `${where()} vs SciPy pdist`, "scipy", 1e-14 * scales(c.metric, p, q, opts).S);
              // squareform: the full matrix holds the condensed vector at (i, j) and (j, i)
              expect(Object.is(got[i * m + j], got[j * m + i]), where()).toBe(true);
            }
          }
        }
      }
    }
    expect(cells).toBeGreaterThan(3000);
  });
});

describe("the fixtures are what they say", () => {
  it("SciPy's pdist order is squareform's upper triangle and agrees with the exact values (an oracle not ours alone)", () => {
    let n = 0;
    for (const c of fixture.cases) {
      if (!c.scipy_condensed || !c.condensed) continue;
      const m = c.X.length / c.cols;
      let k = 0;
      for (let i = 0; i < m; i++) {
        for (let j = i + 1; j < m; j++, k++) {
          const e = num(c.condensed[k]), s = num(c.scipy_condensed[k]), full = num(c.scipy![i * m + j]);
          expect(Math.abs(s - e), `${c.name} ${c.metric} ${k}`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(e)));
          expect(Math.abs(full - s)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(s)));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(100);
    // eps 0 with q = 0 < p gives +Infinity, the default eps a finite value
    const inf = fixture.cases.filter((c) => c.metric === "klDivergence" && c.options.eps === 0 && c.expected.includes("Infinity"));
    expect(inf.length).toBeGreaterThan(1);
  });
});

// ------------------------------------------------------------------ random shapes against the one-pair functions
type Family = "prob" | "sparse" | "counts" | "hostile";
type Container = "f64" | "f32" | "array" | "mixed" | "f64sub";

function values(r: () => number, rows: number, cols: number, family: Family): number[] {
  const x: number[] = [];
  for (let k = 0; k < rows; k++) {
    const v: number[] = Array.from({ length: cols }, (): number => {
      if (family === "counts") return Math.floor(r() * 10);
      if (family === "hostile") {
        // subnormals, huge values (row sums past the double range), values > 1, zeros
        const u = r();
        return u < 0.2 ? 0 : u < 0.35 ? 5e-324 * Math.floor(1 + r() * 100) : u < 0.45 ? 1e-310 * r() : u < 0.55 ? 1e308 * r()
          : u < 0.7 ? 1 + r() * 1e5 : r();
      }
      return -Math.log(r() + 1e-300);
    });
    if (family === "sparse") for (let i = 0; i < cols; i++) if (r() < 0.3) v[i] = 0;
    if (!v.some((t) => t !== 0)) v[Math.floor(r() * cols)] = 1;
    if (family !== "counts" && family !== "hostile") { const s = v.reduce((a, b) => a + b, 0); for (let i = 0; i < cols; i++) v[i] /= s; }
    x.push(...v);
  }
  return x;
}

function container(kind: Container, v: number[], isX: boolean): Arr {
  switch (kind) {
    case "f64": return Float64Array.from(v);
    case "f32": return Float32Array.from(v);
    case "array": return v.slice();
    case "mixed": return isX ? Float32Array.from(v) : Float64Array.from(v);
    case "f64sub": { const b = new Float64Array(v.length + 3); b.set(v, 2); return b.subarray(2, 2 + v.length); }
  }
}

/** The one-pair value of kl-wasm (or the f64 loop and kl-wasm/drift for hellinger and TV). */
function onePair(metric: Metric, p: Float64Array | Float32Array, q: Float64Array | Float32Array, o: Opts): number {
  const { metric: _, ...rest } = o;
  switch (metric) {
    case "klDivergence": return K.klDivergence(p, q, rest);
    case "crossEntropy": return K.crossEntropy(p, q, rest);
    case "jensenShannon": return K.jensenShannon(p, q, rest);
    case "jensenShannonDistance": return K.jensenShannonDistance(p, q, rest);
    default: {
      const a = normalised(Array.from(p), o.normalize), b = normalised(Array.from(q), o.normalize);
      let s = 0;
      for (let i = 0; i < a.length; i++) {
        if (metric === "hellinger") { const d = Math.sqrt(a[i]) - Math.sqrt(b[i]); s += d * d; } else s += Math.abs(a[i] - b[i]);
      }
      return metric === "hellinger" ? Math.sqrt(s / 2) : s / 2;
    }
  }
}

const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [1, 5, 3], [3, 1, 7], [2, 3, 1], [33, 65, 5], [70, 130, 2], [5, 7, 1000], [2, 3, 999], [40, 40, 257],
  [17, 9, 513], [1, 1, 1000], [65, 33, 31], [13, 31, 100], [9, 1, 64], [31, 33, 17],
];

describe.each(BUILDS)("%s: every cell against the one-pair functions of kl-wasm, random shapes", (build, api) => {
  engineOnly(build);
  it.each(METRICS)("%s", (metric) => {
    const r = rng(METRICS.indexOf(metric) * 7919 + 11);
    let checked = 0;
    for (const [m, n0, cols] of SHAPES) {
      for (let rep = 0; rep < 2; rep++) {
        const family: Family = (["prob", "sparse", "counts", "hostile"] as const)[Math.floor(r() * 4)];
        const kind: Container = family === "hostile" ? (["f64", "array", "f64sub"] as const)[Math.floor(r() * 3)]
          : (["f64", "f32", "array", "mixed", "f64sub"] as const)[Math.floor(r() * 5)];
        const self = r() < 0.3;
        const normalize = family === "counts" || family === "hostile" ? r() < 0.6 : ([undefined, true, false] as const)[Math.floor(r() * 3)];
        const o: Opts = { metric };
        if (normalize !== undefined) o.normalize = normalize;
        if (logs(metric) && r() < 0.4) o.base = r() < 0.5 ? 2 : 10;
        if (clips(metric) && r() < 0.6) o.eps = [0, 1e-3, 1e-300, 1e-15][Math.floor(r() * 4)];
        // a sometimes-missing key: left out vs undefined
        const n = self ? m : n0;
        const Xv = values(r, m, cols, family), Yv = self ? Xv : values(r, n, cols, family);
        if (family === "sparse" && n > 1 && !self) Yv.splice(0, cols, ...Xv.slice(0, cols)); // a row of X in Y
        const X = container(kind, Xv, true), Y = self ? null : container(kind, Yv, false);
        const got = api.pairwise(X, Y, cols, o);
        const XA = X instanceof Float32Array ? X : Float64Array.from(X as ArrayLike<number>);
        const YA = Y === null ? XA : Y instanceof Float32Array ? Y : Float64Array.from(Y as ArrayLike<number>);
        const f32 = (XA instanceof Float32Array && YA instanceof Float32Array) || ((XA instanceof Float32Array || YA instanceof Float32Array) && o.normalize === true);
        for (let i = 0; i < m; i++) {
          const P = XA.subarray(i * cols, (i + 1) * cols), p = Array.from(P);
          for (let j = 0; j < n; j++) {
            const Q = YA.subarray(j * cols, (j + 1) * cols), q = Array.from(Q);
            // the one-pair function on the same vectors: the same type mix where the pair allows it
            const want = onePair(metric, P, Q, o);
            const where = () => `${metric} ${JSON.stringify(o)} ${family} ${kind}${self ? " self" : ""} ${m}x${n}x${cols} cell (${i}, ${j})`;
            checkCell(build, metric, got[i * n + j], want, p, q, o, f32, where, "one-pair");
            if ((metric === "hellinger" || metric === "totalVariation") && o.normalize === true && (i + j) % 7 === 0) {
              const d = metric === "hellinger" ? Drift.hellingerDistance(P, Q) : Drift.totalVariation(P, Q);
              checkCell(build, metric, got[i * n + j], d, p, q, o, f32, () => `${where()} vs kl-wasm/drift`, "drift");
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});

// ------------------------------------------------------------------ structure: symmetry, condensed, out, float32
function probRows(seed: number, rows: number, cols: number, zeros = 0.3): Float64Array {
  return Float64Array.from(values(rng(seed), rows, cols, zeros > 0 ? "sparse" : "prob"));
}

describe.each(BUILDS)("%s: symmetry, diagonal, condensed order, out, float32", (build, api) => {
  engineOnly(build);
  const m = 37, cols = 23;
  const X = probRows(5, m, cols);
  X.copyWithin(9 * cols, 2 * cols, 3 * cols); // row 9 = row 2

  it.each(SYMMETRIC)("%s: pairwise(X, null) symmetric exactly, diagonal exactly 0, the same cells as pairwise(X, copy of X)", (metric) => {
    for (const o of [{ metric }, { metric, normalize: true }, ...(logs(metric) ? [{ metric, base: 2 }] : [])] as Opts[]) {
      const full = api.pairwise(X, null, cols, o), other = api.pairwise(X, X.slice(), cols, o);
      for (let i = 0; i < m; i++) {
        expect(full[i * m + i]).toBe(0);
        for (let j = 0; j < m; j++) {
          expect(Object.is(full[i * m + j], full[j * m + i]), `(${i}, ${j})`).toBe(true);
          checkCell(build, metric, full[i * m + j], other[i * m + j], row(X, i, cols), row(X, j, cols), o, false, () => `${metric} (${i}, ${j})`, "self vs copy");
        }
      }
      // identical rows: 0 (the duplicated row)
      expect(full[2 * m + 9]).toBe(0);
      // condensed: pdist order, the full matrix's upper triangle
      const cond = api.pairwiseCondensed(X, cols, o);
      expect(cond).toBeInstanceOf(Float64Array);
      expect(cond.length).toBe((m * (m - 1)) / 2);
      let k = 0;
      for (let i = 0; i < m; i++) {
        for (let j = i + 1; j < m; j++, k++) {
          expect(k).toBe(m * i - (i * (i + 1)) / 2 + j - i - 1);
          if (build === "reference") expect(Object.is(cond[k], full[i * m + j]), `${k}`).toBe(true);
          else checkCell(build, metric, cond[k], full[i * m + j], row(X, i, cols), row(X, j, cols), o, false, () => `condensed ${k}`, "condensed vs full");
        }
      }
    }
  });

  it("klDivergence / crossEntropy of X against itself: every cell the one-pair value, the diagonal klDivergence(p, p)", () => {
    const Xt = X.slice();
    Xt[3] = 1e-17; // below the default eps: the diagonal is then not 0
    for (const metric of ["klDivergence", "crossEntropy"] as const) {
      for (const o of [{ metric }, { metric, eps: 0 }, { metric, normalize: false }] as Opts[]) {
        const full = api.pairwise(Xt, null, cols, { ...o, normalize: false });
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < m; j++) {
            const P = Xt.subarray(i * cols, (i + 1) * cols), Q = Xt.subarray(j * cols, (j + 1) * cols);
            const { metric: _, ...rest } = o;
            const want = K[metric](P, Q, { ...rest, normalize: false });
            checkCell(build, metric, full[i * m + j], want, Array.from(P), Array.from(Q), o, false, () => `${metric} self (${i}, ${j})`, "one-pair");
          }
        }
        if (metric === "klDivergence") {
          for (let i = 1; i < m; i++) expect(Math.abs(full[i * m + i]), `diagonal ${i}`).toBeLessThanOrEqual(1e-14 * 2);
        }
      }
    }
  });

  it("out: a Float64Array or Float32Array of the right length is filled and returned; float32: true; wrong out throws", () => {
    const Y = probRows(6, 5, cols);
    for (const metric of METRICS) {
      const o = { metric } as Opts;
      const base = api.pairwise(X, Y, cols, o) as Float64Array;
      const out64 = new Float64Array(m * 5).fill(7);
      expect(api.pairwise(X, Y, cols, { ...o, out: out64 })).toBe(out64);
      expect(Array.from(out64)).toEqual(Array.from(base));
      const out32 = new Float32Array(m * 5).fill(7);
      expect(api.pairwise(X, Y, cols, { ...o, out: out32 })).toBe(out32);
      expect(Array.from(out32)).toEqual(Array.from(base, Math.fround));
      const f = api.pairwise(X, Y, cols, { ...o, float32: true });
      expect(f).toBeInstanceOf(Float32Array);
      expect(Array.from(f)).toEqual(Array.from(base, Math.fround));
      expect(api.pairwise(X, Y, cols, { ...o, float32: false })).toBeInstanceOf(Float64Array);
      if (SYMMETRIC.includes(metric)) {
        const c64 = api.pairwiseCondensed(X, cols, o);
        const oc = new Float32Array((m * (m - 1)) / 2);
        expect(api.pairwiseCondensed(X, cols, { ...o, out: oc })).toBe(oc);
        expect(Array.from(oc)).toEqual(Array.from(c64, Math.fround));
        expect(api.pairwiseCondensed(X, cols, { ...o, float32: true })).toBeInstanceOf(Float32Array);
        expect(() => api.pairwiseCondensed(X, cols, { ...o, out: new Float64Array(m * m) }))
          .toThrow(new RangeError(`pairwiseCondensed: out must have length ${(m * (m - 1)) / 2}, got ${m * m}`));
      }
    }
    // float32 inputs: a Float64Array unless asked; within 1e-6 of the float64 matrix of the same values
    const X32 = Float32Array.from(X), Y32 = Float32Array.from(Y);
    const r32 = api.pairwise(X32, Y32, cols, { metric: "jensenShannonDistance" });
    expect(r32).toBeInstanceOf(Float64Array);
    const r64 = api.pairwise(Float64Array.from(X32), Float64Array.from(Y32), cols, { metric: "jensenShannonDistance", normalize: false });
    for (let i = 0; i < r32.length; i++) {
      const p = row(X32, Math.floor(i / 5), cols), q = row(Y32, i % 5, cols);
      checkCell(build, "jensenShannonDistance", r32[i], r64[i], p, q, { metric: "jensenShannonDistance" }, true, () => `f32 ${i}`, "f32 vs f64");
    }
    // m < 2: an empty condensed vector
    expect(api.pairwiseCondensed(X.subarray(0, cols), cols, { metric: "hellinger" }).length).toBe(0);
  });
});

// ------------------------------------------------------------------ nearest
function fullSort(M: ArrayLike<number>, m: number, n: number, k: number, self: boolean): { indices: number[]; values: number[] } {
  const indices: number[] = [], vals: number[] = [];
  for (let i = 0; i < m; i++) {
    const js = Array.from({ length: n }, (_, j) => j).filter((j) => !(self && j === i));
    js.sort((a, b) => M[i * n + a] - M[i * n + b] || a - b);
    for (const j of js.slice(0, k)) { indices.push(j); vals.push(M[i * n + j]); }
  }
  return { indices, values: vals };
}

describe.each(BUILDS)("%s: nearest against a full sort of the matrix", (build, api) => {
  engineOnly(build);
  const cols = 19;
  // rows with exact duplicates: ties broken by the lower index
  const X = probRows(21, 25, cols), Y = probRows(22, 41, cols);
  for (const [a, b] of [[5, 6], [0, 40]]) Y.copyWithin(b * cols, a * cols, (a + 1) * cols); // Y 6 = Y 5, Y 40 = Y 0
  X.copyWithin(4 * cols, 3 * cols, 4 * cols);
  X.copyWithin(20 * cols, 3 * cols, 4 * cols); // X rows 3, 4, 20 equal, and equal to Y rows 3, 17, 30
  for (const b of [3, 17, 30]) Y.set(X.subarray(3 * cols, 4 * cols), b * cols);
  const n = 41, m = 25;

  it.each(METRICS)("%s: k = 1, 3, n (every row); Y = null excludes self; duplicate rows by lower index", (metric) => {
    const o: Opts = { metric };
    for (const k of [1, 3, 7, n]) {
      const M = api.pairwise(X, Y.slice(), cols, o);
      const want = fullSort(M, m, n, k, false);
      const got = api.nearest(X, Y, cols, { ...o, k });
      expect(got.indices).toBeInstanceOf(Int32Array);
      expect(got.values).toBeInstanceOf(Float64Array);
      expect(Array.from(got.indices), `k ${k}`).toEqual(want.indices);
      expect(Array.from(got.values)).toEqual(want.values);
    }
    // the tie: rows 3, 17, 30 of Y equal row 3 of X: nearest first (value 0 for the symmetric metrics), in index order
    if (SYMMETRIC.includes(metric)) {
      const t = api.nearest(X, Y, cols, { ...o, k: 3 });
      expect(Array.from(t.indices.subarray(3 * 3, 4 * 3))).toEqual([3, 17, 30]);
      expect(Array.from(t.values.subarray(3 * 3, 4 * 3))).toEqual([0, 0, 0]);
    }
    for (const k of [1, 2, m - 1]) {
      const M = api.pairwise(X, X.slice(), cols, o); // every cell computed (not mirrored), as nearest does
      const want = fullSort(M, m, m, k, true);
      const got = api.nearest(X, null, cols, { ...o, k });
      expect(Array.from(got.indices), `self k ${k}`).toEqual(want.indices);
      expect(Array.from(got.values)).toEqual(want.values);
      for (let i = 0; i < m; i++) for (let r = 0; r < k; r++) expect(got.indices[i * k + r]).not.toBe(i);
    }
    // k left out: 1
    expect(api.nearest(X, Y, cols, o).indices.length).toBe(m);
    if (SYMMETRIC.includes(metric)) {
      // X rows 3, 4, 20 are equal: each one's nearest is the other of the lowest index, at 0
      const s = api.nearest(X, undefined, cols, { ...o, k: 2 });
      expect(Array.from(s.indices.subarray(3 * 2, 3 * 2 + 2))).toEqual([4, 20]);
      expect(Array.from(s.indices.subarray(4 * 2, 4 * 2 + 2))).toEqual([3, 20]);
      expect(Array.from(s.indices.subarray(20 * 2, 20 * 2 + 2))).toEqual([3, 4]);
    }
  });

  it("float32 inputs (the float32 kernels): nearest is the full sort of the same build's matrix", () => {
    const X32 = Float32Array.from(X), Y32 = Float32Array.from(Y);
    for (const metric of METRICS) {
      const M = api.pairwise(X32, Float32Array.from(Y32), cols, { metric, normalize: true });
      const got = api.nearest(X32, Y32, cols, { metric, normalize: true, k: 4 });
      const want = fullSort(M, m, n, 4, false);
      expect(Array.from(got.indices), metric).toEqual(want.indices);
      expect(Array.from(got.values)).toEqual(want.values);
    }
  });

  it("a tile-sized Y (n = 200) and a one-row Y", () => {
    const Yb = probRows(23, 200, cols);
    Yb.copyWithin(150 * cols, 70 * cols, 71 * cols);
    for (const metric of ["jensenShannon", "klDivergence", "hellinger"] as const) {
      const M = api.pairwise(X, Yb.slice(), cols, { metric });
      const got = api.nearest(X, Yb, cols, { metric, k: 10 });
      const want = fullSort(M, m, 200, 10, false);
      expect(Array.from(got.indices)).toEqual(want.indices);
      expect(Array.from(got.values)).toEqual(want.values);
    }
    const one = api.nearest(X, Y.subarray(0, cols), cols, { metric: "totalVariation" });
    expect(Array.from(one.indices)).toEqual(new Array(m).fill(0));
  });
});

// ------------------------------------------------------------------ errors
const same = (fn: (api: Api) => unknown): { cls: string; msg: string } => {
  const out: Array<{ cls: string; msg: string }> = [];
  for (const [build, api] of BUILDS) {
    if (build === "wasm-engine") setPairsSmall(0);
    try { fn(api); out.push({ cls: "none", msg: "" }); } catch (e) { out.push({ cls: (e as Error).constructor.name, msg: (e as Error).message }); }
    finally { setPairsSmall(SMALL0); }
  }
  expect(out[1]).toEqual(out[0]);
  expect(out[2]).toEqual(out[0]);
  return out[0];
};

describe("errors: exact messages, identical in both builds", () => {
  const P4x20 = () => { const x = probRows(31, 4, 20, 0); return x; };
  const metricList = `"klDivergence", "crossEntropy", "jensenShannon", "jensenShannonDistance", "hellinger", "totalVariation"`;
  const H = { metric: "hellinger" } as Opts;
  const cases: Array<[string, (api: Api) => unknown, string]> = [
    ["X a string", (a) => a.pairwise("abc" as never, null, 1, H), "TypeError: pairwise: X must be a Float64Array, Float32Array or number[], got string"],
    ["Y an object", (a) => a.pairwise([1], {} as never, 1, H), "TypeError: pairwise: Y must be a Float64Array, Float32Array or number[], got Object"],
    ["X a DataView", (a) => a.pairwise(new DataView(new ArrayBuffer(8)) as never, null, 1, H), "TypeError: pairwise: X must be a Float64Array, Float32Array or number[], got DataView"],
    ["X empty", (a) => a.pairwise([], null, 1, H), "RangeError: pairwise: X is empty"],
    ["cols does not divide Y", (a) => a.pairwise(new Float64Array(10).fill(0.2), new Float64Array(12), 5, H), "RangeError: pairwise: cols (5) does not divide the length of Y (12)"],
    ["cols does not divide X", (a) => a.pairwise(new Float64Array(7), null, 2, H), "RangeError: pairwise: cols (2) does not divide the length of X (7)"],
    ["cols 0", (a) => a.pairwise([1], null, 0, H), "RangeError: pairwise: cols must be a positive integer, got 0"],
    ["cols 2.5", (a) => a.pairwise([1], null, 2.5, H), "RangeError: pairwise: cols must be a positive integer, got 2.5"],
    ["cols '3'", (a) => a.pairwise([1], null, "3" as never, H), "RangeError: pairwise: cols must be a positive integer, got \"3\""],
    ["negative X[3, 17]", (a) => { const x = P4x20(); x[3 * 20 + 17] = -0.5; return a.pairwise(x, null, 20, H); }, "RangeError: pairwise: X[3, 17] is negative (-0.5); values must be finite and >= 0"],
    ["NaN Y[1, 0]", (a) => { const y = P4x20(); y[20] = NaN; return a.pairwise(P4x20(), y, 20, H); }, "RangeError: pairwise: Y[1, 0] is NaN (NaN); values must be finite and >= 0"],
    ["Infinity Y[2, 19] f32", (a) => { const y = Float32Array.from(P4x20()); y[59] = Infinity; return a.pairwise(P4x20(), y, 20, H); }, "RangeError: pairwise: Y[2, 19] is infinite (Infinity); values must be finite and >= 0"],
    ["bad X before bad Y", (a) => { const x = P4x20(), y = P4x20(); x[3 * 20 + 17] = -0.5; y[0] = NaN; return a.pairwise(x, y, 20, H); }, "RangeError: pairwise: X[3, 17] is negative (-0.5); values must be finite and >= 0"],
    ["string Y[0, 2]", (a) => a.pairwise([0.5, 0.5, 0, 0], [0.25, 0.25, "x", 0.5] as never, 4, H), "TypeError: pairwise: Y[0, 2] is not a number (string)"],
    ["null X[1, 0]", (a) => a.pairwise([1, 0, null, 1] as never, null, 2, H), "TypeError: pairwise: X[1, 0] is not a number (null)"],
    // eslint-disable-next-line no-sparse-arrays
    ["hole X[0, 1]", (a) => a.pairwise([1, , 0, 1] as never, null, 2, H), "TypeError: pairwise: X[0, 1] is not a number (undefined)"],
    ["NaN before a string", (a) => a.pairwise([1, NaN, "x", 1] as never, null, 2, H), "RangeError: pairwise: X[0, 1] is NaN (NaN); values must be finite and >= 0"],
    ["row 3 of X sums to 100", (a) => { const x = P4x20(); for (let i = 60; i < 80; i++) x[i] = 5; return a.pairwise(x, null, 20, H); }, "RangeError: pairwise: row 3 of X sums to 100, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given"],
    ["one-row X sums to 2", (a) => a.pairwise([1, 1], [0.5, 0.5], 2, H), "RangeError: pairwise: X sums to 2, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given"],
    ["row 1 of Y sums to 0.5 f32", (a) => a.pairwise([0.5, 0.5], Float32Array.from([0.5, 0.5, 0.25, 0.25]), 2, { metric: "jensenShannon" }), "RangeError: pairwise: row 1 of Y sums to 0.5, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given"],
    ["values before sums: X sum bad, Y value bad", (a) => a.pairwise([2, 2], [NaN, 1], 2, H), "RangeError: pairwise: X sums to 4, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given"],
    ["cannot normalize row 2 of Y", (a) => a.pairwise([1, 2], [1, 1, 3, 0, 0, 0], 2, { metric: "klDivergence", normalize: true }), "RangeError: pairwise: cannot normalize: row 2 of Y sums to 0"],
    ["cannot normalize X", (a) => a.pairwise([0, 0], [1, 1], 2, { metric: "totalVariation", normalize: true }), "RangeError: pairwise: cannot normalize: X sums to 0"],
    ["metric foo", (a) => a.pairwise([1], null, 1, { metric: "foo" } as never), `TypeError: pairwise: metric must be one of ${metricList}, got "foo"`],
    ["metric missing", (a) => a.pairwise([1], null, 1, {} as never), `TypeError: pairwise: metric must be one of ${metricList}, got undefined`],
    ["options missing", (a) => a.pairwise([1], null, 1, undefined as never), "TypeError: pairwise: options with a metric are required"],
    ["options a string", (a) => a.pairwise([1], null, 1, "hellinger" as never), "TypeError: pairwise: options must be an object, got string"],
    ["eps on JS", (a) => a.pairwise([1], null, 1, { metric: "jensenShannon", eps: 0 }), "TypeError: pairwise: unknown option 'eps'"],
    ["eps on hellinger", (a) => a.pairwise([1], null, 1, { metric: "hellinger", eps: 0 }), "TypeError: pairwise: unknown option 'eps'"],
    ["base on hellinger", (a) => a.pairwise([1], null, 1, { metric: "hellinger", base: 2 }), "TypeError: pairwise: unknown option 'base'"],
    ["base on totalVariation", (a) => a.pairwise([1], null, 1, { metric: "totalVariation", base: 2 }), "TypeError: pairwise: unknown option 'base'"],
    ["k on pairwise", (a) => a.pairwise([1], null, 1, { metric: "hellinger", k: 1 } as never), "TypeError: pairwise: unknown option 'k'"],
    ["out on nearest", (a) => a.nearest([1], [1], 1, { metric: "hellinger", out: new Float64Array(1) } as never), "TypeError: nearest: unknown option 'out'"],
    ["eps 1", (a) => a.pairwise([1], null, 1, { metric: "klDivergence", eps: 1 }), "RangeError: pairwise: eps must be a number in [0, 1), got 1"],
    ["eps -1e-3", (a) => a.pairwise([1], null, 1, { metric: "crossEntropy", eps: -1e-3 }), "RangeError: pairwise: eps must be a number in [0, 1), got -0.001"],
    ["base 1", (a) => a.pairwise([1], null, 1, { metric: "jensenShannon", base: 1 }), "RangeError: pairwise: base must be a finite number > 0 and != 1, got 1"],
    ["normalize 'yes'", (a) => a.pairwise([1], null, 1, { metric: "jensenShannon", normalize: "yes" as never }), "TypeError: pairwise: normalize must be true or false, got \"yes\""],
    ["float32 1", (a) => a.pairwise([1], null, 1, { metric: "jensenShannon", float32: 1 as never }), "TypeError: pairwise: float32 must be true or false, got 1"],
    ["condensed kl", (a) => a.pairwiseCondensed([1, 1], 1, { metric: "klDivergence" }), "RangeError: pairwiseCondensed: klDivergence is not symmetric; use pairwise(X, null, cols, …)"],
    ["condensed crossEntropy", (a) => a.pairwiseCondensed([1, 1], 1, { metric: "crossEntropy" }), "RangeError: pairwiseCondensed: crossEntropy is not symmetric; use pairwise(X, null, cols, …)"],
    ["condensed bad value first", (a) => a.pairwiseCondensed([1, -1], 1, { metric: "klDivergence" }), "RangeError: pairwiseCondensed: X[1, 0] is negative (-1); values must be finite and >= 0"],
    ["nearest k 9 of 7", (a) => a.nearest([1], new Float64Array(7).fill(1), 1, { metric: "hellinger", k: 9 }), "RangeError: nearest: k must be an integer in [1, 7], got 9"],
    ["nearest k 0", (a) => a.nearest([1], new Float64Array(7).fill(1), 1, { metric: "hellinger", k: 0 }), "RangeError: nearest: k must be an integer in [1, 7], got 0"],
    ["nearest k 1.5", (a) => a.nearest([1], new Float64Array(7).fill(1), 1, { metric: "hellinger", k: 1.5 }), "RangeError: nearest: k must be an integer in [1, 7], got 1.5"],
    ["nearest k '2'", (a) => a.nearest([1], new Float64Array(7).fill(1), 1, { metric: "hellinger", k: "2" as never }), "RangeError: nearest: k must be an integer in [1, 7], got \"2\""],
    ["nearest self k 5 of 5 rows", (a) => a.nearest(new Float64Array(5).fill(1), null, 1, { metric: "hellinger", k: 5 }), "RangeError: nearest: k must be an integer in [1, 4], got 5"],
    ["nearest self, one row", (a) => a.nearest([1], null, 1, { metric: "hellinger" }), "RangeError: nearest: X has one row, and Y = null leaves it no other row"],
    ["nearest bad value", (a) => a.nearest([1], [1, -2], 1, { metric: "hellinger", k: 9 }), "RangeError: nearest: Y[1, 0] is negative (-2); values must be finite and >= 0"],
    ["out number[]", (a) => a.pairwise([1], [1], 1, { metric: "hellinger", out: [0] as never }), "TypeError: pairwise: out must be a Float64Array or Float32Array"],
    ["out Int32Array", (a) => a.pairwise([1], [1], 1, { metric: "hellinger", out: new Int32Array(1) as never }), "TypeError: pairwise: out must be a Float64Array or Float32Array"],
    ["out too short", (a) => a.pairwise([1, 1], [1, 1, 1], 1, { metric: "hellinger", out: new Float64Array(5) }), "RangeError: pairwise: out must have length 6, got 5"],
    ["out Float32Array too long", (a) => a.pairwise([1, 1], [1, 1, 1], 1, { metric: "hellinger", out: new Float32Array(7) }), "RangeError: pairwise: out must have length 6, got 7"],
    ["out overlaps X", (a) => { const b = new Float64Array(8).fill(0.5); return a.pairwise(b.subarray(0, 4), null, 2, { metric: "hellinger", out: b.subarray(2, 6) }); }, "RangeError: pairwise: out overlaps an input"],
    ["Float32Array out overlaps Y", (a) => { const b = new Float32Array(12).fill(0.5); return a.pairwise([0.5, 0.5], b.subarray(0, 4), 2, { metric: "jensenShannon", out: b.subarray(3, 5) }); }, "RangeError: pairwise: out overlaps an input"],
    ["condensed out overlaps X", (a) => { const b = new Float64Array(8).fill(0.5); return a.pairwiseCondensed(b.subarray(0, 6), 2, { metric: "totalVariation", out: b.subarray(5, 8) }); }, "RangeError: pairwiseCondensed: out overlaps an input"],
    ["out beside X in one buffer", (a) => { const b = new Float64Array(8).fill(0.5); const r = a.pairwise(b.subarray(0, 4), null, 2, { metric: "hellinger", out: b.subarray(4, 8) }); if (r[1] !== 0 || r.buffer !== b.buffer) throw new Error("wrong"); return r; }, "none: "],
    ["NaN from overflow", (a) => a.pairwise([1e308, 1e308, 1e-300, 1], [1e-300, 1e-300, 1e308, 1e308], 4, { metric: "klDivergence", normalize: false, eps: 0 }), ""],
  ];
  it.each(cases)("%s", (_name, call, msg) => {
    const got = same(call);
    if (msg === "") {
      // whatever it is (a value, or the overflow error), the same in both builds
      if (got.cls !== "none") expect(`${got.cls}: ${got.msg}`).toBe("RangeError: pairwise: the sum overflows the range of doubles (terms of both signs reach infinity)");
      return;
    }
    expect(`${got.cls}: ${got.msg}`).toBe(msg);
  });
  it("the first non-number of a plain array is named by its type, after earlier bad numbers", () => {
    for (const fn of ["pairwise", "pairwiseCondensed", "nearest"] as const) {
      const r = same((a) => (fn === "pairwise" ? a.pairwise([1, 0, undefined, 1] as never, null, 2, H)
        : fn === "nearest" ? a.nearest([1, 0, 0, 1], [1, 0, {}, 1] as never, 2, H) : a.pairwiseCondensed([1, 0, true, 1] as never, 2, H)));
      expect(`${r.cls}: ${r.msg}`).toBe(fn === "pairwise" ? "TypeError: pairwise: X[1, 0] is not a number (undefined)"
        : fn === "nearest" ? "TypeError: nearest: Y[1, 0] is not a number (object)" : "TypeError: pairwiseCondensed: X[1, 0] is not a number (boolean)");
    }
  });
});

// ------------------------------------------------------------------ hostile inputs
function counted(values: number[], at: number[], hook?: () => void): { arr: number[]; counts: number[] } {
  const arr = values.slice(), counts = at.map(() => 0);
  at.forEach((i, k) => {
    const v = values[i];
    Object.defineProperty(arr, i, { get: () => { counts[k]++; hook?.(); return v; }, enumerable: true, configurable: true });
  });
  return { arr, counts };
}

describe.each(BUILDS)("%s: hostile inputs", (build, api) => {
  engineOnly(build);
  const cols = 13, m = 9, n = 11;
  const Xv = Array.from(probRows(41, m, cols)), Yv = Array.from(probRows(42, n, cols));

  it("getters on number[] elements are read exactly once (pairwise, pairwiseCondensed, nearest; errors at most once)", () => {
    for (const metric of METRICS) {
      const at = [0, 5, cols * 3 + 1, m * cols - 1];
      const X = counted(Xv, at), Y = counted(Yv, at);
      api.pairwise(X.arr, Y.arr, cols, { metric });
      expect([...X.counts, ...Y.counts], metric).toEqual(new Array(8).fill(1));
      const X2 = counted(Xv, at);
      if (SYMMETRIC.includes(metric)) api.pairwiseCondensed(X2.arr, cols, { metric }); else api.pairwise(X2.arr, null, cols, { metric });
      expect(X2.counts).toEqual([1, 1, 1, 1]);
      const X3 = counted(Xv, at), Y3 = counted(Yv, at);
      api.nearest(X3.arr, Y3.arr, cols, { metric, k: 3 });
      expect([...X3.counts, ...Y3.counts]).toEqual(new Array(8).fill(1));
    }
    // an error after the getters: each read at most once
    const bad = Yv.slice();
    bad[cols * 2] = -1;
    const X = counted(Xv, [1, 2, 3]), Y = counted(bad, [0, cols * 2 + 5]);
    expect(() => api.pairwise(X.arr, Y.arr, cols, { metric: "hellinger" })).toThrow(/Y\[2, 0\] is negative/);
    for (const c of [...X.counts, ...Y.counts]) expect(c).toBeLessThanOrEqual(1);
    // option getters: read once
    let reads = 0;
    const o = { get metric() { reads++; return "jensenShannon" as const; } };
    api.pairwise(Xv, Yv, cols, o);
    expect(reads).toBe(1);
  });

  it("a getter that calls pairwise itself (both builds, and a failing call) leaves the outer result unchanged", () => {
    for (const metric of METRICS) {
      const clean = api.pairwise(Xv, Yv, cols, { metric });
      let nested = 0;
      const hook = () => {
        nested++;
        for (const [, b] of BUILDS) {
          const r = b.pairwise(Yv, Xv, cols, { metric: "jensenShannon", out: new Float32Array(n * m) });
          if (!(r[0] >= 0)) throw new Error("nested result");
          b.nearest(Xv, null, cols, { metric: "klDivergence", k: 2 });
          try { b.pairwise([1, NaN], null, 2, { metric }); } catch { /* expected */ }
        }
      };
      const X = counted(Xv, [0, 40, m * cols - 1], hook), Y = counted(Yv, [7, 90], hook);
      const got = api.pairwise(X.arr, Y.arr, cols, { metric });
      expect(nested).toBe(5);
      expect(Array.from(got).every((v, i) => Object.is(v, clean[i])), metric).toBe(true);
      const near = api.nearest(counted(Xv, [3], hook).arr, Yv, cols, { metric, k: 4 });
      const near0 = api.nearest(Xv, Yv, cols, { metric, k: 4 });
      expect(Array.from(near.indices)).toEqual(Array.from(near0.indices));
      expect(Array.from(near.values)).toEqual(Array.from(near0.values));
    }
  });

  it("inherited option keys (Object.prototype.eps, base, normalize, out, float32, k, metric) are ignored", () => {
    const proto = Object.prototype as Record<string, unknown>;
    const keys = { eps: 0.5, base: 2, normalize: true, out: new Float64Array(3), float32: true, k: 3, metric: "foo" };
    for (const metric of METRICS) {
      const Xc = Xv.map((v) => v * 3); // sums 3: would pass with an inherited normalize: true
      const clean = api.pairwise(Xv, Yv, cols, { metric });
      const cleanN = api.nearest(Xv, Yv, cols, { metric });
      let polluted: Float64Array | Float32Array, pn: ReturnType<Api["nearest"]>, thrown = "";
      try {
        Object.assign(proto, keys);
        polluted = api.pairwise(Xv, Yv, cols, { metric });
        pn = api.nearest(Xv, Yv, cols, { metric });
        try { api.pairwise(Xc, Yv, cols, { metric }); } catch (e) { thrown = (e as Error).message; }
      } finally {
        for (const k of Object.keys(keys)) delete proto[k];
      }
      expect(polluted).toBeInstanceOf(Float64Array);
      expect(Array.from(polluted).every((v, i) => Object.is(v, clean[i]))).toBe(true);
      expect(Array.from(pn.indices)).toEqual(Array.from(cleanN.indices));
      expect(thrown).toMatch(/sums to 3, not 1/);
    }
  });

  it("huge and subnormal values with normalize: false give the twin's value within the bound, or its error", () => {
    const r = rng(77);
    let compared = 0;
    for (const metric of METRICS) {
      for (let rep = 0; rep < 6; rep++) {
        const mm = 3 + rep, nn = 4, cc = 1 + rep * 3;
        const gen = (len: number) => Array.from({ length: len }, () => {
          const u = r();
          return u < 0.15 ? 0 : u < 0.3 ? 5e-324 * Math.floor(1 + r() * 1000) : u < 0.45 ? 1e300 * r() : u < 0.6 ? 1e-310 * r() : u < 0.8 ? r() * 3 : r();
        });
        const X = Float64Array.from(gen(mm * cc)), Y = Float64Array.from(gen(nn * cc));
        for (const o of [{ metric, normalize: false }, ...(clips(metric) ? [{ metric, normalize: false, eps: 0 }] : [])] as Opts[]) {
          let want: Float64Array | Float32Array | undefined, wErr = "", got: Float64Array | Float32Array | undefined, gErr = "";
          try { want = R.pairwise(X, Y, cc, o); } catch (e) { wErr = String(e); }
          try { got = api.pairwise(X, Y, cc, o); } catch (e) { gErr = String(e); }
          expect(gErr).toBe(wErr);
          if (want === undefined) continue;
          for (let i = 0; i < mm; i++) for (let j = 0; j < nn; j++) {
            checkCell(build, metric, got![i * nn + j], want[i * nn + j], row(X, i, cc), row(Y, j, cc), o, false, () => `${metric} ${JSON.stringify(o)} rep ${rep} (${i}, ${j})`, "hostile");
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it("mixed Float32Array X and Float64Array Y: the float64 computation on the float32 values", () => {
    const X32 = Float32Array.from(Xv), Y64 = Float64Array.from(Yv);
    for (const metric of METRICS) {
      const o: Opts = { metric, normalize: false };
      const got = api.pairwise(X32, Y64, cols, o), want = R.pairwise(Float64Array.from(X32), Y64, cols, o);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        checkCell(build, metric, got[i * n + j], want[i * n + j], row(X32, i, cols), row(Y64, j, cols), o, false, () => `${metric} (${i}, ${j})`, "mixed");
      }
      // the default check takes each array at its own precision: float32 rows pass within float32's tolerance
      expect(() => api.pairwise(X32, Y64, cols, { metric })).not.toThrow();
    }
  });
});

// ------------------------------------------------------------------ regressions of bugs the tests found
describe("regressions", () => {
  /**
   * B1 (WebAssembly engine, found by test/pairwise-fuzz.test.ts, FUZZ_SEED=5, 4000 runs): Jensen–Shannon cells of rows
   * with values in the subnormal range, on calls past the small-call crossover, were about 10 · 2^-1074 off the twin's
   * value (which is the one-pair function's, also in the WebAssembly build), more than the plan's 1e-14 (S + C) plus
   * 4 · cols · 2^-1074 (S + C ≈ 3e-310 here): WebAssembly 1.49786900633e-313, reference 1.4978690068e-313. Fixed in the
   * engine (assembly/pairwise.ts, src/pairwise/wasm.ts).
   */
  it("B1: JS of subnormal rows through the engine within 1e-14 (S + C) + 4 · cols · 2^-1074 of the twin", () => {
    const X = Array.from({ length: 64 }, (_, i) => (i % 2 ? 4.321936518e-313 : 4.7e-322));
    for (const metric of ["jensenShannon", "jensenShannonDistance"] as const) {
      const o: Opts = { metric, normalize: false };
      const w = W.pairwise(X, null, 1, o), r = R.pairwise(X, null, 1, o);
      expect(r[1]).toBe(R[metric]([X[0]], [X[1]], { normalize: false }));
      expect(K[metric]([X[0]], [X[1]], { normalize: false })).toBe(r[1]);
      for (let i = 0; i < 4; i++) for (let j = 0; j < 64; j++) {
        checkCell("wasm", metric, w[i * 64 + j], r[i * 64 + j], [X[i]], [X[j]], o, false, () => `B1 ${metric} cell (${i}, ${j})`, "B1");
      }
    }
  });
});
