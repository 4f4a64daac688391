// The WebAssembly logits engine (src/logits/wasm.ts, assembly/logits.ts) against the pure-TS twin:
// random and adversarial rows (logits up to ±1e4, all-equal rows, one column, masked classes and
// rows, rows longer than the scratch), float64 and float32 inputs and outputs, every kernel.
// Bounds: float64 within 1e-13 of the twin (relative to the value's scale, see `close`), float32
// (terms in float32 lanes, sums in float64) within 1e-6 of the twin's float64 computation on the
// same values.
import { describe, it, expect } from "vitest";
import "../src/logits/provision.js";
import { wasmLogitsEngine as W, SMALL_LOGITS } from "../src/logits/wasm.js";
import { twinLogitsEngine as T } from "../src/logits/twin.js";
import { CHUNK } from "../src/core/wasm.js";
import { ROW_MAX } from "../src/logits/wasm.js";
import type { Logits } from "../src/logits/api.js";
import { rng } from "./helpers/random.js";

type Kind = "normal" | "wide" | "equal" | "masked" | "huge" | "sparse";

function logits(kind: Kind, rows: number, cols: number, seed: number, f32: boolean): Logits {
  const r = rng(seed);
  const x = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let i = 0; i < x.length; i++) {
    const g = Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
    x[i] = kind === "normal" ? 3 * g : kind === "wide" ? 40 * g : kind === "equal" ? 7.25
      : kind === "huge" ? (r() < 0.5 ? 1e4 : -1e4) + 5 * g
      : kind === "sparse" ? (r() < 0.9 ? -Infinity : 2 * g)
      : r() < 0.3 ? -Infinity : 2 * g;
  }
  if (kind === "masked" || kind === "sparse") {
    // one row fully masked, one with a single unmasked class (when there are rows to spare)
    if (rows > 2) {
      x.fill(-Infinity, 0, cols);
      x.fill(-Infinity, cols, 2 * cols);
      x[cols + (seed % cols)] = 1.5;
    }
  }
  return x;
}

/** Max over i of |w_i − t_i| / (|t_i| + floor) (equal infinities count 0; NaN counts Infinity). */
function err(w: ArrayLike<number>, t: ArrayLike<number>, floor: number): number {
  let e = 0;
  for (let i = 0; i < t.length; i++) {
    if (w[i] === t[i]) continue;
    const d = Math.abs(w[i] - t[i]) / (Math.abs(t[i]) + floor);
    e = Math.max(e, Number.isNaN(d) ? Infinity : d);
  }
  return e;
}

/** Per-row error of an output or gradient row against the twin's, relative to the row's largest entry
 *  plus floor(r): the scale of the terms that make up an entry (a gradient's entries are differences of
 *  terms up to that size, which no engine rounds better than relative to it). */
function rowErr(w: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number, floor = (_r: number) => 0): number {
  let e = 0;
  for (let r = 0; r < rows; r++) {
    let m = floor(r);
    for (let j = 0; j < cols; j++) m = Math.max(m, Math.abs(t[r * cols + j]));
    for (let j = 0; j < cols; j++) {
      const a = w[r * cols + j], b = t[r * cols + j];
      if (a === b) continue;
      const d = Math.abs(a - b) / (m + 1e-300);
      e = Math.max(e, Number.isNaN(d) ? Infinity : d);
    }
  }
  return e;
}

const worst: Record<string, number> = {};
function record(name: string, e: number, tol: number): void {
  worst[name] = Math.max(worst[name] ?? 0, e);
  expect(e, name).toBeLessThanOrEqual(tol);
}

const SHAPES: Array<[number, number]> = [[3, 1], [64, 1], [5, 7], [9, 33], [17, 100], [4, 1000], [3, 8191], [2, CHUNK + 5],
  [2, 3 * CHUNK + 13], [1, 40000], [2, ROW_MAX + 9]];
const KINDS: Kind[] = ["normal", "wide", "equal", "masked", "huge", "sparse"];

