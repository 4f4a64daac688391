// Error-free transformations and double-double arithmetic, allocation-free, for the code that
// needs more than a double's 53 bits: the Smirnov sum and the Kolmogorov tails (drift/ks.ts),
// the correctly rounded log2 and pow of the bin rules (drift/edges.ts), the exact differences of
// proportions (drift/metrics.ts) and the closed-form Gaussian KL (fit/grid.ts).
//
// A double-double is hi + lo with hi = fl(hi + lo) (so |lo| <= ulp(hi)/2). Every function here
// leaves its result in the register R: R[0] the high part (the rounded value), R[1] the low part
// (the error, or the double-double's tail). Read both before the next call; arguments are read
// before anything is written, so R[0], R[1] may be passed straight back in. A typed array keeps
// the two parts unboxed; no call allocates (measured: as fast as a register local to the caller's
// module on 10^5 smirnov and kstwoSf calls, and faster than exported `let` bindings, which cost
// smirnov 40% or more). Round to nearest, ties to even, is assumed throughout (it is JavaScript's
// only rounding). u = 2^-53 below.
//
// The power-of-two helpers (ldexp, exponent) work on the bits and a table of exact powers.

/** The register: R[0] + R[1] is the last result (R[0] the high part, R[1] the low part). */
export const R = new Float64Array(2);

/** Veltkamp's splitter, 2^27 + 1: splits a double into two halves of 26 bits (and a sign). */
const SPLITTER = 134217729;

/**
 * Fast two-sum (Dekker's Fast2Sum): R[0] = fl(a + b) and R[1] = (a + b) - R[0] exactly, provided
 * a = 0 or exponent(a) >= exponent(b) (|a| >= |b| is enough) and a + b does not overflow;
 * otherwise R[1] may be inexact. Three operations.
 */
export function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  R[1] = b - (s - a);
  R[0] = s;
}

/**
 * Two-sum (Knuth, Møller): R[0] = fl(a + b) and R[1] = (a + b) - R[0] exactly, for any a, b
 * whose sum (and the intermediate s - a) does not overflow. Six operations.
 */
export function twoSum(a: number, b: number): void {
  const s = a + b, bb = s - a;
  R[1] = (a - (s - bb)) + (b - bb);
  R[0] = s;
}

/**
 * Dekker's product, with Veltkamp's split: R[0] = fl(a b) and R[1] = a b - R[0] exactly, when
 * |a|, |b| <= 2^996 (the split, 134217729 x, must not overflow), |a b| <= 2^1023 and
 * the product is not near underflow: e_a + e_b >= -970 (e the exponents, 1 <= |m| < 2), which
 * |a b| >= 2^-969 (or a or b = 0) ensures. Below that R[1] is no longer exact: its partial
 * products underflow, an absolute error of a few 2^-1074. Seventeen operations, no fused
 * multiply-add.
 */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b), bl = b - bh;
  R[1] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  R[0] = p;
}

/**
 * (ah + al) + (bh + bl) for double-doubles a and b: both high and both low parts summed exactly
 * (two-sum), then renormalised twice with fast two-sums (QD's ieee_add; Joldes, Muller &
 * Popescu 2017, AccurateDWPlusDW, Algorithm 6): relative error at most 3u^2 + 13u^3 for
 * normalised inputs, even under cancellation.
 */
export function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(al, bl);
  const t1 = R[0], t2 = R[1];
  twoSum(ah, bh);
  quickTwoSum(R[0], R[1] + t1);
  quickTwoSum(R[0], R[1] + t2);
}

/** (ah + al) + b for a double-double a and a double b (two-sum of the high parts, then the low part
 *  folded in by a fast two-sum; Joldes, Muller & Popescu's DWPlusFP): relative error about 2u^2. */
export function ddAddD(ah: number, al: number, b: number): void {
  twoSum(ah, b);
  quickTwoSum(R[0], R[1] + al);
}

