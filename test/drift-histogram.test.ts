// histogram() and the Histogram accumulator (src/drift/histogram.ts) over both binning
// engines: the WebAssembly kernels (src/drift/wasm.ts) and the pure-TS twin.
// - NumPy oracle: np.histogram on random and adversarial samples and edges
//   (scripts/fixtures/drift_histogram.py -> test/fixtures/drift-histogram.json), every
//   case also repeated to lengths that cross the twin/WebAssembly crossover and the chunks;
// - both engines identical to each other and to a linear scan of the edges on random input,
//   heap arrays and workspace views, float64 and float32;
// - fast-check: any chunking into add() calls and any merge order give identical counts;
//   the JSON form round-trips;
// - NaN raise/ignore, and every bad input's message.
import { describe, it, expect, vi, beforeAll, afterAll } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import "../src/drift/provision.js";
import { makeHistogramApi, planBins, MergeableHistogram as Histogram, type HistogramApi } from "../src/drift/histogram.js";
import { wasmBinEngine, SMALL_BINNING, FINE_SAMPLES, takesFineCells, setFineFrom, up32, down32, f32Delta } from "../src/drift/wasm.js";
import { twinBinEngine } from "../src/drift/twin.js";
import { createWorkspace, CHUNK, STREAM_PIECE, STREAM_VIEW_PIECE } from "../src/core/wasm.js";
import { rng } from "./helpers/random.js";
import { stepF32, stepF64 } from "./helpers/steps.js";

const W = makeHistogramApi(wasmBinEngine);
const T = makeHistogramApi(twinBinEngine);
const APIS: Array<[string, HistogramApi]> = [["wasm", W], ["twin", T]];

interface Case {
  name: string; dtype: "float64" | "float32"; samples: Array<number | string>; edges: Array<number | string>;
  counts: number[]; under: number; over: number; nan: number;
}
const dec = (v: number | string): number => (typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity);
const fixture = JSON.parse(readFileSync(new URL("./fixtures/drift-histogram.json", import.meta.url), "utf8")) as { cases: Case[] };

/** A test of the grid and the search over arbitrary edges: the fine cells (from FINE_SAMPLES samples) off while it runs. */
const gridOnly = (fn: () => void) => () => {
  setFineFrom(Infinity);
  try {
    fn();
  } finally {
    setFineFrom(FINE_SAMPLES);
  }
};
/** The rule itself, one sample at a time by a linear scan of the edges. */
function naive(x: ArrayLike<number>, e: ArrayLike<number>): { counts: number[]; under: number; over: number; nan: number } {
  const n = e.length - 1, counts = new Array<number>(n).fill(0);
  let under = 0, over = 0, nan = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) nan++;
    else if (v < e[0]) under++;
    else if (v > e[n]) over++;
    else if (v === e[n]) counts[n - 1]++;
    else {
      let k = 0;
      while (k + 1 <= n && e[k + 1] <= v) k++;
      counts[k]++;
    }
  }
  return { counts, under, over, nan };
}

function samplesOf(c: Case, times = 1): Float64Array | Float32Array {
  const x = c.samples.map(dec), n = x.length;
  const out = c.dtype === "float32" ? new Float32Array(n * times) : new Float64Array(n * times);
  for (let t = 0; t < times; t++) out.set(x, t * n);
  if (c.dtype === "float32") for (let i = 0; i < n; i++) expect(out[i]).toBe(x[i]); // stored exactly
  return out;
}

describe("NumPy fixtures (np.histogram)", () => {
  it("has the cases", () => expect(fixture.cases.length).toBeGreaterThan(60));
  for (const c of fixture.cases) {
    it(c.name, () => {
      const edges = c.edges.map(dec);
      const nan = c.nan > 0 ? "ignore" as const : undefined;
      for (const [, api] of APIS) {
        const r = api.histogram(samplesOf(c), edges, { nan });
        expect(Array.from(r.counts)).toEqual(c.counts);
        expect([r.under, r.over, r.nan]).toEqual([c.under, c.over, c.nan]);
        // plain arrays too (read once into a copy)
        const p = api.histogram(Array.from(samplesOf(c)), edges, { nan });
        expect(Array.from(p.counts)).toEqual(c.counts);
      }
      // repeated: past the crossover, and across chunk boundaries with a ragged tail
      const n = c.samples.length;
      for (const target of [SMALL_BINNING + 1, 2 * CHUNK + 3]) {
        const times = Math.ceil(target / n);
        const r = W.histogram(samplesOf(c, times), edges, { nan });
        expect(Array.from(r.counts)).toEqual(c.counts.map((k) => k * times));
        expect([r.under, r.over, r.nan]).toEqual([c.under * times, c.over * times, c.nan * times]);
      }
      expect(naive(samplesOf(c), edges)).toEqual({ counts: c.counts, under: c.under, over: c.over, nan: c.nan });
    });
  }
  it("takes both paths: equal-width edges from NumPy are detected, arbitrary and degenerate ones searched", () => {
    const uniform = (name: string) => planBins("t", fixture.cases.find((c) => c.name === name)!.edges.map(dec)).uniform;
    expect(uniform("normal, histogram_bin_edges(bins='auto')")).toBe(true);
    expect(uniform("uniform, linspace(0.1, 0.7, 8)")).toBe(true);
    expect(uniform("linspace(0, 10, 21) with two edges moved by an ulp")).toBe(true);
    expect(uniform("linspace(0, 10, 11) with one edge moved by 0.2 w")).toBe(true);
    expect(uniform("linspace(0, 10, 11) with one edge moved by 0.3 w (searched)")).toBe(false);
    expect(uniform("normal, sorted random edges")).toBe(false);
    expect(uniform("zero-width bins [0, 1, 1, 2, 2, 3]")).toBe(false);
    expect(uniform("one zero-width bin [1, 1]")).toBe(false);
    expect(uniform("edges [-1e308, -5e307, 0, 5e307, 1e308] (span overflows)")).toBe(false);
    expect(uniform("subnormals, linspace(0, 1e-310, 5)")).toBe(false);
    expect(uniform("large offset, linspace(1e6, 1e6 + 1, 11)")).toBe(true);
    expect(planBins("t", [1e16, 1e16 + 2, 1e16 + 4]).uniform).toBe(false); // w near the edges' ulp
  });
});

