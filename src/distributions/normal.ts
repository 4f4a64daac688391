// The normal family's closed forms: KL(N ‖ N) to a few ulp over the whole double range (the one
// gaussianKL of kl-wasm/fit uses: src/fit/grid.ts calls normalKL), and the multivariate normal's KL
// and entropy from Cholesky factors, as a sum of non-negative terms.
import { R, twoSum, twoProd, ldexp, exponent } from "../core/dd.js";
import { Sum } from "../core/sum.js";
import type { MultivariateNormal, Inner } from "./constructors.js";

// Exact building blocks for the closed form (core/dd.ts): error-free sums and products
// (Knuth's TwoSum, Dekker's split product, leaving the result in R[0] + R[1] exactly; no
// allocation per call) and exact power-of-two scaling. Every twoProd's factors here are within
// [2^-60, 4], inside its exact range.
/** e with x = m 2^e, m in [1, 2), for finite x != 0 (subnormals included). */
const exponentOf = (x: number): number => exponent(x) - 1;
// log 2 = LN2_HI + LN2_LO (fdlibm's split: LN2_HI has 32 significant bits, so k LN2_HI is exact for |k| < 2^21)
const LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
/** Horner coefficients of T(s) = sum_{n>=3} (c_n / 4) s^(n-2), c_n = 2n (n even), 2n - 2/n (n odd). */
const TCOEF = Float64Array.from({ length: 48 }, (_, j) => { const n = j + 3; return (n % 2 === 0 ? 2 * n : 2 * n - 2 / n) / 4; });

/**
 * KL = f(r) + D^2 / 2 with r = sigma1 / sigma2, f(r) = (r^2 - 1) / 2 - log r >= 0 and
 * D = (mu1 - mu2) / sigma2: two non-negative terms, each computed in double-double
 * with its power of two apart (value = (hi + lo) 2^e), so nothing overflows or
 * underflows on the way, and one rounding at the end.
 *  - r in [1/2, 2]: with s = (sigma1 - sigma2) / (sigma1 + sigma2) (|s| <= 1/3, the
 *    difference exact by Sterbenz), r = (1 + s) / (1 - s), f = 2s / (1 - s)^2 - 2 atanh(s)
 *    = 4 s^2 (1 + T(s)), T(s) = sum_{n>=3} (c_n / 4) s^(n-2), c_n = 2n or 2n - 2/n: no
 *    cancellation, and the leading 4 s^2 is exact in double-double.
 *  - otherwise r = rho 2^k, rho in [1/sqrt 2, sqrt 2), k != 0: log r = k log 2 + log rho
 *    (rho's rounding carried as its remainder), r^2 = rho^2 2^(2k) in double-double; f >= 0.31
 *    there, so the one inexact piece, Math.log(rho) (|log rho| <= 0.35, within 1 ulp), costs
 *    at most 2e-16 relative.
 *  - mu1 - mu2 exactly as a double-double (halved first when it could overflow), divided
 *    by sigma2's significand; its power of two is kept apart.
 */
export function normalKL(mu1: number, sigma1: number, mu2: number, sigma2: number): number {
  const e1 = exponentOf(sigma1), e2 = exponentOf(sigma2);
  const m2 = ldexp(sigma2, -e2);
  let fh = 0, fl = 0, fe = 0;
  const de = e1 - e2;
  const a = de >= -2 && de <= 2 ? ldexp(sigma1, -e2) : 0; // sigma1 on sigma2's scale (exact)
  if (de >= -2 && de <= 2 && a >= m2 / 2 && a <= 2 * m2) {
    if (a !== m2) {
      const num = a - m2; // exact (Sterbenz)
      twoSum(a, m2);
      const dh = R[0], dl = R[1];
      const sh = num / dh;
      twoProd(sh, dh);
      const sl = (((num - R[0]) - R[1]) - sh * dl) / dh;
      // T(s) by Horner over enough terms for |s|^n < 2^-60
      const as = Math.abs(sh);
      const nT = as < 1e-300 ? 1 : Math.min(TCOEF.length, Math.ceil(-41.6 / Math.log(as)) + 1);
      let t = TCOEF[nT - 1];
      for (let j = nT - 2; j >= 0; j--) t = t * sh + TCOEF[j];
      const T = t * sh;
      twoProd(sh, sh);
      const qh = 4 * R[0], ql = 4 * (R[1] + 2 * sh * sl);
      twoSum(qh, qh * T + ql * (1 + T));
      fh = R[0]; fl = R[1];
    }
  } else {
    let m1 = ldexp(sigma1, -e1), k = de;
    if (m1 >= Math.SQRT2 * m2) { m1 /= 2; k++; } else if (m1 < Math.SQRT1_2 * m2) { m1 *= 2; k--; }
    const rh = m1 / m2;
    twoProd(rh, m2);
    const rl = ((m1 - R[0]) - R[1]) / m2;
    // log r = Lh + Ll
    twoSum(k * LN2_HI, Math.log(rh));
    const Lh = R[0], Ll = R[1] + (k * LN2_LO + rl / rh);
    // rho^2 = gh + gl
    twoProd(rh, rh);
    const gh = R[0], gl = R[1] + 2 * rh * rl;
    if (k > 0) {
      // f = 2^(2k-1) (rho^2 - (1 + 2 log r) 2^(-2k))
      twoSum(1, 2 * Lh);
      const ch = ldexp(R[0], -2 * k), cl = ldexp(R[1] + 2 * Ll, -2 * k);
      twoSum(gh, -ch);
      fh = R[0]; fl = R[1] + (gl - cl); fe = 2 * k - 1;
    } else {
      // f = -log r - 1/2 + rho^2 2^(2k-1)
      twoSum(-Lh, -0.5);
      const xh = R[0], xl = R[1] - Ll;
      twoSum(xh, ldexp(gh, 2 * k - 1));
      fh = R[0]; fl = R[1] + xl + ldexp(gl, 2 * k - 1);
    }
  }
  // D^2 / 2 = (gh + gl) 2^ge
  let gh = 0, gl = 0, ge = 0;
  if (mu1 !== mu2) {
    let sc = 0, x1 = mu1, x2 = mu2;
    if (Math.abs(x1) >= 8.98846567431158e307 || Math.abs(x2) >= 8.98846567431158e307) { x1 /= 2; x2 /= 2; sc = 1; } // 2^1023
    twoSum(x1, -x2);
    const ed = exponentOf(R[0]);
    const mh = ldexp(R[0], -ed), ml = ldexp(R[1], -ed);
    const Dh = mh / m2;
    twoProd(Dh, m2);
    const Dl = (((mh - R[0]) - R[1]) + ml) / m2;
    twoProd(Dh, Dh);
    gh = R[0]; gl = R[1] + 2 * Dh * Dl; ge = 2 * (ed + sc - e2) - 1;
  }
  if (fh === 0 && gh === 0) return 0;
  // sum at the larger scale, one rounding, then the power of two
  let E: number;
  if (gh === 0 || (fh !== 0 && fe >= ge)) {
    E = fe;
    gh = ldexp(gh, ge - E); gl = ldexp(gl, ge - E);
  } else {
    E = ge;
    fh = ldexp(fh, fe - E); fl = ldexp(fl, fe - E);
  }
  twoSum(fh, gh);
  return ldexp(R[0] + (R[1] + fl + gl), E);
}


