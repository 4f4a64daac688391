// The module's exports, one file per family: discrete.ts (the vector-sum kernels
// over rows, shared by every family), fit.ts (Gaussian fit surfaces and the vector
// exp) and mutual.ts (table, label and neighbour kernels). core/ holds what they
// share: the vector log and exp (vecmath.ts) and the one loop of the sums (span.ts).
// The caller (src/core/wasm.ts) owns all memory above heapBase().
export { sumRows, entropyRows, klRows, crossEntropyRows, jensenShannonRows, klDensityRows } from "./discrete";
export { gaussianSurface, expArray } from "./fit";
export { colSums, labelRange, countPairs, ksgSamples, ksgCounts } from "./mutual";

/** First byte the module does not use for its own static data. */
export function heapBase(): usize {
  return __heap_base;
}