// ------------------------------------------------------------------ random input
const SPECIAL = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308];

function randomSamples(r: () => number, n: number, edges: Float64Array, specials: boolean): Float64Array {
  const x = new Float64Array(n), lo = edges[0], hi = edges[edges.length - 1], span = hi - lo || 1;
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.2) x[i] = edges[Math.floor(r() * edges.length)]; // on an edge
    else if (u < 0.25 && specials) x[i] = SPECIAL[Math.floor(r() * SPECIAL.length)];
    else x[i] = lo - 0.1 * span + r() * 1.2 * span;
  }
  return x;
}

function randomEdges(r: () => number, kind: string, bins: number): Float64Array {
  const e = new Float64Array(bins + 1);
  const lo = (r() - 0.5) * 100, w = 0.01 + r() * 10;
  for (let i = 0; i <= bins; i++) {
    if (kind === "linspace") e[i] = i === bins ? lo + bins * w : lo + i * w; // NumPy's linspace may differ by an ulp
    else if (kind === "sorted") e[i] = lo + r() * bins * w;
    else e[i] = lo + Math.floor(r() * 4) * w; // few distinct values: zero-width bins
  }
  if (kind !== "linspace") e.sort();
  return e;
}

describe("engines agree with each other and with the rule", () => {
  const r = rng(7);
  const sizes = [0, 1, 3, 4, 5, SMALL_BINNING - 1, SMALL_BINNING, SMALL_BINNING + 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1,
    2 * CHUNK + 5, 40_001];
  for (const kind of ["linspace", "sorted", "ties"]) {
    for (const bins of [1, 2, 5, 50, 300]) {
      it(`${kind} edges, ${bins} bins, every size, float64 and float32`, () => {
        for (const n of sizes) {
          const edges = randomEdges(r, kind, bins);
          const x = randomSamples(r, n, edges, true);
          for (const arr of [x, new Float32Array(x)]) {
            const want = naive(arr, edges);
            for (const [, api] of APIS) {
              const got = api.histogram(arr, edges);
              expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
            }
          }
        }
      });
    }
  }

  it("many bins (the tables beyond the scratch; 20000 and 70000 bins)", () => {
    for (const bins of [20_000, 70_000]) {
      const edges = randomEdges(r, "sorted", bins), x = randomSamples(r, 30_000, edges, true);
      const a = W.histogram(x, edges), b = T.histogram(x, edges);
      expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
      expect([a.under, a.over]).toEqual([b.under, b.over]);
    }
  });

  it("arbitrary edges through the grid (n >= 16 cells of 128 per bin), float64 and float32", gridOnly(() => {
    for (const kind of ["sorted", "ties"]) {
      for (const bins of [3, 20, 50]) {
        const edges = randomEdges(r, kind, bins), x = randomSamples(r, 16 * 128 * bins + 7, edges, true);
        for (const arr of [x, new Float32Array(x)]) {
          const want = naive(arr, edges), got = W.histogram(arr, edges);
          expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
        }
      }
    }
  }));

  it("integer typed arrays are read as float64", () => {
    const x = new Int32Array(500).map((_, i) => (i % 13) - 3), edges = [0, 2.5, 5, 9];
    const want = naive(x, edges);
    for (const [, api] of APIS) {
      const got = api.histogram(x, edges);
      expect(Array.from(got.counts)).toEqual(want.counts);
      expect(got.under).toBe(want.under);
    }
  });

  it("workspace views are read in place (float64, float32), and give the heap's counts", () => {
    const ws = createWorkspace(1 << 20);
    try {
      for (const bins of [10, 200]) {
        for (const kind of ["linspace", "sorted"]) {
          const edges = randomEdges(r, kind, bins), x = randomSamples(r, 50_000, edges, true);
          const v64 = ws.f64(x.length), v32 = ws.f32(x.length);
          v64.set(x);
          v32.set(x);
          for (const [view, heap] of [[v64, x], [v32, new Float32Array(x)]] as const) {
            const a = W.histogram(view, edges), b = T.histogram(heap, edges);
            expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
            expect([a.under, a.over, a.nan]).toEqual([b.under, b.over, b.nan]);
            expect(Array.from(view.subarray(0, 10))).toEqual(Array.from(heap.subarray(0, 10))); // not written
          }
          ws.release(v64);
          ws.release(v32);
        }
      }
      // a view from a workspace too small for the count tables beside it is staged instead
      const edges = randomEdges(r, "sorted", 40_000), x = randomSamples(r, 1000, edges, false);
      const v = ws.f64(x.length);
      v.set(x);
      expect(Array.from(W.histogram(v, edges).counts)).toEqual(Array.from(T.histogram(x, edges).counts));
    } finally {
      ws.dispose();
    }
  });

  it("pair tables (stride <= 64: bins <= 61, n >= 16 stride^2) and the single tables beyond, equal-width and through the grid", gridOnly(() => {
    for (const bins of [1, 29, 50, 61, 62, 64]) {
      for (const kind of ["linspace", "sorted", "ties"]) {
        const edges = randomEdges(r, kind, bins), x = randomSamples(r, 16 * 128 * bins + 4099, edges, true);
        for (const arr of [x, new Float32Array(x)]) {
          const want = naive(arr, edges), got = W.histogram(arr, edges);
          expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
        }
      }
    }
  }));

  it("workspace views beyond 1 MiB are copied through the scratch in pieces (NaN at a piece boundary)", () => {
    const ws = createWorkspace(8 << 20);
    try {
      for (const bins of [50, 200]) {
        for (const kind of ["linspace", "sorted"]) {
          const edges = randomEdges(r, kind, bins), x = randomSamples(r, 300_001, edges, false);
          const v8 = STREAM_VIEW_PIECE / 8, v4 = STREAM_VIEW_PIECE / 4; // float64, float32 samples a piece
          x[v8] = NaN; // the first sample of the second float64 piece
          x[v4 * 3] = NaN; // the first of a float32 piece
          const v64 = ws.f64(x.length), v32 = ws.f32(x.length);
          v64.set(x);
          v32.set(x);
          for (const [view, heap] of [[v64, x], [v32, new Float32Array(x)]] as const) {
            const a = W.histogram(view, edges, { nan: "ignore" }), want = naive(heap, edges);
            expect({ counts: Array.from(a.counts), under: a.under, over: a.over, nan: a.nan }).toEqual(want);
            expect(() => W.histogram(view, edges)).toThrow(`samples[${v8}] is NaN`);
            expect(view[1]).toBe(heap[1]); // not written
          }
          ws.release(v64);
          ws.release(v32);
        }
      }
    } finally {
      ws.dispose();
    }
  });

  it("NaN: counted apart with nan: 'ignore' at any position (first in a chunk, in the tail)", () => {
    const edges = randomEdges(r, "linspace", 7);
    for (const n of [10, 100, CHUNK + 3, 3 * CHUNK + 1]) {
      for (const at of [0, n - 1, Math.floor(n / 2), Math.min(n - 1, CHUNK)]) {
        const x = randomSamples(r, n, edges, true);
        x[at] = NaN;
        if (n > 5) x[n - 2] = NaN;
        const nans = x.filter((v) => Number.isNaN(v)).length;
        for (const arr of [x, new Float32Array(x)]) {
          for (const [, api] of APIS) {
            const got = api.histogram(arr, edges, { nan: "ignore" });
            expect(got.nan).toBe(nans);
            expect(Array.from(got.counts)).toEqual(naive(arr, edges).counts);
            const first = Math.min(at, n > 5 ? n - 2 : at);
            expect(() => api.histogram(arr, edges)).toThrow(`histogram: samples[${first}] is NaN; pass nan: "ignore" to count NaN samples apart`);
          }
        }
      }
    }
  });
});

