// The pure-TypeScript pairwise engine: each cell is the discrete family's one-pair row function
// (src/discrete/twin.ts) on the two rows, the direct form with its bound (1e-14·S, docs/discrete.md).
// It defines what the WebAssembly engine's product and one-log forms must reproduce, serves
// kl-wasm/reference, and runs the WebAssembly entry's small calls.
import type { PairwiseEngine, PairKernel } from "./api.js";
import {
  type RowsFn, klRowsRef, crossEntropyRowsRef, jensenShannonRowsRef, hellingerRowsRef, totalVariationRowsRef,
} from "../discrete/twin.js";
import type { Parsed } from "../core/validate.js";

const ROW_FN: Record<PairKernel, RowsFn> = {
  kl: klRowsRef, crossEntropy: crossEntropyRowsRef, jensenShannon: jensenShannonRowsRef,
  hellinger: hellingerRowsRef, totalVariation: totalVariationRowsRef,
};

const rowsOf = (x: Float64Array | Float32Array, rows: number, cols: number) =>
  Array.from({ length: rows }, (_, r) => x.subarray(r * cols, (r + 1) * cols));

export const twinPairwiseEngine: PairwiseEngine = {
  plan({ kernel, x, y, m, n, cols, eps }) {
    const fn = ROW_FN[kernel], o: Parsed = { logBase: 1, normalize: false, eps };
    const xs = rowsOf(x, m, cols), ys = y === x ? xs : rowsOf(y, n, cols), one = new Float64Array(1);
    return {
      tile: [32, 64],
      cells(i0, i1, j0, j1, out, at, stride) {
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) {
            fn("pairwise", xs[i], ys[j], 1, cols, o, one);
            out[at + (i - i0) * stride + (j - j0)] = one[0];
          }
        }
      },
      release() {},
    };
  },
};
