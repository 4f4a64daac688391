// placeholder: replaced by the kernels below
import { twinDivergenceEngine, type DivergenceEngine } from "./twin.js";
export const wasmDivergenceEngine: DivergenceEngine = twinDivergenceEngine;
