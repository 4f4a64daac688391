// The divergence family's WebAssembly engine: the span kernels of assembly/divergence.ts (KINDs of
// assembly/core/span.ts) driven by src/core/wasm.ts's runRows, with the discrete engine's row helpers
// (sumsOf, twinRows, inRange). Each function has the twin's signature and result (twin.ts); rows the
// kernels hand back are recomputed by the twin: sums outside [1e-30, 1e30] (normalize: true), a Rényi
// sum that reached +Infinity (a pole or an overflow: the twin decides, by log-sum-exp), a direct sum
// whose exponents left exp's range, and the order α = ∞ (a maximum: the twin in both builds); the order 1 is
// the KL kernel (divKlRows).
// Float32Array input is widened to float64 (wide mode): there are no float32 kernels in this module.
import type { RowsFn } from "../discrete/twin.js";
import { row, twinRows, sumsOf, inRange, divergence } from "../discrete/wasm.js";
import { klRowsRef } from "../discrete/twin.js";
import { runRows, CHUNK, type KernelName, type KernelArgs } from "../core/wasm.js";
import { type Vector, type Parsed, throwFirstBad } from "../core/validate.js";
import { Sum, compensatedSum } from "../core/sum.js";
import { type DivergenceEngine, twinDivergenceEngine as twin, massesOf, bhattacharyyaNear, bhattacharyyaOf, underflows } from "./twin.js";

/**
 * A kernel of x = a p and y = b q (a = s / Σp, b = s / Σq when normalising, s otherwise: s = ½ for total
 * variation, whose kernel sums |x − y|, else 1), the rows whose sums leave [1e-30, 1e30] by the twin.
 */
function scaled(kernel: KernelName, ref: RowsFn, s: number): RowsFn {
  return (fn, p, q, rows, cols, o, out, sums) => {
    const report = () => throwFirstBad(fn, p, q);
    const args: KernelArgs = { lo: 0, hi: 0, a: s, b: s, wide: true };
    if (o.normalize !== true) {
      runRows(fn, kernel, p, q, rows, cols, args, out, report, sums);
      return;
    }
    const { sp, sq } = sumsOf(fn, p, q, rows, cols, report);
    const params = new Float64Array(rows * 4), back = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      back[r] = inRange(sp[r]) && inRange(sq![r]) ? 0 : 1;
      params.set(back[r] ? [0, 0, s, s] : [0, 0, s / sp[r], s / sq![r]], r * 4);
    }
    runRows(fn, kernel, p, q, rows, cols, { ...args, params }, out, report);
    twinRows(ref, fn, p, q, cols, o, out, back);
  };
}

const hellinger = scaled("divHellingerRows", twin.hellinger, 1);

/**
 * Rényi entropy (one: q is p, clipped to the constant [Σp, Σp], so that l = log(p / Σp)), Rényi divergence
 * (l = log((Σq / Σp) p / q), q unclipped) and Tsallis entropy: E = Σ x expm1((α − 1) l) by the kernel, then
 * log1p(E / W) / (α − 1) (Tsallis: −E / (α − 1)); where E / W < −½ (Σ x^α y^(1−α) below half the mass W)
 * the row's sum T is taken directly, log(T / W) / (α − 1). The entropies take T first (one-input kernels: q
 * is not passed) and keep it where it is at most W / 2 (Rényi: or at least 2W; Tsallis: (W − T) / (α − 1),
 * W from the kernel's exact sum, where |T − W| ≥ W / 2: no more than a factor 2 of cancellation).
 */
