// The module's exports. Every kernel has one signature:
//   (p, q, rows, cols, lo, hi, a, b, mode, params, out) -> flags
// p, q: byte offsets of row-major inputs (q unused by one-input kernels);
// lo, hi: clip bounds for q; a, b: for Jensen-Shannon the scale factors of p and q,
// for entropy, KL and cross-entropy a is an integer e that adds e ln 2 to every log
// (exactly, through the exponent: normalize uses it), b unused;
// mode: input precision and fast/exact log (span.ts); params: 0, or per-row
// (lo, hi, a, b) as 4 f64s a row; out: one f64 per row.
// density.ts adds gaussianSurface (loss surfaces of Gaussian fits) and expArray
// (the vector exp, for its accuracy test), and mutual.ts the table, label and
// neighbour kernels of mutual information, with their own signatures.
// The caller (src/wasm.ts) owns all memory above heapBase().
export { entropyRows } from "./entropy";
export { klRows, crossEntropyRows } from "./divergence";
export { jensenShannonRows } from "./jensen";
export { sumRows } from "./sum";
export { klDensityRows, gaussianSurface, expArray } from "./density";
export { colSums, labelRange, countPairs, ksgSamples, ksgCounts } from "./mutual";

/** First byte the module does not use for its own static data. */
export function heapBase(): usize {
  return __heap_base;
}
