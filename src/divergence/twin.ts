// The divergence family's pure-TypeScript twins: Rényi and Tsallis entropies, the Rényi divergence,
// chi-square, Jeffreys and Bhattacharyya, as row functions over the discrete family's machinery
// (src/discrete/twin.ts: pairRows normalises, checks and runs rows; the blocked compensated sum;
// Hellinger, total variation and Jensen–Shannon are its own row functions). They define what the
// WebAssembly engine (wasm.ts) must reproduce, serve kl-wasm/reference, and run small inputs and the
// rows the kernels hand back (a sum that overflowed).
//
// Values that do not sum to 1 (normalize: false, and the default check's last bits) follow Rényi's
// definitions for incomplete distributions (1961): with W = Σx,
//   H_α = log(Σ x^α / W) / (1 − α),   D_α = log(Σ x^α y^(1−α) / W) / (α − 1),
// which are continuous in α (the plain log Σ x^α / (1 − α) jumps by log W / (1 − α) near α = 1). Both are
// computed as log1p(E / W) / (α − 1) with E = Σ x expm1((α − 1) log(x / y)) (y = 1 for entropies):
// Σ x^α y^(1−α) − W without the cancellation of a sum near W minus W.
import { type Vector, type Parsed } from "../core/validate.js";
import { Sum, total, MIN_NORMAL_F64 } from "../core/sum.js";
import {
  type RowsFn, type PairRow, bad, BLOCK, saw, seen, logRatio, pairRows, entropyRow, divergenceRow, distanceRow,
  hellingerRowsRef, totalVariationRowsRef, jensenShannonRowsRef,
} from "../discrete/twin.js";

/** log x for x = v / a, v > 0: from v and a where the quotient is not a normal number. */
function logOf(v: number, a: number): number {
  const x = v / a;
  return x >= MIN_NORMAL_F64 && x < Infinity ? Math.log(x) : Math.log(v) - Math.log(a);
}

/** log(x / y) for x = v / a > 0, y = w / b (w undefined: y = 1); +Infinity where w = 0. */
function logRatioOf(v: number, w: number | undefined, a: number, b: number): number {
  if (w === undefined) return logOf(v, a);
  if (w === 0) return Infinity;
  const x = v / a, y = w / b;
  if (!(x >= MIN_NORMAL_F64 && y >= MIN_NORMAL_F64)) return logRatio(v, w) + logRatio(b, a);
  // x ≈ y: log1p of the exact difference (Sterbenz), so a tiny log keeps its digits
  const r = x / y;
  return r >= 0.5 && r <= 2 ? Math.log1p((x - y) / y) : logRatio(x, y);
}

/** What the last powerRow saw beyond `seen`: a pole (y = 0 < x). */
export const power = { pole: false };

/**
 * E = Σ over x > 0 of x expm1(β log(x / y)) = Σ x^α y^(1−α) − Σx (α = β + 1), x = p / a, y = q / b (q undefined:
 * y = 1), blocked and compensated; direct: T = Σ x^α y^(1−α) itself (where T is below Σx / 2, E would cancel). A term whose exponent passes 700 (or whose x is below the normal range) is
 * exp(log x + β log(x / y)) − x. A sum that overflows is +Infinity (the caller decides: pole or log-sum-exp).
 */
function powerRow(p: Vector, q: Vector | undefined, start: number, end: number, a: number, b: number, beta: number,
                  direct = false): number {
  let plainP = 0, plainQ = 0, fault = false, s = 0, c = 0, pole = false;
  for (let i = start; i < end;) {
    let k = 0;
    for (const e = Math.min(end, i + BLOCK); i < e; i++) {
      const v = p[i], w = q === undefined ? undefined : q[i];
      if (bad(v) || (w !== undefined && bad(w))) fault = true;
      plainP += v;
      if (w !== undefined) plainQ += w;
      if (!(v > 0)) continue;
      const x = v / a, l = logRatioOf(v, w, a, b), t = beta * l;
      if (l === Infinity) pole = true;
      // α = 0 (β = −1): x (y / x − 1) = y − x directly
      if (beta === -1) k += (w === undefined ? 1 : w / b) - (direct ? 0 : x);
      else if (direct) k += x >= MIN_NORMAL_F64 && t <= 700 ? x * Math.exp(t) : Math.exp(logOf(v, a) + t);
      else k += x >= MIN_NORMAL_F64 && t <= 700 ? x * Math.expm1(t) : Math.exp(logOf(v, a) + t) - x;
    }
    const u = s + k;
    c += Math.abs(s) >= Math.abs(k) ? (s - u) + k : (k - u) + s;
    s = u;
  }
  power.pole = pole;
  return saw(plainP, plainQ, fault, total(s, c));
}

