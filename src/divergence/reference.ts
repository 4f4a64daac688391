// kl-wasm/reference's divergence functions: kl-wasm/divergences over the pure-TS twin (the same checks, options
// and errors). Each function's documentation is at its namesake in src/divergences.ts.
import { makeDivergenceApi } from "./api.js";
import { twinDivergenceEngine } from "./twin.js";

export type { NormalizeOptions, ManyOptions } from "./api.js";

export const {
  renyiEntropy, renyiEntropyRows, renyiDivergence, renyiDivergenceRows, tsallisEntropy, tsallisEntropyRows,
  hellingerDistance, hellingerDistanceRows, totalVariation, totalVariationRows, chiSquareDivergence,
  chiSquareDivergenceRows, jeffreysDivergence, jeffreysDivergenceRows, bhattacharyyaDistance, bhattacharyyaDistanceRows,
  jensenShannonMany,
} = /* @__PURE__ */ makeDivergenceApi(twinDivergenceEngine);