/**
 * KL(N(mp, Lp Lp^T) ‖ N(mq, Lq Lq^T)) from the Cholesky factors, as a sum of non-negative terms:
 * with M = Lq^-1 Lp (lower triangular, M_ii = Lp_ii / Lq_ii),
 *   KL = sum_i f(M_ii) + 1/2 sum_{i > j} M_ij^2 + 1/2 |Lq^-1 (mp - mq)|^2,  f(r) = (r^2 - 1) / 2 - log r,
 * the textbook 1/2 (tr(Σq^-1 Σp) - n + log det Σq / det Σp + mahalanobis) regrouped (det M = prod M_ii),
 * so no term cancels another. f(M_ii) is normalKL's scale term (a few ulp); the off-diagonal M_ij
 * come from Lq^-1 (Lp - Lq) (forward substitution on the difference, so nearly equal factors give
 * small M_ij to their own relative accuracy, not to the accuracy of M's unit diagonal).
 * Exact factors in (scaleTril): a few ulp per term; from a cov the factors carry Cholesky's
 * rounding (about 1e-16 of the matrix), which bounds how small a difference can be resolved.
 */
export function multivariateNormalKL(p: Inner<MultivariateNormal>, q: Inner<MultivariateNormal>): number {
  const n = p.n, Lp = p.scaleTril, Lq = q.scaleTril;
  const acc = new Sum();
  for (let i = 0; i < n; i++) acc.add(normalKL(0, Lp[i * n + i], 0, Lq[i * n + i]));
  // E = Lq^-1 (Lp - Lq), column by column; M_ij = E_ij below the diagonal
  const e = new Float64Array(n), off = new Sum();
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let s = Lp[i * n + j] - Lq[i * n + j];
      for (let k = j; k < i; k++) s -= Lq[i * n + k] * e[k];
      e[i] = s / Lq[i * n + i];
      if (i > j) off.add(e[i] * e[i]);
    }
  }
  acc.add(0.5 * off.value);
  // y = Lq^-1 (mp - mq)
  const y = new Float64Array(n), mah = new Sum();
  for (let i = 0; i < n; i++) {
    let s = p.mean[i] - q.mean[i];
    for (let k = 0; k < i; k++) s -= Lq[i * n + k] * y[k];
    y[i] = s / Lq[i * n + i];
    mah.add(y[i] * y[i]);
  }
  acc.add(0.5 * mah.value);
  return acc.value;
}

/** 1/2 log(2 pi e) = 1/2 + 1/2 log(2 pi). */
export const HALF_LOG_2PI_E = 1.4189385332046727;

/** The entropy of N(mean, L L^T): n/2 (1 + log 2 pi) + sum_i log L_ii. */
export function multivariateNormalEntropy(d: Inner<MultivariateNormal>): number {
  const acc = new Sum();
  for (let i = 0; i < d.n; i++) acc.add(Math.log(d.scaleTril[i * d.n + i]));
  acc.add(d.n * HALF_LOG_2PI_E);
  return acc.value;
}
