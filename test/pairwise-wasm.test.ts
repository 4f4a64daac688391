// The WebAssembly pairwise engine (src/pairwise/wasm.ts, assembly/pairwise.ts) against the twin engine
// (each cell the discrete family's direct row function), cell by cell, on the plan's contract:
//   float64: |wasm − twin| ≤ 1e-14 (S + C) for every cell, ≤ 1e-14 S for cells the guard refines
//            (checked where the twin's value is below GUARD C / 2: those are refined for sure),
//   float32 (Jensen–Shannon's float32 kernel): ≤ 1e-6 (S + C),
//   S = Σ (|term| + p + q) of the direct form, C the guard's scale (kl and cross-entropy: Σ p|log p| +
//   Σ p|log clip q|; JS: Σ p|log p| + Σ q|log q|); infinities equal, never NaN where the twin is finite.
// Random shapes (odd sizes, tiles split and offset), Dirichlet-like rows, sparse rows, hostile values with
// normalize: false (values > 1, up to 1e300, subnormals, all-zero rows, eps = 0, float32 extremes).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import "../src/pairwise/provision.js";
import { wasmPairwiseEngine as W, setPairsSmall, setPairsOwnBytes, GUARD } from "../src/pairwise/wasm.js";
import { twinPairwiseEngine as T } from "../src/pairwise/twin.js";
import type { PairKernel, PairInput } from "../src/pairwise/api.js";
import { rng } from "./helpers/random.js";

setPairsSmall(0); // the WebAssembly kernels even for the smallest calls

const KERNELS: PairKernel[] = ["kl", "crossEntropy", "jensenShannon", "hellinger", "totalVariation"];
type Kind = "dirichlet" | "sparse" | "hostile" | "tiny32" | "big32" | "near" | "wide" | "peaked";

function rows(kind: Kind, m: number, cols: number, seed: number, f32: boolean): Float64Array | Float32Array {
  const r = rng(seed);
  const x = f32 ? new Float32Array(m * cols) : new Float64Array(m * cols);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const row = x.subarray(i * cols, (i + 1) * cols);
    for (let c = 0; c < cols; c++) {
      const u = r();
      let v: number;
      switch (kind) {
        case "sparse": v = u < 0.4 ? 0 : -Math.log(r() + 1e-300); break;
        case "hostile": {
          const k = Math.floor(u * 10);
          v = k === 0 ? 0 : k === 1 ? 1e300 * r() : k === 2 ? 4e-310 * r() : k === 3 ? 5 + 100 * r()
            : k === 4 ? 1e-200 * r() : k === 5 ? 2.5e-308 : r();
          break;
        }
        case "tiny32": {
          const k = Math.floor(u * 6);
          v = k === 0 ? 0 : k === 1 ? 1e-40 * r() : k === 2 ? 1e-30 * r() : k === 3 ? 1e30 * r() : r();
          break;
        }
        case "big32": {
          // up to the float32 Jensen–Shannon kernel's bound (BIG32 = 2^90, its sums in units of 2^23 / ln 2)
          const k = Math.floor(u * 5);
          v = k === 0 ? 0 : k === 1 ? 2 ** 90 : k === 2 ? 2 ** 89 * (1 + r()) : k === 3 ? r() : 2 ** (80 + 10 * r());
          break;
        }
        case "wide": v = u < 0.1 ? 0 : Math.pow(10, -280 + 560 * r()) * (f32 ? 0 : 1) + (f32 ? Math.pow(10, -30 + 60 * r()) : 0); break;
        case "peaked": v = c === i % cols ? 1 : u < 0.5 ? 1e-9 * r() : u < 0.8 ? 1e-4 * r() : 0; break;
        default: v = -Math.log(r() + 1e-300);
      }
      row[c] = v;
      s += row[c];
    }
    if (kind === "hostile" && i % 5 === 3) row.fill(0); // all-zero rows
    if (kind === "dirichlet" || kind === "sparse" || kind === "near" || kind === "peaked") {
      if (s > 0) for (let c = 0; c < cols; c++) row[c] /= s;
    }
  }
  if (kind === "near" && m > 1) {
    // rows 1.. close to row 0 (relative perturbations 1e-6), so that the guard refines cells
    for (let i = 1; i < m; i++) for (let c = 0; c < cols; c++) x[i * cols + c] = x[c] * (1 + 1e-6 * (r() - 0.5));
  }
  return x;
}

