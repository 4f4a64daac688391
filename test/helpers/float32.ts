// The float32 line, for tests that walk it: the values k steps from a float32.
const F = new Float32Array(1), I = new Int32Array(F.buffer);

/** The float32 k steps from f (a float32) along the ordered float32 line (-Infinity .. +Infinity;
 *  -0 and 0 are one step apart, as two values; clamped at the infinities). */
export function stepF32(f: number, k: number): number {
  F[0] = f;
  let key = I[0] < 0 ? -(I[0] & 0x7fffffff) - 1 : I[0];
  key = Math.max(-0x7f800001, Math.min(0x7f800000, key + k));
  I[0] = key < 0 ? (-(key + 1)) | 0x80000000 : key;
  return F[0];
}
