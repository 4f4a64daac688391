// The float32 and float64 lines, for tests that walk them: the values k steps from a value.
const F = new Float32Array(1), I = new Int32Array(F.buffer);
const D = new Float64Array(1), L = new BigInt64Array(D.buffer);

/** The float32 k steps from f (a float32) along the ordered float32 line (-Infinity .. +Infinity;
 *  -0 and 0 are one step apart, as two values; clamped at the infinities). */
export function stepF32(f: number, k: number): number {
  F[0] = f;
  let key = I[0] < 0 ? -(I[0] & 0x7fffffff) - 1 : I[0];
  key = Math.max(-0x7f800001, Math.min(0x7f800000, key + k));
  I[0] = key < 0 ? (-(key + 1)) | 0x80000000 : key;
  return F[0];
}

/** v (finite) k ulps along the float64 line (-0 and 0 one step apart). */
export function stepF64(v: number, k: number): number {
  D[0] = v;
  let key = L[0] < 0n ? -(L[0] & 0x7fffffffffffffffn) - 1n : L[0];
  key += BigInt(k);
  L[0] = key < 0n ? (-(key + 1n)) | -0x8000000000000000n : key;
  return D[0];
}
