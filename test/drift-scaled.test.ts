// The equal-width kernel that bins 8 samples a step in float32 lanes (assembly/drift.ts binScaled;
// src/drift/wasm.ts scaledOf): float64 samples demoted, float32 samples as they are, the bin taken
// from the float32 guess where it is at least 2^-14 of a bin from every integer, the 8 samples
// sent through the corrected float64 step otherwise. Checked here:
// - which plans take it (the guess's bound plus the edges' distance from the grid below 2^-14);
// - NumPy's fixtures (np.histogram) embedded among samples that take the fast step, at every
//   lane of a group of 8, at chunk boundaries and in the tail;
// - every float64 within 4 ulps and every float32 within 3 steps of every edge and of the clamp
//   bounds, one per group of 8 at each lane, against the rule;
// - lengths around multiples of 8 and of the chunks, NaN (counted, and the error's index) at
//   chunk and piece boundaries, heap arrays and workspace views;
// - NaN through the arbitrary edges' grid (routed to its last entry, -1: searched).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import "../src/drift/provision.js";
import { makeHistogramApi, planBins } from "../src/drift/histogram.js";
import { wasmBinEngine, scaledOf, demotedDelta, f32Delta } from "../src/drift/wasm.js";
import { twinBinEngine } from "../src/drift/twin.js";
import { createWorkspace, CHUNK, STREAM_VIEW_PIECE, useSimd } from "../src/core/wasm.js";
import { rng } from "./helpers/random.js";
import { stepF32, stepF64 } from "./helpers/steps.js";

const W = makeHistogramApi(wasmBinEngine);
const T = makeHistogramApi(twinBinEngine);

interface Case {
  name: string; dtype: "float64" | "float32"; samples: Array<number | string>; edges: Array<number | string>;
  counts: number[]; under: number; over: number; nan: number;
}
const dec = (v: number | string): number => (typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity);
const fixture = JSON.parse(readFileSync(new URL("./fixtures/drift-histogram.json", import.meta.url), "utf8")) as { cases: Case[] };

type Result = { counts: number[]; under: number; over: number; nan: number };
/** The rule by counting edges: slot = #(edges <= v), x = e_n in the last bin. */
function rule(x: ArrayLike<number>, edges: ArrayLike<number>): Result {
  const e = Array.from(edges), n = e.length - 1, r: Result = { counts: new Array<number>(n).fill(0), under: 0, over: 0, nan: 0 };
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v) r.nan++;
    else if (v < e[0]) r.under++;
    else if (v > e[n]) r.over++;
    else r.counts[Math.min(n, e.filter((b) => b <= v).length) - 1]++;
  }
  return r;
}
const add = (a: Result, b: Result): Result => ({
  counts: a.counts.map((c, i) => c + b.counts[i]), under: a.under + b.under, over: a.over + b.over, nan: a.nan + b.nan,
});
const plain = (r: { counts: Float64Array; under: number; over: number; nan: number }): Result =>
  ({ counts: Array.from(r.counts), under: r.under, over: r.over, nan: r.nan });
const linspace = (lo: number, hi: number, k: number) => Float64Array.from({ length: k + 1 }, (_, i) => (i === k ? hi : lo + (i * (hi - lo)) / k));

/** Samples that take the fast step: uniform over the edges' range, away from them (by the rule's own check below). */
function background(r: () => number, n: number, edges: Float64Array, f32: boolean): Float64Array | Float32Array {
  const x = f32 ? new Float32Array(n) : new Float64Array(n), lo = edges[0], span = edges[edges.length - 1] - lo;
  for (let i = 0; i < n; i++) x[i] = lo - 0.05 * span + r() * 1.1 * span;
  return x;
}