function power(kind: "renyiEntropy" | "renyiDivergence" | "tsallisEntropy"): RowsFn {
  const ref = twin[kind], two = kind === "renyiDivergence", sign = kind === "renyiEntropy" ? -1 : 1;
  return (fn, p, q0, rows, cols, o, out, sums) => {
    const alpha = o.alpha!;
    if (alpha === Infinity) return ref(fn, p, q0, rows, cols, o, out, sums);
    if (alpha === 1) return orderOne(kind, fn, p, q0, rows, cols, o, out, sums);
    const beta = alpha - 1, norm = o.normalize === true, qv = two ? q0! : undefined, q = qv;
    const report = () => throwFirstBad(fn, p, qv);
    const { sp, sq } = norm ? sumsOf(fn, p, qv, rows, cols, report) : { sp: undefined, sq: undefined };
    const params = new Float64Array(rows * 4), back = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      back[r] = norm && !(inRange(sp![r]) && (!two || inRange(sq![r]))) ? 1 : 0;
      const s = norm && !back[r] ? sp![r] : 1, i = r * 4;
      // [lo, hi, a, b]: [0, ∞, Σq / Σp, β] or [s, s, 1, β]
      params[i] = two ? 0 : s;
      params[i + 1] = two ? Infinity : s;
      params[i + 2] = two && norm && !back[r] ? sq![r] / s : 1;
      params[i + 3] = beta;
    }
    const mass = new Float64Array(2 * rows), one = new Float64Array(1), raw = new Float64Array(rows);
    // (b: every row's b, which selects the kernels' square-root forms for b = ±½)
    const args: KernelArgs = { lo: 0, hi: 0, a: 0, b: beta, clips: true, wide: true };
    /** One kernel over every row (with the sums as read), or over the rows marked in `need`: one call for all of
     *  them where they are many, one call a row where they are few. */
    const pass = (kernel: KernelName, need?: Uint8Array) => {
      let n = rows;
      if (need !== undefined) { n = 0; for (let r = 0; r < rows; r++) n += need[r]; }
      if (n === 0) return;
      if (need === undefined || n > rows / 8) {
        runRows(fn, kernel, p, q, rows, cols, { ...args, params }, raw, report, need === undefined ? mass : undefined);
        return;
      }
      for (let r = 0; r < rows; r++) {
        if (!need[r]) continue;
        const pr = params.subarray(r * 4, r * 4 + 4);
        runRows(fn, kernel, row(p, r, cols), q && row(q, r, cols), 1, cols, { ...args, lo: pr[0], hi: pr[1], a: pr[2], b: pr[3] }, one, report);
        raw[r] = one[0];
      }
    };
    // E = Σ x^α y^(1−α) − W (expm1 form) or T = Σ x^α y^(1−α) (direct) of row r, from the pass just run: the
    // value if that form suits the row (E / W ≥ −½; T < W / 2 or, entropies, T > 2W; Tsallis |T − W| ≥ W / 2;
    // `last`: whatever it is), else 0 (the other form), or 1 (the twin: a sum that is not finite, or a direct T
    // that underflowed)
    const take = (r: number, direct: boolean, last: boolean): number => {
      const w = norm ? 1 : mass[2 * r], v = raw[r] / (norm ? sp![r] : 1);
      // (a direct sum that lost digits to underflow, relative to W or to 1 in the kernel's own scale: the twin's log-sum-exp)
      if (!(v < Infinity) || (direct && (underflows(v, w) || underflows(raw[r], 1)))) return 1;
      if (kind === "tsallisEntropy") {
        if (!direct) out[r] = -v / beta;
        else if (last || Math.abs(v - w) >= w / 2) out[r] = (w - v) / beta;
        else return 0;
      } else if (direct && (last || v < w / 2 || (!two && v > 2 * w))) out[r] = (sign * Math.log(v / w)) / beta;
      else if (!direct && (last || v / w >= -0.5)) out[r] = (sign * Math.log1p(v / w)) / beta;
      else return 0;
      return -1;
    };
    // the direct form first where it is the likely one (entropies: Σ x^α is far from W unless x is near one-hot);
    // then the other form for the rows that need it
    const directFirst = !two;
    // the order 2: the kernels without exp and log (x (x − y) / y and x² / y)
    const [viaExpm1, direct]: KernelName[] = alpha === 2 ? ["divPow2Rows", "divPowDirect2Rows"] : ["divPowRows", "divPowDirectRows"];
    pass(directFirst ? direct : viaExpm1);
    if (sums !== undefined) sums.set(mass);
    const other = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      if (back[r]) continue;
      const t = take(r, directFirst, false);
      if (t >= 0) (t === 0 ? other : back)[r] = 1;
    }
    pass(directFirst ? viaExpm1 : direct, other);
    for (let r = 0; r < rows; r++) if (other[r] && take(r, !directFirst, true) === 1) back[r] = 1;
    twinRows(ref, fn, p, qv, cols, o, out, back);
  };
}

