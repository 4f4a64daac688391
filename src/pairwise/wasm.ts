// PLACEHOLDER (lead): the engine helper replaces this with the WebAssembly engine; until then the twin.
import { twinPairwiseEngine } from "./twin.js";
export const wasmPairwiseEngine = twinPairwiseEngine;