/** S and C of one cell, from its two rows (the twin's direct form's terms). */
function scales(kernel: PairKernel, p: ArrayLike<number>, q: ArrayLike<number>, eps: number): [number, number] {
  let S = 0, C = 0;
  for (let k = 0; k < p.length; k++) {
    const x = p[k], y = q[k];
    S += x + y;
    if (kernel === "kl" || kernel === "crossEntropy") {
      if (!(x > 0)) continue;
      const c = y < eps ? eps : y > 1 ? 1 : y;
      const lc = Math.abs(Math.log(c)), lp = Math.abs(Math.log(x));
      S += kernel === "kl" ? Math.abs(x * (Math.log(x) - Math.log(c))) : x * lc;
      C += x * lp + x * lc;
    } else if (kernel === "jensenShannon") {
      if (x > 0) { S += Math.abs((x * (Math.log(2 * x) - Math.log(x + y))) / 2); C += x * Math.abs(Math.log(x)); }
      if (y > 0) { S += Math.abs((y * (Math.log(2 * y) - Math.log(x + y))) / 2); C += y * Math.abs(Math.log(y)); }
    } else if (kernel === "hellinger") S += (Math.sqrt(x) - Math.sqrt(y)) ** 2 / 2;
    else S += Math.abs(x - y) / 2;
  }
  return [S, C];
}

interface Case { kernel: PairKernel; x: Float64Array | Float32Array; y: Float64Array | Float32Array; m: number; n: number; cols: number; eps: number }

/** Every cell of both engines, through 37 × 29 tiles (or, `whole`, one call for the matrix, which the engine
 *  splits into its own tiles); returns the worst ratios to the bounds. */
function compare(c: Case, whole = false, slack = 0) {
  const f32 = c.x instanceof Float32Array && c.y instanceof Float32Array;
  const input: PairInput = { ...c, f32 };
  const w = new Float64Array(c.m * c.n), t = new Float64Array(c.m * c.n);
  const pw = W.plan(input), pt = T.plan(input);
  try {
    // irregular tiles: 37 × 29 from offset (0, 0), covering the matrix
    const ti = whole ? c.m : 37, tj = whole ? c.n : 29;
    for (let i0 = 0; i0 < c.m; i0 += ti) {
      for (let j0 = 0; j0 < c.n; j0 += tj) {
        const i1 = Math.min(c.m, i0 + ti), j1 = Math.min(c.n, j0 + tj);
        pw.cells(i0, i1, j0, j1, w, i0 * c.n + j0, c.n);
      }
    }
    pt.cells(0, c.m, 0, c.n, t, 0, c.n);
  } finally {
    pw.release();
    pt.release();
  }
  let worst = 0, worstRefined = 0;
  const tol = f32 && c.kernel === "jensenShannon" ? 1e-6 : 1e-14;
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      const a = w[i * c.n + j], b = t[i * c.n + j];
      if (!Number.isFinite(b)) {
        expect([i, j, a]).toEqual([i, j, b]);
        continue;
      }
      expect(Number.isNaN(a), `NaN at (${i}, ${j}), twin ${b}`).toBe(false);
      const p = c.x.subarray(i * c.cols, (i + 1) * c.cols), q = c.y.subarray(j * c.cols, (j + 1) * c.cols);
      const [S, C] = scales(c.kernel, p, q, c.eps);
      const err = Math.abs(a - b);
      const r = err === 0 ? 0 : err / (tol * (S + C) + slack * c.cols * 2 ** -1074);
      if (r > worst) worst = r;
      expect(r, `cell (${i}, ${j}) ${c.kernel}: wasm ${a}, twin ${b}, S ${S}, C ${C}`).toBeLessThanOrEqual(1);
      if (!f32 && (c.kernel === "kl" || c.kernel === "jensenShannon") && b < (GUARD * C) / 2) {
        const rr = err === 0 ? 0 : err / (1e-14 * S + slack * c.cols * 2 ** -1074);
        if (rr > worstRefined) worstRefined = rr;
        expect(rr, `refined cell (${i}, ${j}) ${c.kernel}: wasm ${a}, twin ${b}, S ${S}`).toBeLessThanOrEqual(1);
      }
    }
  }
  return { worst, worstRefined };
}