// ------------------------------------------------------------------ accumulator
describe("float32 samples in float32 lanes (edges converted to up(e), the least float32 >= e)", () => {
  // the grid and the search over arbitrary edges (the fine cells have their own tests below)
  beforeAll(() => setFineFrom(Infinity));
  afterAll(() => setFineFrom(FINE_SAMPLES));
  const r = rng(31);
  const EDGE_SETS: Array<[string, number[]]> = [
    ["linspace(-4, 4, 51)", Array.from({ length: 51 }, (_, i) => -4 + (8 * i) / 50)],
    ["linspace(0.1, 0.7, 13) (no edge a float32)", Array.from({ length: 13 }, (_, i) => 0.1 + (0.6 * i) / 12)],
    ["float32 edges", [-2, -1.5, -0.25, 0, 0.125, 1, 3]],
    ["offset 1e4, width 0.01 (float32 guess near its bound)", Array.from({ length: 21 }, (_, i) => 1e4 + 0.01 * i)],
    ["offset 100, width 0.01 (float32 guess within its bound)", Array.from({ length: 41 }, (_, i) => 100 + 0.01 * i)],
    ["edges an ulp off the grid", Array.from({ length: 11 }, (_, i) => { const v = i / 10; return i % 3 === 1 ? v * (1 + 2 ** -52) : v; })],
    ["subnormal float32 range", [-3e-45, -1e-46, 0, 1e-46, 2e-45, 1e-40, 1e-38]],
    ["beyond float32 range", [-1e300, -3.5e38, -3.4028234663852886e38, 0, 3.4028234663852886e38, 3.5e38, 1e300]],
    ["zero-width bins", [0.1, 0.1, 0.3, 0.3, 0.7]],
    ["last bin zero-width", [0.1, 0.2, 0.2]],
    ["one bin", [0.1, 0.1]],
    ["random sorted", Array.from({ length: 31 }, () => (r() - 0.5) * 20).sort((a, b) => a - b)],
  ];

  it("up(e) and down(e): float32, on the right side of e, and no float32 between them and e", () => {
    const vals = [0, -0, 1e-50, -1e-50, 2 ** -149, 2 ** -150, 3 * 2 ** -151, 1e-40, -1e-40, 0.1, -0.1, 1 / 3, 1, 16777217,
      3.4028234663852886e38, 3.4028235677973366e38, 3.5e38, -3.5e38, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE];
    for (let i = 0; i < 2000; i++) vals.push((r() - 0.5) * 2 ** Math.floor(r() * 280 - 140));
    for (const e of vals) {
      const u = up32(e), d = down32(e);
      expect(Math.fround(u)).toBe(u);
      expect(Math.fround(d)).toBe(d);
      expect(u >= e && d <= e).toBe(true);
      const below = stepF32(u, -1) === u ? stepF32(u, -2) : stepF32(u, -1); // -0 and 0 are one value
      const above = stepF32(d, 1) === d ? stepF32(d, 2) : stepF32(d, 1);
      expect(below < e && above > e).toBe(true);
    }
  });

  it("the float32 guess's bound: small for ordinary edges, NaN outside its range", () => {
    expect(f32Delta(-4, 4, 50)).toBeLessThan(2 ** -12);
    expect(f32Delta(0, 1e120, 10)).toBeNaN();
    expect(f32Delta(0, 2 ** -100, 10)).toBeNaN();
  });

  for (const [name, edgeList] of EDGE_SETS) {
    it(`${name}: every float32 within 3 of every edge, both engines and the rule, across the paths`, () => {
      const edges = Float64Array.from(edgeList);
      const vals: number[] = [Infinity, -Infinity, 0, -0, 3.4028234663852886e38, -3.4028234663852886e38];
      for (const e of edges) {
        for (const c of [up32(e), down32(e)]) for (let k = -3; k <= 3; k++) vals.push(stepF32(c, k));
      }
      const lo = edges[0], span = edges[edges.length - 1] - lo || 1;
      for (let i = 0; i < 200; i++) vals.push(Math.fround(lo - 0.1 * span + r() * 1.2 * span));
      const base = Float32Array.from(vals);
      // repeated past the crossover and (for arbitrary edges) past the grid's threshold, shuffled
      const bins = edges.length - 1, reps = Math.ceil((16 * 128 * bins + 100) / base.length);
      for (const times of [1, 3, reps]) {
        const x = new Float32Array(base.length * times);
        for (let t = 0; t < times; t++) x.set(base, t * base.length);
        for (let i = x.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); const v = x[i]; x[i] = x[j]; x[j] = v; }
        const want = naive(x, edges);
        for (const [, api] of APIS) {
          const got = api.histogram(x, edges);
          expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
        }
        // and as the float64 widening of the same values
        const got64 = W.histogram(new Float64Array(x), edges);
        expect(Array.from(got64.counts)).toEqual(want.counts);
      }
    });
  }

  it("arbitrary edges through the float32 grid: float32 neighbours of every edge at piece boundaries and in every lane, NaN in a later piece", () => {
    const PIECE = STREAM_PIECE / 4; // float32 samples per staging piece of heap arrays (src/core/wasm.ts)
    for (const kind of ["sorted", "ties", "float32 edges"]) {
      const bins = 50;
      const edges = Float64Array.from({ length: bins + 1 }, () => (r() - 0.5) * 8).sort();
      if (kind === "ties") for (let i = 5; i < bins; i += 9) edges[i] = edges[i - 1]; // zero-width bins: cells of two edges
      if (kind === "float32 edges") for (let i = 0; i <= bins; i++) edges[i] = Math.fround(edges[i]);
      const near: number[] = [];
      for (const e of edges) for (const c of [up32(e), down32(e)]) for (let k = -2; k <= 2; k++) near.push(stepF32(c, k));
      const n = 16 * 128 * bins + 4099; // past the grid's threshold, a ragged tail
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.fround((r() - 0.5) * 9);
      // the neighbours at the ends of pieces (the last sample of one, the first of the next), and
      // each at every lane of a group of 8 in the middle of the input
      let at = 0;
      for (let p = PIECE; p < n && at < near.length; p += PIECE) for (const d of [-2, -1, 0, 1]) if (at < near.length) x[p + d] = near[at++];
      for (let j = 0; j < near.length; j++) x[40_000 + 9 * j + (j % 8)] = near[j];
      const want = naive(x, edges);
      for (const [, api] of APIS) {
        const got = api.histogram(x, edges);
        expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
      }
      // NaN first at the start of the fourth piece and in the tail: named, or counted apart
      x[3 * PIECE] = NaN;
      x[n - 1] = NaN;
      const wantNaN = naive(x, edges);
      for (const [, api] of APIS) {
        expect(() => api.histogram(x, edges)).toThrow(`histogram: samples[${3 * PIECE}] is NaN`);
        const got = api.histogram(x, edges, { nan: "ignore" });
        expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(wantNaN);
      }
    }
  });

  it("random edges (equal-width off by a fraction of a bin, and sorted) and values near them, with NaN", () => {
    for (let trial = 0; trial < 60; trial++) {
      const bins = 1 + Math.floor(r() * 80), lo = (r() - 0.5) * 10 ** Math.floor(r() * 8 - 3);
      const w = 10 ** (Math.floor(r() * 8) - 4) * (0.5 + r());
      const jitter = trial % 3 === 0 ? 0 : trial % 3 === 1 ? 2 ** -40 : 0.2;
      const edges = new Float64Array(bins + 1);
      for (let i = 0; i <= bins; i++) edges[i] = lo + (i + (i > 0 && i < bins ? (r() - 0.5) * jitter : 0)) * w;
      if (trial % 4 === 3) { for (let i = 1; i < bins; i++) edges[i] = lo + r() * bins * w; edges.sort(); }
      const n = trial % 2 ? 5000 + Math.floor(r() * 100) : 16 * 128 * bins + 3;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = r();
        x[i] = u < 0.3 ? stepF32(Math.fround(edges[Math.floor(r() * (bins + 1))]), Math.floor(r() * 5) - 2)
          : u < 0.31 ? NaN : lo - 0.1 * bins * w + r() * 1.2 * bins * w;
      }
      const want = naive(x, edges);
      for (const [, api] of APIS) {
        const got = api.histogram(x, edges, { nan: "ignore" });
        expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
      }
    }
  });
});