describe("binScaled: which equal-width plans take the 8-lane float32 step", () => {
  it("NumPy-style edges take it for float64 and float32; edges far off the grid, many bins and huge offsets do not", () => {
    const on = (e: ArrayLike<number>, f32: boolean) => scaledOf(planBins("t", e), f32) !== null;
    expect(on(linspace(-4, 4, 50), false)).toBe(true);
    expect(on(linspace(-4, 4, 50), true)).toBe(true);
    expect(on(linspace(0.1, 0.7, 12), false)).toBe(true);
    expect(on(linspace(0, 1, 90), false)).toBe(true);
    expect(on(linspace(0, 1, 120), true)).toBe(true);
    // the float32 guess's bound (about 8.1 (k + 2) 2^-24 for demoted float64, 6.1 (k + 2) 2^-24 for float32) too wide
    expect(on(linspace(0, 1, 100), false)).toBe(false);
    expect(on(linspace(0, 1, 130), true)).toBe(false);
    expect(on(linspace(0, 1, 1023), true)).toBe(false);
    expect(on(linspace(2, 4, 40), false)).toBe(true); // |e_0| / w = 40
    expect(on(linspace(100, 100.4, 40), false)).toBe(false); // |e_0| / w = 10^4
    const moved = linspace(0, 10, 10);
    moved[3] += 0.2; // 0.2 w off the grid: uniform, but not within the margin
    expect(planBins("t", moved).uniform).toBe(true);
    expect(on(moved, false)).toBe(false);
    expect(on([0, 1, 1, 2], false)).toBe(false); // not uniform
    expect(demotedDelta(-4, 4, 50)).toBeLessThan(2 ** -14 - 2 ** -16);
    expect(demotedDelta(-4, 4, 50)).toBeGreaterThan(f32Delta(-4, 4, 50));
    expect(demotedDelta(0, 1e120, 10)).toBeNaN();
  });
});

