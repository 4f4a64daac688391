// The fit engine on WebAssembly: klDensity through the shared span kernel
// (KIND_KLD), and the loss surfaces through assembly/density.ts's
// gaussianSurface, with the target's x, clipped p and log p resident in a private
// instance (src/wasm.ts owns it).
import type { FitEngine, PreparedTarget } from "./api.js";
import type { RowsFn } from "../discrete/twin.js";
import { runRows, privateSlab } from "../core/wasm.js";
import { throwFirstBad } from "../core/validate.js";

/** Densities on a grid, both clipped below at the floor o.eps (no upper clip, no normalize). */
export const klDensityRowsWasm: RowsFn = (fn, p, q, rows, cols, o, out) => {
  runRows(fn, "klDensityRows", p, q, rows, cols, { lo: o.eps, hi: Infinity, a: 0, b: o.eps, clips: true }, out,
    () => throwFirstBad(fn, p, q));
};

const one = new Float64Array(1);

export const wasmFitEngine: FitEngine = {
  klDensity(fn, p, q, floor) {
    klDensityRowsWasm(fn, p, q, 1, p.length, { logBase: 1, normalize: false, eps: floor }, one);
    return one[0];
  },

  prepare(x, p, floor): PreparedTarget {
    // padded to a multiple of 4 with zero terms: q clipped to the floor (x far away),
    // p = 0 (forward), log p = log(floor) (reverse: l - log p = 0)
    const n = x.length, n4 = (n + 3) & ~3, L = Math.log(floor);
    const X = new Float64Array(n4).fill(1e300), PC = new Float64Array(n4), LP = new Float64Array(n4).fill(L);
    // sum p log p once, compensated: forward cells subtract their sums from it
    let plp = 0, comp = 0;
    for (let i = 0; i < n; i++) {
      X[i] = x[i];
      PC[i] = Math.max(p[i], floor);
      LP[i] = Math.log(PC[i]);
      const t = PC[i] * LP[i], u = plp + t;
      comp += Math.abs(plp) >= Math.abs(t) ? (plp - u) + t : (t - u) + plp;
      plp = u;
    }
    plp += comp;
    // spacing of a uniform grid, and a bound on how far x is from it (the reverse
    // kernel steps along such grids without an exp per term, where that is accurate)
    const step = (x[n - 1] - x[0]) / (n - 1);
    let dev = 0;
    for (let i = 0; i < n; i++) dev = Math.max(dev, Math.abs(x[i] - (x[0] + i * step)));
    // the check's own roundings (of i step, and of x_0 + i step) are at most u (|i step| + |x_i|)
    dev += 1.1102230246251565e-16 * (Math.abs(x[n - 1] - x[0]) + Math.max(Math.abs(x[0]), Math.abs(x[n - 1])));
    const owner = {};
    return {
      surface(mus, sigmas, reverse, out) {
        const cells = mus.length * sigmas.length;
        const slab = privateSlab(8 * (3 * n4 + mus.length + sigmas.length + cells));
        const base = slab.heapStart >> 3;
        if (slab.owner !== owner) {
          slab.f64.set(X, base);
          slab.f64.set(PC, base + n4);
          slab.f64.set(LP, base + 2 * n4);
          slab.owner = owner;
        }
        const mu0 = base + 3 * n4, sig0 = mu0 + mus.length, out0 = sig0 + sigmas.length;
        slab.f64.set(mus, mu0);
        slab.f64.set(sigmas, sig0);
        slab.exports.gaussianSurface(base << 3, (base + n4) << 3, (base + 2 * n4) << 3, n4, mu0 << 3, mus.length,
          sig0 << 3, sigmas.length, L, floor, step > 0 ? step : 0, dev, plp, reverse ? 1 : 0, out0 << 3);
        out.set(slab.f64.subarray(out0, out0 + cells));
      },
    };
  },
};