describe("samples into arbitrary edges through the fine cells (n >= FINE_SAMPLES: binFine32, binFine64)", () => {
  const r = rng(47);
  const PIECE = STREAM_PIECE / 4; // float32 samples per staging piece of heap arrays (src/core/wasm.ts; half as many float64)
  const check = (x: ArrayLike<number>, edges: ArrayLike<number>, nan: "ignore" | undefined = undefined): void => {
    const want = naive(x, edges);
    for (const [, api] of APIS) {
      const got = api.histogram(x as Float64Array, edges, nan ? { nan } : {});
      expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
    }
  };
  /** n samples: random over the edges' range and a margin, then the neighbours (3 float32 steps, and for
   *  float64 also 3 ulps) of every edge and the specials at piece boundaries and at every lane of a step of 8. */
  const samples = (edges: ArrayLike<number>, n: number, f32: boolean): Float32Array | Float64Array => {
    const lo = edges[0], hi = edges[edges.length - 1], span = hi - lo || 1;
    const x = f32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = lo + (r() * 1.2 - 0.1) * span;
    const near: number[] = [Infinity, -Infinity, 0, -0, 3.4028234663852886e38, -3.4028234663852886e38, 2 ** -149, -(2 ** -149)];
    if (!f32) near.push(Number.MAX_VALUE, -Number.MAX_VALUE, 1e300, -1e300, 3.5e38, -3.5e38, 2 ** -1074, 1e-320);
    for (let i = 0; i < edges.length; i++) {
      for (const c of [up32(edges[i]), down32(edges[i])]) for (let k = -3; k <= 3; k++) near.push(stepF32(c, k));
      if (!f32) for (let k = -3; k <= 3; k++) near.push(Math.abs(edges[i]) === Number.MAX_VALUE && k * edges[i] > 0 ? Math.sign(edges[i]) * Infinity : stepF64(edges[i], k));
    }
    let at = 0;
    for (let p = PIECE; p < n && at < near.length; p += PIECE) for (const d of [-2, -1, 0, 1]) if (at < near.length) x[p + d] = near[at++];
    for (let j = 0; j < near.length && 9 * j + 8 < n / 2; j++) x[n / 4 + 9 * j + (j % 8) | 0] = near[j];
    // and many of them: edge cells hit in most steps, several times in one step
    for (let j = 0; j < n / 8; j++) x[Math.floor(r() * n)] = near[Math.floor(r() * near.length)];
    return x;
  };

  // [name, edges, whether they take the fine cells (the others: the grid, or equal width)]
  const EDGE_SETS: Array<[string, number[], boolean]> = [
    ["random sorted (50 bins)", Array.from({ length: 51 }, () => (r() - 0.5) * 8).sort((a, b) => a - b), true],
    ["ties: zero-width bins, several thresholds in one cell", [-3, -1, -1, -1, -0.5, 0, 0, 1e-9, 2e-9, 1, 2, 2, 5], true],
    ["float32 edges", [-2, -1.5, -0.25, 0, 0.125, 1, 3], true],
    ["edges a float32 ulp apart (cells coarser than the float32 spacing)", [1, 1 + 2 ** -23, 1 + 2 ** -22, 1 + 3 * 2 ** -23, 1.5, 2], true],
    ["edges a float64 ulp apart", [0.5, 0.75, 1, 1 + 2 ** -52, 1 + 2 ** -51, 1.25, 2], true],
    ["offset 1e4, width 0.01 (no edge a float32)", Array.from({ length: 21 }, (_, i) => 1e4 + 0.01 * i + (i % 3) * 0.004), true],
    ["subnormal float32 edges, span 1e-33", [-1e-40, 0, 1e-45, 1e-33], true],
    ["e_n = float32 max", [-1, 0, 1, 3.4028234663852886e38], true],
    ["e_n beyond the float32 range (cnorm 3e-35)", [0, 1, 3e38, 1e39], true],
    ["a subnormal float32 cnorm (e_n = 1e44)", [0, 1e-40, 1, 1e44], true],
    ["last bin zero-width", [0.1, 0.2, 0.3, 0.3], true],
    ["120 bins", Array.from({ length: 121 }, () => r() * 100 - 50).sort((a, b) => a - b), true],
    ["100 thresholds in one cell (its samples bisected)", [-1, ...Array.from({ length: 100 }, (_, i) => i * 5e-13), 1], true],
    ["a thousand bins (more than FINE_BINS): the grid or the search", Array.from({ length: 1001 }, () => r() * 100 - 50).sort((a, b) => a - b), false],
    ["span 1e-38 (cnorm beyond the float32 range): the grid", [-3e-45, -1e-46, 0, 1e-46, 2e-45, 1e-40, 1e-38], false],
    ["e_0 beyond the float32 range: the grid", [-3.5e38, -1e10, 0, 0.5, 1e10, 3.5e38], false],
    ["e_n = float64 max (cnorm 0 in float32): the grid", [-1e30, -1, 0, 1, 1e30, Number.MAX_VALUE], false],
    ["one bin (equal width)", [0.1, 0.7], false],
  ];
  for (const [name, edges, fine] of EDGE_SETS) {
    for (const f32 of [true, false]) {
      it(`${name}, ${f32 ? "float32" : "float64"}: both engines and the rule, every neighbour of every edge, in every lane and at piece boundaries`, () => {
        expect(takesFineCells(planBins("t", edges), f32)).toBe(fine);
        check(samples(edges, FINE_SAMPLES + 4099, f32), edges);
      });
    }
  }

  it("NaN: named at its first index (the fourth piece), or counted apart; the tail and workspace views (copied in pieces) too", () => {
    const edges = EDGE_SETS[0][1], n = FINE_SAMPLES + 4 * PIECE + 7;
    for (const f32 of [true, false]) {
      const x = samples(edges, n, f32);
      x[3 * PIECE + 5] = NaN;
      x[n - 1] = NaN;
      for (const [, api] of APIS) expect(() => api.histogram(x, edges)).toThrow(`histogram: samples[${3 * PIECE + 5}] is NaN`);
      check(x, edges, "ignore");
      const ws = createWorkspace(8 * n + 64), v = f32 ? ws.f32(n) : ws.f64(n);
      v.set(x);
      const got = W.histogram(v, edges, { nan: "ignore" }), want = naive(x, edges);
      expect({ counts: Array.from(got.counts), under: got.under, over: got.over, nan: got.nan }).toEqual(want);
    }
  });

  it("plain arrays and integer typed arrays (staged as float64) take binFine64 too", () => {
    const edges = [-70000, -3.5, -1, 0, 0.5, 2, 1000, 70000];
    const x = Array.from(samples(edges, FINE_SAMPLES + 11, false));
    check(x, edges);
    check(Int32Array.from(x, (v) => (Number.isFinite(v) ? Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(v))) : 0)), edges);
  });

  it("below FINE_SAMPLES and above it give the same counts (the search, then the fine cells), and chunks add up", () => {
    const edges = EDGE_SETS[1][1];
    for (const f32 of [true, false]) {
      const x = samples(edges, 2 * FINE_SAMPLES + 3, f32);
      const whole = W.histogram(x, edges);
      const h = W.createHistogram(edges);
      for (const [a, b] of [[0, FINE_SAMPLES - 1], [FINE_SAMPLES - 1, 2 * FINE_SAMPLES + 3]]) h.add(x.subarray(a, b));
      expect(Array.from(h.counts)).toEqual(Array.from(whole.counts));
      expect([h.under, h.over]).toEqual([whole.under, whole.over]);
      expect(Array.from(whole.counts)).toEqual(naive(x, edges).counts);
    }
  });
});