// both builds (the suite runs relaxed SIMD where the engine has it; the kernel has no relaxed instruction, but
// the module is compiled twice)
for (const build of ["relaxed", "baseline"] as const) describe(`${build} build`, () => {
  beforeAll(async () => {
    await useSimd(build);
  });
  afterAll(async () => {
    await useSimd("auto");
  });

  describe("binScaled: NumPy fixtures embedded among fast samples", () => {
    const r = rng(101);
    const cases = fixture.cases.filter((c) => {
      const e = c.edges.map(dec);
      try {
        return scaledOf(planBins("t", e), c.dtype === "float32") !== null;
      } catch {
        return false;
      }
    });
    it("has equal-width cases that take the step", () => expect(cases.length).toBeGreaterThan(10));
    for (const c of cases) {
      it(c.name, () => {
        const edges = Float64Array.from(c.edges.map(dec)), f32 = c.dtype === "float32";
        const s = c.samples.map(dec), want0: Result = { counts: c.counts, under: c.under, over: c.over, nan: c.nan };
        const n = 2 * CHUNK * (f32 ? 2 : 1) + 13;
        for (const at of [0, 1, 3, 7, 8, 9, CHUNK - 5, CHUNK * (f32 ? 2 : 1) - 1, n - s.length - 1, n - s.length]) {
          const x = background(r, n, edges, f32);
          const bg = rule(x.subarray(0, at), edges), bg2 = rule(x.subarray(at + s.length), edges);
          x.set(s, at);
          const want = add(add(want0, bg), bg2);
          for (const api of [W, T]) expect(plain(api.histogram(x, edges, { nan: "ignore" }))).toEqual(want);
        }
      });
    }
  });

  describe("binScaled: values at the edges and the clamp bounds, at every lane of a group of 8", () => {
    const r = rng(202);
    const SETS: Array<[string, Float64Array]> = [
      ["linspace(-4, 4, 51)", linspace(-4, 4, 50)],
      ["linspace(0.1, 0.7, 13) (no edge a float32)", linspace(0.1, 0.7, 12)],
      ["one bin [-1, 2]", Float64Array.from([-1, 2])],
      ["61 bins (the largest pair table)", linspace(-3, 5, 61)],
      ["62 bins (single tables)", linspace(-3, 5, 62)],
      ["90 bins", linspace(0, 1, 90)],
      ["offset 2, width 0.05", linspace(2, 4, 40)],
      ["an edge 2^-17 w off the grid", (() => { const e = linspace(-4, 4, 50); e[17] += 2 ** -17 * 0.16; return e; })()],
      ["negative range", linspace(-7.5, -2.25, 21)],
    ];
    for (const [name, edges] of SETS) {
      it(name, () => {
        const bins = edges.length - 1, lo = edges[0], hi = edges[bins], w = (hi - lo) / bins;
        expect(scaledOf(planBins("t", edges), false)).not.toBeNull();
        const v64: number[] = [Infinity, -Infinity, 0, -0, 5e-324, -5e-324, 1e-45, Number.MAX_VALUE, -Number.MAX_VALUE,
          1e39, -1e39, 3.4028235677973366e38, -3.4028235677973366e38, NaN];
        const anchors = [...edges, lo - 0.5 * w, hi + 0.5 * w, lo - w, hi + w, lo - 1.5 * w, hi + 1.5 * w];
        for (const a of anchors) {
          for (let k = -4; k <= 4; k++) v64.push(stepF64(a, k));
          for (let k = -40; k <= 40; k += 3) v64.push(a + k * 2 ** -20 * w);
        }
        const v32: number[] = [];
        for (const a of anchors) for (let k = -3; k <= 3; k++) v32.push(stepF32(Math.fround(a), k));
        for (const [vals, f32] of [[v64, false], [v32, true], [v64, true]] as const) {
          // one special per group of 8, at lane (i mod 8), the rest fast samples
          const x = background(r, 8 * vals.length + 5, edges, f32);
          vals.forEach((v, i) => { x[8 * i + (i % 8)] = v; });
          const want = rule(x, edges);
          for (const api of [W, T]) expect(plain(api.histogram(x, edges, { nan: "ignore" }))).toEqual(want);
        }
        // float32 samples go 16 a step where the pair table is used (n >= 16 stride^2): one special per group of 16,
        // at lane (i mod 16), in inputs long enough for the pair table
        const stride = (bins + 6) & ~3;
        for (const vals of [v32, v64]) {
          const x = background(r, Math.max(16 * vals.length, 16 * stride * stride) + 13, edges, true);
          vals.forEach((v, i) => { x[16 * i + (i % 16)] = v; });
          const want = rule(x, edges);
          for (const api of [W, T]) expect(plain(api.histogram(x, edges, { nan: "ignore" }))).toEqual(want);
        }
      });
    }
  });

  describe("binScaled: lengths, chunks, NaN and its index", () => {
    const r = rng(303);
    const edges = linspace(-4, 4, 50);
    it("lengths around multiples of 8 and of the chunks (heap float64 and float32)", () => {
      const ns = [160, 161, 167, 168, 169, 175, 176, 1000, 1001, 1007];
      for (const c of [CHUNK, 2 * CHUNK]) for (const d of [-9, -8, -7, -1, 0, 1, 7, 8, 9]) ns.push(c + d, 3 * c + d);
      for (const n of ns) {
        for (const f32 of [false, true]) {
          const x = background(r, n, edges, f32);
          x[n - 1] = edges[50]; // the last edge, in the tail
          x[Math.max(0, n - 9)] = Infinity;
          const want = rule(x, edges);
          expect(plain(W.histogram(x, edges))).toEqual(want);
          expect(plain(T.histogram(x, edges))).toEqual(want);
        }
      }
    });

    it("NaN at chunk boundaries and lanes: counted with nan: 'ignore', else the first one's index in the error", () => {
      for (const f32 of [false, true]) {
        const per = f32 ? 2 * CHUNK : CHUNK, n = 3 * per + 11;
        for (const at of [0, 7, 8, per - 1, per, per + 1, per + 7, 2 * per - 8, 3 * per, n - 1]) {
          const x = background(r, n, edges, f32);
          x[at] = NaN;
          if (at + 3 < n) x[at + 3] = NaN;
          const want = rule(x, edges);
          for (const api of [W, T]) {
            expect(plain(api.histogram(x, edges, { nan: "ignore" }))).toEqual(want);
            expect(() => api.histogram(x, edges)).toThrow(`histogram: samples[${at}] is NaN`);
          }
          const h = W.createHistogram(edges);
          expect(() => h.add(x)).toThrow(`Histogram.add: samples[${at}] is NaN`);
          expect(h.total).toBe(0);
        }
      }
    });

    it("NaN with any payload (float32 and float64 bits) at every lane of a step, with and without the pair table", () => {
      // a NaN's payload survives the step's arithmetic into the bits it tests: only the NaN test sends it to its slot
      const nan32 = [0x7fc01234, 0x7fc00002, 0xffc01ffe, 0x7f800001, 0x7fffffff, 0x7fc03ffe, 0xff80aaaa];
      const nan64 = [0x7ff8000024680000n, 0x7ff0000040000001n, 0xfff8000003ffc000n, 0x7fffffffffffffffn, 0x7ff80001ffe00000n];
      const stride = 56; // 50 bins
      for (const f32 of [true, false]) {
        for (const n of [16 * 40 + 13, 16 * stride * stride + 13]) {
          const x = background(r, n, edges, f32);
          const bits32 = f32 ? new Int32Array(x.buffer, x.byteOffset, n) : undefined;
          const bits64 = f32 ? undefined : new BigInt64Array(x.buffer, x.byteOffset, n);
          for (let i = 0; 16 * i + 15 < n && i < 200; i++) {
            const at = 16 * i + (i % 16);
            if (bits32) bits32[at] = nan32[i % nan32.length];
            else bits64![at] = BigInt.asIntN(64, nan64[i % nan64.length]);
          }
          const want = rule(x, edges);
          expect(want.nan).toBeGreaterThan(30);
          for (const api of [W, T]) expect(plain(api.histogram(x, edges, { nan: "ignore" }))).toEqual(want);
        }
      }
    });

    it("arbitrary edges through the grid: NaN at every lane and at chunk boundaries reads the grid's last entry and is searched", () => {
      const sorted = Float64Array.from([-4, 4, ...Array.from({ length: 49 }, () => (r() - 0.5) * 6)]).sort();
      for (const f32 of [false, true]) {
        const per = f32 ? 2 * CHUNK : CHUNK, n = 16 * 128 * 50 + 13;
        const x = background(r, n, sorted, f32);
        const at = [0, 1, 2, 3, 4, 5, 6, 7, 17, per - 1, per, per + 2, 3 * per + 5, n - 1];
        for (const i of at) x[i] = NaN;
        x[9] = Infinity;
        x[10] = -Infinity;
        const want = rule(x, sorted);
        expect(want.nan).toBe(at.length);
        for (const api of [W, T]) {
          expect(plain(api.histogram(x, sorted, { nan: "ignore" }))).toEqual(want);
          expect(() => api.histogram(x, sorted)).toThrow("histogram: samples[0] is NaN");
        }
        x[0] = 0;
        expect(() => W.histogram(x, sorted)).toThrow("histogram: samples[1] is NaN");
      }
    });

    it("workspace views (in place, and beyond 1 MiB in pieces) give the heap's counts and NaN index", () => {
      const ws = createWorkspace(8 << 20);
      try {
        for (const n of [50_001, 300_007]) {
          const x = background(r, n, edges, false) as Float64Array;
          // the last float64 of the first piece, the first of the second, one past a float32 piece
          const v8 = STREAM_VIEW_PIECE / 8, v4 = STREAM_VIEW_PIECE / 4;
          for (const at of [v8 - 1, v8, v4 * 3 + 1]) x[at] = NaN;
          const v64 = ws.f64(n), v32 = ws.f32(n);
          v64.set(x);
          v32.set(x);
          for (const [view, heap] of [[v64, x], [v32, new Float32Array(x)]] as const) {
            expect(plain(W.histogram(view, edges, { nan: "ignore" }))).toEqual(rule(heap, edges));
            expect(() => W.histogram(view, edges)).toThrow(`histogram: samples[${v8 - 1}] is NaN`);
          }
          ws.release(v64);
          ws.release(v32);
        }
      } finally {
        ws.dispose();
      }
    });
  });
});
