// Drift kernels: binning samples into histograms (equal-width bins and arbitrary edges,
// NumPy's convention), counts exact in integers.
export { heapBase } from "./core/heap";
