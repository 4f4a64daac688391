// The logits family's semantics against PyTorch (test/fixtures/logits.json, scripts/fixtures/logits.py):
// every function, reduction, temperature, direction, smoothing, weights and ignoreIndex, on random and
// adversarial logits (±1e4, all-equal rows, one column, -Infinity masks, 32000 columns), float64 and float32;
// then the edge cases PyTorch answers with NaN (the library's documented values), and every error message.
// Runs over a list of engines: add an engine to ENGINES (or call logitsSuite(name, engine)).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { type LogitsEngine, type LogitsApi, makeLogitsApi } from "../src/logits/api.js";
import { twinLogitsEngine } from "../src/logits/twin.js";
import "../src/logits/provision.js";
import { wasmLogitsEngine } from "../src/logits/wasm.js";

/** float64 inputs: losses, values and gradients within REL64 of PyTorch in float64. */
export const REL64 = 1e-12;
/** float32 inputs: within REL32 of the float64 value on the same float32 values. */
export const REL32 = 1e-6;

type Num = number | "Infinity" | "-Infinity";
type Gen = { lcg: number; n: number; scale: number; float32?: boolean };
interface Case {
  fn: string; name: string; dtype: "f64" | "f32"; cols: number | null;
  inputs: Record<string, Num[] | Gen | number[]>; options: Record<string, unknown>;
  expect: Num | Num[]; grad?: Num[] | { at: number[]; values: Num[] }; gradMag?: Num[] | { at: number[]; values: Num[] }; torch32?: Num | Num[]; masked?: boolean;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/logits.json", import.meta.url), "utf8")) as { cases: Case[] };

const num = (v: Num): number => (v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);

/** The fixture's generator (scripts/fixtures/logits.py): a 32-bit LCG, values (2 u − 1) · scale. */
export function lcg(seed: number, n: number, scale: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    out[i] = ((2 * state) / 4294967296 - 1) * scale;
  }
  return out;
}

function input(v: Num[] | Gen | number[], dtype: "f64" | "f32"): Float64Array | Float32Array {
  const a = Array.isArray(v) ? Float64Array.from(v as Num[], num) : lcg(v.lcg, v.n, v.scale);
  return dtype === "f32" ? Float32Array.from(a) : a;
}

