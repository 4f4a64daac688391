// The pure-TS logits engine: every row in float64 (Float32Array values widened exactly), max-shifted, two
// passes per row (the max, then the shifted sum of exponentials) and one more for the outputs. Sums of
// exponentials and of terms are Neumaier-compensated. Log-probabilities are formed as (z − m) − log s, as
// PyTorch's log_softmax does, and probabilities as exp of them (as kl_div and autograd do), so that its
// rounding follows PyTorch's. Never NaN: masked classes (-Infinity) and rows with every class masked are
// handled explicitly (see LogitsEngine in api.ts).
import type { LogitsEngine, Logits } from "./api.js";

/** The row's max-shift m, log s and s (s = Σ exp(z − m), compensated, in [1, cols]) into res[0..2];
 *  m = -Infinity for a fully masked row. */
function shift(x: Logits, o: number, cols: number, invT: number, res: Float64Array): void {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) {
    const z = x[o + j] * invT;
    if (z > m) m = z;
  }
  res[0] = m;
  if (m === -Infinity) { res[1] = 0; return; }
  let s = 0, c = 0;
  for (let j = 0; j < cols; j++) {
    const v = Math.exp(x[o + j] * invT - m);
    const u = s + v;
    c += s >= v ? (s - u) + v : (v - u) + s;
    s = u;
  }
  res[2] = s + c;
  res[1] = Math.log(s + c);
}

/** Neumaier accumulator in two locals would be faster; a tiny class keeps the code readable. */
class Acc {
  s = 0;
  c = 0;
  reset(): void { this.s = 0; this.c = 0; }
  add(v: number): void {
    const s = this.s, u = s + v;
    this.c += Math.abs(s) >= Math.abs(v) ? (s - u) + v : (v - u) + s;
    this.s = u;
  }
  get value(): number { return Number.isFinite(this.s) ? this.s + this.c : this.s; }
}

