// Reproducible test data: a seeded generator (mulberry32) and the input families
// every kernel is checked on.

import { mulberry32 } from "../../src/core/random.js";

/** The library's seeded generator (src/core/random.ts): the same uniforms. */
export const rng = mulberry32;

/** Families of (p, q) pairs: magnitudes, zeros, subnormals, near-equal, power-of-two straddles. */
export const FAMILIES = ["uniform", "sparse", "tiny", "subnormal", "wide", "near", "pow2"] as const;
export type Family = (typeof FAMILIES)[number];

export function pair(family: Family, n: number, seed: number): [Float64Array, Float64Array] {
  const r = rng(seed);
  const p = new Float64Array(n), q = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = r(), y = r();
    switch (family) {
      case "sparse": if (r() < 0.3) x = 0; if (r() < 0.1) y = 0; break;
      case "tiny": x *= 1e-300; y *= 1e-300; break;
      case "subnormal": if (r() < 0.5) x *= 4e-310; if (r() < 0.3) y *= 4e-310; break;
      case "wide": x = Math.pow(10, -300 + 305 * x); y = Math.pow(10, -300 + 300 * y); break;
      case "near": y = x * (1 + 1e-9 * (r() - 0.5)); break;
      case "pow2": { const e = Math.floor(r() * 20) - 10; x = Math.pow(2, e) * (1 + 1e-6 * (r() - 0.5)); y = Math.pow(2, e) * (1 + 1e-6 * (r() - 0.5)); break; }
      default: break;
    }
    p[i] = x; q[i] = y;
  }
  return [p, q];
}

/** Sizes from 1 to 10^5: small odd ones, around the SIMD widths and the chunk size. */
export const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 255, 257, 1023, 4095, 4097, 10_001, 100_003];