describe("the WebAssembly pairwise engine against the twin", () => {
  const shapes: Array<[number, number, number]> = [[1, 1, 1], [3, 5, 7], [9, 4, 33], [40, 31, 64], [67, 70, 129], [5, 130, 3]];
  for (const kernel of KERNELS) {
    for (const kind of ["dirichlet", "sparse", "near", "wide", "peaked"] as Kind[]) {
      for (const f32 of [false, true]) {
        it(`${kernel}, ${kind} rows, ${f32 ? "float32" : "float64"}, random shapes`, () => {
          let seed = 17;
          for (const [m, n, cols] of shapes) {
            const x = rows(kind, m, cols, seed++, f32), y = rows(kind, n, cols, seed++, f32);
            for (const eps of kernel === "kl" || kernel === "crossEntropy" ? [1e-15, 0, 1e-3] : [0]) {
              compare({ kernel, x, y, m, n, cols, eps });
              compare({ kernel, x, y: x, m, n: m, cols, eps }); // X against itself
            }
          }
        });
      }
    }
  }

  it("the diagonal of X against itself is exactly what the one-pair function gives (0; cross-entropy aside)", () => {
    const x = rows("dirichlet", 50, 200, 5, false);
    for (const kernel of KERNELS.filter((k) => k !== "crossEntropy")) {
      const p = W.plan({ kernel, x, y: x, m: 50, n: 50, cols: 200, eps: 1e-15, f32: false });
      const out = new Float64Array(50 * 50);
      p.cells(0, 50, 0, 50, out, 0, 50);
      p.release();
      for (let i = 0; i < 50; i++) expect(out[i * 51]).toBe(0);
    }
  });

  for (const kernel of KERNELS) {
    it(`${kernel}: hostile values (normalize: false; > 1, up to 1e300, subnormals, zero rows, eps 0)`, () => {
      let seed = 101;
      for (const [m, n, cols] of [[7, 9, 13], [20, 23, 50], [4, 4, 1]] as const) {
        const x = rows("hostile", m, cols, seed++, false), y = rows("hostile", n, cols, seed++, false);
        for (const eps of kernel === "kl" || kernel === "crossEntropy" ? [1e-15, 0, 1e-320] : [0]) {
          compare({ kernel, x, y, m, n, cols, eps });
          compare({ kernel, x, y: x, m, n: m, cols, eps });
        }
      }
    });
    it(`${kernel}: float32 extremes (subnormal, 1e-30, 1e30, zeros)`, () => {
      let seed = 201;
      for (const [m, n, cols] of [[7, 9, 13], [21, 18, 40]] as const) {
        const x = rows("tiny32", m, cols, seed++, true), y = rows("tiny32", n, cols, seed++, true);
        for (const eps of kernel === "kl" || kernel === "crossEntropy" ? [1e-15, 0] : [0]) {
          compare({ kernel, x, y, m, n, cols, eps });
          compare({ kernel, x, y: x, m, n: m, cols, eps });
        }
      }
    });
  }

  it("float32 Jensen–Shannon up to the fast kernel's largest value (2^90; rows of 2^90 alone, and 2^90 + ε to the direct cells)", () => {
    let seed = 301;
    for (const [m, n, cols] of [[7, 9, 13], [21, 18, 40], [5, 6, 512]] as const) {
      const x = rows("big32", m, cols, seed++, true), y = rows("big32", n, cols, seed++, true);
      x.fill(2 ** 90, 0, cols); // a row of 2^90 alone: 8 steps of the largest terms in one float32 block
      y.fill(2 ** 90, 0, cols);
      compare({ kernel: "jensenShannon", x, y, m, n, cols, eps: 0 });
      compare({ kernel: "jensenShannon", x, y: x, m, n: m, cols, eps: 0 });
      x[cols + 1] = Math.fround(2 ** 90 * (1 + 2 ** -23)); // above the bound: that row's cells are computed directly
      compare({ kernel: "jensenShannon", x, y, m, n, cols, eps: 0 });
    }
  });

  it("the float32 kernel itself (both builds) stays finite up to 2^90 + 2^90 in every lane of a float32 block", () => {
    // the cells above would be rescued by the guard if the kernel overflowed (an infinite sum is below GUARD · C)
    for (const file of ["pairwise.wasm", "pairwise.relaxed.wasm"]) {
      const memory = new WebAssembly.Memory({ initial: 4 });
      const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL(`../build/${file}`, import.meta.url))),
        { env: { memory } }).exports as unknown as { heapBase: WebAssembly.Global; pairMlogm32: (...a: number[]) => void };
      const kp = 64, ni = 4, nj = 2, base = (Number(ex.heapBase.value) + 15) & ~15;
      const A = base, B = A + ni * kp * 4, OUT = B + nj * kp * 4;
      const f = new Float32Array(memory.buffer);
      const r = rng(5);
      for (const all of [false, true]) { // mixed rows; every value 2^90 (8 steps of the largest terms in each block)
        for (let k = 0; k < (ni + nj) * kp; k++) f[A / 4 + k] = all ? 2 ** 90 : k % 7 === 3 ? Math.fround(r()) : k % 5 === 1 ? 0 : 2 ** 90;
        ex.pairMlogm32(A, B, kp, ni, nj, OUT, nj);
        const out = new Float64Array(memory.buffer, OUT, ni * nj);
        for (let i = 0; i < ni; i++) {
          for (let j = 0; j < nj; j++) {
            let want = 0, scale = 0;
            for (let k = 0; k < kp; k++) {
              const v = f[A / 4 + i * kp + k] + f[B / 4 + j * kp + k];
              if (v > 0) { want += v * Math.log(v); scale += Math.abs(v * Math.log(v)); }
            }
            expect(Math.abs(out[i * nj + j] - want), `${file} (${i}, ${j}): ${out[i * nj + j]} against ${want}`).toBeLessThanOrEqual(1e-6 * scale);
          }
        }
      }
    }
  });

  it("pairRowStats (both builds): Σ p log p within 4 u Σ |p log p| of an exact sum, Σ p |log p|, Σ p, min, max", () => {
    const exact = (terms: number[]) => { // Shewchuk's partials (as Python's fsum), then summed: within an ulp of the exact sum
      const parts: number[] = [];
      for (let x of terms) {
        let i = 0;
        for (let y of parts) { if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x]; const hi = x + y, lo = y - (hi - x); if (lo !== 0) parts[i++] = lo; x = hi; }
        parts.length = i; parts.push(x);
      }
      return parts.reduce((a, b) => a + b, 0);
    };
    for (const file of ["pairwise.wasm", "pairwise.relaxed.wasm"]) {
      const memory = new WebAssembly.Memory({ initial: 4 });
      const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL(`../build/${file}`, import.meta.url))),
        { env: { memory } }).exports as unknown as { heapBase: WebAssembly.Global; pairRowStats: (...a: number[]) => void };
      const r = rng(9), rows = 40, kp = 132, base = (Number(ex.heapBase.value) + 15) & ~15, OUT = base + rows * kp * 8;
      const f = new Float64Array(memory.buffer, base, rows * kp);
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < kp; k++) {
          const u = r(), kind = i % 4;
          f[i * kp + k] = k >= 129 || u < 0.15 ? 0 // pads and zeros
            : kind === 1 && u < 0.4 ? 5e-324 * Math.floor(1 + 1000 * r()) // subnormals beside normal values
            : kind === 2 && u < 0.3 ? 1e300 * r() : kind === 3 ? 1e-300 * r() : r();
        }
      }
      f.fill(0, 5 * kp, 6 * kp); // a row of zeros
      ex.pairRowStats(base, rows, kp, OUT);
      const out = new Float64Array(memory.buffer, OUT, rows * 5);
      for (let i = 0; i < rows; i++) {
        const v = [...f.subarray(i * kp, (i + 1) * kp)].filter((x) => x > 0);
        const t = v.map((x) => x * Math.log(x));
        const h = exact(t), scale = t.reduce((a, b) => a + Math.abs(b), 0);
        expect(Math.abs(out[i * 5] - h), `${file} row ${i}: ${out[i * 5]} against ${h}`).toBeLessThanOrEqual(4 * 2 ** -53 * scale);
        expect(Math.abs(out[i * 5 + 1] - scale)).toBeLessThanOrEqual(4 * 2 ** -53 * (kp + 1) * scale);
        expect(Math.abs(out[i * 5 + 2] - exact(v))).toBeLessThanOrEqual(2 ** -53 * (kp + 1) * exact(v));
        expect([out[i * 5 + 3], out[i * 5 + 4]]).toEqual(v.length ? [Math.min(...v), Math.max(...v)] : [Infinity, 0]);
      }
    }
  });

  it("pairLogClip (both builds): log clip(q, eps, 1) within 1 ulp of Math.log's, 0 where the clip is 0, pads zero", () => {
    for (const file of ["pairwise.wasm", "pairwise.relaxed.wasm"]) {
      const memory = new WebAssembly.Memory({ initial: 4 });
      const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL(`../build/${file}`, import.meta.url))),
        { env: { memory } }).exports as unknown as { heapBase: WebAssembly.Global; pairLogClip: (...a: number[]) => void };
      const r = rng(11), rows = 9, base = (Number(ex.heapBase.value) + 15) & ~15;
      for (const [cols, eps] of [[13, 0], [13, 1e-320], [16, 1e-15], [1, 0], [7, 0.25]] as const) {
        const kp = (cols + 3) & ~3, Q = base, B = base + rows * kp * 8;
        const q = new Float64Array(memory.buffer, Q, rows * kp), b = new Float64Array(memory.buffer, B, rows * kp);
        q.fill(0); b.fill(NaN);
        for (let i = 0; i < rows; i++) {
          for (let k = 0; k < cols; k++) {
            const u = r();
            q[i * kp + k] = u < 0.2 ? 0 : u < 0.4 ? 5e-324 * Math.floor(1 + 1e4 * r()) : u < 0.5 ? 1 + 10 * r() : u < 0.6 ? 1e-300 * r() : r();
          }
        }
        ex.pairLogClip(Q, B, rows, cols, kp, eps);
        for (let i = 0; i < rows; i++) {
          for (let k = 0; k < kp; k++) {
            const v = q[i * kp + k], c = Math.min(Math.max(v, eps), 1), got = b[i * kp + k];
            if (k >= cols || c === 0) expect(Object.is(got, 0), `${file} (${i}, ${k}) of ${v}: ${got}`).toBe(true);
            else expect(Math.abs(got - Math.log(c)), `${file} (${i}, ${k}) of ${v}`).toBeLessThanOrEqual(2 ** -52 * Math.abs(Math.log(c)));
          }
        }
      }
    }
  });

  it("a call with a memory of its own (large calls) gives the same cells", () => {
    setPairsOwnBytes(0);
    try {
      const x = rows("dirichlet", 40, 70, 3, false), y = rows("sparse", 33, 70, 4, false);
      for (const kernel of KERNELS) {
        compare({ kernel, x, y, m: 40, n: 33, cols: 70, eps: 0 });
        compare({ kernel, x, y: x, m: 40, n: 40, cols: 70, eps: 1e-15 }, true);
      }
    } finally {
      setPairsOwnBytes(64 * 2 ** 20);
    }
  });

  it("rows of subnormal values: within 1e-14 (S + C) + 4 cols 2^-1074 (JS: no halving of a subnormal before its log)", () => {
    for (const cols of [1, 3, 8]) {
      const m = Math.floor(64 / cols);
      const x = new Float64Array(m * cols).map((_, i) => (i % 2 ? 4.321936518e-313 : 4.7e-322) * (1 + (i % 5)));
      for (const kernel of KERNELS) {
        for (const eps of kernel === "kl" || kernel === "crossEntropy" ? [0, 1e-320, 1e-15] : [0]) {
          compare({ kernel, x, y: x, m, n: m, cols, eps }, false, 4);
        }
      }
    }
  });

  it("larger calls (one cells() call the engine splits): the worst ratios to the bounds (printed)", () => {
    const m = 100, n = 90, cols = 200;
    for (const kind of ["dirichlet", "near", "sparse", "peaked"] as Kind[]) {
      for (const kernel of KERNELS) {
        for (const f32 of [false, true]) {
          const x = rows(kind, m, cols, 7, f32), y = kind === "near" ? x : rows(kind, n, cols, 8, f32);
          const r = compare({ kernel, x, y, m, n: kind === "near" ? m : n, cols, eps: 1e-15 }, true);
          console.log(`${kind} ${kernel} ${f32 ? "f32" : "f64"}: worst |wasm − twin| / bound ${r.worst.toExponential(2)}, ` +
            `refined cells ${r.worstRefined.toExponential(2)}`);
        }
      }
    }
  });
});