/** log Σ over x > 0 of x^α y^(1−α) by log-sum-exp (sums that overflow or underflow; rows already checked). */
function logPowerSum(p: Vector, q: Vector | undefined, start: number, end: number, a: number, b: number, beta: number): number {
  let m = -Infinity;
  for (let i = start; i < end; i++) {
    if (p[i] > 0) m = Math.max(m, logOf(p[i], a) + beta * logRatioOf(p[i], q?.[i], a, b));
  }
  // (every term 0: disjoint supports at an order below 1)
  if (m === -Infinity) return m;
  const acc = new Sum();
  for (let i = start; i < end; i++) {
    if (p[i] > 0) acc.add(Math.exp(logOf(p[i], a) + beta * logRatioOf(p[i], q?.[i], a, b) - m));
  }
  return m + Math.log(acc.value);
}

/**
 * Whether a directly summed T = Σ x^α y^(1−α) has lost digits to underflow: below 1e-280 of the mass W (a term
 * whose exp underflowed is below 2.2e-308 x, negligible only there) or below 1e-280 itself (a product below the
 * normal range keeps ½ of 2^-1074 absolutely). Such a T is taken again by log-sum-exp (logPowerSum).
 */
export const underflows = (t: number, w: number): boolean => !(t >= 1e-280 * w && t >= 1e-280);

/** The largest log(x / y) over x > 0 (+Infinity at a pole; -Infinity for a row of zeros), checking as it goes. */
function maxLogRow(p: Vector, q: Vector | undefined, start: number, end: number, a: number, b: number): number {
  let plainP = 0, plainQ = 0, fault = false, m = -Infinity;
  for (let i = start; i < end; i++) {
    const v = p[i], w = q === undefined ? undefined : q[i];
    if (bad(v) || (w !== undefined && bad(w))) fault = true;
    plainP += v;
    if (w !== undefined) plainQ += w;
    if (v > 0) m = Math.max(m, logRatioOf(v, w, a, b));
  }
  return saw(plainP, plainQ, fault, m);
}

/** Σx of the row just read: 1 when normalised, the values' sum as given. */
const massOf = (o: Parsed) => (o.normalize === true ? 1 : seen.sp);

/**
 * The Rényi divergence D_α(x‖y) (two) or entropy H_α(x) in nats, Rényi's incomplete-distribution forms (above);
 * α = 1 is KL / Σx and −Σ x log x / Σx, α = ∞ log max x/y and −log max x; α = 0 needs no case of its own
 * (E = Σ over x > 0 of y − Σx, and N₊ − Σx for the entropy).
 */
function renyiRow(two: boolean): PairRow {
  return (p, q, start, end, a, b, o) => {
    const alpha = o.alpha!, sign = two ? 1 : -1;
    if (alpha === 1) {
      const v = two ? divergenceRow(p, q!, start, end, 0, a, b, false, true) : entropyRow(p, start, end, a);
      // (a normalised entropy is ≥ 0: a rounding below is 0, as entropy's)
      return two || o.normalize !== true ? v / massOf(o) : Math.max(0, v);
    }
    if (alpha === Infinity) {
      // (a row of zeros, W = 0: NaN, as every other order leaves it; the api names the sum)
      const m = maxLogRow(p, two ? q : undefined, start, end, a, b);
      return m === -Infinity ? NaN : sign * m;
    }
    const beta = alpha - 1, y = two ? q : undefined;
    // log(T / W) / (α − 1) of T summed directly, or by log-sum-exp where T is beyond the range of doubles or
    // lost digits to underflow (uniform x at α = 110, x = 10^-200 as given)
    const direct = (t: number, w: number) =>
      (sign * (t === Infinity || underflows(t, w) ? logPowerSum(p, y, start, end, a, b, beta) - Math.log(w) : logOf(t, w))) / beta;
    // entropies of order > 1: the direct sum first (Σ x^α is small unless x is near one-hot), as the kernels do
    if (!two && alpha > 1) {
      const t = powerRow(p, y, start, end, a, b, beta, true), w = massOf(o);
      if (seen.bad) return t;
      if (t < w / 2) return direct(t, w);
    }
    const e = powerRow(p, y, start, end, a, b, beta), w = massOf(o);
    if (seen.bad) return e;
    // Σ x^α y^(1−α) beyond the range of doubles (no pole of a positive order): log-sum-exp
    if (e === Infinity && !(power.pole && beta > 0)) return direct(Infinity, w);
    // T = W + E below W / 2: log1p(E / W) would cancel; log(T / W) from T summed directly
    if (e / w < -0.5) return direct(powerRow(p, y, start, end, a, b, beta, true), w);
    return (sign * Math.log1p(e / w)) / beta;
  };
}