/** Relative error of a against b (exact match for infinities; 0 for 0 = 0). */
function relErr(a: number, b: number, floor = 0): number {
  if (a === b) return 0;
  if (!Number.isFinite(b) || !Number.isFinite(a) || Number.isNaN(a)) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

/** Worst relative error over arrays; entries are measured against max(|b_i|, floorRel · max |b|), or
 *  (gradients) against max(|b_i|, mag_i): mag_i the size of the terms the entry is formed from (an entry that
 *  cancels, p_j ≈ q_j, is measured against p_j + q_j). `at`: b holds a's entries at these indices. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>, floorRel: number, at?: number[], mag?: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i]));
  let w = 0;
  for (let i = 0; i < b.length; i++) w = Math.max(w, relErr(a[at ? at[i] : i], b[i], mag ? mag[i] : floorRel * scale));
  return w;
}

function call(api: LogitsApi, c: Case, grad?: Float64Array | Float32Array): number | Float64Array | Float32Array {
  const { inputs: I, dtype } = c, cols = c.cols ?? undefined, o = { ...c.options };
  if (grad) o.grad = grad;
  const labels = I.labels as number[] | undefined;
  switch (c.fn) {
    case "logSoftmaxRows": return api.logSoftmaxRows(input(I.logits, dtype), cols!, o);
    case "softmaxRows": return api.softmaxRows(input(I.logits, dtype), cols!, o);
    case "logSumExpRows": return api.logSumExpRows(input(I.logits, dtype), cols!, o);
    case "entropyLogits": return api.entropyLogits(input(I.logits, dtype), cols!, o);
    case "klDivergenceLog": return api.klDivergenceLog(input(I.logp, dtype), input(I.logq, dtype), cols, o);
    case "klDivergenceLogits": return api.klDivergenceLogits(input(I.teacher, dtype), input(I.student, dtype), cols!, o);
    case "crossEntropyLogits": return api.crossEntropyLogits(input(I.logits, dtype), Int32Array.from(labels!), cols!, o);
    case "perplexity": return api.perplexity(input(I.logits, dtype), labels!, cols!, o);
  }
  throw new Error(c.fn);
}

const FNS = ["logSoftmaxRows", "softmaxRows", "logSumExpRows", "entropyLogits", "klDivergenceLog",
  "klDivergenceLogits", "crossEntropyLogits", "perplexity"];

/** Measured worst errors per function and dtype (printed once per engine). */
export function logitsSuite(label: string, engine: LogitsEngine): void {
  const api = makeLogitsApi(engine);
  describe(`logits (${label}) against PyTorch`, () => {
    const measured: Record<string, number> = {};
    for (const fn of FNS) {
      for (const dtype of ["f64", "f32"] as const) {
        const cs = fixture.cases.filter((c) => c.fn === fn && c.dtype === dtype);
        if (cs.length === 0) continue;
        it(`${fn} ${dtype}: ${cs.length} cases`, () => {
          const tol = dtype === "f64" ? REL64 : REL32;
          let wv = 0, wg = 0, wvAt = "", wgAt = "";
          for (const c of cs) {
            const n = c.inputs.logits ?? c.inputs.student;
            const len = n ? input(n, "f64").length : 0;
            const grad = c.grad ? new Float64Array(len) : undefined;
            const got = call(api, c, grad);
            const what = `${c.name} ${JSON.stringify(c.options)}`;
            let e: number;
            if (typeof got === "number") {
              expect(Array.isArray(c.expect), what).toBe(false);
              e = relErr(got, num(c.expect as Num));
            } else {
              const exp = (c.expect as Num[]).map(num);
              expect(got.length, what).toBe(exp.length);
              // values that underflow in float32 output (softmax): measured against the row scale (1e-30 of it)
              e = worst(got, exp, got instanceof Float32Array ? 1e-30 : 0);
            }
            if (!(e <= tol)) expect.fail(`${what}: value off by ${e} relative`);
            for (const v of typeof got === "number" ? [got] : got) if (Number.isNaN(v)) expect.fail(`${what}: NaN`);
            if (e > wv) { wv = e; wvAt = what; }
            if (c.grad && grad) {
              const g = c.grad;
              const m = c.gradMag!;
              const eg = Array.isArray(g)
                ? worst(grad, g.map(num), 0, undefined, (m as Num[]).map(num))
                : worst(grad, g.values.map(num), 0, g.at, (m as { values: Num[] }).values.map(num));
              if (!(eg <= tol)) expect.fail(`${what}: gradient off by ${eg} relative`);
              for (const v of grad) if (!Number.isFinite(v)) expect.fail(`${what}: non-finite gradient`);
              if (eg > wg) { wg = eg; wgAt = what; }
            }
          }
          measured[`${fn} ${dtype}`] = Math.max(wv, wg);
          console.log(`${label} ${fn} ${dtype}: worst value ${wv.toExponential(2)} (${wvAt}), gradient ${wg.toExponential(2)} (${wgAt})`);
        });
      }
    }
  });
}

const NI = -Infinity;

/** The edge cases PyTorch answers with NaN (the library's documented values), and what the api accepts. */
export function logitsEdgeSuite(label: string, engine: LogitsEngine): void {
  const api = makeLogitsApi(engine);
  const noNaN = (a: ArrayLike<number>) => { for (const v of Array.from(a)) expect(Number.isNaN(v)).toBe(false); };
  describe(`logits (${label}): edge cases`, () => {
    it("a row with every class masked: lse -Infinity, log-softmax -Infinity, softmax 0, entropy 0", () => {
      for (const X of [Float64Array, Float32Array]) {
        const x = X.from([NI, NI, NI, 1, 2, 3]);
        expect(Array.from(api.logSumExpRows(x, 3))[0]).toBe(NI);
        expect(Array.from(api.logSoftmaxRows(x, 3)).slice(0, 3)).toEqual([NI, NI, NI]);
        expect(Array.from(api.softmaxRows(x, 3)).slice(0, 3)).toEqual([0, 0, 0]);
        expect(api.entropyLogits(x, 3)[0]).toBe(0);
        expect(api.softmaxRows(x, 3)).toBeInstanceOf(X);
      }
    });
    it("one unmasked class: log-softmax 0, softmax 1, entropy 0, KL 0", () => {
      const x = [NI, 5, NI];
      expect(Array.from(api.logSoftmaxRows(x, 3))).toEqual([NI, 0, NI]);
      expect(Array.from(api.softmaxRows(x, 3))).toEqual([0, 1, 0]);
      expect(api.entropyLogits(x, 3)[0]).toBe(0);
      expect(api.klDivergenceLogits(x, x, 3, { reduction: "sum" })).toBe(0);
      expect(api.klDivergenceLogits(x, [1, 5, 2], 3, { reduction: "sum" })).toBeCloseTo(-api.logSoftmaxRows([1, 5, 2], 3)[1], 15);
    });
    it("klDivergenceLogits: fully masked rows, +Infinity rows and their gradients", () => {
      const g = new Float64Array(6);
      // teacher fully masked: 0 and a zero gradient (forward); the student fully masked, reverse: the same
      expect(api.klDivergenceLogits([NI, NI, NI, 0, 1, 2], [1, 2, 3, 0, 1, 2], 3, { reduction: "none", grad: g })[0]).toBe(0);
      expect(Array.from(g.subarray(0, 3))).toEqual([0, 0, 0]);
      expect(api.klDivergenceLogits([1, 2, 3], [NI, NI, NI], 3, { direction: "reverse", grad: g.subarray(0, 3) })).toBe(0);
      // forward, student masked where the teacher is not: +Infinity, finite gradient invT (q − p)
      const gf = new Float64Array(3);
      expect(api.klDivergenceLogits([0, 0, 0], [NI, 0, 0], 3, { grad: gf })).toBe(Infinity);
      [-1 / 3, 0.5 - 1 / 3, 0.5 - 1 / 3].forEach((v, i) => expect(gf[i]).toBeCloseTo(v, 15));
      // reverse, teacher masked where the student is not: +Infinity, a zero gradient row
      const gr = new Float64Array(3).fill(7);
      expect(api.klDivergenceLogits([NI, 0, 0], [0, 0, 0], 3, { direction: "reverse", grad: gr })).toBe(Infinity);
      expect(Array.from(gr)).toEqual([0, 0, 0]);
      // masked on both sides: a 0 term
      expect(api.klDivergenceLogits([NI, 0, 0], [NI, 0, 0], 3)).toBe(0);
    });
    it("klDivergenceLogits: scaleT2 multiplies loss and gradient by T²", () => {
      const t = [1, 2, 3, 0, 0, 1], s = [3, 2, 1, 1, 0, 0], g1 = new Float64Array(6), g2 = new Float64Array(6);
      const a = api.klDivergenceLogits(t, s, 3, { temperature: 2, grad: g1 }) as number;
      const b = api.klDivergenceLogits(t, s, 3, { temperature: 2, scaleT2: true, grad: g2 }) as number;
      expect(b).toBe(a * 4);
      for (let i = 0; i < 6; i++) expect(g2[i]).toBeCloseTo(g1[i] * 4, 15);
    });
    it("no NaN or overflow for logits of ±1e4 (and ±1e300)", () => {
      for (const big of [1e4, 1e300]) {
        const x = [big, -big, 0, -big, big, big], labels = [0, 2];
        noNaN(api.logSoftmaxRows(x, 3)); noNaN(api.softmaxRows(x, 3)); noNaN(api.logSumExpRows(x, 3)); noNaN(api.entropyLogits(x, 3));
        const g = new Float64Array(6);
        expect(Number.isFinite(api.klDivergenceLogits(x, x.slice().reverse(), 3, { grad: g }) as number)).toBe(true);
        noNaN(g);
        expect(Number.isFinite(api.crossEntropyLogits(x, labels, 3, { grad: g, labelSmoothing: 0.2 }) as number)).toBe(true);
        noNaN(g);
      }
    });
    it("crossEntropyLogits: every row ignored gives 0 and a zero gradient (PyTorch: NaN); perplexity 1", () => {
      const g = new Float64Array(6).fill(5);
      expect(api.crossEntropyLogits([1, 2, 3, 4, 5, 6], [-100, -100], 3, { grad: g })).toBe(0);
      expect(Array.from(g)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(api.crossEntropyLogits([1, 2, 3, 4, 5, 6], [0, 1], 3, { weights: [0, 0, 1] })).toBe(0);
      expect(api.perplexity([1, 2, 3, 4, 5, 6], [-100, -100], 3)).toBe(1);
      expect(api.perplexity([1, 2, 3, 4, 5, 6], [7, 7], 3, { ignoreIndex: 7 })).toBe(1);
    });
    it("crossEntropyLogits: masked labels +Infinity with a finite gradient; zero coefficients give 0", () => {
      const g = new Float64Array(3);
      expect(api.crossEntropyLogits([NI, 0, 0], [0], 3, { grad: g })).toBe(Infinity);
      expect(Array.from(g)).toEqual([-1, 0.5, 0.5]);
      expect(api.crossEntropyLogits([NI, 0, 0], [1], 3, { labelSmoothing: 0.1 })).toBe(Infinity);
      // smoothing 1: the label's term has coefficient 0 (PyTorch: 0 · Infinity = NaN); weight 0 on the masked class
      expect(api.crossEntropyLogits([NI, 0, 0], [0], 3, { labelSmoothing: 1, weights: [0, 1, 1], reduction: "sum" }))
        .toBeCloseTo((2 / 3) * Math.log(2), 15);
      expect(api.crossEntropyLogits([NI, 0, 0], [0], 3, { weights: [0, 1, 1], reduction: "sum" })).toBe(0);
      // a row with every class masked: +Infinity, gradient −e_y
      expect(api.crossEntropyLogits([NI, NI], [1], 2, { grad: g.subarray(0, 2) })).toBe(Infinity);
      expect(Array.from(g.subarray(0, 2))).toEqual([0, -1]);
    });
    it("klDivergenceLog: -Infinity in logp is a 0 term, in logq alone +Infinity; no clipping", () => {
      expect(api.klDivergenceLog([NI, 0], [NI, 0])).toBe(0);
      expect(api.klDivergenceLog([-800, 0], [NI, 0])).toBe(Infinity);
      // probabilities near 1e-300 are not clipped (the second term: log1p(−1e-300) · 1)
      const tiny = api.klDivergenceLog([Math.log(1e-300), Math.log1p(-1e-300)], [Math.log(1e-200), 0]) as number;
      const want = 1e-300 * (Math.log(1e-300) - Math.log(1e-200)) - 1e-300;
      expect(Math.abs(tiny - want) / Math.abs(want)).toBeLessThan(1e-12);
      const per = api.klDivergenceLog([0, NI, NI, 0], [NI, 0, NI, 0], 2, { reduction: "none" }) as Float64Array;
      expect(Array.from(per)).toEqual([Infinity, 0]);
      expect(api.klDivergenceLog([0, NI, NI, 0], [0, NI, NI, 0], 2, { reduction: "mean" })).toBe(0);
    });
    it("inputs and outputs: plain arrays, number[] labels, out types, in place", () => {
      const x = [1, 2, 3, 4, 2, 0];
      const a = api.logSoftmaxRows(x, 3), b = api.logSoftmaxRows(Float64Array.from(x), 3);
      expect(a).toBeInstanceOf(Float64Array);
      expect(Array.from(a)).toEqual(Array.from(b));
      const o32 = new Float32Array(6);
      expect(api.softmaxRows(x, 3, { out: o32 })).toBe(o32);
      const inPlace = Float64Array.from(x);
      expect(api.logSoftmaxRows(inPlace, 3, { out: inPlace })).toBe(inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(a));
      expect(api.crossEntropyLogits(x, [2, 0], 3)).toBe(api.crossEntropyLogits(x, Int32Array.from([2, 0]), 3));
      const g32 = new Float32Array(6);
      api.crossEntropyLogits(x, [2, 0], 3, { grad: g32 });
      expect(g32[2]).toBeLessThan(0);
    });
  });

  describe(`logits (${label}): errors`, () => {
    const x = [1, 2, 3, 4, 5, 6];
    const cases: [string, () => unknown, ErrorConstructor, string][] = [
      ["logits not an array", () => api.logSoftmaxRows("abc" as never, 3), TypeError,
        "logSoftmaxRows: logits must be a Float64Array, Float32Array or number[], got string"],
      ["empty", () => api.softmaxRows([], 3), RangeError, "softmaxRows: logits is empty"],
      ["NaN", () => api.logSumExpRows([1, NaN], 2), RangeError,
        "logSumExpRows: logits[1] is NaN; logits must be finite or -Infinity (a masked class)"],
      ["+Infinity", () => api.entropyLogits([1, 2, Infinity, 0], 2), RangeError,
        "entropyLogits: logits[2] is +Infinity; logits must be finite or -Infinity (a masked class)"],
      ["non-number", () => api.logSoftmaxRows([1, "2" as never], 2), TypeError, "logSoftmaxRows: logits[1] is not a number (string)"],
      ["overflow", () => api.softmaxRows([1e300, 0], 2, { temperature: 1e-10 }), RangeError,
        "softmaxRows: logits[0] / temperature overflows (1e+300 / 1e-10)"],
      ["cols", () => api.logSoftmaxRows(x, 4), RangeError, "logSoftmaxRows: cols (4) does not divide the length (6)"],
      ["cols type", () => api.logSoftmaxRows(x, 1.5), RangeError, "logSoftmaxRows: cols must be a positive integer, got 1.5"],
      ["temperature", () => api.logSoftmaxRows(x, 3, { temperature: 0 }), RangeError,
        "logSoftmaxRows: temperature must be a finite number > 0, got 0"],
      ["temperature subnormal", () => api.logSoftmaxRows(x, 3, { temperature: 5e-324 }), RangeError,
        "logSoftmaxRows: temperature must be a finite number > 0 whose inverse is finite, got 5e-324"],
      ["unknown option", () => api.logSumExpRows(x, 3, { out: new Float64Array(2) } as never), TypeError,
        "logSumExpRows: unknown option 'out'"],
      ["out type", () => api.softmaxRows(x, 3, { out: [] as never }), TypeError,
        "softmaxRows: out must be a Float64Array or Float32Array, got an array"],
      ["out length", () => api.softmaxRows(x, 3, { out: new Float64Array(5) }), RangeError,
        "softmaxRows: out must have length 6, got 5"],
      ["kl log lengths", () => api.klDivergenceLog([0, 0], [0]), RangeError,
        "klDivergenceLog: logp and logq must have the same length, got 2 and 1"],
      ["kl log NaN in logq", () => api.klDivergenceLog([0, 0], [0, NaN]), RangeError,
        "klDivergenceLog: logq[1] is NaN; log-probabilities must be finite or -Infinity (a masked class)"],
      ["kl log +Infinity in logp", () => api.klDivergenceLog([0, Infinity], [NaN, 0]), RangeError,
        "klDivergenceLog: logq[0] is NaN; log-probabilities must be finite or -Infinity (a masked class)"],
      ["kl log reduction", () => api.klDivergenceLog([0], [0], 1, { reduction: "avg" as never }), RangeError,
        'klDivergenceLog: reduction must be "none", "sum", "mean" or "batchmean", got "avg"'],
      ["kl logits lengths", () => api.klDivergenceLogits(x, [1, 2, 3], 3), RangeError,
        "klDivergenceLogits: teacher and student must have the same length, got 6 and 3"],
      ["kl logits student NaN", () => api.klDivergenceLogits(x, [1, 2, 3, 4, NaN, 6], 3), RangeError,
        "klDivergenceLogits: student[4] is NaN; logits must be finite or -Infinity (a masked class)"],
      ["direction", () => api.klDivergenceLogits(x, x, 3, { direction: "backward" as never }), RangeError,
        'klDivergenceLogits: direction must be "forward" or "reverse", got "backward"'],
      ["scaleT2", () => api.klDivergenceLogits(x, x, 3, { scaleT2: 1 as never }), TypeError,
        "klDivergenceLogits: scaleT2 must be true or false, got 1"],
      ["grad length", () => api.klDivergenceLogits(x, x, 3, { grad: new Float64Array(3) }), RangeError,
        "klDivergenceLogits: grad must have length 6, got 3"],
      ["grad type", () => api.crossEntropyLogits(x, [0, 1], 3, { grad: new Int32Array(6) as never }), TypeError,
        "crossEntropyLogits: grad must be a Float64Array or Float32Array, got an object (Int32Array)"],
      ["labels type", () => api.crossEntropyLogits(x, new Float64Array(2) as never, 3), TypeError,
        "crossEntropyLogits: labels must be an Int32Array or number[] of integers, got Float64Array"],
      ["labels length", () => api.crossEntropyLogits(x, [0], 3), RangeError,
        "crossEntropyLogits: labels must have one label per row (2), got 1"],
      ["label out of range", () => api.crossEntropyLogits(x, [0, 3], 3), RangeError,
        "crossEntropyLogits: labels[1] is 3, not an integer class in [0, 3) nor ignoreIndex (-100)"],
      ["label negative", () => api.crossEntropyLogits(x, Int32Array.from([-1, 0]), 3), RangeError,
        "crossEntropyLogits: labels[0] is -1, not an integer class in [0, 3) nor ignoreIndex (-100)"],
      ["label not integer", () => api.perplexity(x, [0, 1.5], 3), RangeError,
        "perplexity: labels[1] is 1.5, not an integer class in [0, 3) nor ignoreIndex (-100)"],
      ["label not a number", () => api.crossEntropyLogits(x, [0, null as never], 3), TypeError,
        "crossEntropyLogits: labels[1] is not a number (null)"],
      ["ignoreIndex", () => api.crossEntropyLogits(x, [0, 1], 3, { ignoreIndex: 0.5 }), RangeError,
        "crossEntropyLogits: ignoreIndex must be an int32 integer, got 0.5"],
      ["labelSmoothing", () => api.crossEntropyLogits(x, [0, 1], 3, { labelSmoothing: 1.5 }), RangeError,
        "crossEntropyLogits: labelSmoothing must be a number in [0, 1], got 1.5"],
      ["ce reduction batchmean", () => api.crossEntropyLogits(x, [0, 1], 3, { reduction: "batchmean" as never }), RangeError,
        'crossEntropyLogits: reduction must be "none", "sum" or "mean", got "batchmean"'],
      ["weights length", () => api.crossEntropyLogits(x, [0, 1], 3, { weights: [1, 1] }), RangeError,
        "crossEntropyLogits: weights must have one weight per class (3), got 2"],
      ["weights negative", () => api.crossEntropyLogits(x, [0, 1], 3, { weights: [1, -1, 1] }), RangeError,
        "crossEntropyLogits: weights[1] is negative (-1); values must be finite and >= 0"],
      ["perplexity options", () => api.perplexity(x, [0, 1], 3, { labelSmoothing: 0.1 } as never), TypeError,
        "perplexity: unknown option 'labelSmoothing'"],
      ["options type", () => api.entropyLogits(x, 3, 2 as never), TypeError, "entropyLogits: options must be an object, got number"],
    ];
    for (const [what, f, E, msg] of cases) {
      it(what, () => {
        let err: unknown;
        try { f(); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(E);
        expect((err as Error).message).toBe(msg);
      });
    }
  });
}

export const ENGINES: [string, LogitsEngine][] = [["twin", twinLogitsEngine], ["wasm", wasmLogitsEngine]];
for (const [label, engine] of ENGINES) {
  logitsSuite(label, engine);
  logitsEdgeSuite(label, engine);
}
