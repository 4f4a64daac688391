// The logits family's semantics against PyTorch (test/fixtures/logits.json, scripts/fixtures/logits.py):
// every function, reduction, temperature, direction, smoothing, weights and ignoreIndex, on random and
// adversarial logits (±1e4, all-equal rows, one column, -Infinity masks, 32000 columns), float64 and float32;
// then the edge cases PyTorch answers with NaN (the library's documented values), and every error message.
// Runs over a list of engines: add an engine to ENGINES (or call logitsSuite(name, engine)).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { type LogitsEngine, type LogitsApi, makeLogitsApi } from "../src/logits/api.js";
import { twinLogitsEngine } from "../src/logits/twin.js";

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

export const ENGINES: [string, LogitsEngine][] = [["twin", twinLogitsEngine]];
for (const [label, engine] of ENGINES) logitsSuite(label, engine);