/** Tsallis S_q(x) = Σ x ln_q(1/x) = −E / (q − 1) (as given: (Σx − Σx^q) / (q − 1)); q = 1: −Σ x log x. */
const tsallisRow: PairRow = (p, _q, start, end, a, _b, o) => {
  const q = o.alpha!;
  if (q === 1) return o.normalize === true ? Math.max(0, entropyRow(p, start, end, a)) : entropyRow(p, start, end, a);
  return -powerRow(p, undefined, start, end, a, 1, q - 1) / (q - 1);
};

/**
 * Σ (x − y)² / y (Pearson χ², chi) or Σ (x − y) log(x / y) (Jeffreys), term by term (each ≥ 0: no cancellation
 * for x ≈ y); +Infinity where one of x, y is 0 and the other is not (χ²: where y = 0 < x).
 */
function pairTermRow(chi: boolean): PairRow {
  return (p, q0, start, end, a, b) => {
    const q = q0!;
    let plainP = 0, plainQ = 0, fault = false, s = 0, c = 0;
    for (let i = start; i < end;) {
      let k = 0;
      for (const e = Math.min(end, i + BLOCK); i < e; i++) {
        const v = p[i], w = q[i];
        if (bad(v) || bad(w)) fault = true;
        plainP += v;
        plainQ += w;
        const x = v / a, y = w / b, d = x - y;
        if (chi) k += w > 0 ? d * (d / y) : v > 0 ? Infinity : 0;
        else k += v > 0 && w > 0 ? d * logRatioOf(v, w, a, b) : v > 0 || w > 0 ? Infinity : 0;
      }
      const u = s + k;
      c += Math.abs(s) >= Math.abs(k) ? (s - u) + k : (k - u) + s;
      s = u;
    }
    return saw(plainP, plainQ, fault, total(s, c));
  };
}

/** The masses of rows x and y and their distances from 1, for Bhattacharyya: 1 and 0 when normalised; as given,
 *  compensated sums, and Σ − 1 from the sum's two parts (exact where Σ is near 1). */
export function massesOf(p: Vector, q: Vector, start: number, end: number, normalised: boolean) {
  if (normalised) return { wx: 1, wy: 1, dx: 0, dy: 0 };
  // two Neumaier sums side by side, inline (a Sum per element costs twice as much)
  let sx = 0, cx = 0, sy = 0, cy = 0;
  for (let i = start; i < end; i++) {
    const v = p[i], w = q[i], tx = sx + v, ty = sy + w;
    cx += Math.abs(sx) >= Math.abs(v) ? (sx - tx) + v : (v - tx) + sx;
    cy += Math.abs(sy) >= Math.abs(w) ? (sy - ty) + w : (w - ty) + sy;
    sx = tx; sy = ty;
  }
  return { wx: total(sx, cx), wy: total(sy, cy), dx: sx - 1 + cx, dy: sy - 1 + cy };
}

/**
 * Bhattacharyya −log BC, BC = Σ √(xy) = (Wx + Wy)/2 − H², from the Hellinger sum H² = ½ Σ (√x − √y)² and the
 * masses where BC ≥ (Wx + Wy)/4 (H² ≤ (Wx + Wy)/4: at most a factor 2 cancels); NaN elsewhere (BC is then summed
 * directly). Masses within ½ of 1: −log1p((Wx − 1)/2 + (Wy − 1)/2 − H²) with dx, dy = W − 1 to full precision,
 * so that x ≈ y keeps its digits; masses far from 1 (small or large values as given, where W − 1 would cancel
 * against −1): −log((Wx + Wy)/2 − H²).
 */