/**
 * (ah + al)(bh + bl) for double-doubles a and b: the exact product of the high parts plus the
 * two cross terms ah bl + al bh (al bl, below u^2 relative, is dropped), renormalised by a fast
 * two-sum (QD's dd_real product): relative error a few u^2. twoProd's range applies to ah, bh.
 */
export function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  quickTwoSum(R[0], R[1] + (ah * bl + al * bh));
}

/** (ah + al) b for a double-double a and a double b (the exact ah b, plus al b, renormalised by a
 *  fast two-sum): relative error a few u^2. twoProd's range applies to ah, b. */
export function ddMulD(ah: number, al: number, b: number): void {
  twoProd(ah, b);
  quickTwoSum(R[0], R[1] + al * b);
}

/**
 * (ah + al) / (bh + bl) for double-doubles a and b, b != 0: three quotients of the high parts,
 * each from the exact remainder of the previous (QD's accurate division), summed: relative
 * error a few u^2 (about 2^-104) while the remainders stay in twoProd's range.
 */
export function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMulD(bh, bl, q1);
  ddAdd(ah, al, -R[0], -R[1]);
  const rh = R[0], rl = R[1], q2 = rh / bh;
  ddMulD(bh, bl, q2);
  ddAdd(rh, rl, -R[0], -R[1]);
  const q3 = R[0] / bh;
  quickTwoSum(q1, q2);
  ddAddD(R[0], R[1], q3);
}

// ---------------------------------------------------------------------------------------------
// Exact powers of two

const F64 = new Float64Array(1), U32 = new Uint32Array(F64.buffer);
/** The index of the 32-bit word holding a double's sign and exponent (1 on little-endian hosts). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** 2^k for k in [-1074, 1023], exact (POW2[k + 1074]). */
const POW2 = Float64Array.from({ length: 2098 }, (_, i) => 2 ** (i - 1074));

/**
 * x 2^e for any integer e: one multiplication by an exact power of two for e in [-1074, 1023],
 * so correctly rounded (exact unless the result overflows or falls below the normal range);
 * beyond, steps of 2^±1000, still correctly rounded while x 2^-1000 stays normal (|x| >=
 * 2^-22), else rounded twice. ±0, ±Infinity and NaN are returned as they are scaled.
 */
export function ldexp(x: number, e: number): number {
  if (e >= -1074 && e <= 1023) return x * POW2[e + 1074];
  while (e > 1000) { x *= 2 ** 1000; e -= 1000; if (!Number.isFinite(x)) return x; }
  while (e < -1000) { x *= 2 ** -1000; e += 1000; if (x === 0) return x; }
  return x * 2 ** e;
}

/**
 * frexp's exponent: e with x = m 2^e and 0.5 <= |m| < 1, exact for every finite x != 0
 * (subnormals included; x 2^-e is then exact through ldexp). 0 for ±0, ±Infinity and NaN (as
 * frexp gives).
 */
export function exponent(x: number): number {
  F64[0] = x;
  const b = (U32[HIGH] >>> 20) & 0x7ff;
  if (b !== 0 && b !== 0x7ff) return b - 1022;
  if (x === 0 || !Number.isFinite(x)) return 0;
  return exponent(x * 2 ** 64) - 64; // subnormal
}

// ---------------------------------------------------------------------------------------------
// The natural logarithm of a double-double

/** ln 2 = LN2_HI + LN2_LO to about 2^-96, LN2_HI with 41 significant bits so that k LN2_HI is
 *  exact for |k| < 2^12 (from ln 2 = 0.6931471805599453 + 2.3190468138462996e-17). */
