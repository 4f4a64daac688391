// The pure-TS twin of the fit engine, written as the seed is: for every cell, the
// pdf of q at every point, both clipped below at the floor, and a log per term
// (with a Neumaier-compensated sum).
import type { FitEngine } from "./api.js";
import { klDensityRowsRef } from "../discrete/twin.js";
import { pdf } from "./grid.js";
const one = new Float64Array(1);

export const referenceFitEngine: FitEngine = {
  klDensity(fn, p, q, floor) {
    klDensityRowsRef(fn, p, q, 1, p.length, { logBase: 1, normalize: false, eps: floor }, one);
    return one[0];
  },

  prepare(x, p, floor) {
    const pc = p.map((v) => Math.max(v, floor));
    return {
      surface(mus, sigmas, reverse, out) {
        for (let i = 0; i < mus.length; i++) {
          for (let j = 0; j < sigmas.length; j++) {
            const mu = mus[i], sigma = sigmas[j];
            let s = 0, c = 0;
            for (let k = 0; k < x.length; k++) {
              const qc = Math.max(pdf(x[k], mu, sigma), floor);
              const t = reverse ? qc * Math.log(qc / pc[k]) : pc[k] * Math.log(pc[k] / qc), u = s + t;
              c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
              s = u;
            }
            out[i * sigmas.length + j] = s + c;
          }
        }
      },
    };
  },
};