export function bhattacharyyaNear(h2: number, wx: number, wy: number, dx: number, dy: number): number {
  if (!(h2 <= wx / 4 + wy / 4)) return NaN;
  return Math.abs(dx) <= 0.5 && Math.abs(dy) <= 0.5 ? -Math.log1p(dx / 2 + dy / 2 - h2) : -Math.log(wx / 2 + wy / 2 - h2);
}

/** Bhattacharyya of a row: bhattacharyyaNear, or −log BC with BC = direct() (Σ √x √y summed; disjoint supports:
 *  +Infinity) where BC is below half the mean mass. */
export function bhattacharyyaOf(h2: number, m: ReturnType<typeof massesOf>, direct: () => number): number {
  const v = bhattacharyyaNear(h2, m.wx, m.wy, m.dx, m.dy);
  return v === v ? v : -Math.log(direct());
}

const bhattacharyyaRow: PairRow = (p, q0, start, end, a, b, o) => {
  const q = q0!;
  const h2 = distanceRow(p, q, start, end, a, b, true);
  const fault = seen.bad, sp = seen.sp, sq = seen.sq;
  const v = bhattacharyyaOf(h2, massesOf(p, q, start, end, o.normalize === true), () => {
    const acc = new Sum();
    for (let i = start; i < end; i++) acc.add(Math.sqrt(p[i] / a) * Math.sqrt(q[i] / b));
    return acc.value;
  });
  return saw(sp, sq, fault, v);
};

/** The divergence family's row functions (values in nats; the api divides by ln base and takes roots). */
export interface DivergenceEngine {
  renyiEntropy: RowsFn;
  renyiDivergence: RowsFn;
  tsallisEntropy: RowsFn;
  /** ½ Σ (√x − √y)², the squared Hellinger distance. */
  hellinger: RowsFn;
  totalVariation: RowsFn;
  chiSquare: RowsFn;
  jeffreys: RowsFn;
  bhattacharyya: RowsFn;
  /** Jensen–Shannon with o.weights (the discrete family's engine function). */
  jensenShannon: RowsFn;
  /** Σ π_i KL(P_i‖M) of the k rows of P, checked by the caller (jensenShannonManyOf's arguments). */
  jensenShannonMany: typeof jensenShannonManyOf;
}

/** The pure-TS engine: kl-wasm/reference, and the WebAssembly entry's small inputs. */
export const twinDivergenceEngine: DivergenceEngine = {
  renyiEntropy: /* @__PURE__ */ pairRows(renyiRow(false), false),
  renyiDivergence: /* @__PURE__ */ pairRows(renyiRow(true)),
  tsallisEntropy: /* @__PURE__ */ pairRows(tsallisRow, false),
  hellinger: hellingerRowsRef,
  totalVariation: totalVariationRowsRef,
  chiSquare: /* @__PURE__ */ pairRows(pairTermRow(true)),
  jeffreys: /* @__PURE__ */ pairRows(pairTermRow(false)),
  bhattacharyya: /* @__PURE__ */ pairRows(bhattacharyyaRow),
  jensenShannon: jensenShannonRowsRef,
  jensenShannonMany: (...a) => jensenShannonManyOf(...a),
};

/**
 * The generalised Jensen–Shannon divergence of the k rows of P (checked, and normalised or not, by the caller):
 * Σ_i π_i KL(P_i‖M), M = Σ_i π_i P_i, summed term by term as π_i x log(x / m) over the columns (each column's
 * terms ≥ 0 together: no O(1) constant cancels), blocked and compensated. Row i is read as P_i f[i] / s[i]
 * (normalising: f = 1 and s the row's sum, or f = 2^-128 and s the sum of the row times f where the sum overflows).
 */
export function jensenShannonManyOf(P: Vector, k: number, cols: number, w: Float64Array, f: Float64Array,
                                    scale: Float64Array): number {
  const acc = new Sum();
  for (let j = 0; j < cols;) {
    let block = 0;
    for (const e = Math.min(cols, j + BLOCK); j < e; j++) {
      let m = 0;
      for (let i = 0; i < k; i++) m += w[i] * ((P[i * cols + j] * f[i]) / scale[i]);
      for (let i = 0; i < k; i++) {
        const x = (P[i * cols + j] * f[i]) / scale[i];
        if (w[i] * x > 0) block += w[i] * x * logRatio(x, m);
      }
    }
    acc.add(block);
  }
  return Math.max(0, acc.value);
}