const LN2_HI = Math.round(0.6931471805599453 * 2 ** 41) / 2 ** 41;
const LN2_LO = (0.6931471805599453 - LN2_HI) + 2.3190468138462996e-17;
/** log(c_i) for the table points c_i = 1 + (2i + 1)/256, i = 0 .. 127, in double-double. */
const LOGC_H = new Float64Array(128), LOGC_L = new Float64Array(128);
(() => {
  // log c = 2 atanh(z), z = (c - 1)/(c + 1) < 1/3: the series z + z^3/3 + ... to z^75 (< 2^-118),
  // every step in double-double
  for (let i = 0; i < 128; i++) {
    const c = 1 + (2 * i + 1) / 256;
    ddDiv(c - 1, 0, c + 1, 0);
    const zh = R[0], zl = R[1];
    ddMul(zh, zl, zh, zl);
    const z2h = R[0], z2l = R[1];
    let ph = zh, pl = zl, sh = 0, sl = 0;
    for (let k = 1; k <= 75; k += 2) {
      ddDiv(ph, pl, k, 0);
      ddAdd(sh, sl, R[0], R[1]);
      sh = R[0]; sl = R[1];
      ddMul(ph, pl, z2h, z2l);
      ph = R[0]; pl = R[1];
    }
    LOGC_H[i] = 2 * sh;
    LOGC_L[i] = 2 * sl;
  }
})();

/**
 * log(yh + yl) for a positive, normal double-double y (|yl| <= ulp(yh)/2): y = 2^e m with
 * 1 <= m < 2, m = c_i (1 + r) with c_i = 1 + (2i + 1)/256 the nearest table point (|r| < 2^-8),
 * log y = e ln 2 + log c_i + log1p(r), r in double-double (m − c_i is exact) and log1p(r) as
 * rh − rh²/2 (a double-double, exact but for its last rounding) plus r³/3 − … − r^10/10 in
 * double (truncation below 2^-95, rounding below 2^-77) and rl/(1 + rh) for the low part of r.
 * Absolute error about 2^-76 + 2^-95 |e| + 2^-104 |log y| (measured against 250-bit mpmath on
 * 3000 arguments, 2^-30 to 10^13, near 1 and integers to 10^6, with and without a low part:
 * at most 6.5e-24, about 2^-77). R[0], R[1]: the result.
 */
export function ddLog(yh: number, yl: number): void {
  F64[0] = yh;
  const w = U32[HIGH];
  const e = ((w >>> 20) & 0x7ff) - 1023;
  const i = (w >>> 13) & 127;
  U32[HIGH] = (w & 0x000fffff) | 0x3ff00000;
  const m = F64[0], c = 1 + (2 * i + 1) / 256;
  const ml = yl * POW2[1074 - e];            // yl 2^-e, exact
  const d = m - c;                            // exact: |d| <= 2^-8, a multiple of 2^-52
  const rh = d / c;
  twoProd(rh, c);
  const rl = ((d - R[0]) - R[1] + ml) / c;   // d - R[0] exact (Sterbenz)
  twoProd(rh, rh);
  const sqh = R[0], sql = R[1];
  const r2 = sqh;
  const poly = r2 * rh * (1 / 3 + rh * (-1 / 4 + rh * (1 / 5 + rh * (-1 / 6 + rh * (1 / 7 + rh * (-1 / 8 + rh * (1 / 9 + rh * (-1 / 10))))))));
  // log1p(r) = rh - sqh/2 + (rl/(1 + rh) - sql/2 + poly)
  const hh = rh - 0.5 * sqh;                  // |0.5 sqh| <= |rh|/2^9: two-sum below
  const bb = hh - rh;
  const herr = (rh - (hh - bb)) + (-0.5 * sqh - bb);
  const lo1 = herr + (rl / (1 + rh) - 0.5 * sql + poly);   // rl log1p'(rh), to rl 2^-53
  // e ln2 + log c_i + (hh + lo1)
  const eh = e * LN2_HI;
  let s = eh + LOGC_H[i], t = s - eh;
  const err1 = (eh - (s - t)) + (LOGC_H[i] - t);
  const s2 = s + hh;
  t = s2 - s;
  const err2 = (s - (s2 - t)) + (hh - t);
  s = s2;
  const lo = err1 + err2 + lo1 + LOGC_L[i] + e * LN2_LO;
  twoSum(s, lo);                              // not quick: s may cancel to below lo near y = 1
}