describe("Histogram: add, merge, JSON", () => {
  const value = fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -2, max: 12, noNaN: true }) },
    { weight: 3, arbitrary: fc.integer({ min: -1, max: 11 }).map((v) => v) },
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL, NaN) },
  );
  const edgesArb = fc.oneof(
    fc.constant([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 2, maxLength: 12 }).map((a) => a.sort((p, q) => p - q)),
    fc.array(fc.double({ min: -1, max: 11, noNaN: true }), { minLength: 2, maxLength: 40 }).map((a) => a.sort((p, q) => p - q)),
  );

  it("any chunking and any merge order give the counts of the whole (both builds mixed)", () => {
    fc.assert(fc.property(edgesArb, fc.array(value, { maxLength: 400 }), fc.array(fc.nat(), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 8 }), (edges, xs, cuts, order) => {
        const whole = W.createHistogram(edges).add(xs, { nan: "ignore" });
        const bounds = [0, ...cuts.map((c) => c % (xs.length + 1)).sort((a, b) => a - b), xs.length];
        const parts: Histogram[] = [];
        for (let i = 0; i + 1 < bounds.length; i++) {
          const api = i % 2 ? T : W;
          const h = api.createHistogram(edges);
          const piece = xs.slice(bounds[i], bounds[i + 1]);
          h.add(i % 3 === 0 ? new Float64Array(piece) : piece, { nan: "ignore" });
          parts.push(h);
        }
        // merge in a shuffled order, some through JSON
        const idx = parts.map((_, i) => i);
        for (let i = 0; i < order.length && idx.length > 1; i++) {
          const a = order[i] % idx.length, b = (a + 1) % idx.length;
          [idx[a], idx[b]] = [idx[b], idx[a]];
        }
        const acc = T.createHistogram(edges);
        for (const i of idx) acc.merge(i % 2 ? W.Histogram.fromJSON(JSON.stringify(parts[i])) : parts[i]);
        expect(Array.from(acc.counts)).toEqual(Array.from(whole.counts));
        expect([acc.under, acc.over, acc.nan, acc.total]).toEqual([whole.under, whole.over, whole.nan, whole.total]);
        expect(whole.total + whole.nan).toBe(xs.length);
      }), { numRuns: 300 });
  });

  it("JSON round trip is exact (edges bit for bit, -0 stored as 0)", () => {
    const h = W.createHistogram([-0, 0.1, 0.30000000000000004, 1e-300 + 1]).add([0, 0.1, 0.2, 5, -1, NaN], { nan: "ignore" });
    const j = h.toJSON();
    expect(j).toEqual({ type: "kl-wasm/histogram", version: 1, edges: [0, 0.1, 0.30000000000000004, 1], counts: [1, 2, 0],
      under: 1, over: 1, nan: 1 });
    expect(Object.is(h.edges[0], 0)).toBe(true);
    const back = T.Histogram.fromJSON(JSON.stringify(h));
    expect(back.toJSON()).toEqual(j);
    back.merge(h).merge(back);
    expect(Array.from(back.counts)).toEqual([4, 8, 0]);
    expect(back.total).toBe(20); // 12 in bins, 4 under, 4 over
    expect(back).toBeInstanceOf(T.Histogram);
    expect(new W.Histogram([0, 1]).add([0.5]).total).toBe(1);
  });

  it("merges the histograms of another copy of this module (a CommonJS bundle beside the ESM one), checked as JSON", async () => {
    const bad = (f: () => unknown, type: ErrorConstructor, msg: string) => { expect(f).toThrow(type); expect(f).toThrow(msg); };
    vi.resetModules();
    const copy = await import("../src/drift/histogram.js"), copyTwin = await import("../src/drift/twin.js");
    expect(copy.MergeableHistogram).not.toBe(Histogram);
    const O = copy.makeHistogramApi(copyTwin.twinBinEngine);
    const edges = [0, 1, 2, 4];
    for (const api of [W, T]) {
      const mine = api.createHistogram(edges).add([0.5, 1.5, 3, 9, -1, NaN], { nan: "ignore" });
      const theirs = O.createHistogram(edges).add([0, 2, 4, 4, -5], { nan: "ignore" });
      expect(mine.merge(theirs as Histogram)).toBe(mine);
      expect(Array.from(mine.counts)).toEqual([2, 1, 4]); // [1, 1, 1] + [1, 0, 3] (4 is in the last bin)
      expect([mine.under, mine.over, mine.nan, mine.total]).toEqual([2, 1, 1, 10]);
      expect(Array.from((theirs.merge(mine as never) as Histogram).counts)).toEqual([3, 1, 7]); // and the other way
      bad(() => mine.merge(O.createHistogram([0, 1]) as Histogram), RangeError, "Histogram.merge: the histograms have different edges (4 and 2 edges)");
      // another copy's histogram is read through its toJSON() and checked as fromJSON checks
      const forged = Object.assign(Object.create(Object.getPrototypeOf(theirs)), {
        toJSON: () => ({ type: "kl-wasm/histogram", version: 1, edges, counts: [1, -1, 0], under: 0, over: 0, nan: 0 }) });
      bad(() => mine.merge(forged), RangeError, "Histogram.merge: counts[1] must be a non-negative integer, got -1");
      expect(Array.from(mine.counts)).toEqual([2, 1, 4]); // nothing merged
      bad(() => mine.merge({ toJSON: () => theirs.toJSON() } as unknown as Histogram), TypeError, "Histogram.merge: other must be a Histogram, got an object (Object)");
    }
  });

  it("read-only views: counts and edges are copies; add and merge return this; failed adds add nothing", () => {
    const h = W.createHistogram([0, 1, 2]);
    expect(h.add([0.5, 1.5])).toBe(h);
    h.counts[0] = 99;
    h.edges[0] = 99;
    expect(Array.from(h.counts)).toEqual([1, 1]);
    expect(h.edges[0]).toBe(0);
    expect(() => h.add([0.5, NaN])).toThrow("Histogram.add: samples[1] is NaN");
    expect(() => h.add([0.5, "x" as unknown as number], { nan: "ignore" })).toThrow(TypeError);
    expect(Array.from(h.counts)).toEqual([1, 1]);
    expect(h.add([])).toBe(h);
    expect(h.add(new Float32Array(0)).total).toBe(2);
  });
});

