// A binary max-heap of (value, index) pairs held in two parallel typed arrays from an offset: the worst entry kept
// at the top, "worse" meaning the larger value, or the larger index among equal values. The k-best searches keep
// their candidates this way: the pairwise family's nearest (src/pairwise/api.ts) and the k-NN twin's searches with
// indices (src/knn/twin.ts; assembly/knn.ts ports the same steps).

/** (a, i) is worse than (b, j): the larger value, or the larger index among equal values. */
export const worse = (a: number, i: number, b: number, j: number): boolean => a > b || (a === b && i > j);

/** Adds (v, j) to the heap of `size` entries at base (it then holds size + 1). */
export function heapPush(vs: Float64Array, is: Int32Array, base: number, size: number, v: number, j: number): void {
  let at = size;
  while (at > 0) {
    const up = (at - 1) >> 1;
    if (!worse(v, j, vs[base + up], is[base + up])) break;
    vs[base + at] = vs[base + up];
    is[base + at] = is[base + up];
    at = up;
  }
  vs[base + at] = v;
  is[base + at] = j;
}

/** Replaces the top (the worst) of the heap of `size` entries at base with (v, j). */
export function heapReplaceTop(vs: Float64Array, is: Int32Array, base: number, size: number, v: number, j: number): void {
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && worse(vs[base + child + 1], is[base + child + 1], vs[base + child], is[base + child])) child++;
    if (!worse(vs[base + child], is[base + child], v, j)) break;
    vs[base + at] = vs[base + child];
    is[base + at] = is[base + child];
    at = child;
  }
  vs[base + at] = v;
  is[base + at] = j;
}

/** Sorts the heap of `size` entries at base ascending by (value, index), in place (a heap sort). */
export function heapSort(vs: Float64Array, is: Int32Array, base: number, size: number): void {
  for (let end = size - 1; end > 0; end--) {
    const v = vs[base + end], j = is[base + end];
    vs[base + end] = vs[base];
    is[base + end] = is[base];
    heapReplaceTop(vs, is, base, end, v, j);
  }
}
