// kl-wasm/reference's divergence functions: kl-wasm/divergences over the pure-TS twin (the same checks, options
// and errors). Each function's full documentation is at its namesake in src/divergences.ts.
import { makeDivergenceApi } from "./api.js";
import type { NormalizeOptions, ManyOptions } from "./api.js";
import { twinDivergenceEngine } from "./twin.js";
import type { Vector, EntropyOptions } from "../core/validate.js";

export type { NormalizeOptions, ManyOptions } from "./api.js";

const api = /* @__PURE__ */ makeDivergenceApi(twinDivergenceEngine);

/** Rényi entropy H_α(P) = log(Σ p^α) / (1 − α), in pure TypeScript (see kl-wasm/divergences' `renyiEntropy`). */
export function renyiEntropy(p: Vector, alpha: number, options?: EntropyOptions): number {
  return api.renyiEntropy(p, alpha, options);
}
/** {@link renyiEntropy} of each row (see kl-wasm/divergences' `renyiEntropyRows`). */
export function renyiEntropyRows(p: Vector, alpha: number, cols: number, options?: EntropyOptions): Float64Array {
  return api.renyiEntropyRows(p, alpha, cols, options);
}
/** Rényi divergence D_α(P‖Q), in pure TypeScript (see kl-wasm/divergences' `renyiDivergence`). */
export function renyiDivergence(p: Vector, q: Vector, alpha: number, options?: EntropyOptions): number {
  return api.renyiDivergence(p, q, alpha, options);
}
/** {@link renyiDivergence} of each pair of rows. */
export function renyiDivergenceRows(p: Vector, q: Vector, alpha: number, cols: number, options?: EntropyOptions): Float64Array {
  return api.renyiDivergenceRows(p, q, alpha, cols, options);
}
/** Tsallis entropy S_q(P) of order q, in pure TypeScript (see kl-wasm/divergences' `tsallisEntropy`). */
export function tsallisEntropy(p: Vector, q: number, options?: NormalizeOptions): number {
  return api.tsallisEntropy(p, q, options);
}
/** {@link tsallisEntropy} of each row. */
export function tsallisEntropyRows(p: Vector, q: number, cols: number, options?: NormalizeOptions): Float64Array {
  return api.tsallisEntropyRows(p, q, cols, options);
}
/** Hellinger distance √(½ Σ (√p − √q)²), in pure TypeScript (see kl-wasm/divergences' `hellingerDistance`). */
export function hellingerDistance(p: Vector, q: Vector, options?: NormalizeOptions): number {
  return api.hellingerDistance(p, q, options);
}
/** {@link hellingerDistance} of each pair of rows. */
export function hellingerDistanceRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array {
  return api.hellingerDistanceRows(p, q, cols, options);
}
/** Total variation ½ Σ |p − q|, in pure TypeScript (see kl-wasm/divergences' `totalVariation`). */
export function totalVariation(p: Vector, q: Vector, options?: NormalizeOptions): number {
  return api.totalVariation(p, q, options);
}
/** {@link totalVariation} of each pair of rows. */
export function totalVariationRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array {
  return api.totalVariationRows(p, q, cols, options);
}
/** Pearson χ²(P‖Q) = Σ (p − q)² / q, in pure TypeScript (see kl-wasm/divergences' `chiSquareDivergence`). */
export function chiSquareDivergence(p: Vector, q: Vector, options?: NormalizeOptions): number {
  return api.chiSquareDivergence(p, q, options);
}
/** {@link chiSquareDivergence} of each pair of rows. */
export function chiSquareDivergenceRows(p: Vector, q: Vector, cols: number, options?: NormalizeOptions): Float64Array {
  return api.chiSquareDivergenceRows(p, q, cols, options);
}
/** KL(P‖Q) + KL(Q‖P), in pure TypeScript (see kl-wasm/divergences' `jeffreysDivergence`). */
export function jeffreysDivergence(p: Vector, q: Vector, options?: EntropyOptions): number {
  return api.jeffreysDivergence(p, q, options);
}
/** {@link jeffreysDivergence} of each pair of rows. */
export function jeffreysDivergenceRows(p: Vector, q: Vector, cols: number, options?: EntropyOptions): Float64Array {
  return api.jeffreysDivergenceRows(p, q, cols, options);
}
/** −log Σ √(pq), in pure TypeScript (see kl-wasm/divergences' `bhattacharyyaDistance`). */
export function bhattacharyyaDistance(p: Vector, q: Vector, options?: EntropyOptions): number {
  return api.bhattacharyyaDistance(p, q, options);
}
/** {@link bhattacharyyaDistance} of each pair of rows. */
export function bhattacharyyaDistanceRows(p: Vector, q: Vector, cols: number, options?: EntropyOptions): Float64Array {
  return api.bhattacharyyaDistanceRows(p, q, cols, options);
}
/** The Jensen–Shannon divergence of the k rows of P, in pure TypeScript (see kl-wasm/divergences' `jensenShannonMany`). */
export function jensenShannonMany(P: Vector, cols: number, options?: ManyOptions): number {
  return api.jensenShannonMany(P, cols, options);
}