export const twinLogitsEngine: LogitsEngine = {
  logSumExp(x, rows, cols, invT, out) {
    const r2 = new Float64Array(3);
    for (let r = 0; r < rows; r++) {
      shift(x, r * cols, cols, invT, r2);
      out[r] = r2[0] === -Infinity ? -Infinity : r2[0] + r2[1];
    }
  },

  logSoftmax(x, rows, cols, invT, exp, y) {
    const r2 = new Float64Array(3);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      shift(x, o, cols, invT, r2);
      const m = r2[0], ls = r2[1];
      if (m === -Infinity) {
        y.fill(exp ? 0 : -Infinity, o, o + cols);
        continue;
      }
      if (exp) {
        const inv = r2[2]; // exp(z − m) / s: PyTorch's softmax
        for (let j = 0; j < cols; j++) y[o + j] = Math.exp(x[o + j] * invT - m) / inv;
      } else {
        for (let j = 0; j < cols; j++) y[o + j] = (x[o + j] * invT - m) - ls;
      }
    }
  },

  entropy(x, rows, cols, invT, out) {
    const r2 = new Float64Array(3), acc = new Acc();
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      shift(x, o, cols, invT, r2);
      const m = r2[0], ls = r2[1];
      if (m === -Infinity) { out[r] = 0; continue; }
      // H = −Σ p log p with log p = (z − m) − log s, p = exp(log p): every term −p log p >= 0
      acc.reset();
      for (let j = 0; j < cols; j++) {
        const lp = (x[o + j] * invT - m) - ls;
        if (lp === -Infinity) continue;
        const p = Math.exp(lp);
        if (p !== 0) acc.add(-p * lp);
      }
      out[r] = acc.value;
    }
  },

  klLogits(a, b, rows, cols, invT, reverse, out, grad, gradScale) {
    const ra = new Float64Array(3), rb = new Float64Array(3), acc = new Acc();
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      shift(a, o, cols, invT, ra);
      shift(b, o, cols, invT, rb);
      const ma = ra[0], la = ra[1], mb = rb[0], lb = rb[1];
      // w: the weighting side (teacher forward, student reverse), v: the other
      const [w, mw, lw, v, mv, lv] = reverse ? [b, mb, lb, a, ma, la] : [a, ma, la, b, mb, lb];
      let kl = 0;
      if (mw !== -Infinity) {
        acc.reset();
        for (let j = 0; j < cols; j++) {
          const lpw = (w[o + j] * invT - mw) - lw;
          if (lpw === -Infinity) continue;
          const pw = Math.exp(lpw);
          if (pw === 0) continue;
          const lpv = mv === -Infinity ? -Infinity : (v[o + j] * invT - mv) - lv;
          acc.add(pw * (lpw - lpv));
        }
        kl = acc.value;
      }
      out[r] = kl;
      if (grad === undefined) continue;
      const g = gradScale![r] * invT;
      if (mw === -Infinity) {
        grad.fill(0, o, o + cols); // no mass on the weighting side: KL is 0 whatever the student
      } else if (!reverse) {
        // invT (q − p): q, p = 0 on masked classes; a fully masked student row gives −invT p
        for (let j = 0; j < cols; j++) {
          const q = mb === -Infinity ? 0 : Math.exp((b[o + j] * invT - mb) - lb);
          const p = ma === -Infinity ? 0 : Math.exp((a[o + j] * invT - ma) - la);
          grad[o + j] = g * (q - p);
        }
      } else if (kl === Infinity) {
        grad.fill(0, o, o + cols);
      } else {
        // invT q (log q − log p − KL); 0 where q = 0
        for (let j = 0; j < cols; j++) {
          const lq = (b[o + j] * invT - mb) - lb;
          const q = Math.exp(lq);
          grad[o + j] = q === 0 ? 0 : g * (q * ((lq - ((a[o + j] * invT - ma) - la)) - kl));
        }
      }
    }
  },

  crossEntropy(x, labels, rows, cols, smoothing, weights, ignoreIndex, out, grad, gradScale) {
    const r2 = new Float64Array(3), acc = new Acc();
    const s = smoothing, sc = s / cols, keep = 1 - s;
    let wAll = cols;
    if (weights !== undefined) {
      acc.reset();
      for (let j = 0; j < cols; j++) acc.add(weights[j]);
      wAll = acc.value;
    }
    for (let r = 0; r < rows; r++) {
      const o = r * cols, y = labels[r];
      if (y === ignoreIndex) {
        out[r] = 0;
        if (grad !== undefined) grad.fill(0, o, o + cols);
        continue;
      }
      shift(x, o, cols, 1, r2);
      const m = r2[0], ls = r2[1];
      const wy = weights === undefined ? 1 : weights[y];
      // ℓ_j = −log p_j = −((x_j − m) − log s); +Infinity on masked classes and on a fully masked row
      const ell = (j: number): number => (m === -Infinity ? Infinity : -((x[o + j] - m) - ls));
      let loss = 0;
      const cy = keep * wy;
      if (cy !== 0) loss = cy * ell(y);
      if (sc !== 0) {
        acc.reset();
        for (let j = 0; j < cols; j++) {
          const wj = weights === undefined ? 1 : weights[j];
          if (wj !== 0) acc.add(wj * ell(j));
        }
        loss += sc * acc.value; // (s / C) · Σ w_j ℓ_j, as PyTorch scales its smoothed term
      }
      out[r] = loss;
      if (grad === undefined) continue;
      const g = gradScale![r], a = cy + sc * wAll;
      for (let j = 0; j < cols; j++) {
        const p = m === -Infinity ? 0 : Math.exp((x[o + j] - m) - ls);
        const wj = weights === undefined ? 1 : weights[j];
        grad[o + j] = g * (p * a - ((j === y ? cy : 0) + sc * wj)); // a = Σ_j b_j, as autograd sums it
      }
    }
  },
};