/** The discrete family's normalised KL over this module's KL kernel (eps 0: q / Σq is never clipped). */
const klNormalised = divergence("divKlRows", klRowsRef, false, true);

/**
 * The order 1: Σ x log(x / y) / W (KL; normalised: the discrete engine's KL with eps 0), −Σ x log x / W (the
 * entropy: q = p clipped to [s, s], s = Σp or 1, as the discrete entropy does) and −Σ x log x (Tsallis), by the
 * KL kernel with q unclipped above (hi = +Inf). W: the row's sum as read (1 when normalised).
 */
function orderOne(kind: "renyiEntropy" | "renyiDivergence" | "tsallisEntropy", fn: string, p: Vector, q: Vector | undefined,
                  rows: number, cols: number, o: Parsed, out: Float64Array, sums?: Float64Array): void {
  const norm = o.normalize === true, two = kind === "renyiDivergence";
  if (two && norm) return klNormalised(fn, p, q, rows, cols, { ...o, eps: 0 }, out, sums);
  const report = () => throwFirstBad(fn, p, two ? q : undefined);
  const mass = new Float64Array(2 * rows), params = new Float64Array(rows * 4), back = new Uint8Array(rows);
  const { sp } = norm ? sumsOf(fn, p, undefined, rows, cols, report) : { sp: undefined };
  for (let r = 0; r < rows; r++) {
    back[r] = norm && !inRange(sp![r]) ? 1 : 0;
    const s = norm && !back[r] ? sp![r] : 1;
    params.set(two ? [0, Infinity, 0, 0] : [s, s, 0, 0], r * 4);
  }
  runRows(fn, "divKlRows", p, two ? q : p, rows, cols, { lo: 0, hi: 0, a: 0, b: 0, params, clips: true, wide: true }, out, report, mass);
  if (sums !== undefined) sums.set(mass);
  for (let r = 0; r < rows; r++) {
    const v = two ? out[r] : -out[r] / (norm && !back[r] ? sp![r] : 1);
    out[r] = kind === "tsallisEntropy" || norm ? (norm ? Math.max(0, v) : v) : v / mass[2 * r];
  }
  twinRows(twin[kind], fn, p, two ? q : undefined, cols, o, out, back);
}

/**
 * Bhattacharyya: the Hellinger kernel's H², then bhattacharyyaOf (twin.ts): near rows from H² and the masses,
 * far rows from the Σ √x √y kernel (the twin's row where the sums leave [1e-30, 1e30]). As given, the kernel
 * sums the masses W as it reads them within u W + ½ ulp (lo = 1: pairs rounded once, then added by TwoSum; one
 * more ulp for each segment of a row longer than CHUNK; the test below allows 4 u W a segment and mass), and near
 * rows take W − 1 from them where that error is below 2^-47 of
 * the result's log1p argument (rows whose masses are far from 1 need no W − 1); other near rows sum their masses
 * again (massesOf: W − 1 to full precision).
 */