describe("logits engine: WebAssembly against the twin", () => {
  for (const f32 of [false, true]) {
    const name = f32 ? "f32" : "f64";
    for (const kind of KINDS) {
      // logits near ±1e4: the twin forms x·invT − m (PyTorch's rounding), the kernels (x − M)·invT; the
      // two differ by up to 2^-53 |x·invT| in each exponent
      const tol = f32 ? 1e-6 : kind === "huge" ? 1e-12 : 1e-13;
      it(`${name} ${kind}: logSumExp, logSoftmax, softmax, entropy`, () => {
        let seed = 1;
        for (const [rows, cols] of SHAPES) {
          if (rows * cols < SMALL_LOGITS) continue;
          for (const invT of [1, 0.5, 1 / 3]) {
            const x = logits(kind, rows, cols, seed++, f32);
            const lw = new Float64Array(rows), lt = new Float64Array(rows);
            W.logSumExp(x, rows, cols, invT, lw);
            T.logSumExp(x, rows, cols, invT, lt);
            record(`${name} logSumExp`, err(lw, lt, 1), tol);
            for (const exp of [false, true]) {
              for (const y32 of [false, true]) {
                const yw = y32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
                const yt = new Float64Array(rows * cols);
                W.logSoftmax(x, rows, cols, invT, exp, yw);
                T.logSoftmax(x, rows, cols, invT, exp, yt);
                const yTol = y32 ? Math.max(tol, 2 ** -23) : tol;
                record(`${name} ${exp ? "softmax" : "logSoftmax"}${y32 ? " (f32 out)" : ""}`,
                  exp ? rowErr(yw, yt, rows, cols) : err(yw, yt, 1), yTol);
              }
            }
            const hw = new Float64Array(rows), ht = new Float64Array(rows);
            W.entropy(x, rows, cols, invT, hw);
            T.entropy(x, rows, cols, invT, ht);
            record(`${name} entropy`, err(hw, ht, 1), tol);
          }
        }
      });

      it(`${name} ${kind}: klLogits forward and reverse, with gradients`, () => {
        let seed = 100;
        for (const [rows, cols] of SHAPES) {
          if (rows * cols < SMALL_LOGITS) continue;
          const a = logits(kind, rows, cols, seed++, f32);
          // the student: the teacher plus noise (masks kept where the teacher has them, sometimes more)
          const b = logits(kind === "equal" ? "normal" : kind, rows, cols, seed++, f32);
          for (let i = 0; i < b.length; i++) if (a[i] === -Infinity && kind !== "sparse") b[i] = -Infinity;
          for (const reverse of [false, true]) {
            for (const invT of [1, 0.5]) {
              const ow = new Float64Array(rows), ot = new Float64Array(rows);
              const scale = Float64Array.from({ length: rows }, (_, r) => 1 / rows + r);
              for (const g32 of [false, true]) {
                const gw = g32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
                const gt = new Float64Array(rows * cols);
                W.klLogits(a, b, rows, cols, invT, reverse, ow, gw, scale);
                T.klLogits(a, b, rows, cols, invT, reverse, ot, gt, scale);
                record(`${name} kl${reverse ? " reverse" : ""}`, err(ow, ot, 1e-2), tol);
                // forward: entries g invT (q − p), |q − p| <= 1; reverse: g invT q (log q − log p − KL)
                const floor = (r: number) => scale[r] * invT * (reverse ? 1 + Math.abs(ot[r] === Infinity ? 0 : ot[r]) : 1);
                record(`${name} kl${reverse ? " reverse" : ""} grad${g32 ? " (f32 out)" : ""}`, rowErr(gw, gt, rows, cols, floor),
                  g32 ? Math.max(tol, 2 ** -22) : tol);
              }
              const on = new Float64Array(rows);
              W.klLogits(a, b, rows, cols, invT, reverse, on);
              // (forward with a gradient takes klStoreRows' path: the same bounds, not the same bits)
              record(`${name} kl${reverse ? " reverse" : ""} without gradient`, err(on, ow, 1e-2), tol);
            }
          }
        }
      });

      it(`${name} ${kind}: crossEntropy (smoothing, weights, ignored rows), with gradients`, () => {
        let seed = 200;
        for (const [rows, cols] of SHAPES) {
          if (rows * cols < SMALL_LOGITS) continue;
          const x = logits(kind, rows, cols, seed, f32);
          const r = rng(seed++);
          const labels = Int32Array.from({ length: rows }, (_, i) => i % 5 === 3 ? -100 : Math.floor(r() * cols));
          const weights = Float64Array.from({ length: cols }, () => (r() < 0.1 ? 0 : 0.5 + r()));
          const scale = Float64Array.from({ length: rows }, () => 0.25 + r());
          for (const smoothing of [0, 0.1, 1]) {
            for (const w of [undefined, weights]) {
              const ow = new Float64Array(rows), ot = new Float64Array(rows);
              const gw = new Float64Array(rows * cols), gt = new Float64Array(rows * cols);
              W.crossEntropy(x, labels, rows, cols, smoothing, w, -100, ow, gw, scale);
              T.crossEntropy(x, labels, rows, cols, smoothing, w, -100, ot, gt, scale);
              const tag = `${name} crossEntropy`;
              record(tag, err(ow, ot, 1), tol);
              // entries g ((1 − s) w_y (p_k − [k = y]) + (s / C)(W p_k − w_k))
              const wmax = w === undefined ? 1 : Math.max(...w);
              record(`${tag} grad`, rowErr(gw, gt, rows, cols, (r) => scale[r] * 2 * wmax), tol);
            }
          }
        }
      });
    }
  }

  it("worst differences from the twin", () => {
    console.log(Object.entries(worst).map(([k, v]) => `${k}: ${v.toExponential(2)}`).join("\n"));
  });
});

