/**
 * k-NN (sample-based) estimators over an engine: the engine finds neighbours and counts, this file turns them into
 * mutual information, conditional mutual information, entropy and KL divergence (docs/knn.md).
 */

export type Norm = "chebyshev" | "euclidean";

/** n points of d coordinates, row-major, validated finite (and scaled, when the estimator scales). */
export interface Points {
  data: Float64Array;
  n: number;
  d: number;
}

export interface KnnEngine {
  /** For every point i: the distance to its k-th nearest OTHER point (1 <= k < n), and with `indices` the k nearest
   *  others' indices (nearest first; among equal distances the lower index first). Ties count by distance:
   *  duplicates of a point give distance 0. */
  neighbours(p: Points, k: number, norm: Norm, indices: boolean): { dist: Float64Array; idx?: Int32Array };
  /** For every point of q: the distance to its k-th nearest point of r (no exclusion; 1 <= k <= r.n). */
  crossNeighbours(q: Points, r: Points, k: number, norm: Norm): Float64Array;
  /** For every point i: #{j != i : dist∞(p_j, p_i) <= radius[i]} (max-norm; radius may be 0 or tiny). */
  countWithin(p: Points, radius: Float64Array): Int32Array;
}
