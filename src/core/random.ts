// The library's one seeded uniform generator (mulberry32) and its seed option: the k-NN
// features' `noise` (src/knn/api.ts) and the MI permutation test's shuffles (src/mutual/api.ts).
import { show } from "./validate.js";

/** Uniform doubles in [0, 1) (multiples of 2^-32) from a 32-bit seed, mulberry32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Throws unless a seed option is left out or an integer in [0, 2^32). */
export function checkSeed(fn: string, name: string, v: unknown): void {
  if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= 2 ** 32)) {
    throw new RangeError(`${fn}: ${name} must be a seed, an integer in [0, 2^32), got ${show(v)}`);
  }
}