// ------------------------------------------------------------------ errors
describe("errors", () => {
  const bad = (f: () => unknown, type: ErrorConstructor, msg: string) => expect(f).toThrow(type) && expect(f).toThrow(msg);
  for (const [name, api] of APIS) {
    it(`${name}: every bad input is named`, () => {
      const h = api.histogram;
      bad(() => h([1], [1]), RangeError, "histogram: edges must hold at least 2 values (one bin), got 1");
      bad(() => h([1], []), RangeError, "histogram: edges is empty");
      bad(() => h([1], [0, 2, 1]), RangeError, "histogram: edges must be non-decreasing, but edges[2] = 1 is below edges[1] = 2");
      bad(() => h([1], [0, NaN]), RangeError, "histogram: edges[1] is NaN; values must be finite");
      bad(() => h([1], [0, Infinity]), RangeError, "histogram: edges[1] is infinite; values must be finite");
      bad(() => h([1], [0, "1" as unknown as number]), TypeError, "histogram: edges[1] is not a number (string)");
      bad(() => h([1], null as unknown as number[]), TypeError, "histogram: edges must be a Float64Array, Float32Array or number[], got null");
      bad(() => h([1], new BigInt64Array(2) as unknown as number[]), TypeError, "got BigInt64Array");
      bad(() => h("abc" as unknown as number[], [0, 1]), TypeError, "histogram: samples must be a Float64Array, Float32Array or number[], got string");
      bad(() => h([0, null as unknown as number], [0, 1]), TypeError, "histogram: samples[1] is not a number (null)");
      bad(() => h([0, NaN, "s" as unknown as number], [0, 1], { nan: "ignore" }), TypeError, "histogram: samples[2] is not a number (string)");
      bad(() => h([0, NaN, "s" as unknown as number], [0, 1]), RangeError, "histogram: samples[1] is NaN");
      bad(() => h([0], [0, 1], { nan: "skip" as "raise" }), RangeError, 'histogram: nan must be "raise" or "ignore", got "skip"');
      bad(() => h([0], [0, 1], { nan: true as unknown as "raise" }), TypeError, 'histogram: nan must be "raise" or "ignore", got true');
      bad(() => h([0], [0, 1], { bins: 3 } as object), TypeError, "histogram: unknown option 'bins'");
      bad(() => h([0], [0, 1], 3 as object), TypeError, "histogram: options must be an object, got number");
      bad(() => h([0], [0, 1, 2], { out: new Float64Array(3) }), RangeError, "histogram: out must have length 2, got 3");
      bad(() => h([0], [0, 1], { out: [0] as unknown as Float64Array }), TypeError, "histogram: out must be a Float64Array");
      bad(() => api.createHistogram([2, 1]), RangeError, "createHistogram: edges must be non-decreasing");
      const hist = api.createHistogram([0, 1]);
      bad(() => hist.add([0], { out: new Float64Array(1) } as object), TypeError, "Histogram.add: unknown option 'out'");
      bad(() => hist.merge(api.createHistogram([0, 2])), RangeError, "Histogram.merge: the histograms have different edges (edges[1] is 1 and 2)");
      bad(() => hist.merge(api.createHistogram([0, 1, 2])), RangeError, "Histogram.merge: the histograms have different edges (2 and 3 edges)");
      bad(() => hist.merge({} as Histogram), TypeError, "Histogram.merge: other must be a Histogram, got an object (Object)");
      const F = api.Histogram.fromJSON;
      const ok = { type: "kl-wasm/histogram", version: 1, edges: [0, 1, 2], counts: [1, 2], under: 0, over: 0, nan: 0 } as const;
      expect(F(ok).total).toBe(3);
      bad(() => F("{"), TypeError, "Histogram.fromJSON: json is not valid JSON");
      bad(() => F(null as unknown as string), TypeError, "Histogram.fromJSON: json must be an object, got null");
      bad(() => F({ ...ok, type: "x" } as never), TypeError, 'Histogram.fromJSON: type must be "kl-wasm/histogram", got "x"');
      bad(() => F({ ...ok, version: 2 } as never), RangeError, "Histogram.fromJSON: version must be 1, got 2");
      bad(() => F({ ...ok, edges: "0,1" } as never), TypeError, 'Histogram.fromJSON: edges must be an array, got "0,1"');
      bad(() => F({ ...ok, edges: [0, 2, 1] }), RangeError, "Histogram.fromJSON: edges must be non-decreasing");
      bad(() => F({ ...ok, counts: [1] }), RangeError, "Histogram.fromJSON: counts must have 2 elements (one per bin), got 1");
      bad(() => F({ ...ok, counts: undefined } as never), TypeError, "Histogram.fromJSON: counts must be an array, got undefined");
      bad(() => F({ ...ok, counts: [1, -1] }), RangeError, "Histogram.fromJSON: counts[1] must be a non-negative integer, got -1");
      bad(() => F({ ...ok, counts: [1.5, 1] }), RangeError, "Histogram.fromJSON: counts[0] must be a non-negative integer, got 1.5");
      bad(() => F({ ...ok, counts: [2 ** 53 + 2, 1] }), RangeError, "counts[0] must be a non-negative integer");
      bad(() => F({ ...ok, under: "1" } as never), RangeError, 'Histogram.fromJSON: under must be a non-negative integer, got "1"');
      bad(() => F({ ...ok, over: NaN }), RangeError, "Histogram.fromJSON: over must be a non-negative integer, got NaN");
      bad(() => F({ ...ok, nan: undefined } as never), RangeError, "Histogram.fromJSON: nan must be a non-negative integer, got undefined");
    });
  }

  it("out: filled in place, and left zeroed after a NaN error", () => {
    const out = new Float64Array(2).fill(7);
    const r = W.histogram(new Float64Array(100).fill(0.5), [0, 1, 2], { out });
    expect(r.counts).toBe(out);
    expect(Array.from(out)).toEqual([100, 0]);
    const x = new Float64Array(100).fill(1.5);
    x[70] = NaN;
    expect(() => W.histogram(x, [0, 1, 2], { out })).toThrow("histogram: samples[70] is NaN");
    expect(Array.from(out)).toEqual([0, 0]);
  });

  it("a disposed workspace's view is rejected", () => {
    const ws = createWorkspace(1024), v = ws.f64(4);
    ws.dispose();
    expect(() => W.histogram(v, [0, 1])).toThrow("histogram: samples is a view of a disposed workspace");
    expect(() => W.createHistogram([0, 1]).add(v)).toThrow("Histogram.add: samples is a view of a disposed workspace");
  });

  it("options and plain arrays are read once", () => {
    let reads = 0;
    const opts = { get nan() { reads++; return "ignore" as const; } };
    const xs = [0.5, 1.5];
    let elementReads = 0;
    const proxy = new Proxy(xs, { get(t, k, rcv) { if (k === "0" || k === "1") elementReads++; return Reflect.get(t, k, rcv); } });
    W.histogram(proxy, [0, 1, 2], opts);
    expect(reads).toBe(1);
    expect(elementReads).toBe(2);
  });
});
