// Compensated (Neumaier) summation, the one helper every pure-TS sum uses.

/** s + c, unless s is infinite (then the compensation is NaN and s is the answer). */
export const total = (s: number, c: number): number => (Number.isFinite(s) ? s + c : s);

/** The Neumaier-compensated sum of xs (an infinite sum stays infinite, not NaN). */
export function compensatedSum(xs: ArrayLike<number>): number {
  let s = 0, c = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i], u = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - u) + v : (v - u) + s;
    s = u;
  }
  return total(s, c);
}