const bhattacharyya: RowsFn = (fn, p, q0, rows, cols, o, out, sums) => {
  const q = q0!, norm = o.normalize === true;
  let mass: Float64Array | undefined;
  if (norm) hellinger(fn, p, q, rows, cols, o, out, sums);
  else {
    mass = new Float64Array(2 * rows);
    runRows(fn, "divHellingerRows", p, q, rows, cols, { lo: 1, hi: 0, a: 1, b: 1, wide: true }, out, () => throwFirstBad(fn, p, q), mass);
    if (sums !== undefined) sums.set(mass);
  }
  const one = new Float64Array(1), back = new Uint8Array(rows), segments = Math.ceil(cols / CHUNK);
  for (let r = 0; r < rows; r++) {
    const start = r * cols, end = start + cols;
    if (mass !== undefined) {
      const h2 = out[r], wx = mass[2 * r], wy = mass[2 * r + 1], t = (wx - 1) / 2 + (wy - 1) / 2 - h2;
      // (masses far from 1 need no W − 1: bhattacharyyaNear takes log((Wx + Wy)/2 − H²) there)
      const far = !(Math.abs(wx - 1) <= 0.5 && Math.abs(wy - 1) <= 0.5);
      const v = far || (segments + 1) * 2 ** -52 * (wx + wy) <= 2 ** -47 * Math.abs(t) ? bhattacharyyaNear(h2, wx, wy, wx - 1, wy - 1) : NaN;
      if (v === v) {
        out[r] = v;
        continue;
      }
    }
    out[r] = bhattacharyyaOf(out[r], massesOf(p, q, start, end, norm), () => {
      const sp = norm ? compensatedSum(row(p, r, cols)) : 1, sq = norm ? compensatedSum(row(q, r, cols)) : 1;
      if (!(inRange(sp) && inRange(sq))) { back[r] = 1; return NaN; }
      runRows(fn, "divBhattacharyyaRows", row(p, r, cols), row(q, r, cols), 1, cols,
        { lo: 0, hi: 0, a: 1 / sp, b: 1 / sq, wide: true }, one, () => throwFirstBad(fn, p, q));
      return one[0];
    });
  }
  twinRows(twin.bhattacharyya, fn, p, q, cols, o, out, back);
};

/**
 * jensenShannonMany by the KL kernel: M = Σ π_i x_i column by column (the rows x_i = P_i f_i / s_i, copied only
 * where a row is scaled), then Σ π_i KL(x_i‖M) over the rows with π_i > 0 (each KL ≥ 0: no O(1) constant cancels;
 * M > 0 wherever π_i x_i > 0, so no pole), compensated.
 */
const jensenShannonMany: DivergenceEngine["jensenShannonMany"] = (P, k, cols, w, f, s) => {
  let X = P;
  if (f.some((v) => v !== 1) || s.some((v) => v !== 1)) {
    const Y = new Float64Array(k * cols);
    for (let i = 0; i < k; i++) for (let j = i * cols; j < (i + 1) * cols; j++) Y[j] = (P[j] * f[i]) / s[i];
    X = Y;
  }
  const m = new Float64Array(cols), one = new Float64Array(1), acc = new Sum();
  for (let i = 0; i < k; i++) for (let j = 0; j < cols; j++) m[j] += w[i] * X[i * cols + j];
  for (let i = 0; i < k; i++) {
    if (!(w[i] > 0)) continue;
    runRows("jensenShannonMany", "divKlRows", row(X, i, cols), m, 1, cols, { lo: 0, hi: Infinity, a: 0, b: 0, clips: true, wide: true },
      one, () => throwFirstBad("jensenShannonMany", X));
    acc.add(w[i] * one[0]);
  }
  return Math.max(0, acc.value);
};

/** The WebAssembly engine of kl-wasm/divergences. */
export const wasmDivergenceEngine: DivergenceEngine = {
  renyiEntropy: power("renyiEntropy"),
  renyiDivergence: power("renyiDivergence"),
  tsallisEntropy: power("tsallisEntropy"),
  hellinger,
  totalVariation: scaled("divTotalVariationRows", twin.totalVariation, 0.5),
  chiSquare: scaled("divChiSquareRows", twin.chiSquare, 1),
  jeffreys: scaled("divJeffreysRows", twin.jeffreys, 1),
  bhattacharyya,
  jensenShannon: twin.jensenShannon,
  jensenShannonMany,
};