describe("logits engine: float32 log-sum-exp where the loss is small or the logits large", () => {
  it("confident rows (cross-entropy of the argmax 1e-6 to 1e-2): within 1e-6 relative of the twin, row by row", () => {
    // x − M rounds in float32: the others all equal, at a value whose difference from M rounds by nearly half an ulp
    // (every term the same error), or spread over [M − 20, M − 8]. The kernel keeps that rounding error (TwoSum),
    // which the loss log(1 + R), R the others' mass, needs to 1e-6 of itself (left out: 2^-24 |x − M| relative,
    // 1.4e-6 at x − M = -23). Losses from 1e-6 up: below, float64 sums of 32000 terms (the twin's compensated, the
    // kernel's per lane) no longer carry 1e-6 of the loss.
    const cols = 32000, rows = 12, x = new Float32Array(rows * cols), r = rng(99);
    const labels = new Int32Array(rows);
    for (let k = 0; k < rows; k++) {
      const M = Math.fround(3.3 + 1.37 * k), o = k * cols;
      if (k % 4 === 3) {
        for (let j = 0; j < cols; j++) x[o + j] = M - 8 - 12 * r();
      } else {
        // the float32 v near M − d whose difference from M rounds worst
        const d = 18 + (6 * k) / rows;
        let v = 0, worstRound = -1;
        for (let t = 0; t < 4096; t++) {
          const c = Math.fround(M - d - t * 1e-5), e = c - M, q = Math.abs(Math.fround(e) - e) / Math.abs(e);
          if (q > worstRound) { worstRound = q; v = c; }
        }
        x.fill(v, o, o + cols);
      }
      labels[k] = (k * 7919) % cols;
      x[o + labels[k]] = M;
    }
    for (const invT of [1, 0.5]) {
      const lw = new Float64Array(rows), lt = new Float64Array(rows);
      W.logSumExp(x, rows, cols, invT, lw);
      T.logSumExp(x, rows, cols, invT, lt);
      record("f32 logSumExp (confident rows)", err(lw, lt, 0), 1e-6);
    }
    const ow = new Float64Array(rows), ot = new Float64Array(rows);
    W.crossEntropy(x, labels, rows, cols, 0, undefined, -100, ow);
    T.crossEntropy(x, labels, rows, cols, 0, undefined, -100, ot);
    for (let k = 0; k < rows; k++) expect(ot[k]).toBeGreaterThan(1e-6);
    // 1e-6 is the promise; these rows measure 5.7e-8 (7.8e-7 with the rounding error of x − M left out): 3e-7 holds
    // the kernel to keeping it
    record("f32 crossEntropy (confident rows)", err(ow, ot, 0), 3e-7);
    console.log(["f32 logSumExp (confident rows)", "f32 crossEntropy (confident rows)"].map((k) => `${k}: ${worst[k].toExponential(2)}`).join("\n"));
  });

  it("logits of 1e9 to 1e30 (float32 ulps above 87): log-sum-exp and cross-entropy as the twin's", () => {
    for (const M of [1e6, 1e9, 3e9, 1e30, -3e9]) {
      const x = new Float32Array(64).fill(M < 0 ? 2 * M : 0);
      x[0] = M; x[5] = Math.fround(M) - 2 ** 8; x[40] = M; x[41] = Math.fround(M) - 2 ** 30;
      const lw = new Float64Array(2), lt = new Float64Array(2), ow = new Float64Array(2), ot = new Float64Array(2);
      W.logSumExp(x, 2, 32, 1, lw);
      T.logSumExp(x, 2, 32, 1, lt);
      expect(Array.from(lw)).toEqual(Array.from(lt));
      const labels = Int32Array.from([0, 8]);
      W.crossEntropy(x, labels, 2, 32, 0, undefined, -100, ow);
      T.crossEntropy(x, labels, 2, 32, 0, undefined, -100, ot);
      for (let k = 0; k < 2; k++) expect(Math.abs(ow[k] - ot[k])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ot[k])));
    }
  });
});

describe("the logits module beside the others", () => {
  it("its exports do not replace another module's kernels on a shared instance", async () => {
    const kl = await import("../src/index.js");
    const p = new Float64Array(64).fill(1 / 64);
    const x = new Float64Array(64).fill(0);
    const out = new Float64Array(1);
    W.entropy(x, 1, 64, 1, out); // the logits module instantiated on the private instance too
    expect(out[0]).toBeCloseTo(Math.log(64), 14);
    expect(kl.entropy(p)).toBeCloseTo(Math.log(64), 14); // discrete's entropyRows, not logits'
  });
});

describe("logits engine: output over its own input", () => {
  it("logSoftmax and softmax with y = x give what a separate output gets (whole rows and segments)", () => {
    for (const f32 of [false, true]) {
      for (const [rows, cols] of [[7, 300], [2, ROW_MAX + 9]] as Array<[number, number]>) {
        for (const exp of [false, true]) {
          const x = logits("normal", rows, cols, 7, f32);
          const y = f32 ? new Float32Array(x.length) : new Float64Array(x.length);
          W.logSoftmax(x, rows, cols, 0.5, exp, y);
          const z = x.slice();
          W.logSoftmax(z, rows, cols, 0.5, exp, z);
          expect(Array.from(z)).toEqual(Array.from(y));
        }
      }
    }
  });
});
